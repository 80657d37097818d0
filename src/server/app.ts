// The HTTP API as a fetch-style handler, `(Request) => Promise<Response>`, built from its dependencies.
// It never listens by itself: `run` serves it on server.listen, tests call it in-process.

import type { AppConfig } from '../core/config/types.ts';
import { CollectorError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { StoreQueries } from '../core/queries.ts';
import { redactText } from '../core/redact.ts';
import type { Sink } from '../core/sink.ts';
import type { Scheduler } from '../runtime/scheduler.ts';
import type { SelfMetrics } from '../runtime/self-metrics.ts';
import { bearerToken, tokenMatches } from './auth.ts';
import { openApiDocument } from './openapi.ts';
import { HttpError } from './params.ts';
import { jsonResponse } from './response.ts';
import { apiRoutes, type Route } from './routes.ts';

/** What the API reads and drives. */
export interface AppDependencies {
  config: AppConfig;
  sink: Sink;
  queries: StoreQueries;
  scheduler: Scheduler;
  metrics: SelfMetrics;
  /** OPTIINFRA_API_TOKEN; when set, every route but /healthz and /readyz needs `Authorization: Bearer`. */
  token?: string;
  log?: Logger;
  /** Only series with a point newer than this are exposed on /metrics. Default: 3 × the longest interval, at least 15 min. */
  latestWindowMs?: number;
}

/** A fetch-style handler. */
export type AppHandler = (request: Request) => Promise<Response>;

/** Every route of the API, for the handler and the OpenAPI test. */
export function appRoutes(deps: AppDependencies): Route[] {
  return [
    ...apiRoutes(deps),
    { method: 'GET', path: '/openapi.json', public: true, handle: async () => jsonResponse(200, openApiDocument()) },
  ];
}

/** Builds the API handler. */
export function createApp(deps: AppDependencies): AppHandler {
  const routes = appRoutes(deps);
  const token = deps.token === '' ? undefined : deps.token;
  return async (request) => {
    const url = new URL(request.url);
    try {
      const matching = routes.filter((route) => route.path === url.pathname);
      if (matching.length === 0) throw new HttpError(404, 'not_found', `no route ${url.pathname}; see /openapi.json`);
      const route = matching.find(
        (candidate) => candidate.method === request.method || (candidate.method === 'GET' && request.method === 'HEAD'),
      );
      if (!route)
        throw new HttpError(
          405,
          'method_not_allowed',
          `${request.method} is not allowed on ${url.pathname}; allowed: ${matching.map((candidate) => candidate.method).join(', ')}`,
          { allow: matching.map((candidate) => candidate.method).join(', ') },
        );
      if (!route.public && token !== undefined) {
        const presented = bearerToken(request.headers.get('authorization'));
        if (presented === undefined || !tokenMatches(presented, token)) {
          throw new HttpError(
            401,
            'unauthorized',
            presented === undefined
              ? 'missing Authorization: Bearer <OPTIINFRA_API_TOKEN>'
              : 'the bearer token is not valid',
            { 'www-authenticate': 'Bearer realm="optiinfra-collector"' },
          );
        }
      }
      const response = await route.handle({ request, url });
      return request.method === 'HEAD'
        ? new Response(null, { status: response.status, headers: response.headers })
        : response;
    } catch (thrown) {
      return errorResponse(thrown, deps.log);
    }
  };
}

function errorResponse(thrown: unknown, log: Logger | undefined): Response {
  if (thrown instanceof HttpError)
    return jsonResponse(thrown.status, { error: { code: thrown.code, message: thrown.message } }, thrown.headers);
  if (thrown instanceof CollectorError && thrown.code === 'STORAGE_UNAVAILABLE')
    return jsonResponse(503, { error: { code: 'storage_unavailable', message: thrown.message } });
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  log?.error({ code: 'INTERNAL' }, `HTTP API: ${redactText(message)}`);
  return jsonResponse(500, { error: { code: 'internal', message } });
}
