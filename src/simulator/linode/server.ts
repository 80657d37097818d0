// The Linode API v4 simulator: bearer auth (`{errors:[{reason}]}` on 401), `page`/`page_size` pagination with
// `{data, page, pages, results}` bodies, X-RateLimit-* headers on every response, 429 with Retry-After once the
// window's budget is spent, and the framework's fault switches. Sources of each fact: src/sources/linode/README.md.

import { startSimServer, type SimRequest, type SimResponse, type SimRoute, type SimServer } from '../server.ts';
import type { RunningSimulation, SimulatedProvider } from '../provider.ts';
import { startExporterHost } from '../exporter-host/server.ts';
import { linodeDataset, type LinodeDataset } from './data.ts';
import type { LinodeWireError, LinodeWirePage } from './wire.ts';

/** The token the simulator accepts. */
export const LINODE_SIM_API_KEY = 'sim-linode-token';

/** Options for a Linode simulator. */
export interface LinodeSimOptions {
  seed?: number;
  now?: Date;
  port?: number;
  /** Requests per window before 429 (default 800 per 120 s, the documented general limit). */
  rateLimit?: { limit: number; windowSeconds: number };
}

const error = (status: number, reason: string, field?: string): SimResponse => ({
  status,
  body: { errors: [{ reason, ...(field ? { field } : {}) }] } satisfies LinodeWireError,
});

/** One page of `items`: `page` from 1, `page_size` 25..500 (default 100), as the API documents. */
function page(request: SimRequest, items: readonly unknown[]): SimResponse {
  const size = Number(request.query.get('page_size') ?? 100);
  if (!Number.isInteger(size) || size < 25 || size > 500) return error(400, 'Must be 25-500', 'page_size');
  const number = Number(request.query.get('page') ?? 1);
  const pages = Math.max(1, Math.ceil(items.length / size));
  if (!Number.isInteger(number) || number < 1) return error(400, 'Must be greater than or equal to 1.', 'page');
  const body: LinodeWirePage<unknown> = {
    data: items.slice((number - 1) * size, number * size),
    page: number,
    pages,
    results: items.length,
  };
  return { body };
}

function routes(data: LinodeDataset): SimRoute[] {
  const invoiceOf = (request: SimRequest) => data.invoices.find((item) => String(item.id) === request.params.id);
  return [
    { method: 'GET', path: '/v4/linode/types', handle: (request: SimRequest) => page(request, data.types) },
    { method: 'GET', path: '/v4/linode/instances', handle: (request: SimRequest) => page(request, data.instances) },
    { method: 'GET', path: '/v4/account', handle: () => ({ body: data.account }) },
    { method: 'GET', path: '/v4/account/invoices', handle: (request: SimRequest) => page(request, data.invoices) },
    {
      method: 'GET',
      path: /^\/v4\/account\/invoices\/(?<id>\d+)\/items$/,
      handle: (request: SimRequest) => {
        const invoice = invoiceOf(request);
        return invoice ? page(request, data.invoiceItems.get(invoice.id) ?? []) : error(404, 'Not found');
      },
    },
    {
      method: 'GET',
      path: /^\/v4\/account\/invoices\/(?<id>\d+)$/,
      handle: (request: SimRequest) => {
        const invoice = invoiceOf(request);
        return invoice ? { body: invoice } : error(404, 'Not found');
      },
    },
  ];
}

/** A fixed-window budget that answers with the X-RateLimit-* headers (Reset in UTC epoch seconds). */
function rateLimiter(limit: number, windowSeconds: number) {
  let windowStart = Date.now();
  let used = 0;
  return (): { headers: Record<string, string>; exceeded: boolean } => {
    const now = Date.now();
    if (now - windowStart >= windowSeconds * 1000) {
      windowStart = now;
      used = 0;
    }
    used += 1;
    const resetMs = windowStart + windowSeconds * 1000;
    const headers = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - used)),
      'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
    };
    if (used <= limit) return { headers, exceeded: false };
    return {
      headers: { ...headers, 'retry-after': String(Math.max(1, Math.ceil((resetMs - now) / 1000))) },
      exceeded: true,
    };
  };
}

/** Starts a Linode simulator; returns the server and the data it serves (for assertions). */
export async function startLinodeSimulator(
  options: LinodeSimOptions = {},
): Promise<{ server: SimServer; data: LinodeDataset }> {
  const data = linodeDataset(options.seed ?? 1, options.now ?? new Date());
  const budget = rateLimiter(options.rateLimit?.limit ?? 800, options.rateLimit?.windowSeconds ?? 120);
  const withHeaders = (route: SimRoute): SimRoute => ({
    ...route,
    handle: async (request: SimRequest): Promise<SimResponse> => {
      const { headers, exceeded } = budget();
      // The 429 reason text is UNVERIFIED; the status and Retry-After are documented.
      const response = exceeded ? error(429, 'Too Many Requests') : await route.handle(request);
      return { ...response, headers: { ...response.headers, ...headers } };
    },
  });
  const server = await startSimServer(
    {
      name: 'linode',
      routes: routes(data).map(withHeaders),
      guard: (request) => {
        const authorization = request.headers.authorization;
        // /linode/types is public: no token is fine, a wrong one is not.
        if (authorization === undefined && request.path === '/v4/linode/types') return undefined;
        return authorization === `Bearer ${LINODE_SIM_API_KEY}` ? undefined : error(401, 'Invalid Token');
      },
    },
    options.port,
  );
  return { server, data };
}

/** The simulated Linode provider for the demo, tests and benchmarks. */
export const linodeSimulatedProvider: SimulatedProvider = {
  name: 'linode',
  description: 'Linode API v4: 30 instances (RTX6000 and RTX4000 Ada GPU plans), 3 invoices with items, balance',
  async start(options): Promise<RunningSimulation> {
    const { server } = await startLinodeSimulator({ seed: options.seed ?? 1 });
    // The 4×RTX6000 instance `gpu-train-1` also runs dcgm-exporter and node_exporter, joined by hostname.
    const gpuHost = await startExporterHost({
      seed: options.seed ?? 1,
      pages: {
        dcgm: { gpus: 4, host: 2, hostname: 'gpu-train-1', modelName: 'Quadro RTX 6000' },
        node: {},
      },
    });
    return {
      servers: [server, gpuHost.server],
      providerBlock: {
        enabled: true,
        collector_type: 'generic',
        display_name: 'Linode (simulated)',
        scrape_targets: [gpuHost.metricsUrl],
        dcgm: true,
        api: { adapter: 'linode', base_url: `${server.url}/v4`, api_key: LINODE_SIM_API_KEY, page_size: 25 },
      },
      close: async () => {
        await Promise.all([server.close(), gpuHost.close()]);
      },
    };
  },
};
