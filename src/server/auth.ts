// Bearer-token auth for the HTTP API and the rule that a non-loopback listener needs a token.

import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { CollectorError } from '../core/errors.ts';

/** Compares a presented token with the expected one in constant time (equal-length SHA-256 digests). */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | null): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Splits `host:port` (IPv6 in brackets) of server.listen. */
export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[3]);
  if (!match || port > 65_535)
    throw new CollectorError('CONFIG_INVALID', `server.listen ${JSON.stringify(listen)} is not host:port`);
  return { host: match[1] ?? match[2] ?? '', port };
}

/** Whether a listen host only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./i.test(host);
  return false;
}

/** The shortest OPTIINFRA_API_TOKEN accepted for a listener beyond loopback (`openssl rand -hex 24` gives 48). */
export const MIN_REMOTE_TOKEN_LENGTH = 16;

/**
 * Throws CONFIG_INVALID when the API would listen beyond loopback without a usable OPTIINFRA_API_TOKEN: none, blank,
 * or shorter than MIN_REMOTE_TOKEN_LENGTH (a token anyone on the network can guess protects nothing).
 */
export function assertListenAllowed(host: string, token: string | undefined): void {
  if (isLoopbackHost(host)) return;
  if (token === undefined || token === '')
    throw new CollectorError(
      'CONFIG_INVALID',
      `server.listen binds ${host}, beyond loopback: set OPTIINFRA_API_TOKEN so the HTTP API requires a bearer token (or listen on 127.0.0.1)`,
    );
  if (token.trim().length < MIN_REMOTE_TOKEN_LENGTH)
    throw new CollectorError(
      'CONFIG_INVALID',
      `server.listen binds ${host}, beyond loopback: OPTIINFRA_API_TOKEN has ${token.trim() === '' ? 'only whitespace' : `${token.trim().length} characters`}; it must have at least ${MIN_REMOTE_TOKEN_LENGTH} characters (e.g. openssl rand -hex 24), or listen on 127.0.0.1`,
    );
}
