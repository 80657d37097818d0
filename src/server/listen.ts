// Serves a fetch-style handler on node:http (used only by `run`; tests call the handler directly).
// Nothing a client sends is held before it is authenticated: the handler sees the headers and a body stream it
// reads only once the token checked out, capped at MAX_REQUEST_BODY_BYTES. Connections are capped, slow headers and
// bodies time out, and a body left unread (a 401, 404, 413) is discarded for at most LINGER_MS, then the socket closes.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/log.ts';
import type { AppHandler } from './app.ts';
import { BodyTooLargeError, MAX_REQUEST_BODY_BYTES } from './params.ts';

/** Limits of the listener; the defaults are what `run` uses. */
export interface ListenLimits {
  /** Open connections at once; more are refused by the kernel-level accept (server.maxConnections). */
  maxConnections: number;
  /** Milliseconds a client has to send its headers. */
  headersTimeoutMs: number;
  /** Milliseconds a client has to send its whole request, body included (not the time the answer takes). */
  requestTimeoutMs: number;
  /** Milliseconds an unread body is discarded after the answer before the socket is closed. */
  lingerMs: number;
}

/** 256 connections: a few scrapers, dashboards and operators need a handful; each idle one costs a few KB. */
export const DEFAULT_LISTEN_LIMITS: ListenLimits = {
  maxConnections: 256,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  lingerMs: 1_000,
};

/** A listening API server. */
export interface ListeningServer {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly server: Server;
  /** Stops accepting connections, lets requests in progress finish within `graceMs`, then drops the rest. */
  close(graceMs: number): Promise<void>;
}

/** Listens on host:port and serves `handler`. */
export async function listen(
  handler: AppHandler,
  host: string,
  port: number,
  log?: Logger,
  limits: ListenLimits = DEFAULT_LISTEN_LIMITS,
): Promise<ListeningServer> {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often those timeouts are checked (default 30 s: a stalled body would live 45 s instead of 15).
      connectionsCheckingInterval: 1_000,
    },
    (incoming, outgoing) => {
      serve(handler, incoming, outgoing, limits).catch((error: unknown) => {
        log?.error({ code: 'INTERNAL' }, `HTTP API: ${error instanceof Error ? error.message : String(error)}`);
        if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'application/json', connection: 'close' });
        outgoing.end('{"error":{"code":"internal","message":"internal error"}}');
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    server,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

async function serve(
  handler: AppHandler,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  limits: ListenLimits,
): Promise<void> {
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const declared = Number(incoming.headers['content-length'] ?? '0');
  if (hasBody && declared > MAX_REQUEST_BODY_BYTES) {
    // Refused on its announced size alone, before auth: nothing of it is read.
    outgoing.writeHead(413, { 'content-type': 'application/json' });
    outgoing.end(
      `{"error":{"code":"body_too_large","message":"the request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes"}}`,
    );
    lingerThenClose(incoming, outgoing, limits.lingerMs);
    return;
  }
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(key, item);
  }
  const request = new Request(new URL(incoming.url ?? '/', 'http://localhost'), {
    method,
    headers,
    ...(hasBody ? { body: bodyStream(incoming, MAX_REQUEST_BODY_BYTES), duplex: 'half' } : {}),
  } as RequestInit);
  const response = await handler(request);
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    responseHeaders[key] = value;
  });
  const unread = hasBody && !incoming.complete;
  outgoing.writeHead(response.status, responseHeaders);
  outgoing.end(Buffer.from(await response.arrayBuffer()));
  if (unread) lingerThenClose(incoming, outgoing, limits.lingerMs);
}

/** The request body as a stream read only on demand (nothing is buffered ahead), failing past `limit` bytes. */
function bodyStream(incoming: IncomingMessage, limit: number): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Buffer> | undefined;
  let received = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= incoming[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        const next = await iterator.next();
        if (next.done === true) {
          controller.close();
          return;
        }
        received += next.value.length;
        if (received > limit) {
          controller.error(new BodyTooLargeError(limit));
          return;
        }
        controller.enqueue(new Uint8Array(next.value));
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * After the answer, discards what the client still sends (never stored) for `lingerMs`, then closes the socket. No
 * `Connection: close`: node would then close at once with the body unread, a TCP reset that can cost the client the
 * answer it has not read yet.
 */
function lingerThenClose(incoming: IncomingMessage, outgoing: ServerResponse, lingerMs: number): void {
  outgoing.once('finish', () => {
    incoming.resume();
    const timer = setTimeout(() => incoming.socket?.destroy(), lingerMs);
    timer.unref();
    incoming.socket?.once('close', () => clearTimeout(timer));
  });
}
