// Serves a fetch-style handler on node:http (used only by `run`; tests call the handler directly).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/log.ts';
import type { AppHandler } from './app.ts';

const MAX_REQUEST_BYTES = 1024 * 1024;

/** A listening API server. */
export interface ListeningServer {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly server: Server;
  /** Stops accepting connections, lets requests in progress finish within `graceMs`, then drops the rest. */
  close(graceMs: number): Promise<void>;
}

/** Listens on host:port and serves `handler`. */
export async function listen(handler: AppHandler, host: string, port: number, log?: Logger): Promise<ListeningServer> {
  const server = createServer((incoming, outgoing) => {
    serve(handler, incoming, outgoing).catch((error: unknown) => {
      log?.error({ code: 'INTERNAL' }, `HTTP API: ${error instanceof Error ? error.message : String(error)}`);
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'application/json' });
      outgoing.end('{"error":{"code":"internal","message":"internal error"}}');
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
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

async function serve(handler: AppHandler, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) {
      outgoing.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      outgoing.end('{"error":{"code":"body_too_large","message":"the request body is too large"}}');
      return;
    }
    chunks.push(chunk as Buffer);
  }
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(key, item);
  }
  const method = incoming.method ?? 'GET';
  const request = new Request(new URL(incoming.url ?? '/', 'http://localhost'), {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  });
  const response = await handler(request);
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    responseHeaders[key] = value;
  });
  outgoing.writeHead(response.status, responseHeaders);
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}
