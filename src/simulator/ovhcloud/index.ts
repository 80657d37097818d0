// Simulated OVHcloud API v1 (`/1.0`): verifies every signed request as the server does (recomputes
// "$1$" + sha1(AS+CK+METHOD+URL+BODY+TS) over the URL and body received), refuses timestamps off its own clock,
// answers GET /auth/time with that clock (which may be skewed from the host's), serves ID lists whose details are
// fetched one by one, and OVH's error documents. Faults come from the framework (429 with Retry-After, 5xx...).

import { createHash } from 'node:crypto';
import { startSimServer, type SimRequest, type SimResponse, type SimServer } from '../server.ts';
import type { RunningSimulation, SimulatedProvider } from '../provider.ts';
import { ovhDataset, type OvhDataset } from './data.ts';
import type { WireApiError, WireAuthError } from './wire.ts';

/** Credentials the simulator knows. */
export const OVH_SIM_CREDENTIALS = Object.freeze({
  application_key: 'simOvhAppKey0001',
  application_secret: 'simOvhAppSecret0000000000000001',
  consumer_key: 'simOvhConsumerKey000000000000001',
});

/** How far a timestamp may be from the server clock (UNVERIFIED: OVH documents no window). */
export const OVH_SIM_TIMESTAMP_TOLERANCE_S = 180;

/** Options for an OVHcloud simulator. */
export interface OvhSimOptions {
  seed?: number;
  now?: Date;
  /** Seconds the server clock is ahead of the host's (negative: behind); the adapter must correct by /auth/time. */
  clockSkewSeconds?: number;
  /** Seconds the server clock jumps once it has answered GET /auth/time (a host clock stepped mid-run). */
  clockJumpSeconds?: number;
  /** Access rules of the consumer key: false makes /me/* answer 403 NOT_GRANTED_CALL. */
  grantMe?: boolean;
  port?: number;
}

const authError = (status: number, errorCode: string, message: string): SimResponse => {
  const body: WireAuthError = {
    errorCode,
    httpCode: `${status} ${status === 400 ? 'Bad Request' : 'Forbidden'}`,
    message,
  };
  return { status, headers: { 'x-ovh-queryid': `EU.sim-${errorCode.toLowerCase()}` }, body };
};

const notFound = (message: string): SimResponse => {
  const body: WireApiError = { class: 'Client::NotFound', message };
  return { status: 404, headers: { 'x-ovh-queryid': 'EU.sim-notfound' }, body };
};

/** The simulated server clock and the consumer key's access rules. */
interface ClockAndRules {
  clockSkewSeconds: number;
  clockJumpSeconds: number;
  /** Set once GET /auth/time has been answered: the jump applies from then on. */
  timeAnswered: boolean;
  grantMe: boolean;
}

function serverSeconds(clock: ClockAndRules): number {
  return Math.floor(Date.now() / 1000) + clock.clockSkewSeconds + (clock.timeAnswered ? clock.clockJumpSeconds : 0);
}

/** The server's check of one request, in the order the errors are documented in the provider README. */
function verify(request: SimRequest, options: ClockAndRules) {
  const headers = request.headers;
  if (headers['x-ovh-application'] !== OVH_SIM_CREDENTIALS.application_key) {
    return authError(403, 'INVALID_KEY', 'Invalid application key');
  }
  const consumer = headers['x-ovh-consumer'];
  if (!consumer || consumer !== OVH_SIM_CREDENTIALS.consumer_key) {
    return authError(403, 'INVALID_CREDENTIAL', 'This credential does not exist');
  }
  const timestamp = Number(headers['x-ovh-timestamp']);
  const serverNow = serverSeconds(options);
  if (!Number.isInteger(timestamp) || Math.abs(timestamp - serverNow) > OVH_SIM_TIMESTAMP_TOLERANCE_S) {
    return authError(400, 'QUERY_TIME_OUT', 'Query out of time');
  }
  // The URL the client addressed: scheme and host as received, then the raw path and query.
  const url = `http://${headers.host ?? ''}${request.url.pathname}${request.url.search}`;
  const expected = `$1$${createHash('sha1')
    .update(
      [
        OVH_SIM_CREDENTIALS.application_secret,
        consumer,
        request.method,
        url,
        request.body.toString('utf8'),
        headers['x-ovh-timestamp'],
      ].join('+'),
    )
    .digest('hex')}`;
  if (headers['x-ovh-signature'] !== expected) return authError(400, 'INVALID_SIGNATURE', 'Invalid signature');
  if (!options.grantMe && request.path.startsWith('/1.0/me')) {
    return authError(403, 'NOT_GRANTED_CALL', 'This call has not been granted');
  }
  return undefined;
}

