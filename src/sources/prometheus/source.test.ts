import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GenericConfig } from '../../core/config/types.ts';
import { createTestContext } from '../../../test/support/test-context.ts';
import { hostFamilies, servedSamples } from '../../simulator/exporter-host/pages.ts';
import { startSimServer, type SimRequest, type SimResponse } from '../../simulator/server.ts';
import { hostResourceId } from '../_common/metric-sets/index.ts';
import { prometheusConfigSchema } from './config.ts';
import { prometheusFactory } from './factory.ts';

const SERVED = servedSamples(hostFamilies({ dcgm: { gpus: 8 }, node: {}, vllm: { names: 'new' } }, 0));
const NOW = new Date('2026-01-01T00:00:00Z');

/** A generic block as the loader makes it: nothing switched on (every metric set detected). */
function config(url: string, extra: Partial<GenericConfig> = {}): GenericConfig {
  const auth = { headers: {}, insecure_skip_verify: false };
  return {
    ...prometheusConfigSchema.parse({}, 'test', { problems: [], secrets: [] })!,
    prometheus_url: url,
    prometheus_selector: 'job="gpu"',
    prometheus_auth: auth,
    scrape_targets: [],
    scrape_auth: auth,
    queries: [],
    metrics: [],
    ...extra,
  };
}

/**
 * A tiny Prometheus API: plain selectors answer with `served` (default: the simulated host's series), `up` as
 * told, the metric names of `served` (plus `names`) from the label-values endpoint, the rest empty.
 */
async function fakePrometheus(
  options: {
    up?: Array<[string, number]>;
    served?: ReadonlyArray<{ name: string; labels: Record<string, string>; value: number }>;
    names?: string[];
    answer?: (query: string) => SimResponse | undefined;
  } = {},
) {
  const served = options.served ?? SERVED;
  const handle = (request: SimRequest): SimResponse => {
    const query = request.query.get('query') ?? '';
    const special = options.answer?.(query);
    if (special) return special;
    const now = Number(request.query.get('time') ?? request.query.get('end'));
    if (query.startsWith('up{')) {
      return {
        body: {
          status: 'success',
          data: {
            resultType: 'vector',
            result: (options.up ?? [['host-a:9400', 1]]).map(([instance, value]) => ({
              metric: { __name__: 'up', instance, job: 'gpu' },
              value: [now, String(value)],
            })),
          },
        },
      };
    }
    const plain = /^([a-zA-Z_:][\w:]*)\{job="gpu"\}$/.exec(query);
    const result = plain
      ? served
          .filter((sample) => sample.name === plain[1])
          .map((sample) => ({
            metric: { __name__: sample.name, ...sample.labels, instance: 'host-a:9400', job: 'gpu' },
            value: [now, String(sample.value)],
          }))
      : [];
    return { body: { status: 'success', data: { resultType: 'vector', result } } };
  };
  const names = (): SimResponse => ({
    body: {
      status: 'success',
      data: [...new Set(['up', ...served.map((sample) => sample.name), ...(options.names ?? [])])].sort(),
    },
  });
  return startSimServer({
    name: 'prometheus',
    routes: [
      { method: 'GET', path: '/api/v1/query', handle },
      { method: 'GET', path: '/api/v1/query_range', handle },
      { method: 'GET', path: '/api/v1/label/__name__/values', handle: names },
    ],
  });
}

async function collect(cfg: GenericConfig, windowMs = 1_000) {
  const harness = createTestContext({
    provider: 'onprem',
    now: NOW,
    metricsWindow: { start: new Date(NOW.getTime() - windowMs), end: NOW },
    retry: { attempts: 2 },
  });
  const source = prometheusFactory.create({ provider: 'onprem', config: cfg });
  try {
    const error = await source.collect(harness.context).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    return { emitter: harness.emitter, error };
  } finally {
    await source.shutdown();
    await harness.close();
  }
}

