// Integration on REAL Prometheus and node_exporter (Debian packages `prometheus`, `prometheus-node-exporter`):
// Prometheus scrapes the simulated DCGM/vLLM exporter host and the real node_exporter; the collector's
// prometheus source reads through Prometheus's HTTP API; values must equal what the exporters served.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GenericConfig } from '../../src/core/config/types.ts';
import { prometheusConfigSchema } from '../../src/sources/prometheus/config.ts';
import { createTestContext } from '../support/test-context.ts';
import { startExporterHost, type ExporterHost } from '../../src/simulator/exporter-host/server.ts';
import { parseExposition, type ExpositionSample } from '../../src/sources/_common/prometheus-text/index.ts';
import { prometheusFactory } from '../../src/sources/prometheus/factory.ts';
import { hostResourceId } from '../../src/sources/_common/metric-sets/index.ts';
import { cpus, hostname } from 'node:os';
import {
  findBinary,
  freePort,
  promQuery,
  startNodeExporter,
  startPrometheus,
  waitFor,
  type RunningProcess,
} from './helpers/real-prometheus.ts';

const SKIP = process.env.OPTIINFRA_SKIP_REAL_PROMETHEUS === '1';
const prometheusBinary = findBinary('prometheus');
const nodeExporterBinary = findBinary('prometheus-node-exporter') ?? findBinary('node_exporter');
const TICK = 5;

let host: ExporterHost | undefined;
let nodeExporter: RunningProcess | undefined;
let prometheus: RunningProcess | undefined;
let deadTarget = '';

before(async () => {
  if (SKIP) return;
  if (!prometheusBinary || !nodeExporterBinary) {
    throw new Error(
      `real Prometheus integration test needs the binaries ${!prometheusBinary ? '`prometheus` ' : ''}${!nodeExporterBinary ? '`prometheus-node-exporter`' : ''}: install them with \`apt-get install -y prometheus prometheus-node-exporter\` (or set OPTIINFRA_SKIP_REAL_PROMETHEUS=1 to skip)`,
    );
  }
  host = await startExporterHost({ clock: 'manual', pages: { dcgm: { gpus: 8 }, vllm: { names: 'new' } } });
  host.setTick(TICK);
  nodeExporter = await startNodeExporter(nodeExporterBinary);
  deadTarget = `127.0.0.1:${await freePort()}`;
  const labels = { env: 'it' };
  prometheus = await startPrometheus(
    prometheusBinary,
    [
      { job: 'gpu', targets: [new URL(host.url).host], labels },
      { job: 'node', targets: [new URL(nodeExporter.url).host], labels },
      { job: 'dead', targets: [deadTarget], labels },
    ],
    1,
  );
  const url = prometheus.url;
  // Wait until Prometheus holds what the assertions read: rates need two scrapes of EACH target (the GPU
  // host's first scrape can lag node_exporter's), and the combined GPU memory limit needs all its operands.
  await waitFor(
    'Prometheus to hold 8 GPU series with rates, the memory limit, node rates and the dead target',
    async () => {
      const gpus = await promQuery(url, 'DCGM_FI_DEV_GPU_UTIL');
      const gpuRates = await promQuery(url, 'rate(DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL[5m])');
      const limits = await promQuery(
        url,
        'DCGM_FI_DEV_FB_FREE + DCGM_FI_DEV_FB_USED + (DCGM_FI_DEV_FB_RESERVED or DCGM_FI_DEV_FB_FREE * 0)',
      );
      const scrapes = await promQuery(url, 'count_over_time(up{job="gpu"}[5m])');
      const cpu = await promQuery(url, 'rate(node_cpu_seconds_total[5m])');
      const dead = await promQuery(url, 'up{job="dead"} == 0');
      const gpuScrapes = Number(scrapes[0]?.value?.[1] ?? 0);
      return gpus.length === 8 &&
        gpuRates.length === 8 &&
        limits.length === 8 &&
        gpuScrapes >= 3 &&
        cpu.length > 0 &&
        dead.length === 1
        ? true
        : undefined;
    },
    60_000,
    prometheus.log,
  );
});

after(async () => {
  await prometheus?.stop();
  await nodeExporter?.stop();
  await host?.close();
});

