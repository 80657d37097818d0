// The OpenAPI 3.1 description of the HTTP API, served at /openapi.json. A test checks that every route
// of the app appears here with its method.

import { VERSION } from '../cli/help.ts';
import { COST_GROUP_BY } from '../core/queries.ts';

type Json = Record<string, unknown>;

const errorResponse = (description: string): Json => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const jsonOk = (description: string, schema: Json): Json => ({ description, content: { 'application/json': { schema } } });
const query = (name: string, description: string, schema: Json): Json => ({ name, in: 'query', required: false, description, schema });
const provider = query('provider', 'a configured provider name', { type: 'string' });
const limit = (defaultValue: number, maximum: number): Json => query('limit', `at most this many items (default ${defaultValue})`, { type: 'integer', minimum: 1, maximum, default: defaultValue });
const time = (name: string, description: string): Json => query(name, `${description}: YYYY-MM-DD (midnight UTC) or an ISO-8601 date-time with a zone`, { type: 'string' });
const protectedErrors = { 400: errorResponse('a parameter is invalid; the message names it and says why'), 401: errorResponse('missing or invalid bearer token') };

/** The OpenAPI document. */
export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'OptiInfra Collector API', version: VERSION, description: 'Runs, costs (FOCUS 1.2, exact decimal totals), inventory and metric samples collected by the service, plus health and Prometheus endpoints.' },
    security: [{ bearer: [] }],
    paths: {
      '/healthz': { get: { summary: 'Liveness: the process answers', security: [], responses: { 200: jsonOk('alive', { type: 'object', properties: { status: { const: 'ok' }, version: { type: 'string' }, uptime_s: { type: 'integer' } } }) } } },
      '/readyz': { get: { summary: 'Readiness: storage answers', security: [], responses: { 200: jsonOk('ready', { type: 'object', properties: { status: { const: 'ready' }, storage: { type: 'string' } } }), 503: errorResponse('storage unreachable') } } },
      '/metrics': {
        get: {
          summary: 'Prometheus exposition: self-metrics (optiinfra_collector_*) and the latest collected sample of every recent series (optiinfra_<name> with labels provider, resource_id and the series labels)',
          responses: { 200: { description: 'text exposition format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } }, ...protectedErrors },
        },
      },
      '/api/v1/providers': { get: { summary: 'Configured providers with schedule, circuit state and last run', responses: { 200: jsonOk('providers', { type: 'object', properties: { providers: { type: 'array', items: { $ref: '#/components/schemas/Provider' } } } }), 401: protectedErrors[401] } } },
      '/api/v1/runs': { get: { summary: 'Recent collection runs, newest first', parameters: [provider, limit(50, 1000)], responses: { 200: jsonOk('runs', { type: 'object', properties: { runs: { type: 'array', items: { $ref: '#/components/schemas/Run' } } } }), ...protectedErrors } } },
      '/api/v1/collect': {
        post: {
          summary: 'Runs providers now through the scheduler; a provider whose run is still going is skipped, never started twice',
          parameters: [provider, query('wait', 'wait for the runs and return their summaries (default true); false answers 202 at once', { type: 'string', enum: ['true', 'false'] })],
          requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties: { provider: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] }, wait: { type: 'boolean' } } } } } },
          responses: {
            200: jsonOk('the runs finished', { type: 'object', properties: { runs: { type: 'array', items: { $ref: '#/components/schemas/RunSummary' } }, skipped: { $ref: '#/components/schemas/Skipped' } } }),
            202: jsonOk('the runs started', { type: 'object', properties: { started: { type: 'array', items: { type: 'string' } }, skipped: { $ref: '#/components/schemas/Skipped' } } }),
            409: errorResponse('the provider cannot run (its source could not be built)'),
            503: errorResponse('shutting down'),
            ...protectedErrors,
          },
        },
      },
      '/api/v1/costs': {
        get: {
          summary: 'Cost totals of charge periods starting in [from, to), grouped, summed exactly per currency (decimal strings)',
          parameters: [time('from', 'start (default: first day of this month)'), time('to', 'end, exclusive (default: tomorrow)'), query('group_by', 'grouping (default provider)', { type: 'string', enum: COST_GROUP_BY }), provider],
          responses: { 200: jsonOk('totals', { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, group_by: { type: 'string' }, groups: { type: 'array', items: { $ref: '#/components/schemas/CostTotal' } }, totals: { type: 'array', items: { $ref: '#/components/schemas/CostTotal' } } } }), ...protectedErrors },
        },
      },
      '/api/v1/resources': { get: { summary: 'Inventory', parameters: [provider, query('type', 'resource type, e.g. instance, gpu', { type: 'string' }), limit(1000, 10_000)], responses: { 200: jsonOk('resources', { type: 'object', properties: { resources: { type: 'array', items: { type: 'object' } }, truncated: { type: 'boolean' } } }), ...protectedErrors } } },
      '/api/v1/metrics': {
        get: {
          summary: 'Metric samples in time order',
          parameters: [query('name', 'normalized metric name, e.g. hw.gpu.utilization', { type: 'string' }), provider, time('from', 'start'), time('to', 'end, exclusive'), limit(1000, 10_000)],
          responses: { 200: jsonOk('samples', { type: 'object', properties: { samples: { type: 'array', items: { $ref: '#/components/schemas/Sample' } }, truncated: { type: 'boolean' } } }), ...protectedErrors },
        },
      },
      '/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: jsonOk('OpenAPI 3.1', { type: 'object' }) } } },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'OPTIINFRA_API_TOKEN' } },
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } } },
        Skipped: { type: 'array', items: { type: 'object', properties: { provider: { type: 'string' }, reason: { const: 'already_running' } } } },
        RunSummary: { type: 'object', properties: { provider: { type: 'string' }, status: { enum: ['ok', 'partial', 'failed'] }, costs: { type: 'integer' }, resources: { type: 'integer' }, metrics: { type: 'integer' }, duration_ms: { type: 'integer' }, errors: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } }, calls: { type: 'object', additionalProperties: { type: 'integer' } } } },
        Run: { type: 'object', properties: { id: { type: 'string' }, provider: { type: 'string' }, started_at: { type: 'string' }, finished_at: { type: ['string', 'null'] }, status: { enum: ['running', 'ok', 'partial', 'failed'] }, costs: { type: 'integer' }, resources: { type: 'integer' }, metrics: { type: 'integer' }, error: { type: ['string', 'null'], description: 'first error, CODE: message (redacted)' }, details: { type: 'object' } } },
        Provider: { type: 'object', properties: { name: { type: 'string' }, enabled: { type: 'boolean' }, schedule: { type: ['string', 'null'] }, interval_ms: { type: 'integer' }, running: { type: 'boolean' }, next_run_at: { type: ['string', 'null'] }, circuit: { enum: ['closed', 'open', 'half-open', null] }, overlap_skips: { type: 'integer' }, last_run: { oneOf: [{ $ref: '#/components/schemas/RunSummary' }, { type: 'null' }] } } },
        CostTotal: { type: 'object', properties: { key: { type: ['string', 'null'] }, currency: { type: 'string' }, billed_cost: { type: 'string', description: 'exact decimal' }, effective_cost: { type: 'string' }, list_cost: { type: 'string' }, rows: { type: 'integer' } } },
        Sample: { type: 'object', properties: { ts: { type: 'string' }, provider: { type: 'string' }, name: { type: 'string' }, category: { type: 'string' }, value: { type: ['number', 'null'] }, unit: { type: 'string' }, resource_id: { type: ['string', 'null'] }, labels: { type: 'object', additionalProperties: { type: 'string' } } } },
      },
    },
  };
}
