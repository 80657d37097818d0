// The DigitalOcean API v2 simulator: bearer auth with per-scope 403s, `page`/`per_page` paging with absolute
// `links.pages` URLs, `ratelimit-*` headers on every answer, a burst-limit 429 with `retry-after`, and the
// `{id, message}` error document. Sources of each rule: src/sources/digitalocean/README.md "Simulator".

import { startSimServer, type SimRequest, type SimResponse, type SimServer } from '../server.ts';
import type { RunningSimulation, SimulatedProvider } from '../provider.ts';
import { startExporterHost } from '../exporter-host/server.ts';
import { doDataset, type DoDataset } from './data.ts';
import type { DoWireError } from './wire.ts';

/** The token the simulator accepts (a personal access token's documented prefix). */
export const DO_SIM_TOKEN = 'dop_v1_simulated0000000000000000000000000000000000000000000000000000';

/** Every scope the simulator knows; a token may be given fewer. */
export const DO_SIM_SCOPES = ['droplet:read', 'sizes:read', 'billing:read'] as const;

/** Options for a DigitalOcean simulator. */
export interface DoSimOptions {
  now?: Date;
  port?: number;
  /** Scopes of the accepted token (all by default): a call needing another answers 403. */
  scopes?: readonly string[];
  /** Origin written into `links.pages` URLs (default: the simulator's own), e.g. the real API's. */
  linkOrigin?: string;
  /** Burst-limit 429s (`ratelimit-remaining: 0`, `retry-after`) answered to the first `times` calls of `path`. */
  burst?: { path: string; times: number; retryAfterSeconds?: number };
  /** Answer 404 to the `preview` keyword (the preview is then served only by its UUID). */
  noPreviewKeyword?: boolean;
}

const error = (status: number, id: string, message: string): SimResponse => ({
  status,
  body: { id, message, request_id: '4d9d8375-3c56-4925-a3e7-eb137fed17e9' } satisfies DoWireError,
});

/** The scope a path needs (the spec's `security` of each operation). */
function scopeFor(path: string): string {
  if (path.startsWith('/v2/customers/my/')) return 'billing:read';
  if (path.startsWith('/v2/sizes')) return 'sizes:read';
  return 'droplet:read';
}

/** One page of `items` under `key`, with `links.pages` holding only the keys that apply, and `meta.total`. */
function page(request: SimRequest, origin: string, key: string, items: readonly unknown[], extra: object = {}) {
  const perPageText = request.query.get('per_page') ?? '20';
  const pageText = request.query.get('page') ?? '1';
  const perPage = Number(perPageText);
  const current = Number(pageText);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 200 || !Number.isInteger(current) || current < 1)
    return error(400, 'bad_request', 'page and per_page must be positive integers; per_page at most 200');
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (number: number): string => {
    const query = new URLSearchParams(request.query);
    query.set('page', String(number));
    query.set('per_page', String(perPage));
    return `${origin}${request.path}?${query.toString()}`;
  };
  const pages: Record<string, string> = {};
  if (current > 1) Object.assign(pages, { first: link(1), prev: link(current - 1) });
  if (current < last) Object.assign(pages, { next: link(current + 1), last: link(last) });
  // A single page: the GPU Droplet example has `links: {}`, the plain one `links: {pages: {}}`.
  const links = last === 1 && request.query.get('type') === 'gpus' ? {} : { pages };
  const slice = items.slice((current - 1) * perPage, current * perPage);
  return { body: { [key]: slice, ...extra, links, meta: { total: items.length } } };
}

