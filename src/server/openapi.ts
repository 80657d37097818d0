// The OpenAPI 3.1 description of the HTTP API, served at /openapi.json. A test checks that every route
// of the app appears here with its method.

import { VERSION } from '../core/version.ts';
import { COST_GROUP_BY } from '../core/queries.ts';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});
const jsonOk = (description: string, schema: Json): Json => ({
  description,
  content: { 'application/json': { schema } },
});
const query = (name: string, description: string, schema: Json): Json => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const provider = query('provider', 'a configured provider name', { type: 'string' });
const limit = (defaultValue: number, maximum: number): Json =>
  query('limit', `at most this many items (default ${defaultValue})`, {
    type: 'integer',
    minimum: 1,
    maximum,
    default: defaultValue,
  });
const time = (name: string, description: string): Json =>
  query(name, `${description}: YYYY-MM-DD (midnight UTC) or an ISO-8601 date-time with a zone`, { type: 'string' });
/** An object schema whose properties are all returned (required) unless `required` names fewer; nothing else is. */
const object = (properties: Record<string, Json>, required: readonly string[] = Object.keys(properties)): Json => ({
  type: 'object',
  additionalProperties: false,
  required: [...required],
  properties,
});
const protectedErrors = {
  400: errorResponse('a parameter is invalid; the message names it and says why'),
  401: errorResponse('missing or invalid bearer token'),
};