test('prometheus: 8 GPUs give 8 series of each GPU metric, selector merged into every query, GPU and host inventory', async () => {
  const server = await fakePrometheus();
  try {
    const { emitter, error } = await collect(config(server.url));
    assert.equal(error, undefined);
    for (const [name, count] of [
      ['hw.gpu.utilization', 24],
      ['hw.gpu.memory.usage', 8],
      ['hw.gpu.memory.free', 8],
      ['hw.power', 8],
      ['hw.temperature', 16],
      ['hw.gpu.clock.sm', 8],
      ['hw.gpu.tensor.activity', 8],
    ] as const) {
      const series = emitter.samples.filter((sample) => sample.name === name);
      assert.equal(series.length, count, name);
      assert.equal(new Set(series.map((sample) => sample.labels.UUID)).size, 8, name);
      assert.ok(series.every((sample) => sample.resource_id === sample.labels.UUID));
    }
    const util = emitter.samples.find(
      (sample) =>
        sample.name === 'hw.gpu.utilization' && sample.labels.gpu === '3' && sample.labels['hw.gpu.task'] === 'general',
    )!;
    assert.equal(
      util.value,
      SERVED.find((sample) => sample.name === 'DCGM_FI_DEV_GPU_UTIL' && sample.labels.gpu === '3')!.value * 0.01,
    );
    assert.equal(util.ts, NOW.toISOString());
    const gpus = emitter.resourceRows.filter((row) => row.resource_type === 'gpu');
    assert.equal(gpus.length, 8);
    assert.ok(gpus.every((row) => row.tags?.instance === 'host-a:9400'));
    const hosts = emitter.resourceRows.filter((row) => row.resource_type === 'host');
    assert.deepEqual(
      hosts.map((row) => [row.resource_id, row.memory_bytes, row.tags?.kernel]),
      [[hostResourceId('gpu-node-0'), 2_163_728_977_920, '6.8.0-49-generic']],
    );
    const memory = emitter.samples.filter((sample) => sample.name === 'system.memory.limit');
    assert.equal(memory.length, 1);
    assert.equal(memory[0]!.resource_id, hostResourceId('gpu-node-0'));
    for (const request of server.requests)
      assert.match(request.query.get('query') ?? request.query.get('match[]') ?? '', /job="gpu"/);
    assert.ok(
      server.requests.some((request) =>
        /rate\(DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL\{job="gpu"\}\[300s\]\)/.test(request.query.get('query') ?? ''),
      ),
    );
    assert.ok(
      server.requests.some((request) => request.query.get('query') === 'node_network_receive_bytes_total{job="gpu"}'),
      'counters are read cumulative too',
    );
    assert.equal(server.requests.filter((request) => request.path === '/api/v1/label/__name__/values').length, 1);
    assert.equal(emitter.partials.length, 0);
    assert.deepEqual(server.unexpected, []);
  } finally {
    await server.close();
  }
});

test('prometheus: detection asks for the metric names once and queries only the sets that are there', async () => {
  const nodeOnly = servedSamples(hostFamilies({ node: {} }, 0));
  const server = await fakePrometheus({ served: nodeOnly });
  try {
    const { emitter, error } = await collect(config(server.url));
    assert.equal(error, undefined);
    assert.deepEqual(emitter.partials, []);
    const asked = server.requests.map((request) => request.query.get('query') ?? '');
    assert.ok(!asked.some((query) => /DCGM_|vllm:/.test(query)), asked.join('\n'));
    assert.ok(asked.some((query) => query.includes('node_cpu_seconds_total')));
    assert.equal(server.requests.filter((request) => request.path === '/api/v1/label/__name__/values').length, 1);
    assert.equal(emitter.resourceRows.filter((row) => row.resource_type === 'host').length, 1);
  } finally {
    await server.close();
  }
});

