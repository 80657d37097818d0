import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GenericConfig } from '../../core/config/types.ts';
import type { SourceState } from '../../core/source.ts';
import { createMemoryState, createTestContext } from '../../../test/support/test-context.ts';
import { startExporterHost } from '../../simulator/exporter-host/server.ts';
import { startSimServer } from '../../simulator/server.ts';
import type { Source } from '../../core/source.ts';
import { hostResourceId } from '../_common/metric-sets/index.ts';
import { scrapeConfigSchema } from './config.ts';
import { scrapeFactory } from './factory.ts';
import { createScrapeSource, SCRAPE_STATE_KEY } from './source.ts';

/** A generic block as the loader makes it: nothing switched on (every metric set detected). */
function config(targets: string[], extra: Partial<GenericConfig> = {}): GenericConfig {
  const auth = { headers: {}, insecure_skip_verify: false };
  const defaults = scrapeConfigSchema.parse({}, 'test', { problems: [], secrets: [] })!;
  return { ...defaults, prometheus_auth: auth, scrape_targets: targets, scrape_auth: auth, ...extra };
}

async function collect(source: Source, state?: SourceState) {
  const harness = createTestContext({ provider: 'onprem', retry: { attempts: 2 } });
  if (state) harness.context.state = state;
  try {
    const error = await source.collect(harness.context).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    return { emitter: harness.emitter, error };
  } finally {
    await harness.close();
  }
}

test('scrape: ONE collect of a DCGM + node_exporter + vLLM page with nothing switched on stores all three, rates included', async () => {
  const host = await startExporterHost({ tickMs: 50 });
  const source = createScrapeSource('onprem', config([host.metricsUrl]), { primeDelayMs: 200 });
  try {
    const { emitter, error } = await collect(source);
    assert.equal(error, undefined);
    assert.deepEqual(emitter.partials, []);
    // The priming scrape read counters only; the real scrape is the page the gauges come from.
    const page = host.served.at(-1)!;
    assert.equal(host.served.length, 2);
    assert.ok(page.tick > host.served[0]!.tick, 'the priming scrape came at least a tick earlier');
    const served = host.samplesAt('/metrics', page.tick);
    for (const [name, sourceMetric, scale] of [
      ['hw.gpu.utilization', 'DCGM_FI_DEV_GPU_UTIL', 0.01],
      ['hw.power', 'DCGM_FI_DEV_POWER_USAGE', 1],
      ['hw.gpu.memory.usage', 'DCGM_FI_DEV_FB_USED', 1_048_576],
      ['hw.energy', 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 0.001],
    ] as const) {
      const stored = emitter.samples.filter(
        (sample) => sample.name === name && sample.labels.source_metric === sourceMetric,
      );
      assert.equal(stored.length, 8, name);
      for (const sample of stored) {
        const origin = served.find((item) => item.name === sourceMetric && item.labels.UUID === sample.labels.UUID)!;
        assert.equal(sample.value, origin.value * scale, name);
        assert.equal(sample.labels.instance, new URL(host.url).host);
        assert.equal(sample.labels.Hostname, 'gpu-node-0');
        assert.equal(sample.resource_id, sample.labels.UUID, 'GPU series carry the GPU UUID');
      }
    }
    const named = (name: string) => emitter.samples.filter((sample) => sample.name === name);
    // Counters cumulative, under OpenTelemetry's counter names, equal to what was served.
    const rxTotal = named('system.network.io').find(
      (sample) => sample.labels.device === 'eth0' && sample.labels['network.io.direction'] === 'receive',
    )!;
    assert.equal(
      rxTotal.value,
      served.find((item) => item.name === 'node_network_receive_bytes_total' && item.labels.device === 'eth0')!.value,
    );
    assert.equal(named('system.cpu.time').length, 4 * 8);
    assert.equal(named('vllm.tokens').length, 2);
    // Rates on the first collect, from the priming scrape.
    const rx = named('system.network.io.rate').filter((sample) => sample.labels['network.io.direction'] === 'receive');
    assert.equal(rx.length, 2);
    assert.ok(rx.every((sample) => sample.unit === 'By/s' && sample.value > 0));
    assert.equal(named('system.disk.io.rate').length, 4);
    const cpu = named('system.cpu.utilization');
    assert.equal(cpu.length, 1);
    assert.ok(cpu[0]!.value > 0 && cpu[0]!.value < 1, String(cpu[0]!.value));
    assert.equal(named('vllm.tokens.rate').length, 2);
    // DCGM counters are not primed (the exporter refreshes them every 30 s): their rates start next collect.
    assert.equal(named('hw.gpu.nvlink.io.rate').length, 0);
    // Host row from node_exporter; host and vLLM series carry its id.
    const hostId = hostResourceId('gpu-node-0');
    const hostRow = emitter.resourceRows.find((row) => row.resource_type === 'host')!;
    assert.equal(hostRow.resource_id, hostId);
    assert.equal(hostRow.vcpus, 4);
    assert.equal(hostRow.memory_bytes, 2_163_728_977_920);
    assert.equal(hostRow.tags?.kernel, '6.8.0-49-generic');
    assert.equal(hostRow.tags?.os, 'Ubuntu 24.04.1 LTS');
    assert.ok(named('system.memory.usage').every((sample) => sample.resource_id === hostId));
    assert.ok(named('vllm.requests.running').every((sample) => sample.resource_id === hostId));
    assert.equal(emitter.resourceRows.filter((row) => row.resource_type === 'gpu').length, 8);
    assert.equal(page.format, 'openmetrics');
    assert.equal(page.gzip, true);
    assert.deepEqual(host.server.unexpected, []);
  } finally {
    await source.shutdown();
    await host.close();
  }
});