function genericConfig(url: string): GenericConfig {
  const auth = { headers: {}, insecure_skip_verify: false };
  return {
    ...prometheusConfigSchema.parse({}, 'test', { problems: [], secrets: [] })!,
    prometheus_url: url,
    prometheus_selector: 'env="it"',
    prometheus_auth: auth,
    scrape_targets: [],
    scrape_auth: auth,
    dcgm: true,
    node_exporter: true,
    vllm: true,
    queries: [{ name: 'custom.gpu.count', query: 'count(DCGM_FI_DEV_GPU_UTIL)', unit: '{gpu}', category: 'gpu' }],
    metrics: [],
  };
}

test(
  'real Prometheus: the collector reads exactly what the exporters served, 8 GPUs -> 8 series per GPU metric',
  { skip: SKIP ? 'OPTIINFRA_SKIP_REAL_PROMETHEUS=1' : false, timeout: 120_000 },
  async () => {
    assert.ok(prometheus && host && nodeExporter);
    const now = new Date();
    // Generous per-call timeout: under a fully loaded CI machine Prometheus can take seconds to answer.
    const harness = createTestContext({
      provider: 'onprem',
      now,
      timeoutMs: 20_000,
      metricsWindow: { start: new Date(now.getTime() - 1_000), end: now },
    });
    const source = prometheusFactory.create({ provider: 'onprem', config: genericConfig(prometheus.url) });
    try {
      await source.collect(harness.context);
    } finally {
      await source.shutdown();
      await harness.close();
    }
    const { samples, partials, resourceRows } = harness.emitter;

    // The dead target is reported, by name, as a partial failure; nothing else failed.
    assert.deepEqual(
      partials.map((partial) => partial.code),
      ['TARGET_DOWN'],
    );
    assert.ok(partials[0]!.message.includes(`dead/${deadTarget}`), partials[0]!.message);

    // DCGM: 8 series per metric, values equal to what the host served at TICK.
    const served = host.samplesAt('/metrics', TICK);
    const checks: Array<[string, string, number]> = [
      ['hw.gpu.utilization', 'DCGM_FI_DEV_GPU_UTIL', 0.01],
      ['hw.gpu.memory_bandwidth.utilization', 'DCGM_FI_DEV_MEM_COPY_UTIL', 0.01],
      ['hw.gpu.memory.usage', 'DCGM_FI_DEV_FB_USED', 1_048_576],
      ['hw.gpu.memory.free', 'DCGM_FI_DEV_FB_FREE', 1_048_576],
      ['hw.power', 'DCGM_FI_DEV_POWER_USAGE', 1],
      ['hw.energy', 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 0.001],
      ['hw.temperature', 'DCGM_FI_DEV_GPU_TEMP', 1],
      ['hw.gpu.clock.sm', 'DCGM_FI_DEV_SM_CLOCK', 1],
      ['hw.gpu.clock.memory', 'DCGM_FI_DEV_MEM_CLOCK', 1],
      ['hw.gpu.xid.last', 'DCGM_FI_DEV_XID_ERRORS', 1],
      ['hw.gpu.tensor.activity', 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 1],
      ['hw.gpu.graphics_engine.activity', 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', 1],
      ['hw.gpu.dram.activity', 'DCGM_FI_PROF_DRAM_ACTIVE', 1],
    ];
    for (const [name, sourceMetric, scale] of checks) {
      const stored = samples.filter((sample) => sample.name === name && sample.labels.source_metric === sourceMetric);
      assert.equal(stored.length, 8, `${name}: ${stored.length} series`);
      assert.equal(new Set(stored.map((sample) => sample.labels.UUID)).size, 8, name);
      for (const sample of stored) {
        const origin = served.find((item) => item.name === sourceMetric && item.labels.UUID === sample.labels.UUID);
        assert.ok(origin, `${name}: ${sample.labels.UUID} was not served`);
        assert.equal(sample.value, origin.value * scale, `${name} gpu ${sample.labels.gpu}`);
        assert.equal(sample.labels.job, 'gpu');
        assert.equal(sample.labels.modelName, 'NVIDIA H100 80GB HBM3');
      }
    }
    const limits = samples.filter((sample) => sample.name === 'hw.gpu.memory.limit');
    if (limits.length !== 8) {
      // Seen once under heavy machine load and not reproduced since: keep what Prometheus answered in the failure.
      const combine =
        'DCGM_FI_DEV_FB_FREE{env="it"} + DCGM_FI_DEV_FB_USED{env="it"} + (DCGM_FI_DEV_FB_RESERVED{env="it"} or DCGM_FI_DEV_FB_FREE{env="it"} * 0)';
      const answer = await (
        await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(combine)}&time=${now.getTime() / 1000}`)
      ).text();
      assert.fail(
        `hw.gpu.memory.limit: ${limits.length} series; Prometheus answers the combine query at ${now.toISOString()} with ${answer.slice(0, 1500)}`,
      );
    }
    assert.ok(limits.every((sample) => sample.value === 81_559 * 1_048_576));
    assert.equal(samples.filter((sample) => sample.name === 'hw.gpu.nvlink.io.rate').length, 8);
    // OpenTelemetry's hw.gpu.memory.utilization: the fraction of memory used.
    const memoryUsed = samples.filter((sample) => sample.name === 'hw.gpu.memory.utilization');
    assert.equal(memoryUsed.length, 8);
    for (const sample of memoryUsed) {
      const of = (name: string): number =>
        served.find((item) => item.name === name && item.labels.UUID === sample.labels.UUID)!.value;
      assert.equal(sample.value, of('DCGM_FI_DEV_FB_USED') / (of('DCGM_FI_DEV_FB_USED') + of('DCGM_FI_DEV_FB_FREE')));
    }

    // GPU inventory: the 8 GPUs by UUID.
    assert.deepEqual(
      new Set(resourceRows.filter((row) => row.resource_type === 'gpu').map((row) => row.resource_id)),
      new Set(served.filter((item) => item.name === 'DCGM_FI_DEV_GPU_UTIL').map((item) => item.labels.UUID)),
    );

    // vLLM: gauges equal what was served; latency quantiles exist (counters are frozen, so rates are 0 and quantiles NaN are skipped).
    const kv = samples.filter((sample) => sample.name === 'vllm.kv_cache.usage');
    assert.equal(kv.length, 1);
    assert.equal(kv[0]!.value, served.find((item) => item.name === 'vllm:kv_cache_usage_perc')!.value);
    assert.equal(samples.filter((sample) => sample.name === 'vllm.requests.finished.rate').length, 3);

    // node_exporter (real): constant values equal what it serves now; rates exist.
    const nodePage: ExpositionSample[] = [];
    parseExposition(await (await fetch(`${nodeExporter.url}/metrics`)).text(), (sample) => nodePage.push(sample));
    const memTotal = nodePage.find((sample) => sample.name === 'node_memory_MemTotal_bytes')!;
    const memLimit = samples.filter((sample) => sample.name === 'system.memory.limit');
    assert.equal(memLimit.length, 1);
    assert.equal(memLimit[0]!.value, memTotal.value);
    const sizes = nodePage.filter((sample) => sample.name === 'node_filesystem_size_bytes');
    const storedSizes = samples.filter((sample) => sample.name === 'system.filesystem.limit');
    assert.equal(storedSizes.length, sizes.length);
    for (const size of sizes)
      assert.equal(
        storedSizes.find(
          (sample) =>
            sample.labels.mountpoint === size.labels.mountpoint && sample.labels.device === size.labels.device,
        )?.value,
        size.value,
        size.labels.mountpoint,
      );
    const cpu = samples.filter((sample) => sample.name === 'system.cpu.utilization');
    assert.equal(cpu.length, 1);
    assert.ok(cpu[0]!.value >= 0 && cpu[0]!.value <= 1);
    assert.ok(
      samples.some(
        (sample) => sample.name === 'system.network.io.rate' && sample.labels['network.io.direction'] === 'receive',
      ),
    );
    // The real node_exporter's host: a host row, and its series carry its id.
    const hostRows = resourceRows.filter((row) => row.resource_type === 'host');
    assert.deepEqual(
      hostRows.map((row) => row.resource_id),
      [hostResourceId(hostname())],
    );
    assert.equal(hostRows[0]!.vcpus, cpus().length);
    assert.ok(cpu.every((sample) => sample.resource_id === hostResourceId(hostname())));
    assert.ok(samples.some((sample) => sample.name === 'system.cpu.load_average.1m'));

    // The custom query ran with the selector merged.
    assert.deepEqual(
      samples.filter((sample) => sample.name === 'custom.gpu.count').map((sample) => sample.value),
      [8],
    );
  },
);