test('prometheus: dcgm: true without DCGM series, or names that match nothing, make the run partial', async () => {
  const nodeOnly = servedSamples(hostFamilies({ node: {} }, 0));
  const server = await fakePrometheus({ served: nodeOnly });
  const unrelated = await fakePrometheus({ served: [{ name: 'go_goroutines', labels: {}, value: 1 }] });
  try {
    const expected = await collect(config(server.url, { dcgm: true }));
    assert.equal(expected.error, undefined);
    assert.deepEqual(
      expected.emitter.partials.map((partial) => partial.code),
      ['NO_MATCHING_METRICS'],
    );
    assert.match(expected.emitter.partials[0]!.message, /dcgm is true, but Prometheus .* has no DCGM series/);

    const nothing = await collect(config(unrelated.url));
    assert.equal(nothing.error, undefined);
    assert.equal(nothing.emitter.samples.length, 0);
    assert.deepEqual(
      nothing.emitter.partials.map((partial) => partial.code),
      ['NO_MATCHING_METRICS'],
    );
    assert.match(
      nothing.emitter.partials[0]!.message,
      /has 2 metric names, none matched an enabled metric set \(dcgm, node_exporter, vllm\)/,
    );
  } finally {
    await unrelated.close();
    await server.close();
  }
});

test('prometheus: custom metric globs are expanded against the metric names; counters get a rate', async () => {
  const server = await fakePrometheus({
    served: [
      { name: 'myapp_requests_total', labels: { route: '/a' }, value: 40 },
      { name: 'myapp_queue_depth', labels: { queue: 'q1' }, value: 3 },
    ],
  });
  try {
    const { emitter, error } = await collect(config(server.url, { metrics: ['myapp_*'] }));
    assert.equal(error, undefined);
    assert.deepEqual(
      emitter.samples.map((sample) => [sample.name, sample.value, sample.labels.route ?? sample.labels.queue]).sort(),
      [
        ['myapp_queue_depth', 3, 'q1'],
        ['myapp_requests_total', 40, '/a'],
      ],
    );
    assert.ok(
      server.requests.some((request) => request.query.get('query') === 'rate(myapp_requests_total{job="gpu"}[300s])'),
    );
  } finally {
    await server.close();
  }
});

test('prometheus: a long window runs bounded range queries', async () => {
  const server = await fakePrometheus();
  try {
    const { error } = await collect(config(server.url), 30 * 86_400_000);
    assert.equal(error, undefined);
    const ranged = server.requests.filter((request) => request.path === '/api/v1/query_range');
    assert.ok(ranged.length > 0);
    for (const request of ranged) {
      const points =
        (Number(request.query.get('end')) - Number(request.query.get('start'))) / Number(request.query.get('step'));
      assert.ok(points <= 11_000, String(points));
    }
  } finally {
    await server.close();
  }
});

test('prometheus: a target with up == 0 makes the run partial with TARGET_DOWN naming it', async () => {
  const server = await fakePrometheus({
    up: [
      ['host-a:9400', 1],
      ['host-b:9400', 0],
    ],
  });
  try {
    const { emitter, error } = await collect(config(server.url));
    assert.equal(error, undefined);
    assert.equal(emitter.partials.length, 1);
    assert.equal(emitter.partials[0]!.code, 'TARGET_DOWN');
    assert.match(emitter.partials[0]!.message, /gpu\/host-b:9400/);
  } finally {
    await server.close();
  }
});

