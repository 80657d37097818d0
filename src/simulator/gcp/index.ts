// Simulated Compute Engine v1 and Cloud Monitoring v3 REST APIs (monitoring.ts): `instances.aggregatedList` with `maxResults` / `pageToken` paging,
// warning-only zones, `returnPartialSuccess`, bearer auth (a static token or an RS256 self-signed JWT checked
// against registered public keys), 403 naming the missing permission and a scriptable 429 RESOURCE_EXHAUSTED.

import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { startSimServer, type SimRequest, type SimResponse, type SimServer } from '../server.ts';
import type { RunningSimulation, SimulatedProvider } from '../provider.ts';
import { projectInstances, SIM_ZONES } from './data.ts';
import { listTimeSeries } from './monitoring.ts';
import type { WireAggregatedList, WireError, WireInstance } from './wire.ts';

/** The static access token the simulator accepts. */
export const GCP_SIM_ACCESS_TOKEN = 'sim-gcp-access-token';

/** Projects the simulator serves. */
export const GCP_SIM_PROJECTS = ['ml-prod-4821', 'web-prod-1177'] as const;

/** A project that exists but the caller lacks compute.instances.list on. */
export const GCP_SIM_FORBIDDEN_PROJECT = 'finance-restricted';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

function errorBody(code: number, status: string, reason: string, message: string): WireError {
  return { error: { code, message, errors: [{ message, domain: 'global', reason }], status } };
}

/** A running GCP simulator. */
export interface GcpSimulator {
  server: SimServer;
  readonly url: string;
  /** Answers the next `count` requests with 429 RESOURCE_EXHAUSTED. */
  throttle(count: number): void;
  /** Accepts self-signed JWTs from this service account, verified with its public key (PEM). */
  trustServiceAccount(email: string, publicKeyPem: string): void;
  close(): Promise<void>;
}

/** Verifies an RS256 self-signed JWT: signature, iss = sub, cloud-platform scope, not expired. */
function jwtValid(token: string, keys: Map<string, KeyObject>): boolean {
  const [header, claims, signature] = token.split('.');
  if (header === undefined || claims === undefined || signature === undefined) return false;
  let payload: { iss?: string; sub?: string; scope?: string; exp?: number };
  try {
    payload = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as typeof payload;
  } catch {
    return false;
  }
  const key = payload.iss === undefined ? undefined : keys.get(payload.iss);
  if (key === undefined || payload.sub !== payload.iss || payload.scope?.split(' ').includes(SCOPE) !== true)
    return false;
  if (typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now()) return false;
  return createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(key, Buffer.from(signature, 'base64url'));
}

/** One page of the aggregated list: instances in zone order, `maxResults` at a time; empty zones warn. */
function aggregatedPage(request: SimRequest, projectId: string, seed: number): SimResponse {
  const maxResults = Number(request.query.get('maxResults') ?? '500');
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 500) {
    const message = `Invalid value for field 'maxResults': '${request.query.get('maxResults')}'. Must be between 0 and 500.`;
    return { status: 400, body: errorBody(400, 'INVALID_ARGUMENT', 'invalid', message) };
  }
  const all = projectInstances(projectId, seed).sort(
    (a, b) => SIM_ZONES.indexOf(zoneOf(a) as never) - SIM_ZONES.indexOf(zoneOf(b) as never),
  );
  const tokenText = request.query.get('pageToken');
  const offset = tokenText === null ? 0 : Number(Buffer.from(tokenText, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0 || offset > all.length) {
    return { status: 400, body: errorBody(400, 'INVALID_ARGUMENT', 'invalid', 'Invalid page token.') };
  }
  const slice = all.slice(offset, offset + (maxResults || 500));
  const items: WireAggregatedList['items'] = {};
  for (const instance of slice) {
    const scope = `zones/${zoneOf(instance)}`;
    const list = items[scope];
    if (list && 'instances' in list) list.instances.push(instance);
    else items[scope] = { instances: [instance] };
  }
  for (const zone of SIM_ZONES) {
    if (items[`zones/${zone}`] !== undefined) continue;
    items[`zones/${zone}`] = {
      warning: {
        code: 'NO_RESULTS_ON_PAGE',
        message: "There are no results for scope 'zones/" + zone + "' on this page.",
        data: [{ key: 'scope', value: `zones/${zone}` }],
      },
    };
  }
  const next = offset + slice.length;
  const body: WireAggregatedList = {
    kind: 'compute#instanceAggregatedList',
    id: `projects/${projectId}/aggregated/instances`,
    items,
    selfLink: `https://www.googleapis.com/compute/v1/projects/${projectId}/aggregated/instances`,
    ...(next < all.length ? { nextPageToken: Buffer.from(String(next)).toString('base64url') } : {}),
  };
  return { body };
}

