import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GenericConfig } from '../../core/config/types.ts';
import { createTestContext } from '../../../test/support/test-context.ts';
import { startExporterHost } from '../../simulator/exporter-host/server.ts';
import { startSimServer } from '../../simulator/server.ts';
import type { Source } from '../../core/source.ts';
import { scrapeFactory } from './factory.ts';

function config(targets: string[], extra: Partial<GenericConfig> = {}): GenericConfig {
  const auth = { headers: {}, insecure_skip_verify: false };
  return {
    prometheus_auth: auth,
    scrape_targets: targets,
    scrape_auth: auth,
    dcgm: true,
    node_exporter: true,
    vllm: true,
    queries: [],
    metrics: [],
    ...extra,
  };
}

async function collect(source: Source) {
  const harness = createTestContext({ provider: 'onprem', retry: { attempts: 2 } });
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

test('scrape: values equal what the host served, 8 GPUs -> 8 series each, rates from the second scrape', async () => {
  const host = await startExporterHost({ clock: 'manual' });
  const source = scrapeFactory.create({ provider: 'onprem', config: config([host.metricsUrl]) });
  try {
    host.setTick(7);
    const first = await collect(source);
    assert.equal(first.error, undefined);
    assert.equal(first.emitter.partials.length, 0);
    const served = host.samplesAt('/metrics', 7);
    for (const [name, source_metric, scale] of [
      ['hw.gpu.utilization', 'DCGM_FI_DEV_GPU_UTIL', 0.01],
      ['hw.gpu.power', 'DCGM_FI_DEV_POWER_USAGE', 1],
      ['hw.gpu.memory.usage', 'DCGM_FI_DEV_FB_USED', 1_048_576],
      ['hw.gpu.temperature', 'DCGM_FI_DEV_GPU_TEMP', 1],
    ] as const) {
      const stored = first.emitter.samples.filter((sample) => sample.name === name);
      assert.equal(stored.length, 8, name);
      for (const sample of stored) {
        const origin = served.find((item) => item.name === source_metric && item.labels.UUID === sample.labels.UUID)!;
        assert.equal(sample.value, origin.value * scale, name);
        assert.equal(sample.labels.source_metric, source_metric);
        assert.equal(sample.labels.instance, new URL(host.url).host);
        assert.equal(sample.labels.Hostname, 'gpu-node-0');
      }
    }
    assert.equal(
      first.emitter.samples.filter((sample) => sample.name === 'system.network.io').length,
      0,
      'no rate on a first scrape',
    );
    assert.equal(first.emitter.resourceRows.length, 8);
    assert.equal(host.served.at(-1)!.format, 'openmetrics');
    assert.equal(host.served.at(-1)!.gzip, true);

    host.setTick(8);
    const second = await collect(source);
    assert.equal(second.error, undefined);
    const rx = second.emitter.samples.filter(
      (sample) => sample.name === 'system.network.io' && sample.labels.direction === 'receive',
    );
    assert.equal(rx.length, 2);
    assert.ok(rx.every((sample) => sample.value > 0 && sample.unit === 'By/s'));
    assert.equal(second.emitter.samples.filter((sample) => sample.name === 'hw.gpu.nvlink.io').length, 8);
    assert.equal(second.emitter.samples.filter((sample) => sample.name === 'gen_ai.server.request.duration').length, 3);
    assert.equal(second.emitter.samples.filter((sample) => sample.name === 'system.cpu.utilization').length, 1);
    assert.deepEqual(host.server.unexpected, []);
  } finally {
    await source.shutdown();
    await host.close();
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
  try {
    const partial = await collect(
      scrapeFactory.create({ provider: 'onprem', config: config([host.metricsUrl, goneUrl]) }),
    );
    assert.equal(partial.error, undefined);
    assert.equal(partial.emitter.partials.length, 1);
    assert.equal(partial.emitter.partials[0]!.code, 'TARGET_DOWN');
    assert.ok(partial.emitter.partials[0]!.message.includes(goneUrl));
    assert.ok(partial.emitter.samples.length > 0);

    const allDown = await collect(scrapeFactory.create({ provider: 'onprem', config: config([goneUrl]) }));
    assert.equal((allDown.error as { code?: string }).code, 'TARGET_DOWN');
    assert.ok((allDown.error as Error).message.includes(goneUrl));

    const unauthorized = await collect(
      scrapeFactory.create({
        provider: 'onprem',
        config: config([`${locked.url}/metrics`], {
          scrape_auth: { username: 'u', password: 'p', headers: {}, insecure_skip_verify: false },
        }),
      }),
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
      scrapeFactory.create({
        provider: 'onprem',
        config: config(
          [host.metricsUrl, `${host.url}/dcgm/metrics`, `${host.url}/vllm/metrics`, `${truncated.url}/metrics`],
          { metrics: ['a'] },
        ),
      }),
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