test('prometheus: error JSON becomes a partial naming provider, URL and errorType; NaN is skipped', async () => {
  const server = await fakePrometheus({
    names: ['nan_metric'],
    answer: (query) => {
      if (query.startsWith('sum(bad'))
        return {
          status: 400,
          body: { status: 'error', errorType: 'bad_data', error: 'parse error: unexpected end of input' },
        };
      if (query.startsWith('nan_metric'))
        return {
          body: {
            status: 'success',
            data: {
              resultType: 'vector',
              result: [
                { metric: { __name__: 'nan_metric' }, value: [1, 'NaN'] },
                { metric: { __name__: 'nan_metric', a: '1' }, value: [1, '2'] },
              ],
            },
            warnings: ['careful'],
          },
        };
      return undefined;
    },
  });
  try {
    const cfg = config(server.url, {
      queries: [{ name: 'broken', query: 'sum(bad', unit: '1', category: 'performance' }],
      metrics: ['nan_metric'],
      dcgm: false,
      node_exporter: false,
      vllm: false,
    });
    const { emitter, error } = await collect(cfg);
    assert.equal(error, undefined);
    assert.equal(emitter.partials.length, 1);
    assert.equal(emitter.partials[0]!.code, 'BAD_REQUEST');
    assert.match(
      emitter.partials[0]!.message,
      /onprem: Prometheus http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query rejected query sum\(bad\{job="gpu"\}: bad_data: parse error/,
    );
    assert.deepEqual(
      emitter.samples.map((sample) => [sample.name, sample.value]),
      [['nan_metric', 2]],
    );
  } finally {
    await server.close();
  }
});

test('prometheus: 401 fails the run with AUTH_FAILED; the bearer token is sent only when configured', async () => {
  const server = await startSimServer({
    name: 'prometheus',
    routes: [],
    guard: (request) =>
      request.headers.authorization === 'Bearer right' ? undefined : { status: 401, body: 'Unauthorized' },
  });
  try {
    const { error } = await collect(
      config(server.url, {
        prometheus_auth: { bearer_token: 'wrong', headers: { 'x-scope-orgid': 'team-a' }, insecure_skip_verify: false },
      }),
    );
    assert.ok(error instanceof Error);
    assert.equal((error as { code?: string }).code, 'AUTH_FAILED');
    assert.match(error.message, /onprem: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query/);
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer wrong');
    assert.equal(server.requests[0]!.headers['x-scope-orgid'], 'team-a');
    await collect(config(server.url));
    assert.equal(server.requests.at(-1)!.headers.authorization, undefined);
  } finally {
    await server.close();
  }
});

test('prometheus: 5xx and unreachable fail the run (no silent success)', async () => {
  const server = await fakePrometheus();
  server.faults.set([{ kind: 'server_error', status: 503 }]);
  const unavailable = await collect(config(server.url));
  assert.equal((unavailable.error as { code?: string }).code, 'UPSTREAM_UNAVAILABLE');
  const url = server.url;
  await server.close();
  const unreachable = await collect(config(url));
  assert.equal((unreachable.error as { code?: string }).code, 'NETWORK');
  assert.match((unreachable.error as Error).message, /onprem: GET http:\/\/127\.0\.0\.1/);
  assert.equal(unreachable.emitter.samples.length, 0);
});

test('prometheus: a query answering more than prometheus_series_limit series is partial TARGET_LIMIT_EXCEEDED, dropped', async () => {
  const extra = Array.from({ length: 20 }, (_, i) => ({
    name: 'DCGM_FI_DEV_GPU_TEMP',
    labels: { gpu: String(8 + i), UUID: `GPU-extra-${i}` },
    value: 50,
  }));
  const server = await fakePrometheus({ served: [...SERVED, ...extra] });
  try {
    const { emitter, error } = await collect(config(server.url, { dcgm: true, prometheus_series_limit: 10 }));
    assert.equal(error, undefined);
    assert.ok(emitter.partials.length > 0);
    assert.ok(emitter.partials.every((partial) => partial.code === 'TARGET_LIMIT_EXCEEDED'));
    const temperature = emitter.partials.find((partial) => partial.message.includes('DCGM_FI_DEV_GPU_TEMP'));
    assert.match(temperature!.message, /with more than 10 series \(prometheus_series_limit\); none of them are kept/);
    const stored = (source: string) => emitter.samples.filter((sample) => sample.labels.source_metric === source);
    assert.equal(stored('DCGM_FI_DEV_GPU_TEMP').length, 0);
    assert.equal(stored('DCGM_FI_DEV_GPU_UTIL').length, 8, 'the other queries still collect');
    assert.equal(emitter.resourceRows.filter((row) => row.resource_id.startsWith('GPU-extra')).length, 0);
    // Sent as `limit` too (limit + 1), so a Prometheus that knows the parameter truncates on its side.
    const queries = server.requests.filter((request) => request.path === '/api/v1/query');
    assert.ok(queries.length > 0 && queries.every((request) => request.query.get('limit') === '11'));
  } finally {
    await server.close();
  }
});
