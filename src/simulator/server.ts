// The simulator framework: a small HTTP server per simulated upstream, with routes, a request log,
// switchable faults, and a control API under /__sim/ (faults, request log) for tests and the demo.
// Unknown routes answer 404 and are recorded, so a test can fail on any unexpected request.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, type Fault } from './faults.ts';

/** A request as a route sees it. */
export interface SimRequest {
  method: string;
  url: URL;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  /** Named groups of a RegExp route. */
  params: Record<string, string>;
}

/** What a route returns; an object body is sent as JSON. */
export interface SimResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
}

/** One route. A string path matches exactly; a RegExp may capture named groups. */
export interface SimRoute {
  method: string;
  path: string | RegExp;
  handle(request: SimRequest): SimResponse | Promise<SimResponse>;
}

/** Options for a simulated upstream. */
export interface SimServerOptions {
  /** Name used in the unknown-route error body. */
  name: string;
  routes: SimRoute[];
  /** Checked before routes (auth): return a response to short-circuit. */
  guard?: (request: SimRequest) => SimResponse | undefined;
  /** Host to bind; loopback by default. */
  host?: string;
}

/** A running simulated upstream. */
export interface SimServer {
  readonly name: string;
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  readonly faults: FaultPlan;
  /** Every request served (control API excluded). */
  readonly requests: SimRequest[];
  /** Requests no route matched. */
  readonly unexpected: SimRequest[];
  close(): Promise<void>;
}

/** Starts a simulated upstream on an ephemeral loopback port (or `port`). */
export async function startSimServer(options: SimServerOptions, port = 0): Promise<SimServer> {
  const faults = new FaultPlan();
  const requests: SimRequest[] = [];
  const unexpected: SimRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'application/json' });
      outgoing.end(
        JSON.stringify({
          error: `simulator ${options.name}: ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
    });
  });
  server.keepAliveTimeout = 5_000;

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? '/', 'http://simulator');
    const request: SimRequest = {
      method: incoming.method ?? 'GET',
      url,
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(
        Object.entries(incoming.headers).map(([key, value]) => [
          key,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      ),
      body: Buffer.concat(chunks),
      params: {},
    };
    if (request.path.startsWith('/__sim/')) {
      control(request, outgoing, faults, requests, unexpected);
      return;
    }
    requests.push(request);
    for (const fault of faults.take(request.path)) {
      if (await applyFault(fault, outgoing)) return;
    }
    const guarded = options.guard?.(request);
    if (guarded) {
      send(outgoing, guarded);
      return;
    }
    for (const route of options.routes) {
      if (route.method !== request.method && route.method !== '*') continue;
      if (typeof route.path === 'string' ? route.path !== request.path : !matchRegExp(route.path, request)) continue;
      send(outgoing, await route.handle(request));
      return;
    }
    unexpected.push(request);
    send(outgoing, {
      status: 404,
      body: { error: `simulator ${options.name}: no route for ${request.method} ${request.path}` },
    });
  }

  await new Promise<void>((resolve) => server.listen(port, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    name: options.name,
    url: `http://${host}:${address.port}`,
    faults,
    requests,
    unexpected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function matchRegExp(pattern: RegExp, request: SimRequest): boolean {
  const match = pattern.exec(request.path);
  if (!match || match[0] !== request.path) return false;
  request.params = { ...match.groups };
  return true;
}

/** Writes a SimResponse. */
export function send(outgoing: ServerResponse, response: SimResponse): void {
  const body = response.body;
  const isJson = body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body);
  const payload = body === undefined ? '' : isJson ? JSON.stringify(body) : body;
  outgoing.writeHead(response.status ?? 200, {
    ...(isJson ? { 'content-type': 'application/json' } : {}),
    ...response.headers,
  });
  outgoing.end(payload);
}

async function applyFault(fault: Fault, outgoing: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case 'latency':
      await new Promise((resolve) => setTimeout(resolve, fault.ms ?? 100));
      return false;
    case 'rate_limit':
      send(outgoing, {
        status: 429,
        headers: { ...(fault.retry_after === undefined ? {} : { 'retry-after': fault.retry_after }), ...fault.headers },
        body: { message: 'Too Many Requests' },
      });
      return true;
    case 'server_error':
      send(outgoing, {
        status: fault.status ?? 500,
        headers: fault.headers,
        body: { message: 'simulated server error' },
      });
      return true;
    case 'unauthorized':
      send(outgoing, { status: 401, body: { error: 'invalid API key' } });
      return true;
    case 'malformed':
      send(outgoing, {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: '{"data": [ {"id": 1,, oops',
      });
      return true;
    case 'truncated':
      outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      outgoing.write('{"data": [{"id": "abc"');
      setTimeout(() => outgoing.socket?.destroy(), 10);
      return true;
    case 'stall':
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      outgoing.write('{"data": [');
      setTimeout(() => outgoing.socket?.destroy(), fault.ms ?? 60_000).unref();
      return true;
    case 'reset':
      outgoing.socket?.destroy();
      return true;
    case 'oversized': {
      const bytes = fault.bytes ?? 80 * 1024 * 1024;
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < bytes) {
          sent += chunk.length;
          if (!outgoing.write(chunk)) {
            outgoing.once('drain', pump);
            return;
          }
        }
        outgoing.end();
      };
      outgoing.on('error', () => undefined);
      pump();
      return true;
    }
  }
}

function control(
  request: SimRequest,
  outgoing: ServerResponse,
  faults: FaultPlan,
  requests: SimRequest[],
  unexpected: SimRequest[],
): void {
  if (request.path === '/__sim/faults' && request.method === 'GET') {
    send(outgoing, { body: faults.list() });
  } else if (request.path === '/__sim/faults' && (request.method === 'PUT' || request.method === 'POST')) {
    const parsed: unknown = JSON.parse(request.body.toString('utf8') || '[]');
    const list = (Array.isArray(parsed) ? parsed : [parsed]) as Fault[];
    if (request.method === 'PUT') faults.set(list);
    else for (const fault of list) faults.add(fault);
    send(outgoing, { body: faults.list() });
  } else if (request.path === '/__sim/faults' && request.method === 'DELETE') {
    faults.clear();
    send(outgoing, { status: 204 });
  } else if (request.path === '/__sim/requests') {
    send(outgoing, {
      body: {
        served: requests.map((item) => `${item.method} ${item.url.pathname}${item.url.search}`),
        unexpected: unexpected.map((item) => `${item.method} ${item.url.pathname}${item.url.search}`),
      },
    });
  } else {
    send(outgoing, { status: 404, body: { error: `unknown simulator control path ${request.path}` } });
  }
}
