// The OpenAPI document is true: the app runs in-process against a store populated through the scheduler, every
// documented GET route is called, and each JSON response is checked against its documented schema both ways:
// every field returned is documented (recursively), and every documented property is returned by that route.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CollectorError } from '../src/core/errors.ts';
import { silentLogger } from '../src/core/log.ts';
import type { SourceFactory } from '../src/core/source.ts';
import { createRegistry } from '../src/core/registry.ts';
import { createScheduler, type Scheduler } from '../src/runtime/scheduler.ts';
import { createSelfMetrics } from '../src/runtime/self-metrics.ts';
import { appRoutes, createApp, type AppDependencies, type AppHandler } from '../src/server/app.ts';
import { openApiDocument } from '../src/server/openapi.ts';
import type { RunningSimulation } from '../src/simulator/provider.ts';
import { createSqliteQueries } from '../src/sinks/sqlite/queries.ts';
import { openSqliteSink, type SqliteSink } from '../src/sinks/sqlite/sink.ts';
import { SOURCE_FACTORIES } from '../src/sources/index.ts';
import { configFrom, simJsonFactory, simJsonProvider } from './service-fixtures.ts';
import { gpuDataset } from './support/query-conformance.ts';

type Schema = Record<string, unknown>;

const TOKEN = 'openapi-token-0123456789';
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };

/** An adapter whose source cannot be built, so a provider reports a non-null `error`. */
const brokenFactory: SourceFactory = {
  type: 'broken_build',
  role: 'adapter',
  description: 'test adapter whose create throws',
  collects: ['inventory'],
  configSchema: simJsonFactory.configSchema,
  create: () => {
    throw new CollectorError('CONFIG_INVALID', 'broken_build: this source is built to fail');
  },
};

/** The requests made of each documented GET route (path + query); a new route without calls fails the test. */
const CALLS: Readonly<Record<string, readonly string[]>> = {
  '/healthz': [''],
  '/readyz': [''],
  '/metrics': [''],
  '/api/v1/providers': [''],
  '/api/v1/runs': ['', '?provider=simjson&limit=1'],
  '/api/v1/costs': ['?from=2000-01-01&to=2100-01-01', '?from=2000-01-01&to=2100-01-01&provider=simjson&group_by=day'],
  '/api/v1/resources': ['', '?type=instance&limit=1', '?type=gpu'],
  '/api/v1/gpus': ['', '?provider=simjson'],
  '/api/v1/metrics': ['', '?provider=simjson&limit=1'],
  '/openapi.json': [''],
};

/** Documented properties no response can show here, each with why; empty while every property is observed. */
const NOT_OBSERVED: Readonly<Record<string, string>> = {};