test('scrape: a second process gets rates (DCGM ones too) from the counters kept in SourceState', async () => {
  const host = await startExporterHost({ clock: 'manual' });
  const state = createMemoryState();
  try {
    host.setTick(7);
    const firstProcess = createScrapeSource('onprem', config([host.metricsUrl]), { primeDelayMs: 0 });
    const first = await collect(firstProcess, state);
    await firstProcess.shutdown();
    assert.equal(first.error, undefined);
    assert.equal(first.emitter.samples.filter((sample) => sample.name === 'system.network.io.rate').length, 0);
    assert.ok(state.values.has(SCRAPE_STATE_KEY));

    host.setTick(8);
    const secondProcess = createScrapeSource('onprem', config([host.metricsUrl]), { primeDelayMs: 0 });
    const second = await collect(secondProcess, state);
    await secondProcess.shutdown();
    assert.equal(second.error, undefined);
    const named = (name: string) => second.emitter.samples.filter((sample) => sample.name === name);
    assert.equal(named('system.network.io.rate').length, 4);
    assert.equal(named('system.cpu.utilization').length, 1);
    assert.equal(named('hw.gpu.nvlink.io.rate').length, 8);
    assert.equal(named('gen_ai.server.request.duration').length, 3);
    assert.ok(named('system.network.io.rate').every((sample) => sample.value >= 0));
  } finally {
    await host.close();
  }
});