function routes(data: DoDataset, origin: () => string, options: DoSimOptions) {
  return [
    {
      method: 'GET',
      path: '/v2/droplets',
      handle: (request: SimRequest) => {
        const type = request.query.get('type');
        if (type !== null && request.query.has('tag_name'))
          return error(422, 'unprocessable_entity', 'type can not be combined with tag_name');
        if (type !== null && type !== 'droplets' && type !== 'gpus')
          return error(422, 'unprocessable_entity', 'type must be one of droplets, gpus');
        // "By default, only non-GPU Droplets are returned."
        return page(request, origin(), 'droplets', type === 'gpus' ? data.gpuDroplets : data.droplets);
      },
    },
    { method: 'GET', path: '/v2/sizes', handle: (request: SimRequest) => page(request, origin(), 'sizes', data.sizes) },
    { method: 'GET', path: '/v2/customers/my/balance', handle: () => ({ body: data.balance }) },
    {
      method: 'GET',
      path: '/v2/customers/my/billing_history',
      handle: (request: SimRequest) => page(request, origin(), 'billing_history', data.history),
    },
    {
      method: 'GET',
      path: '/v2/customers/my/invoices',
      handle: (request: SimRequest) =>
        page(request, origin(), 'invoices', data.invoices, { invoice_preview: data.preview }),
    },
    {
      method: 'GET',
      path: /^\/v2\/customers\/my\/invoices\/(?<uuid>[^/]+)$/,
      handle: (request: SimRequest) => {
        const uuid = request.params.uuid ?? '';
        const items = uuid === 'preview' && options.noPreviewKeyword ? undefined : data.invoiceItems.get(uuid);
        return items
          ? page(request, origin(), 'invoice_items', items)
          : error(404, 'not_found', 'The resource you requested could not be found.');
      },
    },
  ];
}

/** Starts a DigitalOcean simulator; returns the server and the data it serves (for assertions). */
export async function startDoSimulator(options: DoSimOptions = {}): Promise<{ server: SimServer; data: DoDataset }> {
  const now = options.now ?? new Date();
  const data = doDataset(now);
  const scopes = new Set(options.scopes ?? DO_SIM_SCOPES);
  let origin = '';
  let used = 0;
  let burstLeft = options.burst?.times ?? 0;
  // Each request counts for an hour; `ratelimit-reset` is when the oldest one expires (epoch seconds).
  const firstAt = Math.floor(Date.now() / 1000);
  const withRateLimit = (response: SimResponse): SimResponse => ({
    ...response,
    headers: {
      'ratelimit-limit': '5000',
      'ratelimit-remaining': String(Math.max(0, 5000 - used)),
      'ratelimit-reset': String(firstAt + 3600),
      ...response.headers,
    },
  });
  const guard = (request: SimRequest): SimResponse | undefined => {
    used += 1;
    if (request.headers.authorization !== `Bearer ${DO_SIM_TOKEN}`)
      return withRateLimit(error(401, 'unauthorized', 'Unable to authenticate you.'));
    if (!scopes.has(scopeFor(request.path)))
      return withRateLimit(error(403, 'forbidden', 'You do not have permission to perform this action.'));
    if (options.burst && burstLeft > 0 && request.path === options.burst.path) {
      burstLeft -= 1;
      const response = withRateLimit(error(429, 'too_many_requests', 'API rate limit exceeded.'));
      return {
        ...response,
        headers: {
          ...response.headers,
          'ratelimit-remaining': '0',
          'retry-after': String(options.burst.retryAfterSeconds ?? 1),
        },
      };
    }
    return undefined;
  };
  const server = await startSimServer(
    {
      name: 'digitalocean',
      routes: routes(data, () => origin, options).map((route) => ({
        ...route,
        handle: (request: SimRequest) => withRateLimit(route.handle(request)),
      })),
      guard,
    },
    options.port,
  );
  origin = options.linkOrigin ?? server.url;
  return { server, data };
}

/** The simulated DigitalOcean provider for the demo, tests and benchmarks. */
export const digitaloceanSimulatedProvider: SimulatedProvider = {
  name: 'digitalocean',
  description:
    'DigitalOcean API v2: 5 Droplets and 5 GPU Droplets (8×H100, H100, 8×MI300X, L40S, RTX 4000 Ada), 3 invoices, preview',
  async start(options): Promise<RunningSimulation> {
    const { server } = await startDoSimulator();
    // The 8×H100 GPU Droplet also runs dcgm-exporter and node_exporter, joined to it by hostname.
    const gpuHost = await startExporterHost({
      seed: options.seed ?? 1,
      pages: {
        dcgm: { gpus: 8, host: 3, hostname: 'train-h100x8-01', modelName: 'NVIDIA H100 80GB HBM3' },
        node: {},
      },
    });
    return {
      servers: [server, gpuHost.server],
      providerBlock: {
        enabled: true,
        collector_type: 'generic',
        display_name: 'DigitalOcean (simulated)',
        scrape_targets: [gpuHost.metricsUrl],
        dcgm: true,
        api: { adapter: 'digitalocean', base_url: `${server.url}/v2`, api_key: DO_SIM_TOKEN, per_page: 2 },
      },
      close: async () => {
        await Promise.all([server.close(), gpuHost.close()]);
      },
    };
  },
};
