// The HTTP API in-process (no socket): auth, every endpoint against real SQLite data collected from the
// simulator through the scheduler, exact cost totals, Prometheus exposition, 400s, OpenAPI coverage.

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CollectorError } from '../src/core/errors.ts';
import { silentLogger } from '../src/core/log.ts';
import type { MetricSample } from '../src/core/model.ts';
import { createScheduler, type Scheduler } from '../src/runtime/scheduler.ts';
import { createSelfMetrics } from '../src/runtime/self-metrics.ts';
import { appRoutes, createApp, type AppDependencies, type AppHandler } from '../src/server/app.ts';
import { assertListenAllowed, isLoopbackHost, parseListen, tokenMatches } from '../src/server/auth.ts';
import { samplesExposition } from '../src/server/exposition.ts';
import { DEFAULT_LISTEN_LIMITS, listen } from '../src/server/listen.ts';
import { openApiDocument } from '../src/server/openapi.ts';
import { MAX_REQUEST_BODY_BYTES } from '../src/server/params.ts';
import type { RunningSimulation } from '../src/simulator/provider.ts';
import { createSqliteQueries } from '../src/sinks/sqlite/queries.ts';
import { openSqliteSink, type SqliteSink } from '../src/sinks/sqlite/sink.ts';
import { parseExposition, type ExpositionSample } from '../src/sources/_common/prometheus-text/index.ts';
import { SIM_JSON_API_KEY, configFrom, simJsonProvider, testRegistry } from './service-fixtures.ts';

const TOKEN = 'api-token-0123456789abcdef';
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };

describe('HTTP API', () => {
  let sim: RunningSimulation;
  let sink: SqliteSink;
  let scheduler: Scheduler;
  let app: AppHandler;
  let deps: AppDependencies;
  const bodies: string[] = [];

  // Response bodies are arbitrary JSON documents read field by field in assertions.
  const call = async (
    path: string,
    init: RequestInit & { auth?: string | false } = {},
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; text: string; json: () => any; headers: Headers }> => {
    const headers = new Headers(init.headers);
    if (init.auth !== false) headers.set('authorization', `Bearer ${init.auth ?? TOKEN}`);
    const response = await app(new Request(`http://api.test${path}`, { ...init, headers }));
    const text = await response.text();
    bodies.push(text);
    return { status: response.status, text, headers: response.headers, json: () => JSON.parse(text) };
  };

  before(async () => {
    sim = await simJsonProvider.start({});
    const config = configFrom({
      storage: { url: 'sqlite::memory:' },
      collection: { interval: '1h', retries: 2 },
      providers: {
        simjson: sim.providerBlock,
        dormant: { enabled: false, collector_type: 'generic', scrape_targets: ['http://127.0.0.1:9/metrics'] },
      },
    });
    sink = openSqliteSink(':memory:');
    const metrics = createSelfMetrics({ processMetrics: false });
    scheduler = createScheduler({
      config,
      registry: testRegistry(),
      sink,
      log: silentLogger(),
      metrics,
      firstRunDelayMs: 3_600_000,
      retentionEveryMs: 0,
      retryPolicy: FAST_RETRY,
    });
    metrics.watchCircuits(() => scheduler.circuitStates());
    scheduler.start();
    deps = { config, sink, queries: createSqliteQueries(sink.database), scheduler, metrics, token: TOKEN };
    app = createApp(deps);
  });

  after(async () => {
    await scheduler.stop(1_000);
    await sink.close();
    await sim.close();
  });

  test('health endpoints are public; everything else needs the bearer token', async () => {
    assert.equal((await call('/healthz', { auth: false })).status, 200);
    const ready = await call('/readyz', { auth: false });
    assert.equal(ready.status, 200);
    assert.equal(ready.json().storage, 'sqlite');
    for (const path of [
      '/metrics',
      '/api/v1/providers',
      '/api/v1/runs',
      '/api/v1/costs',
      '/api/v1/resources',
      '/api/v1/metrics',
    ]) {
      const missing = await call(path, { auth: false });
      assert.equal(missing.status, 401, path);
      assert.equal(missing.json().error.code, 'unauthorized');
      assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal((await call(path, { auth: 'wrong-token' })).status, 401, path);
      assert.equal((await call(path, { auth: `${TOKEN}x` })).status, 401, path);
    }
    assert.equal((await call('/api/v1/collect', { method: 'POST', auth: false })).status, 401);
  });

  test('POST /api/v1/collect runs through the scheduler; data is readable through every endpoint', async () => {
    const collected = await call('/api/v1/collect', {
      method: 'POST',
      body: JSON.stringify({ provider: 'simjson' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(collected.status, 200, collected.text);
    const [run] = collected.json().runs;
    assert.equal(run.provider, 'simjson');
    assert.equal(run.status, 'ok', JSON.stringify(run.errors));
    assert.deepEqual([run.resources, run.metrics, run.costs], [3, 3, 3]);

    const runs = (await call('/api/v1/runs?provider=simjson&limit=5')).json().runs;
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, 'ok');

    const resources = (await call('/api/v1/resources?provider=simjson&type=instance')).json();
    assert.deepEqual(
      resources.resources.map((row: { resource_id: string }) => row.resource_id),
      ['i-1', 'i-2', 'i-3'],
    );
    assert.equal(resources.truncated, false);

    const samples = (await call('/api/v1/metrics?name=sim.instance.load&provider=simjson&limit=2')).json();
    assert.equal(samples.samples.length, 2);
    assert.equal(samples.truncated, true);
    assert.equal(samples.samples[0].name, 'sim.instance.load');

    const providers = (await call('/api/v1/providers')).json().providers;
    const simjson = providers.find((provider: { name: string }) => provider.name === 'simjson');
    assert.equal(simjson.last_run.status, 'ok');
    assert.equal(simjson.circuit, 'closed');
    assert.equal(providers.find((provider: { name: string }) => provider.name === 'dormant').enabled, false);
  });

  test('GET /api/v1/costs sums exactly in decimal, per currency, for every group_by', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const byProvider = (await call(`/api/v1/costs?from=${today}&group_by=provider`)).json();
    assert.deepEqual(byProvider.groups, [
      {
        key: 'simjson',
        currency: 'USD',
        billed_cost: '1234567890.423456789',
        effective_cost: '1234567890.423456789',
        list_cost: '1234567890.423456789',
        rows: 3,
      },
    ]);
    assert.deepEqual(
      byProvider.totals.map((total: { currency: string; billed_cost: string }) => [total.currency, total.billed_cost]),
      [['USD', '1234567890.423456789']],
    );
    const byResource = (await call(`/api/v1/costs?from=${today}&group_by=resource&provider=simjson`)).json();
    assert.deepEqual(
      byResource.groups.map((group: { key: string; billed_cost: string }) => [group.key, group.billed_cost]),
      [
        ['i-1', '0.1'],
        ['i-2', '0.2'],
        ['i-3', '1234567890.123456789'],
      ],
    );
    for (const groupBy of ['service', 'region', 'day']) {
      const groups = (await call(`/api/v1/costs?from=${today}&group_by=${groupBy}`)).json().groups;
      assert.equal(groups.length, 1, groupBy);
      assert.equal(groups[0].billed_cost, '1234567890.423456789', groupBy);
    }
    assert.deepEqual((await call('/api/v1/costs?from=2000-01-01&to=2000-02-01')).json().groups, []);
  });

  test('GET /metrics: self-metrics and the latest samples, valid exposition text', async () => {
    const response = await call('/metrics');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const parsed: ExpositionSample[] = [];
    const result = parseExposition(response.text, (sample) => parsed.push(sample));
    assert.deepEqual(result.errors, []);
    const find = (name: string, labels: Record<string, string>) =>
      parsed.find(
        (sample) =>
          sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
      );
    assert.equal(find('optiinfra_collector_runs_total', { provider: 'simjson', status: 'ok' })?.value, 1);
    assert.equal(find('optiinfra_collector_rows_written_total', { provider: 'simjson', kind: 'costs' })?.value, 3);
    assert.equal(find('optiinfra_collector_circuit_state', { provider: 'simjson' })?.value, 0);
    assert.ok(find('optiinfra_collector_run_duration_seconds_count', { provider: 'simjson' }));
    assert.equal(
      find('optiinfra_sim_instance_load', { provider: 'simjson', resource_id: 'i-2', instance: 'beta "quoted"\\path' })
        ?.value,
      0.5,
    );
    assert.match(response.text, /^# TYPE optiinfra_sim_instance_load gauge$/m);
  });

  test('invalid requests get a 400 naming the parameter and the reason', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        '/api/v1/costs?group_by=month',
        /^group_by: "month" is not one of provider, service, region, resource, day, gpu_model$/,
      ],
      ['/api/v1/costs?from=yesterday', /^from: "yesterday" is not a date/],
      // Days and times that do not exist are refused, not rolled over into the next month or day.
      ['/api/v1/costs?from=2026-02-30', /^from: "2026-02-30" is not a date/],
      ['/api/v1/costs?from=2025-02-29', /^from: "2025-02-29" is not a date/],
      ['/api/v1/costs?to=2026-13-01', /^to: "2026-13-01" is not a date/],
      ['/api/v1/costs?to=2026-04-31', /^to: "2026-04-31" is not a date/],
      ['/api/v1/metrics?from=2026-01-01T24:00:00Z', /^from: "2026-01-01T24:00:00Z" is not a date/],
      ['/api/v1/metrics?from=2026-01-01T12:60:00Z', /^from: "2026-01-01T12:60:00Z" is not a date/],
      ['/api/v1/metrics?from=2026-01-01T12:00:61Z', /^from: "2026-01-01T12:00:61Z" is not a date/],
      ['/api/v1/metrics?to=2026-02-30T00:00:00%2B01:00', /^to: "2026-02-30T00:00:00\+01:00" is not a date/],
      ['/api/v1/metrics?to=2026-01-01T00:00:00%2B24:00', /^to: "2026-01-01T00:00:00\+24:00" is not a date/],
      ['/api/v1/costs?from=2025-02-01&to=2025-01-01', /^from: must be before to/],
      ['/api/v1/costs?provider=nope', /^provider: no provider "nope" is configured \(known: simjson, dormant\)$/],
      // Names of Object.prototype members are names like any other: not configured here.
      ['/api/v1/runs?provider=constructor', /^provider: no provider "constructor" is configured/],
      ['/api/v1/costs?provider=__proto__', /^provider: no provider "__proto__" is configured/],
      ['/api/v1/metrics?provider=toString', /^provider: no provider "toString" is configured/],
      ['/api/v1/resources?provider=hasOwnProperty', /^provider: no provider "hasOwnProperty" is configured/],
      ['/api/v1/runs?limit=0', /^limit: 0 is outside 1-1000$/],
      ['/api/v1/runs?limit=ten', /^limit: "ten" is not a whole number$/],
      ['/api/v1/runs?provider=a&provider=b', /^provider: given more than once$/],
      ['/api/v1/metrics?since=1', /^since: unknown parameter; accepted: name, provider, from, to, limit$/],
      ['/api/v1/metrics?name=', /^name: must not be empty$/],
      ['/api/v1/resources?limit=100000', /^limit: 100000 is outside 1-10000$/],
    ];
    for (const [path, message] of cases) {
      const response = await call(path);
      assert.equal(response.status, 400, path);
      assert.equal(response.json().error.code, 'invalid_parameter', path);
      assert.match(response.json().error.message, message, path);
    }
    const badBody = await call('/api/v1/collect', { method: 'POST', body: '{"provider": 3}' });
    assert.equal(badBody.status, 400);
    assert.match(badBody.json().error.message, /^provider: must be a provider name/);
    assert.equal((await call('/api/v1/collect', { method: 'POST', body: '{oops' })).json().error.code, 'invalid_body');
    for (const name of ['constructor', '__proto__', 'valueOf']) {
      const collected = await call('/api/v1/collect', { method: 'POST', body: JSON.stringify({ provider: name }) });
      assert.equal(collected.status, 400, `${name}: ${collected.text}`);
      assert.match(collected.json().error.message, new RegExp(`^provider: no provider "${name}" is configured`));
    }
    const protoBody = await call('/api/v1/collect', { method: 'POST', body: '{"__proto__": {"provider": "simjson"}}' });
    assert.equal(protoBody.status, 400, protoBody.text);
    assert.match(protoBody.json().error.message, /^__proto__: unknown field/);
    assert.match(
      (await call('/api/v1/collect?provider=dormant', { method: 'POST' })).json().error.message,
      /^provider: dormant is disabled/,
    );
    assert.equal((await call('/nowhere')).status, 404);
    const wrongMethod = await call('/api/v1/runs', { method: 'DELETE' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET');
  });

  test('a run still going is never started twice: the second trigger is skipped', async () => {
    const [server] = sim.servers;
    server?.faults.add({ kind: 'latency', ms: 400, path: '/v1/instances', count: 1 });
    const first = call('/api/v1/collect?provider=simjson', { method: 'POST' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await call('/api/v1/collect?provider=simjson&wait=false', { method: 'POST' });
    assert.equal(second.status, 202);
    assert.deepEqual(second.json(), { started: [], skipped: [{ provider: 'simjson', reason: 'already_running' }] });
    assert.equal((await first).json().runs[0].status, 'ok');
  });

  test('/openapi.json describes every route with its method', async () => {
    const response = await call('/openapi.json', { auth: false });
    assert.equal(response.status, 200);
    const document = response.json();
    assert.equal(document.openapi, '3.1.0');
    for (const route of appRoutes(deps)) {
      assert.ok(
        document.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path} missing from /openapi.json`,
      );
      if (route.public)
        assert.deepEqual(
          document.paths[route.path][route.method.toLowerCase()].security,
          [],
          `${route.path} is public`,
        );
    }
    assert.equal(Object.keys(document.paths).length, new Set(appRoutes(deps).map((route) => route.path)).size);
    assert.deepEqual(openApiDocument(), document);
  });

  test('no response body contains the seeded API key', () => {
    assert.ok(bodies.length > 20);
    for (const body of bodies) assert.ok(!body.includes(SIM_JSON_API_KEY), body.slice(0, 200));
  });
});

test('exposition: names, label names and values escaped; NaN and infinities; clashes renamed', () => {
  const sample = (name: string, labels: Record<string, string>, value: number): MetricSample => ({
    ts: '2025-01-01T00:00:00.000Z',
    provider: 'p',
    name,
    category: 'gpu',
    value,
    unit: '%',
    resource_id: 'gpu-0',
    labels,
  });
  const text = samplesExposition([
    sample('hw.gpu.utilization', { 'gpu.model': 'H100', provider: 'shadow', path: 'C:\\x', note: 'a\nb "c"' }, 42.5),
    sample('hw.gpu.utilization', { 'gpu.model': 'A100' }, Number.NaN),
    sample('hw-energy', { '0bad': 'x', __reserved: 'y' }, Number.POSITIVE_INFINITY),
    sample('collector.runs.total', {}, 1),
  ]);
  assert.equal(
    text,
    [
      '# HELP optiinfra_hw_gpu_utilization Latest collected hw.gpu.utilization (unit %, gpu).',
      '# TYPE optiinfra_hw_gpu_utilization gauge',
      'optiinfra_hw_gpu_utilization{provider="p",resource_id="gpu-0",gpu_model="H100",note="a\\nb \\"c\\"",path="C:\\\\x",exported_provider="shadow"} 42.5',
      'optiinfra_hw_gpu_utilization{provider="p",resource_id="gpu-0",gpu_model="A100"} NaN',
      '# HELP optiinfra_hw_energy Latest collected hw-energy (unit %, gpu).',
      '# TYPE optiinfra_hw_energy gauge',
      'optiinfra_hw_energy{provider="p",resource_id="gpu-0",label_0bad="x",label___reserved="y"} +Inf',
      '',
    ].join('\n'),
  );
  const parsed: ExpositionSample[] = [];
  assert.deepEqual(parseExposition(text, (item) => parsed.push(item)).errors, []);
  assert.equal(parsed[0]?.labels.note, 'a\nb "c"');
  assert.equal(parsed[0]?.labels.path, 'C:\\x');
});

test('auth helpers: constant-time token check, loopback rule, listen parsing', () => {
  assert.equal(tokenMatches('abc', 'abc'), true);
  assert.equal(tokenMatches('abc', 'abcd'), false);
  assert.deepEqual(parseListen('127.0.0.1:8080'), { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(parseListen('[::1]:9'), { host: '::1', port: 9 });
  assert.throws(() => parseListen('0.0.0.0:99999'), /not host:port/);
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['0.0.0.0', '::', '10.0.0.1', 'collector.internal'])
    assert.equal(isLoopbackHost(host), false, host);
  assert.doesNotThrow(() => assertListenAllowed('127.0.0.1', undefined));
  assert.throws(() => assertListenAllowed('0.0.0.0', undefined), /set OPTIINFRA_API_TOKEN/);
  assert.doesNotThrow(() => assertListenAllowed('0.0.0.0', 'a-token-of-16-ch'));
  // Beyond loopback a guessable token is no protection: shorter than 16 characters, or blank, is refused.
  for (const token of ['token', '123456789012345', '                    ', '\t\n'])
    assert.throws(
      () => assertListenAllowed('0.0.0.0', token),
      (error: unknown) =>
        error instanceof CollectorError &&
        error.code === 'CONFIG_INVALID' &&
        /OPTIINFRA_API_TOKEN .*at least 16 characters/.test(error.message) &&
        !error.message.includes(token.trim() || '\u0000'),
      JSON.stringify(token),
    );
  assert.doesNotThrow(() => assertListenAllowed('127.0.0.1', 'short'));
});

test('listener: bodies are read only by routes that want them, capped, and a slow body times out', async () => {
  let bodiesRead = 0;
  const handler = async (request: Request): Promise<Response> => {
    if (request.headers.get('authorization') !== 'Bearer ok') return new Response('no', { status: 401 });
    bodiesRead += 1;
    try {
      return new Response(String((await request.text()).length), { status: 200 });
    } catch (error) {
      return new Response(error instanceof Error ? error.name : 'error', { status: 413 });
    }
  };
  const limits = { ...DEFAULT_LISTEN_LIMITS, headersTimeoutMs: 1_000, requestTimeoutMs: 1_000, lingerMs: 200 };
  const server = await listen(handler, '127.0.0.1', 0, undefined, limits);
  try {
    const post = (body: string | ReadableStream<Uint8Array>, headers: Record<string, string>) =>
      fetch(`${server.url}/x`, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
    assert.equal(await (await post('{"a":1}', { authorization: 'Bearer ok' })).text(), '7');
    assert.equal((await post('x'.repeat(1000), {})).status, 401);
    assert.equal(bodiesRead, 1, 'the unauthenticated body was never read');
    assert.equal((await post('x'.repeat(MAX_REQUEST_BODY_BYTES + 1), { authorization: 'Bearer ok' })).status, 413);
    // Without a Content-Length the cap applies while reading.
    const chunks = new ReadableStream({
      start(controller) {
        for (let index = 0; index < 40; index += 1) controller.enqueue(new Uint8Array(1024));
        controller.close();
      },
    });
    const streamed = await post(chunks, { authorization: 'Bearer ok' });
    assert.deepEqual([streamed.status, await streamed.text()], [413, 'BodyTooLargeError']);
    // Headers, then a body that never finishes: the connection is closed once the request timeout passes.
    const started = performance.now();
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.resume();
    socket.write('POST /x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer ok\r\nContent-Length: 100\r\n\r\nabc');
    await new Promise((resolve) => socket.once('close', resolve));
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds >= 0.9 && seconds < 4, `closed after ${seconds.toFixed(1)} s`);
  } finally {
    await server.close(100);
  }
});