function routes(data: OvhDataset, options: ClockAndRules) {
  const project = (handler: (request: SimRequest) => SimResponse) => (request: SimRequest) =>
    request.params.project === data.projectId ? handler(request) : notFound('This service does not exist');
  const P = '^/1\\.0/cloud/project/(?<project>[^/]+)';
  return [
    {
      method: 'GET',
      path: '/1.0/auth/time',
      handle: () => {
        const body = String(serverSeconds(options));
        options.timeAnswered = true;
        return { body };
      },
    },
    {
      method: 'GET',
      path: '/1.0/me',
      handle: () => ({ body: { nichandle: 'xx12345-ovh', currency: { code: data.currency, symbol: '€' } } }),
    },
    { method: 'GET', path: new RegExp(`${P}/flavor$`), handle: project(() => ({ body: data.flavors })) },
    { method: 'GET', path: new RegExp(`${P}/instance$`), handle: project(() => ({ body: data.instances })) },
    { method: 'GET', path: new RegExp(`${P}/usage/current$`), handle: project(() => ({ body: data.current })) },
    {
      method: 'GET',
      path: new RegExp(`${P}/usage/history$`),
      handle: project((request) => {
        const from = Date.parse(request.query.get('from') ?? '') || -Infinity;
        const to = Date.parse(request.query.get('to') ?? '') || Infinity;
        return {
          body: data.history.filter(
            (entry) => Date.parse(entry.period.to) > from && Date.parse(entry.period.from) < to,
          ),
        };
      }),
    },
    {
      method: 'GET',
      path: new RegExp(`${P}/usage/history/(?<id>[^/]+)$`),
      handle: project((request) => {
        const usage = data.historyDetails.get(request.params.id ?? '');
        return usage ? { body: usage } : notFound('The requested object (usageId) does not exist');
      }),
    },
    {
      method: 'GET',
      path: '/1.0/me/bill',
      handle: (request: SimRequest) => {
        const from = Date.parse(request.query.get('date.from') ?? '') || -Infinity;
        const to = Date.parse(request.query.get('date.to') ?? '') || Infinity;
        const ids = data.bills
          .filter((bill) => Date.parse(bill.date) >= from && Date.parse(bill.date) <= to)
          .map((bill) => bill.billId);
        return { body: ids };
      },
    },
    {
      method: 'GET',
      path: /^\/1\.0\/me\/bill\/(?<bill>[^/]+)$/,
      handle: (request: SimRequest) => {
        const bill = data.bills.find((item) => item.billId === request.params.bill);
        return bill ? { body: bill } : notFound('The requested object (billId) does not exist');
      },
    },
    {
      method: 'GET',
      path: /^\/1\.0\/me\/bill\/(?<bill>[^/]+)\/details$/,
      handle: (request: SimRequest) => {
        const details = data.billDetails.get(request.params.bill ?? '');
        return details
          ? { body: details.map((detail) => detail.billDetailId) }
          : notFound('The requested object (billId) does not exist');
      },
    },
    {
      method: 'GET',
      path: /^\/1\.0\/me\/bill\/(?<bill>[^/]+)\/details\/(?<detail>[^/]+)$/,
      handle: (request: SimRequest) => {
        const detail = data.billDetails
          .get(request.params.bill ?? '')
          ?.find((item) => item.billDetailId === request.params.detail);
        return detail ? { body: detail } : notFound('The requested object (billDetailId) does not exist');
      },
    },
  ];
}

/** Starts an OVHcloud simulator; returns the server and the data it serves (for assertions). */
export async function startOvhSimulator(
  options: OvhSimOptions = {},
): Promise<{ server: SimServer; data: OvhDataset; baseUrl: string }> {
  const data = ovhDataset(options.seed ?? 1, options.now ?? new Date());
  const checks: ClockAndRules = {
    clockSkewSeconds: options.clockSkewSeconds ?? 0,
    clockJumpSeconds: options.clockJumpSeconds ?? 0,
    timeAnswered: false,
    grantMe: options.grantMe ?? true,
  };
  const server = await startSimServer(
    {
      name: 'ovhcloud',
      routes: routes(data, checks),
      // /auth/time is the one call made unauthenticated (go-ovh getTime: GetUnAuth).
      guard: (request) => (request.path === '/1.0/auth/time' ? undefined : verify(request, checks)),
    },
    options.port,
  );
  return { server, data, baseUrl: `${server.url}/1.0` };
}

/** The simulated OVHcloud provider for the demo, tests and benchmarks. */
export const ovhcloudSimulation: SimulatedProvider = {
  name: 'ovhcloud',
  description: 'OVHcloud API v1: a Public Cloud project with 7 instances (H100, L40S, A100, V100, L4), usage, 2 bills',
  async start(options): Promise<RunningSimulation> {
    const { server, data, baseUrl } = await startOvhSimulator({ seed: options.seed ?? 1, clockSkewSeconds: 37 });
    return {
      servers: [server],
      providerBlock: {
        enabled: true,
        collector_type: 'generic',
        display_name: 'OVHcloud (simulated)',
        api: { adapter: 'ovhcloud', base_url: baseUrl, project_id: data.projectId, ...OVH_SIM_CREDENTIALS },
      },
      close: () => server.close(),
    };
  },
};
