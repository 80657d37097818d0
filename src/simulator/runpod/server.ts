// The RunPod simulator: REST v2 (`/v2/pods`, `/v2/billing`, `/v2/billing/pods` with startTime/endTime snapped
// to day buckets, RFC 9457 problem bodies, RateLimit headers) and GraphQL `myself`, with the fault switches.

import { startSimServer, type SimRequest, type SimResponse, type SimServer } from '../server.ts';
import type { RunningSimulation, SimulatedProvider } from '../provider.ts';
import { runpodDataset, type RunpodDataset } from './data.ts';

/** The API key the simulator accepts. */
export const RUNPOD_SIM_API_KEY = 'sim-runpod-key';

const DAY_MS = 86_400_000;
const RATE_HEADERS = {
  ratelimit: '"minute";r=59;t=60, "hour";r=2999;t=3600, "day";r=49999;t=86400',
  'ratelimit-policy': '"minute";q=60;w=60, "hour";q=3000;w=3600, "day";q=50000;w=86400',
};

/** Options for a RunPod simulator. */
export interface RunpodSimOptions {
  seed?: number;
  now?: Date;
  port?: number;
}

function problem(status: number, title: string, detail: string): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...RATE_HEADERS },
    body: JSON.stringify({ title, status, detail }),
  };
}

/** Resolves startTime/endTime (default: last 30 days) snapped out to day boundaries, as RunPod documents. */
function billingWindow(request: SimRequest, now: Date): { start: Date; end: Date } | SimResponse {
  const bucket = request.query.get('bucketSize') ?? 'day';
  if (bucket !== 'day') return problem(400, 'Bad Request', `the simulator serves bucketSize=day only, not ${bucket}`);
  const endRaw = request.query.get('endTime');
  const startRaw = request.query.get('startTime');
  const end = endRaw ? Date.parse(endRaw) : now.getTime();
  const start = startRaw ? Date.parse(startRaw) : end - 30 * DAY_MS;
  if (Number.isNaN(start) || Number.isNaN(end) || start >= end)
    return problem(400, 'Bad Request', 'startTime and endTime must be RFC 3339 with startTime < endTime');
  return { start: new Date(Math.floor(start / DAY_MS) * DAY_MS), end: new Date(Math.ceil(end / DAY_MS) * DAY_MS) };
}

function totals(records: ReadonlyArray<object>): Record<string, number> {
  const cents: Record<string, number> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record))
      if (key.endsWith('Amount') && typeof value === 'number') cents[key] = (cents[key] ?? 0) + Math.round(value * 100);
  }
  return Object.fromEntries(Object.entries(cents).map(([key, value]) => [key, value / 100]));
}

const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function routes(data: RunpodDataset) {
  const ok = (body: object): SimResponse => ({ headers: RATE_HEADERS, body });
  return [
    { method: 'GET', path: '/v2/pods', handle: () => ok({ pods: data.pods }) },
    {
      method: 'GET',
      path: '/v2/billing/pods',
      handle: (request: SimRequest) => {
        const window = billingWindow(request, data.now);
        if (!('start' in window)) return window;
        const podId = request.query.get('podId') ?? undefined;
        const records = data.podRecords(window.start, window.end, podId);
        return ok({
          records,
          metadata: {
            query: {
              startTime: iso(window.start),
              endTime: iso(window.end),
              bucketSize: 'day',
              ...(podId ? { podId } : {}),
            },
            recordCount: records.length,
            totals: totals(records),
            uniquePodCount: new Set(records.map((record) => record.podId)).size,
          },
        });
      },
    },
    {
      method: 'GET',
      path: '/v2/billing',
      handle: (request: SimRequest) => {
        const window = billingWindow(request, data.now);
        if (!('start' in window)) return window;
        const records = data.accountRecords(window.start, window.end);
        return ok({
          records,
          metadata: {
            query: { startTime: iso(window.start), endTime: iso(window.end), bucketSize: 'day' },
            recordCount: records.length,
            totals: totals(records),
          },
        });
      },
    },
    {
      method: 'POST',
      path: '/graphql',
      handle: (request: SimRequest) => {
        let query = '';
        try {
          query = String((JSON.parse(request.body.toString('utf8')) as { query?: unknown }).query ?? '');
        } catch {
          return { status: 400, body: { errors: [{ message: 'POST body must be JSON' }] } };
        }
        if (!/\bmyself\b/.test(query))
          return { body: { errors: [{ message: 'the simulator answers the myself query only' }], data: null } };
        return { body: { data: { myself: data.myself } } };
      },
    },
  ];
}

/** Starts a RunPod simulator (REST v2 under /v2, GraphQL at /graphql). */
export async function startRunpodSimulator(
  options: RunpodSimOptions = {},
): Promise<{ server: SimServer; data: RunpodDataset }> {
  const data = runpodDataset(options.seed ?? 1, options.now ?? new Date());
  const server = await startSimServer(
    {
      name: 'runpod',
      routes: routes(data),
      guard: (request) =>
        request.headers.authorization === `Bearer ${RUNPOD_SIM_API_KEY}`
          ? undefined
          : problem(401, 'Unauthorized', 'invalid bearer token'),
    },
    options.port,
  );
  return { server, data };
}

/** The simulated RunPod provider for the demo, tests and benchmarks. */
export const runpodSimulatedProvider: SimulatedProvider = {
  name: 'runpod',
  description:
    'RunPod REST v2 and GraphQL: 6 pods (8×H100, 4×L40S, 2×A100, RTX 4090, CPU, stopped), daily billing buckets, balance',
  async start(options): Promise<RunningSimulation> {
    const { server } = await startRunpodSimulator({ seed: options.seed ?? 1 });
    return {
      servers: [server],
      providerBlock: {
        enabled: true,
        collector_type: 'generic',
        display_name: 'RunPod (simulated)',
        api: {
          adapter: 'runpod',
          base_url: `${server.url}/v2`,
          graphql_url: `${server.url}/graphql`,
          api_key: RUNPOD_SIM_API_KEY,
        },
      },
      close: () => server.close(),
    };
  },
};