/** Follows `$ref`s within the document. */
function resolve(document: Schema, schema: Schema, pointer: string): { schema: Schema; pointer: string } {
  let current = schema;
  let at = pointer;
  while (typeof current.$ref === 'string') {
    at = current.$ref;
    current = at
      .slice(2)
      .split('/')
      .reduce<Schema>((node, key) => node[key] as Schema, document);
  }
  return { schema: current, pointer: at };
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * Checks `value` against `schema` (the subset the document uses: $ref, oneOf, const, enum, type, properties,
 * required, additionalProperties, items). Records each property seen as its schema pointer in `seen`.
 */
function check(
  document: Schema,
  raw: Schema,
  pointer: string,
  value: unknown,
  at: string,
  problems: string[],
  seen: Set<string>,
): void {
  const { schema, pointer: here } = resolve(document, raw, pointer);
  if (Array.isArray(schema.oneOf)) {
    const attempts = (schema.oneOf as Schema[]).map((branch, index) => {
      const branchProblems: string[] = [];
      const branchSeen = new Set<string>();
      check(document, branch, `${here}/oneOf/${index}`, value, at, branchProblems, branchSeen);
      return { branchProblems, branchSeen };
    });
    const match = attempts.find((attempt) => attempt.branchProblems.length === 0);
    if (match === undefined)
      problems.push(
        `${at}: matches no oneOf branch (${attempts.map((attempt) => attempt.branchProblems.join('; ')).join(' | ')})`,
      );
    else for (const key of match.branchSeen) seen.add(key);
    return;
  }
  if ('const' in schema && value !== schema.const)
    problems.push(`${at}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  const type = jsonType(value);
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!allowed.includes(type) && !(type === 'integer' && allowed.includes('number'))) {
      problems.push(`${at}: a ${type}, documented as ${allowed.join(' or ')}`);
      return;
    }
  }
  if (type === 'array') {
    if (schema.items === undefined) problems.push(`${at}: an array whose items are not documented`);
    else
      (value as unknown[]).forEach((item, index) =>
        check(document, schema.items as Schema, `${here}/items`, item, `${at}[${index}]`, problems, seen),
      );
  }
  if (type !== 'object') return;
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const additional = schema.additionalProperties;
  if (schema.properties === undefined && additional === undefined)
    problems.push(`${at}: an object whose fields are not documented`);
  for (const name of (schema.required ?? []) as string[])
    if (!Object.hasOwn(value as object, name)) problems.push(`${at}.${name}: documented as required, not returned`);
  for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
    const property = properties[name];
    if (property !== undefined) {
      seen.add(`${here}/properties/${name}`);
      check(document, property, `${here}/properties/${name}`, field, `${at}.${name}`, problems, seen);
    } else if (typeof additional === 'object' && additional !== null) {
      check(document, additional as Schema, `${here}/additionalProperties`, field, `${at}.${name}`, problems, seen);
    } else if (additional !== true) {
      problems.push(`${at}.${name}: returned but not documented`);
    }
  }
}

/** Every property pointer reachable from `schema` (through $ref, oneOf, items, properties, additionalProperties). */
function documentedProperties(
  document: Schema,
  raw: Schema,
  pointer: string,
  found: Set<string>,
  visited = new Set<string>(),
): Set<string> {
  const { schema, pointer: here } = resolve(document, raw, pointer);
  if (visited.has(here)) return found;
  visited.add(here);
  (schema.oneOf as Schema[] | undefined)?.forEach((branch, index) =>
    documentedProperties(document, branch, `${here}/oneOf/${index}`, found, visited),
  );
  if (schema.items !== undefined)
    documentedProperties(document, schema.items as Schema, `${here}/items`, found, visited);
  if (typeof schema.additionalProperties === 'object')
    documentedProperties(
      document,
      schema.additionalProperties as Schema,
      `${here}/additionalProperties`,
      found,
      visited,
    );
  for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    found.add(`${here}/properties/${name}`);
    documentedProperties(document, property, `${here}/properties/${name}`, found, visited);
  }
  return found;
}

/** The JSON schema a path documents for a GET status, if its response is JSON. */
function responseSchema(document: Schema, path: string, status: number): Schema | undefined {
  const operation = ((document.paths as Record<string, Record<string, Schema>>)[path] ?? {}).get;
  const response = (operation?.responses as Record<string, Schema> | undefined)?.[String(status)];
  const content = response?.content as Record<string, { schema: Schema }> | undefined;
  return content?.['application/json']?.schema;
}

describe('OpenAPI document against the running API', () => {
  let sim: RunningSimulation | undefined;
  let sink: SqliteSink | undefined;
  let scheduler: Scheduler | undefined;
  let app: AppHandler;
  let deps: AppDependencies;
  const document = openApiDocument();

  const call = async (pathAndQuery: string, auth = true): Promise<Response> =>
    app(new Request(`http://api.test${pathAndQuery}`, { headers: auth ? { authorization: `Bearer ${TOKEN}` } : {} }));

  before(async () => {
    const simulation = await simJsonProvider.start({});
    sim = simulation;
    const registry = createRegistry([...SOURCE_FACTORIES, simJsonFactory, brokenFactory]);
    const config = configFrom(
      {
        storage: { url: 'sqlite::memory:' },
        collection: { interval: '1h', retries: 1 },
        providers: {
          simjson: { ...simulation.providerBlock, display_name: 'Sim JSON', rate_limit: 50 },
          broken: {
            enabled: true,
            collector_type: 'generic',
            api: { adapter: 'broken_build', base_url: 'http://127.0.0.1:9', api_key: 'x' },
          },
          dormant: { enabled: false, collector_type: 'generic', scrape_targets: ['http://127.0.0.1:9/metrics'] },
        },
      },
      registry,
    );
    const store = openSqliteSink(':memory:');
    sink = store;
    const metrics = createSelfMetrics({ processMetrics: false });
    const running = createScheduler({
      config,
      registry,
      sink: store,
      log: silentLogger(),
      metrics,
      firstRunDelayMs: 3_600_000,
      retentionEveryMs: 0,
      retryPolicy: FAST_RETRY,
    });
    scheduler = running;
    metrics.watchCircuits(() => running.circuitStates());
    running.start();
    deps = {
      config,
      sink: store,
      queries: createSqliteQueries(store.database),
      scheduler: running,
      metrics,
      token: TOKEN,
    };
    app = createApp(deps);
    // One run that fails (its charges answer 401), so runs carry errors; then one that succeeds.
    simulation.servers[0]?.faults.set([{ kind: 'unauthorized', path: '/v1/charges' }]);
    await running.trigger(['simjson']).done;
    simulation.servers[0]?.faults.clear();
    await running.trigger(['simjson']).done;
    // GPUs described twice (a DCGM GPU of an instance, a pod on a node), shares and an unknown model.
    await store.writeResources(gpuDataset());
    // A run recorded while storage was unreachable, as the spool replays it (RunDetails.deferred), that also
    // dropped NaN values and an invalid line (RunDetails.dropped).
    await store.saveRun({
      id: 'during-outage',
      provider: 'simjson',
      started_at: '2026-01-01T00:00:00.000Z',
      finished_at: '2026-01-01T00:00:01.000Z',
      status: 'ok',
      costs: 0,
      resources: 3,
      metrics: 3,
      error: null,
      details: {
        errors: [],
        calls: { instances: 1 },
        deferred: ['cost_checkpoint', 'metrics_checkpoint'],
        dropped: { non_finite_values: 2, invalid_lines: 1 },
      },
    });
  });

  after(async () => {
    await scheduler?.stop(1_000);
    await sink?.close();
    await sim?.close();
  });

  test('every GET route the app serves is documented and called here', () => {
    const served = appRoutes(deps)
      .filter((route) => route.method === 'GET')
      .map((route) => route.path)
      .sort();
    const documented = Object.entries(document.paths as Record<string, Schema>)
      .filter(([, item]) => item.get !== undefined)
      .map(([path]) => path)
      .sort();
    assert.deepEqual(documented, served);
    assert.deepEqual(Object.keys(CALLS).sort(), documented);
  });

  for (const [path, queries] of Object.entries(CALLS)) {
    test(`GET ${path}: every field returned is documented and every documented property is returned`, async () => {
      const schema = responseSchema(document, path, 200);
      const problems: string[] = [];
      const seen = new Set<string>();
      for (const query of queries) {
        const response = await call(`${path}${query}`);
        assert.equal(response.status, 200, `${path}${query}: ${await response.clone().text()}`);
        if (schema === undefined) {
          assert.match(response.headers.get('content-type') ?? '', /^text\/plain/, `${path} documents no JSON body`);
          continue;
        }
        check(document, schema, `${path}#200`, await response.json(), `${path}${query}`, problems, seen);
      }
      assert.deepEqual(problems, []);
      if (schema === undefined) return;
      const unobserved = [...documentedProperties(document, schema, `${path}#200`, new Set())].filter(
        (pointer) => !seen.has(pointer) && !Object.hasOwn(NOT_OBSERVED, pointer),
      );
      assert.deepEqual(unobserved, [], `${path}: documented but never returned`);
    });
  }

  test('POST /api/v1/collect: every field returned is documented', async () => {
    const schema = (
      (document.paths as Record<string, Record<string, Schema>>)['/api/v1/collect']?.post?.responses as Record<
        string,
        Schema
      >
    )['200'];
    const response = await app(
      new Request('http://api.test/api/v1/collect?provider=simjson', {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      }),
    );
    assert.equal(response.status, 200);
    const problems: string[] = [];
    const content = (schema?.content as Record<string, { schema: Schema }>)['application/json'];
    check(
      document,
      content?.schema ?? {},
      '/api/v1/collect#200',
      await response.json(),
      'POST /api/v1/collect',
      problems,
      new Set(),
    );
    assert.deepEqual(problems, []);
  });

  test('error bodies of protected routes match the Error schema', async () => {
    for (const path of Object.keys(CALLS)) {
      const schema = responseSchema(document, path, 401);
      if (schema === undefined) continue;
      const response = await call(path, false);
      assert.equal(response.status, 401, path);
      const problems: string[] = [];
      check(document, schema, `${path}#401`, await response.json(), `${path} 401`, problems, new Set());
      assert.deepEqual(problems, []);
    }
  });
});