/** The OpenAPI document. */
export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'OptiInfra Collector API',
      version: VERSION,
      description:
        'Runs, costs (FOCUS 1.2, exact decimal totals), inventory and metric samples collected by the service, plus health and Prometheus endpoints.',
    },
    security: [{ bearer: [] }],
    paths: {
      '/healthz': {
        get: {
          summary: 'Liveness: the process answers',
          security: [],
          responses: {
            200: jsonOk(
              'alive',
              object({ status: { const: 'ok' }, version: { type: 'string' }, uptime_s: { type: 'integer' } }),
            ),
          },
        },
      },
      '/readyz': {
        get: {
          summary: 'Readiness: storage answers',
          security: [],
          responses: {
            200: jsonOk(
              'ready',
              object({ status: { const: 'ready' }, storage: { type: 'string', description: 'sqlite or postgres' } }),
            ),
            503: errorResponse('storage unreachable'),
          },
        },
      },
      '/metrics': {
        get: {
          summary:
            'Prometheus exposition: self-metrics (optiinfra_collector_*) and the latest collected sample of every recent series (optiinfra_<name> with labels provider, resource_id and the series labels)',
          responses: {
            200: {
              description: 'text exposition format 0.0.4',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            ...protectedErrors,
          },
        },
      },
      '/api/v1/providers': {
        get: {
          summary: 'Configured providers with schedule, circuit state and last run',
          responses: {
            200: jsonOk('providers', object({ providers: { type: 'array', items: ref('Provider') } })),
            401: protectedErrors[401],
          },
        },
      },
      '/api/v1/runs': {
        get: {
          summary: 'Recent collection runs, newest first',
          parameters: [provider, limit(50, 1000)],
          responses: {
            200: jsonOk('runs', object({ runs: { type: 'array', items: ref('Run') } })),
            ...protectedErrors,
          },
        },
      },
      '/api/v1/collect': {
        post: {
          summary:
            'Runs providers now through the scheduler; a provider whose run is still going is skipped, never started twice',
          parameters: [
            provider,
            query('wait', 'wait for the runs and return their summaries (default true); false answers 202 at once', {
              type: 'string',
              enum: ['true', 'false'],
            }),
          ],
          requestBody: {
            required: false,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    provider: {
                      oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
                    },
                    wait: { type: 'boolean' },
                  },
                },
              },
            },
          },
          responses: {
            200: jsonOk(
              'the runs finished',
              object({ runs: { type: 'array', items: ref('RunSummary') }, skipped: ref('Skipped') }),
            ),
            202: jsonOk(
              'the runs started',
              object({ started: { type: 'array', items: { type: 'string' } }, skipped: ref('Skipped') }),
            ),
            409: errorResponse('the provider cannot run (its source could not be built)'),
            503: errorResponse('shutting down'),
            ...protectedErrors,
          },
        },
      },
      '/api/v1/costs': {
        get: {
          summary:
            'Cost totals of charge periods starting in [from, to), grouped, summed exactly per currency (decimal strings)',
          parameters: [
            time('from', 'start (default: first day of this month)'),
            time('to', 'end, exclusive (default: tomorrow)'),
            query('group_by', 'grouping (default provider)', { type: 'string', enum: COST_GROUP_BY }),
            provider,
          ],
          responses: {
            200: jsonOk(
              'totals',
              object(
                {
                  from: { type: 'string' },
                  to: { type: 'string' },
                  group_by: { enum: COST_GROUP_BY },
                  provider: { type: 'string', description: 'the provider filter; present only when one was given' },
                  groups: { type: 'array', items: ref('CostTotal') },
                  totals: { type: 'array', items: ref('CostTotal'), description: 'over every group, one per currency' },
                },
                ['from', 'to', 'group_by', 'groups', 'totals'],
              ),
            ),
            ...protectedErrors,
          },
        },
      },
      '/api/v1/resources': {
        get: {
          summary: 'Inventory',
          parameters: [
            provider,
            query('type', 'resource type, e.g. instance, gpu', { type: 'string' }),
            limit(1000, 10_000),
          ],
          responses: {
            200: jsonOk(
              'resources',
              object({ resources: { type: 'array', items: ref('Resource') }, truncated: { type: 'boolean' } }),
            ),
            ...protectedErrors,
          },
        },
      },
      '/api/v1/gpus': {
        get: {
          summary:
            'Physical GPUs per canonical model, each counted once: a row whose parent (the instance or host of a ' +
            'DCGM GPU, the node of a pod) states a GPU count is covered by it, and a GPU seen by several providers ' +
            '(same UUID) counts once in the totals',
          parameters: [provider],
          responses: {
            200: jsonOk(
              'GPU counts',
              object(
                {
                  provider: { type: 'string', description: 'the provider filter; present only when one was given' },
                  models: { type: 'array', items: ref('GpuModelCount') },
                  total: { type: 'string', description: 'physical GPUs of every model, exact decimal' },
                  shared: {
                    type: 'string',
                    description: 'GPUs in more than one provider count (same UUID), counted once in total',
                  },
                },
                ['models', 'total', 'shared'],
              ),
            ),
            ...protectedErrors,
          },
        },
      },
      '/api/v1/metrics': {
        get: {
          summary: 'Metric samples in time order',
          parameters: [
            query('name', 'normalized metric name, e.g. hw.gpu.utilization', { type: 'string' }),
            provider,
            time('from', 'start'),
            time('to', 'end, exclusive'),
            limit(1000, 10_000),
          ],
          responses: {
            200: jsonOk(
              'samples',
              object({ samples: { type: 'array', items: ref('Sample') }, truncated: { type: 'boolean' } }),
            ),
            ...protectedErrors,
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          security: [],
          responses: {
            200: jsonOk('OpenAPI 3.1', { type: 'object', description: 'this document', additionalProperties: true }),
          },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'OPTIINFRA_API_TOKEN' } },
      schemas: {
        Error: object({ error: object({ code: { type: 'string' }, message: { type: 'string' } }) }),
        ErrorItem: object({
          code: { type: 'string', description: 'stable error code, e.g. AUTH_FAILED' },
          message: { type: 'string', description: 'redacted' },
        }),
        Skipped: {
          type: 'array',
          items: object({ provider: { type: 'string' }, reason: { const: 'already_running' } }),
        },
        Calls: {
          type: 'object',
          description: 'API calls per operation, e.g. {"ce:GetCostAndUsage": 2}',
          additionalProperties: { type: 'integer' },
        },
        RunSummary: object({
          provider: { type: 'string' },
          status: { enum: ['ok', 'partial', 'failed'] },
          costs: { type: 'integer' },
          resources: { type: 'integer' },
          metrics: { type: 'integer' },
          duration_ms: { type: 'integer' },
          errors: { type: 'array', items: ref('ErrorItem') },
          calls: ref('Calls'),
          deferred: ref('Deferred'),
          dropped: ref('Dropped'),
        }),
        Dropped: {
          type: 'object',
          description:
            'what the sources dropped instead of storing: non_finite_values (NaN, ±Inf, DCGM blanks), invalid_lines ' +
            '(exposition lines that do not parse)',
          propertyNames: { enum: ['non_finite_values', 'invalid_lines'] },
          additionalProperties: { type: 'integer' },
        },
        Deferred: {
          type: 'array',
          items: { enum: ['cost_checkpoint', 'metrics_checkpoint', 'source_state'] },
          description:
            'what waits for storage to answer: a checkpoint left as stored (its window is re-collected then), or state ' +
            'that could not be read (costs derived from it not written)',
        },
        Run: object({
          id: { type: 'string' },
          provider: { type: 'string' },
          started_at: { type: 'string' },
          finished_at: { type: ['string', 'null'] },
          status: { enum: ['running', 'ok', 'partial', 'failed'] },
          costs: { type: 'integer' },
          resources: { type: 'integer' },
          metrics: { type: 'integer' },
          error: { type: ['string', 'null'], description: 'first error, CODE: message (redacted)' },
          details: ref('RunDetails'),
        }),
        RunDetails: object(
          {
            errors: { type: 'array', items: ref('ErrorItem') },
            calls: ref('Calls'),
            window: {
              ...object({ start: { type: 'string' }, end: { type: 'string' } }),
              description: 'the cost window collected; absent on runs that collected no costs',
            },
            deferred: ref('Deferred'),
            dropped: ref('Dropped'),
            owner: {
              ...object({ host: { type: 'string' }, pid: { type: 'integer' }, started_at: { type: 'string' } }),
              description:
                'the process that ran it: a run left running is marked interrupted once that process is gone',
            },
          },
          ['errors', 'calls'],
        ),
        Provider: object({
          name: { type: 'string' },
          display_name: { type: 'string' },
          enabled: { type: 'boolean' },
          collector_type: { enum: ['dedicated', 'generic'] },
          schedule: {
            type: ['string', 'null'],
            description: 'cron expression, or null when the provider runs on its interval',
          },
          interval_ms: { type: 'integer' },
          cost_interval_ms: { type: 'integer' },
          rate_limit: { type: ['number', 'null'], description: 'requests per second, null when unpaced' },
          running: { type: 'boolean' },
          next_run_at: { type: ['string', 'null'] },
          circuit: { enum: ['closed', 'open', 'half-open', null] },
          circuit_retry_at: {
            type: ['string', 'null'],
            description: 'when an open circuit lets the next run through; null unless open',
          },
          circuit_skips: { type: 'integer', description: 'scheduled runs skipped because the circuit was open' },
          overlap_skips: { type: 'integer' },
          last_run: { oneOf: [ref('RunSummary'), { type: 'null' }] },
          error: {
            oneOf: [ref('ErrorItem'), { type: 'null' }],
            description: 'why the provider cannot run (its source could not be built)',
          },
        }),
        CostTotal: object({
          key: { type: ['string', 'null'] },
          currency: { type: 'string' },
          billed_cost: { type: 'string', description: 'exact decimal' },
          effective_cost: { type: 'string', description: 'exact decimal' },
          list_cost: { type: 'string', description: 'exact decimal' },
          rows: { type: 'integer' },
        }),
        Resource: object({
          provider: { type: 'string' },
          resource_id: { type: 'string' },
          resource_name: { type: ['string', 'null'] },
          resource_type: { type: 'string', description: 'e.g. instance, gpu, bare_metal, account' },
          region_id: { type: ['string', 'null'] },
          status: { type: ['string', 'null'] },
          instance_type: { type: ['string', 'null'] },
          gpu_model: {
            type: ['string', 'null'],
            description: 'canonical GPU model id (e.g. H100-SXM5-80GB); the raw name when the catalog lacks it',
          },
          gpu_model_raw: { type: ['string', 'null'], description: 'the GPU name as the provider reported it' },
          gpu_count: {
            type: ['number', 'null'],
            description: 'GPUs this row describes; a fraction for a share of one GPU (0.05)',
          },
          vcpus: { type: ['integer', 'null'] },
          memory_bytes: { type: ['integer', 'null'] },
          price_per_hour: { type: ['string', 'null'], description: 'exact decimal' },
          currency: { type: ['string', 'null'] },
          tags: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
          parent_resource_id: {
            type: ['string', 'null'],
            description:
              'the resource containing the same hardware: a DCGM GPU -> its instance or host, a pod -> its node',
          },
          first_seen_at: { type: ['string', 'null'] },
          last_seen_at: { type: 'string' },
        }),
        GpuModelCount: object({
          gpu_model: { type: 'string', description: 'canonical id, or the raw name of a model the catalog lacks' },
          known: { type: 'boolean', description: 'gpu_model is a catalog id' },
          vendor: { type: ['string', 'null'] },
          family: { type: ['string', 'null'], description: 'the product across its variants, e.g. H100' },
          memory_gb: { type: ['number', 'null'], description: 'memory of one GPU, GB' },
          form_factor: { type: ['string', 'null'], description: 'SXM5, PCIe, NVL, OAM, ...; null when not stated' },
          gpus: { type: 'string', description: 'physical GPUs over every provider, exact decimal' },
          providers: {
            type: 'array',
            items: object({
              provider: { type: 'string' },
              gpus: { type: 'string', description: 'physical GPUs this provider sees, exact decimal' },
              resources: { type: 'integer', description: 'rows counted' },
              covered: { type: 'integer', description: 'rows whose GPUs their parent row already counts' },
            }),
          },
        }),
        Sample: object({
          ts: { type: 'string' },
          provider: { type: 'string' },
          name: { type: 'string' },
          category: { enum: ['performance', 'resource', 'gpu', 'application'] },
          value: { type: ['number', 'null'], description: 'null for NaN and infinities (JSON has no such numbers)' },
          unit: { type: 'string' },
          resource_id: { type: ['string', 'null'] },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        }),
      },
    },
  };
}