test('scrape: dcgm: false leaves DCGM out; dcgm: true on a page without it is partial saying so', async () => {
  const host = await startExporterHost({ clock: 'manual', pages: { dcgm: { gpus: 2 }, node: {} } });
  try {
    const off = await collect(
      createScrapeSource('onprem', config([host.metricsUrl], { dcgm: false }), { primeDelayMs: 0 }),
    );
    assert.equal(off.error, undefined);
    assert.ok(!off.emitter.samples.some((sample) => sample.name.startsWith('hw.')));
    assert.ok(off.emitter.samples.some((sample) => sample.name === 'system.memory.limit'));
    assert.ok(off.emitter.resourceRows.every((row) => row.resource_type === 'host'));

    const expected = await collect(
      createScrapeSource('onprem', config([`${host.url}/node/metrics`], { dcgm: true, vllm: false }), {
        primeDelayMs: 0,
      }),
    );
    assert.equal(expected.error, undefined);
    assert.deepEqual(
      expected.emitter.partials.map((partial) => partial.code),
      ['NO_MATCHING_METRICS'],
    );
    assert.match(expected.emitter.partials[0]!.message, /dcgm is true, but no DCGM series \(DCGM_FI_\*\)/);
  } finally {
    await host.close();
  }
});

test('scrape: a page whose series match no enabled metric set is partial, naming how many it had', async () => {
  const page = ['# TYPE go_goroutines gauge', 'go_goroutines 12', '# TYPE up gauge', 'up 1', ''].join('\n');
  const server = await startSimServer({
    name: 'unrelated',
    routes: [
      { method: 'GET', path: '/metrics', handle: () => ({ headers: { 'content-type': 'text/plain' }, body: page }) },
    ],
  });
  try {
    const { emitter, error } = await collect(
      createScrapeSource('onprem', config([`${server.url}/metrics`]), { primeDelayMs: 0 }),
    );
    assert.equal(error, undefined);
    assert.equal(emitter.samples.length, 0);
    assert.deepEqual(
      emitter.partials.map((partial) => partial.code),
      ['NO_MATCHING_METRICS'],
    );
    assert.match(
      emitter.partials[0]!.message,
      /\/metrics had 2 series, none matched an enabled metric set \(dcgm, node_exporter, vllm\)/,
    );
  } finally {
    await server.close();
  }
});

test('scrape: custom metrics by glob, counters and gauges, labels kept; a counter gets its rate', async () => {
  let requests = 0;
  const server = await startSimServer({
    name: 'app',
    routes: [
      {
        method: 'GET',
        path: '/metrics',
        handle: () => {
          requests += 1;
          const body = [
            '# TYPE myapp_requests counter',
            `myapp_requests_total{route="/a",code="200"} ${100 * requests}`,
            'myapp_requests_created{route="/a",code="200"} 1700000000',
            '# TYPE myapp_queue_depth gauge',
            'myapp_queue_depth{queue="q1"} 7',
            '# TYPE other_thing gauge',
            'other_thing 1',
            '# EOF',
            '',
          ].join('\n');
          return { headers: { 'content-type': 'application/openmetrics-text; version=1.0.0' }, body };
        },
      },
    ],
  });
  const state = createMemoryState();
  try {
    const source = createScrapeSource('onprem', config([`${server.url}/metrics`], { metrics: ['myapp_*'] }), {
      primeDelayMs: 0,
    });
    const first = await collect(source, state);
    assert.equal(first.error, undefined);
    assert.deepEqual(
      first.emitter.samples.map((sample) => [sample.name, sample.value, sample.labels.route ?? sample.labels.queue]),
      [
        ['myapp_requests_total', 100, '/a'],
        ['myapp_queue_depth', 7, 'q1'],
      ],
    );
    assert.equal(first.emitter.samples[0]!.labels.code, '200');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await collect(source, state);
    const rate = second.emitter.samples.find((sample) => sample.name === 'myapp_requests_total.rate')!;
    assert.ok(rate.value > 0 && rate.unit === '1/s', JSON.stringify(rate));
    assert.equal(rate.labels.route, '/a');
    await source.shutdown();
  } finally {
    await server.close();
  }
});