function zoneOf(instance: WireInstance): string {
  return instance.zone.split('/').pop() ?? '';
}

/** Starts the simulator on an ephemeral loopback port. */
export async function startGcpSimulator(options: { seed?: number; port?: number } = {}): Promise<GcpSimulator> {
  const seed = options.seed ?? 1;
  const keys = new Map<string, KeyObject>();
  let throttled = 0;
  const server = await startSimServer(
    {
      name: 'gcp',
      guard(request) {
        const authorization = request.headers.authorization ?? '';
        const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : '';
        if (token !== GCP_SIM_ACCESS_TOKEN && !jwtValid(token, keys)) {
          const message =
            'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or ' +
            'other valid authentication credential.';
          return { status: 401, body: errorBody(401, 'UNAUTHENTICATED', 'authError', message) };
        }
        if (throttled > 0) {
          throttled -= 1;
          const message = "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute'";
          return { status: 429, body: errorBody(429, 'RESOURCE_EXHAUSTED', 'rateLimitExceeded', message) };
        }
        return undefined;
      },
      routes: [
        {
          method: 'GET',
          path: /^\/compute\/v1\/projects\/(?<project>[^/]+)\/aggregated\/instances$/,
          handle(request) {
            const project = request.params.project ?? '';
            if (project === GCP_SIM_FORBIDDEN_PROJECT) {
              const message = `Required 'compute.instances.list' permission for 'projects/${project}'`;
              return { status: 403, body: errorBody(403, 'PERMISSION_DENIED', 'forbidden', message) };
            }
            if (!(GCP_SIM_PROJECTS as readonly string[]).includes(project)) {
              const message = `The resource 'projects/${project}' was not found`;
              return { status: 404, body: errorBody(404, 'NOT_FOUND', 'notFound', message) };
            }
            return aggregatedPage(request, project, seed);
          },
        },
        {
          method: 'GET',
          path: /^\/v3\/projects\/(?<project>[^/]+)\/timeSeries$/,
          handle(request) {
            const project = request.params.project ?? '';
            if (project === GCP_SIM_FORBIDDEN_PROJECT) {
              const message = `Permission monitoring.timeSeries.list denied (or the resource may not exist).`;
              return { status: 403, body: errorBody(403, 'PERMISSION_DENIED', 'forbidden', message) };
            }
            if (!(GCP_SIM_PROJECTS as readonly string[]).includes(project)) {
              const message = `The resource 'projects/${project}' was not found`;
              return { status: 404, body: errorBody(404, 'NOT_FOUND', 'notFound', message) };
            }
            return listTimeSeries(request, project, seed);
          },
        },
      ],
    },
    options.port,
  );
  return {
    server,
    url: server.url,
    throttle(count) {
      throttled = count;
    },
    trustServiceAccount(email, publicKeyPem) {
      keys.set(email, createPublicKey(publicKeyPem));
    },
    close: () => server.close(),
  };
}

/** Registered in src/simulator/providers.ts. */
export const gcpSimulation: SimulatedProvider = {
  name: 'gcp',
  description:
    'Google Cloud (2 projects, 4 zones): Compute Engine with a2/a3/g2 and T4/V100-attached GPU instances, Cloud Monitoring',
  async start({ seed }): Promise<RunningSimulation> {
    const simulator = await startGcpSimulator(seed === undefined ? {} : { seed });
    return {
      servers: [simulator.server],
      providerBlock: {
        enabled: true,
        collector_type: 'dedicated',
        project_ids: [...GCP_SIM_PROJECTS],
        access_token: GCP_SIM_ACCESS_TOKEN,
        endpoints: { compute: simulator.url, monitoring: simulator.url },
      },
      close: () => simulator.close(),
    };
  },
};
