// The Vultr API v2 simulator: bearer auth, cursor pagination (`per_page`, `cursor` <- `meta.links.next`)
// on every list, `{error, status}` error bodies, and the framework's fault switches.

import { startSimServer, type SimRequest, type SimResponse, type SimServer } from '../server.ts';
import type { RunningSimulation, SimulatedProvider } from '../provider.ts';
import { startExporterHost } from '../exporter-host/server.ts';
import { vultrDataset, type VultrDataset } from './data.ts';

/** The token the simulator accepts. */
export const VULTR_SIM_API_KEY = 'sim-vultr-token';

/** Options for a Vultr simulator. */
export interface VultrSimOptions {
  seed?: number;
  now?: Date;
  port?: number;
}

/** Serves one page of `items` under `key` with Vultr's `meta` (cursor = opaque base64 offset). */
function page(request: SimRequest, key: string, items: readonly unknown[]): SimResponse {
  const perPage = Math.min(500, Math.max(1, Number(request.query.get('per_page') ?? 100) || 100));
  const cursor = request.query.get('cursor');
  let offset = 0;
  if (cursor) {
    const decoded = /^next__(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!decoded) return { status: 400, body: { error: 'Invalid cursor.', status: 400 } };
    offset = Number(decoded[1]);
  }
  const next = offset + perPage < items.length ? Buffer.from(`next__${offset + perPage}`).toString('base64') : '';
  const prev = offset > 0 ? Buffer.from(`prev__${Math.max(0, offset - perPage)}`).toString('base64') : '';
  return {
    body: { [key]: items.slice(offset, offset + perPage), meta: { total: items.length, links: { next, prev } } },
  };
}

function routes(data: VultrDataset) {
  return [
    {
      method: 'GET',
      path: '/v2/plans',
      handle: (request: SimRequest) => {
        const type = request.query.get('type') ?? 'all';
        return page(
          request,
          'plans',
          type === 'all'
            ? data.plans.filter((plan) => plan.type !== 'vcg')
            : data.plans.filter((plan) => plan.type === type),
        );
      },
    },
    {
      method: 'GET',
      path: '/v2/plans-metal',
      handle: (request: SimRequest) => page(request, 'plans_metal', data.metalPlans),
    },
    {
      method: 'GET',
      path: '/v2/instances',
      handle: (request: SimRequest) => page(request, 'instances', data.instances),
    },
    {
      method: 'GET',
      path: '/v2/bare-metals',
      handle: (request: SimRequest) => page(request, 'bare_metals', data.bareMetals),
    },
    { method: 'GET', path: '/v2/account', handle: () => ({ body: { account: data.account } }) },
    {
      method: 'GET',
      path: '/v2/billing/history',
      handle: (request: SimRequest) => page(request, 'billing_history', data.history),
    },
    {
      method: 'GET',
      path: '/v2/billing/invoices',
      handle: (request: SimRequest) => page(request, 'billing_invoices', data.invoices),
    },
    {
      method: 'GET',
      path: /^\/v2\/billing\/invoices\/(?<id>[^/]+)\/items$/,
      handle: (request: SimRequest) => {
        const items = data.invoiceItems.get(request.params.id ?? '');
        return items
          ? page(request, 'invoice_items', items)
          : { status: 404, body: { error: 'Invalid invoice ID.', status: 404 } };
      },
    },
    {
      method: 'GET',
      path: /^\/v2\/billing\/invoices\/(?<id>[^/]+)$/,
      handle: (request: SimRequest) => {
        const invoice = data.invoices.find((item) => String(item.id) === request.params.id);
        return invoice
          ? { body: { billing_invoice: invoice } }
          : { status: 404, body: { error: 'Invalid invoice ID.', status: 404 } };
      },
    },
    {
      method: 'GET',
      path: '/v2/billing/pending-charges',
      handle: (request: SimRequest) => page(request, 'pending_charges', data.pendingCharges),
    },
  ];
}

/** Starts a Vultr simulator; returns the server and the data it serves (for assertions). */
export async function startVultrSimulator(
  options: VultrSimOptions = {},
): Promise<{ server: SimServer; data: VultrDataset }> {
  const data = vultrDataset(options.seed ?? 1, options.now ?? new Date());
  const server = await startSimServer(
    {
      name: 'vultr',
      routes: routes(data),
      guard: (request) =>
        request.headers.authorization === `Bearer ${VULTR_SIM_API_KEY}`
          ? undefined
          : { status: 401, body: { error: 'Invalid API token.', status: 401 } },
    },
    options.port,
  );
  return { server, data };
}

/** The simulated Vultr provider for the demo, tests and benchmarks. */
export const vultrSimulatedProvider: SimulatedProvider = {
  name: 'vultr',
  description:
    'Vultr API v2: 10 instances and 4 bare-metal servers (multi-GPU H100/A100/MI300X), 5 invoices, pending charges',
  async start(options): Promise<RunningSimulation> {
    const { server } = await startVultrSimulator({ seed: options.seed ?? 1 });
    // The 8×H100 instance `gpu-01` also runs dcgm-exporter and node_exporter, so the generic collector
    // joins its GPU metrics to the instance the API lists (by the DCGM Hostname label). Host index 1: its GPUs
    // have UUIDs of their own, not those of the exporter_host simulation's host 0 (one GPU, one UUID).
    const gpuHost = await startExporterHost({
      seed: options.seed ?? 1,
      pages: {
        dcgm: { gpus: 8, host: 1, hostname: 'gpu-01.example.internal', modelName: 'NVIDIA H100 80GB HBM3' },
        node: {},
      },
    });
    return {
      servers: [server, gpuHost.server],
      providerBlock: {
        enabled: true,
        collector_type: 'generic',
        display_name: 'Vultr (simulated)',
        scrape_targets: [gpuHost.metricsUrl],
        dcgm: true,
        api: { adapter: 'vultr', base_url: `${server.url}/v2`, api_key: VULTR_SIM_API_KEY, per_page: 3 },
      },
      close: async () => {
        await Promise.all([server.close(), gpuHost.close()]);
      },
    };
  },
};