test('scrape: text 0.0.4 and old vLLM names map the same way', async () => {
  const host = await startExporterHost({ clock: 'manual', pages: { vllm: { names: 'old' } } });
  const plain = await startSimServer({
    name: 'text-only',
    routes: [
      {
        method: 'GET',
        path: '/metrics',
        handle: async () => ({
          headers: { 'content-type': 'text/plain; version=0.0.4' },
          body: Buffer.from(
            await (await fetch(`${host.url}/vllm/metrics`, { headers: { accept: 'text/plain' } })).arrayBuffer(),
          ),
        }),
      },
    ],
  });
  const source = scrapeFactory.create({ provider: 'onprem', config: config([`${plain.url}/metrics`]) });
  try {
    const { emitter, error } = await collect(source);
    assert.equal(error, undefined);
    const kv = emitter.samples.filter((sample) => sample.name === 'vllm.kv_cache.usage');
    assert.equal(kv.length, 1);
    assert.equal(kv[0]!.labels.source_metric, 'vllm:gpu_cache_usage_perc');
  } finally {
    await source.shutdown();
    await plain.close();
    await host.close();
  }
});

test('scrape: a down target is partial TARGET_DOWN naming it; all down throws; 401 is AUTH_FAILED', async () => {
  const host = await startExporterHost({ clock: 'manual' });
  const closed = await startSimServer({ name: 'gone', routes: [] });
  const goneUrl = `${closed.url}/metrics`;
  await closed.close();
  const locked = await startSimServer({ name: 'locked', routes: [], guard: () => ({ status: 401, body: 'no' }) });
  const create = (cfg: GenericConfig) => createScrapeSource('onprem', cfg, { primeDelayMs: 0 });
  try {
    const partial = await collect(create(config([host.metricsUrl, goneUrl])));
    assert.equal(partial.error, undefined);
    assert.equal(partial.emitter.partials.length, 1);
    assert.equal(partial.emitter.partials[0]!.code, 'TARGET_DOWN');
    assert.ok(partial.emitter.partials[0]!.message.includes(goneUrl));
    assert.ok(partial.emitter.samples.length > 0);

    const allDown = await collect(create(config([goneUrl])));
    assert.equal((allDown.error as { code?: string }).code, 'TARGET_DOWN');
    assert.ok((allDown.error as Error).message.includes(goneUrl));

    const unauthorized = await collect(
      create(
        config([`${locked.url}/metrics`], {
          scrape_auth: { username: 'u', password: 'p', headers: {}, insecure_skip_verify: false },
        }),
      ),
    );
    assert.equal((unauthorized.error as { code?: string }).code, 'AUTH_FAILED');
    assert.equal(locked.requests[0]!.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  } finally {
    await locked.close();
    await host.close();
  }
});

test('scrape: 5xx, truncated OpenMetrics and oversized pages are partial failures', async () => {
  const host = await startExporterHost({ clock: 'manual' });
  const truncated = await startSimServer({
    name: 'truncated',
    routes: [
      {
        method: 'GET',
        path: '/metrics',
        handle: () => ({
          headers: { 'content-type': 'application/openmetrics-text; version=1.0.0' },
          body: '# TYPE a gauge\na 1\n',
        }),
      },
    ],
  });
  try {
    host.server.faults.set([
      { kind: 'server_error', status: 500, path: '/dcgm' },
      { kind: 'malformed', path: '/vllm' },
    ]);
    const { emitter, error } = await collect(
      createScrapeSource(
        'onprem',
        config([host.metricsUrl, `${host.url}/dcgm/metrics`, `${host.url}/vllm/metrics`, `${truncated.url}/metrics`], {
          metrics: ['a'],
        }),
        { primeDelayMs: 0 },
      ),
    );
    assert.equal(error, undefined);
    assert.deepEqual(emitter.partials.map((partial) => partial.code).sort(), [
      'RESPONSE_MALFORMED',
      'RESPONSE_MALFORMED',
      'TARGET_DOWN',
    ]);
    assert.ok(
      emitter.partials.some((partial) => partial.message.includes('/dcgm/metrics') && /HTTP 500/.test(partial.message)),
    );
  } finally {
    await truncated.close();
    await host.close();
  }
});
