// Simulated Hetzner Cloud API (`/v1`): servers, server types, primary IPs, volumes and the price list; `page` /
// `per_page` paging with `meta.pagination` and a `Link` header, Bearer auth answering Hetzner's error body,
// RateLimit-* headers on every response and a scriptable 429 `rate_limit_exceeded`.

import { startSimServer, type SimRequest, type SimResponse, type SimServer } from '../server.ts';
import type { RunningSimulation, SimulatedProvider } from '../provider.ts';
import { hetznerDataset, type HetznerDataset } from './data.ts';
import type { HetznerWireError, HetznerWirePagination } from './wire.ts';

/** The project token the simulator accepts. */
export const HETZNER_SIM_API_KEY = 'sim-hetzner-project-token';

/** The documented default limit: 3600 requests per hour and project. */
const LIMIT = 3600;

function errorBody(code: string, message: string): HetznerWireError {
  return { error: { code, message, details: {} } };
}

/** A running Hetzner simulator. */
export interface HetznerSimulator {
  server: SimServer;
  /** The data served; tests may delete servers between runs. */
  data: HetznerDataset;
  /** Answers the next `count` requests with 429 `rate_limit_exceeded` (RateLimit-Remaining 0). */
  throttle(count: number): void;
}

/** Serves one page of `items` under `key`, with `meta.pagination` and the RFC 8288 `Link` header. */
function page(request: SimRequest, key: string, items: readonly unknown[]): SimResponse {
  const pageNumber = Number(request.query.get('page') ?? '1');
  const perPageText = request.query.get('per_page') ?? '25';
  const perPage = Number(perPageText);
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 50) {
    return { status: 400, body: errorBody('invalid_input', 'invalid input in fields page, per_page') };
  }
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const pagination: HetznerWirePagination = {
    page: pageNumber,
    per_page: perPage,
    previous_page: pageNumber > 1 ? pageNumber - 1 : null,
    next_page: pageNumber < lastPage ? pageNumber + 1 : null,
    last_page: lastPage,
    total_entries: items.length,
  };
  const origin = `http://${request.headers.host ?? 'localhost'}`;
  const link = (number: number, rel: string): string => {
    const url = new URL(request.path, origin);
    url.searchParams.set('page', String(number));
    url.searchParams.set('per_page', String(perPage));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(pagination.previous_page === null ? [] : [link(pagination.previous_page, 'prev')]),
    ...(pagination.next_page === null ? [] : [link(pagination.next_page, 'next')]),
    link(lastPage, 'last'),
  ];
  return {
    headers: { link: links.join(', ') },
    body: { [key]: items.slice((pageNumber - 1) * perPage, pageNumber * perPage), meta: { pagination } },
  };
}

/** Starts the simulator on an ephemeral loopback port. */
export async function startHetznerSimulator(options: { port?: number } = {}): Promise<HetznerSimulator> {
  const data = hetznerDataset();
  let throttled = 0;
  let remaining = LIMIT;
  const rateHeaders = (): Record<string, string> => {
    remaining = Math.max(0, remaining - 1);
    return {
      'ratelimit-limit': String(LIMIT),
      'ratelimit-remaining': String(remaining),
      // Recovers one request per second, so the limit is full again after (LIMIT - remaining) seconds.
      'ratelimit-reset': String(Math.floor(Date.now() / 1000) + (LIMIT - remaining)),
    };
  };
  const withRate = (response: SimResponse): SimResponse => ({
    ...response,
    headers: { ...rateHeaders(), ...response.headers },
  });
  const route = (path: string, handle: (request: SimRequest) => SimResponse) => ({
    method: 'GET',
    path,
    handle: (request: SimRequest) => withRate(handle(request)),
  });
  const server = await startSimServer(
    {
      name: 'hetzner',
      guard: (request) => {
        if (request.headers.authorization !== `Bearer ${HETZNER_SIM_API_KEY}`) {
          return withRate({ status: 401, body: errorBody('unauthorized', 'unable to authenticate') });
        }
        if (throttled > 0) {
          throttled -= 1;
          return {
            status: 429,
            headers: {
              'ratelimit-limit': String(LIMIT),
              'ratelimit-remaining': '0',
              'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
              'retry-after': '1',
            },
            body: errorBody('rate_limit_exceeded', 'limit of 3600 requests per hour reached'),
          };
        }
        return undefined;
      },
      routes: [
        route('/v1/servers', (request) => page(request, 'servers', data.servers)),
        route('/v1/server_types', (request) => page(request, 'server_types', data.serverTypes)),
        route('/v1/primary_ips', (request) => page(request, 'primary_ips', data.primaryIps)),
        route('/v1/volumes', (request) => page(request, 'volumes', data.volumes)),
        route('/v1/pricing', () => ({ body: { pricing: data.pricing } })),
      ],
    },
    options.port,
  );
  return {
    server,
    data,
    throttle: (count) => {
      throttled += count;
    },
  };
}

/** The simulated Hetzner Cloud provider for the demo, tests and benchmarks. */
export const hetznerSimulation: SimulatedProvider = {
  name: 'hetzner',
  description: 'Hetzner Cloud API v1: 7 servers (one off), 3 primary IPs, 2 volumes, price list with net/gross',
  async start(): Promise<RunningSimulation> {
    const { server } = await startHetznerSimulator();
    return {
      servers: [server],
      providerBlock: {
        enabled: true,
        collector_type: 'generic',
        display_name: 'Hetzner Cloud (simulated)',
        api: { adapter: 'hetzner', base_url: `${server.url}/v1`, api_key: HETZNER_SIM_API_KEY, per_page: 3 },
      },
      close: () => server.close(),
    };
  },
};
