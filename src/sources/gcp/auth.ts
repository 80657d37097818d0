// Bearer tokens for the Google APIs without google-auth-library: a configured access token, or a service-account
// key signing a self-signed JWT (Google's "service account authorization without OAuth": an RS256 JWT with
// iss = sub = client_email and a `scope` claim is accepted as the bearer token itself, so no request ever goes
// to the token endpoint). Other ADC kinds (gcloud user credentials, the metadata server) are not in this build.

import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CollectorError } from '../../core/errors.ts';
import type { GcpConfig } from './config.ts';

/** The one scope every API used here accepts (read-only scopes differ per API). */
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** A self-signed JWT lives at most one hour (Google rejects longer). */
const LIFETIME_SECONDS = 3600;

/** Gives the bearer token for the next request. */
export type TokenSource = () => Promise<string>;

/** The fields of a service-account key file used here. */
interface ServiceAccountKey {
  type?: string;
  client_email?: string;
  private_key?: string;
  private_key_id?: string;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** An RS256 self-signed JWT for `key` valid from `nowSeconds` for one hour. */
export function selfSignedJwt(
  key: Required<Pick<ServiceAccountKey, 'client_email' | 'private_key'>> & ServiceAccountKey,
  nowSeconds: number,
): string {
  const header = { alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) };
  const claims = {
    iss: key.client_email,
    sub: key.client_email,
    scope: CLOUD_PLATFORM_SCOPE,
    iat: nowSeconds,
    exp: nowSeconds + LIFETIME_SECONDS,
  };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key);
  return `${unsigned}.${base64url(signature)}`;
}

function authError(provider: string, message: string, cause?: unknown): CollectorError {
  return new CollectorError('AUTH_FAILED', `${provider}: ${message}`, { provider }, { cause, kind: 'permanent' });
}

/** Reads and checks a service-account key file. */
async function readKey(
  provider: string,
  file: string,
): Promise<ServiceAccountKey & { client_email: string; private_key: string }> {
  let parsed: ServiceAccountKey;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as ServiceAccountKey;
  } catch (error) {
    throw authError(provider, `cannot read the credentials file ${file}: ${(error as Error).message}`, error);
  }
  if (parsed.type !== 'service_account' || !parsed.client_email || !parsed.private_key) {
    throw authError(
      provider,
      `${file} is not a service-account key (type ${JSON.stringify(parsed.type)}); user credentials and ` +
        'workload identity federation are not supported yet: use a key file or access_token',
    );
  }
  return { ...parsed, client_email: parsed.client_email, private_key: parsed.private_key };
}

/**
 * The token source of a provider block: access_token, else credentials_file, else GOOGLE_APPLICATION_CREDENTIALS.
 * Reads no file until the first token is asked for (create() does no I/O); a JWT is re-signed 5 minutes early.
 */
export function createTokenSource(
  provider: string,
  config: Pick<GcpConfig, 'access_token' | 'credentials_file'>,
  env: Record<string, string | undefined>,
  now: () => number = Date.now,
): TokenSource {
  if (config.access_token !== undefined) {
    const token = config.access_token;
    return async () => token;
  }
  const file = config.credentials_file ?? (env.GOOGLE_APPLICATION_CREDENTIALS || undefined);
  let cached: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (file === undefined) {
      throw authError(
        provider,
        'no credentials: set access_token or credentials_file (or GOOGLE_APPLICATION_CREDENTIALS); the ' +
          'metadata server and gcloud user credentials are not supported in this build',
      );
    }
    if (cached && cached.expiresAt - 300_000 > now()) return cached.token;
    const key = await readKey(provider, file);
    const seconds = Math.floor(now() / 1000);
    cached = { token: selfSignedJwt(key, seconds), expiresAt: (seconds + LIFETIME_SECONDS) * 1000 };
    return cached.token;
  };
}
