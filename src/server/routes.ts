// The API's routes: health, readiness, Prometheus metrics, providers, runs, manual collection, costs,
// resources, physical GPUs per model and metric samples. Parameters are checked strictly; a bad one is a 400 naming it.

import { VERSION } from '../core/version.ts';
import { CollectorError } from '../core/errors.ts';
import { focusTime } from '../core/model.ts';
import { COST_GROUP_BY, totalsByCurrency } from '../core/queries.ts';
import { redactText } from '../core/redact.ts';
import { MAX_FUTURE_SKEW_MS } from '../core/time-sanity.ts';
import type { AppDependencies } from './app.ts';
import { jsonResponse } from './response.ts';
import { samplesExposition } from './exposition.ts';
import {
  BodyTooLargeError,
  HttpError,
  MAX_REQUEST_BODY_BYTES,
  QueryParams,
  checkRange,
  invalidParameter,
} from './params.ts';

/** A request as a route sees it. */
export interface RouteRequest {
  request: Request;
  url: URL;
}

/** One route: exact path, method, and whether it skips auth. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** Answered without a token (health checks). */
  public?: boolean;
  handle(request: RouteRequest): Promise<Response>;
}

const DAY_MS = 86_400_000;

/** The routes backed by storage and the scheduler. */
export function apiRoutes(deps: AppDependencies): Route[] {
  const started = Date.now();
  // Own keys only: `constructor` or `__proto__` is not a configured provider, whatever the object's prototype.
  const configured = new Map(Object.entries(deps.config.providers));
  const notConfigured = (name: string, provider: string): HttpError =>
    invalidParameter(
      name,
      `no provider ${JSON.stringify(provider)} is configured (known: ${[...configured.keys()].join(', ') || 'none'})`,
    );
  const providerParam = (query: QueryParams, name = 'provider'): string | undefined => {
    const provider = query.string(name);
    if (provider !== undefined && !configured.has(provider)) throw notConfigured(name, provider);
    return provider;
  };
  const latestWindowMs =
    deps.latestWindowMs ??
    Math.max(
      15 * 60_000,
      3 *
        Math.max(
          0,
          ...Object.values(deps.config.providers)
            .filter((provider) => provider.enabled)
            .map((provider) => provider.timing.interval),
        ),
    );

  return [
    {
      method: 'GET',
      path: '/healthz',
      public: true,
      handle: async () =>
        jsonResponse(200, { status: 'ok', version: VERSION, uptime_s: Math.round((Date.now() - started) / 1000) }),
    },
    {
      method: 'GET',
      path: '/readyz',
      public: true,
      handle: async () => {
        try {
          await withTimeout(deps.sink.ping(), 2_000);
          return jsonResponse(200, { status: 'ready', storage: deps.sink.kind });
        } catch (error) {
          return jsonResponse(503, {
            error: {
              code: 'storage_unavailable',
              message: `storage (${deps.sink.kind}) does not answer: ${error instanceof Error ? error.message : String(error)}`,
            },
          });
        }
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handle: async ({ url }) => {
        new QueryParams(url.searchParams, []);
        const self = await deps.metrics.render();
        let samples = '';
        try {
          // Never a point from the future as the latest (one written while the clock was ahead).
          const now = Date.now();
          samples = samplesExposition(await deps.queries.latestSamples(now - latestWindowMs, now + MAX_FUTURE_SKEW_MS));
        } catch (error) {
          // Storage down: self-metrics still answer (they say so); collected samples are left out.
          deps.log?.warn(
            { code: 'STORAGE_UNAVAILABLE' },
            `metrics: cannot read the latest samples: ${redactText(error instanceof Error ? error.message : String(error))}`,
          );
        }
        return new Response(redactText(`${self.endsWith('\n') ? self : `${self}\n`}${samples}`), {
          status: 200,
          headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' },
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/providers',
      handle: async ({ url }) => {
        new QueryParams(url.searchParams, []);
        return jsonResponse(200, { providers: deps.scheduler.providers() });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/runs',
      handle: async ({ url }) => {
        const query = new QueryParams(url.searchParams, ['provider', 'limit']);
        const provider = providerParam(query);
        const limit = query.integer('limit', 50, 1, 1000);
        return jsonResponse(200, {
          runs: await deps.sink.listRuns({ ...(provider === undefined ? {} : { provider }), limit }),
        });
      },
    },
    {
      method: 'POST',
      path: '/api/v1/collect',
      handle: async ({ request, url }) => {
        const query = new QueryParams(url.searchParams, ['provider', 'wait']);
        const body = await readJsonObject(request, ['provider', 'wait']);
        const providers = collectProviders(query.string('provider'), body.provider);
        for (const provider of providers) {
          const config = configured.get(provider);
          if (!config) throw notConfigured('provider', provider);
          if (!config.enabled)
            throw invalidParameter('provider', `${provider} is disabled (set providers.${provider}.enabled: true)`);
        }
        const waitText = query.oneOf('wait', ['true', 'false'], 'true');
        if (body.wait !== undefined && typeof body.wait !== 'boolean')
          throw invalidParameter('wait', 'must be true or false');
        const wait = (body.wait as boolean | undefined) ?? waitText === 'true';
        let result;
        try {
          result = deps.scheduler.trigger(providers);
        } catch (error) {
          if (error instanceof CollectorError && error.code === 'CANCELLED')
            throw new HttpError(503, 'shutting_down', error.message);
          if (error instanceof CollectorError) throw new HttpError(409, 'cannot_run', error.message);
          throw error;
        }
        if (!wait) {
          void result.done;
          return jsonResponse(202, {
            started: result.started,
            skipped: result.skipped.map((provider) => ({ provider, reason: 'already_running' })),
          });
        }
        return jsonResponse(200, {
          runs: await result.done,
          skipped: result.skipped.map((provider) => ({ provider, reason: 'already_running' })),
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/costs',
      handle: async ({ url }) => {
        const query = new QueryParams(url.searchParams, ['from', 'to', 'group_by', 'provider']);
        const now = new Date();
        const from = query.time('from') ?? Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
        const to = query.time('to') ?? Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
        checkRange(from, to);
        const groupBy = query.oneOf('group_by', COST_GROUP_BY, 'provider');
        const provider = providerParam(query);
        const groups = await deps.queries.costTotals({
          from: focusTime(new Date(from)),
          to: focusTime(new Date(to)),
          groupBy,
          ...(provider === undefined ? {} : { provider }),
        });
        return jsonResponse(200, {
          from: focusTime(new Date(from)),
          to: focusTime(new Date(to)),
          group_by: groupBy,
          ...(provider === undefined ? {} : { provider }),
          groups,
          totals: totalsByCurrency(groups),
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/resources',
      handle: async ({ url }) => {
        const query = new QueryParams(url.searchParams, ['provider', 'type', 'limit']);
        const provider = providerParam(query);
        const type = query.string('type');
        const limit = query.integer('limit', 1000, 1, 10_000);
        const resources = await deps.queries.resources({
          ...(provider === undefined ? {} : { provider }),
          ...(type === undefined ? {} : { type }),
          limit: limit + 1,
        });
        return jsonResponse(200, { resources: resources.slice(0, limit), truncated: resources.length > limit });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/gpus',
      handle: async ({ url }) => {
        const query = new QueryParams(url.searchParams, ['provider']);
        const provider = providerParam(query);
        const counts = await deps.queries.gpuCounts(provider === undefined ? {} : { provider });
        return jsonResponse(200, { ...(provider === undefined ? {} : { provider }), ...counts });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/metrics',
      handle: async ({ url }) => {
        const query = new QueryParams(url.searchParams, ['name', 'provider', 'from', 'to', 'limit']);
        const name = query.string('name');
        const provider = providerParam(query);
        const from = query.time('from');
        const to = query.time('to');
        checkRange(from, to);
        const limit = query.integer('limit', 1000, 1, 10_000);
        const samples = await deps.queries.metrics({
          ...(name === undefined ? {} : { name }),
          ...(provider === undefined ? {} : { provider }),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          limit: limit + 1,
        });
        return jsonResponse(200, { samples: samples.slice(0, limit), truncated: samples.length > limit });
      },
    },
  ];
}

function collectProviders(fromQuery: string | undefined, fromBody: unknown): string[] {
  if (fromQuery !== undefined && fromBody !== undefined)
    throw invalidParameter('provider', 'give it in the query or in the body, not both');
  if (fromQuery !== undefined) return [fromQuery];
  if (fromBody === undefined) return [];
  if (typeof fromBody === 'string' && fromBody !== '') return [fromBody];
  if (
    Array.isArray(fromBody) &&
    fromBody.length > 0 &&
    fromBody.every((item) => typeof item === 'string' && item !== '')
  )
    return fromBody as string[];
  throw invalidParameter('provider', 'must be a provider name or a non-empty list of names');
}

async function readJsonObject(request: Request, accepted: readonly string[]): Promise<Record<string, unknown>> {
  const tooLarge = (): HttpError =>
    new HttpError(413, 'body_too_large', `the request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_REQUEST_BODY_BYTES) throw tooLarge();
  let text: string;
  try {
    text = await request.text();
  } catch (error) {
    if (error instanceof BodyTooLargeError || (error instanceof Error && error.cause instanceof BodyTooLargeError))
      throw tooLarge();
    throw error;
  }
  if (Buffer.byteLength(text) > MAX_REQUEST_BODY_BYTES) throw tooLarge();
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HttpError(
      400,
      'invalid_body',
      `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new HttpError(400, 'invalid_body', 'the body must be a JSON object');
  for (const key of Object.keys(parsed))
    if (!accepted.includes(key))
      throw new HttpError(400, 'invalid_body', `${key}: unknown field; accepted: ${accepted.join(', ')}`);
  return parsed as Record<string, unknown>;
}

async function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${milliseconds} ms`)), milliseconds);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
