// The generic collector as a user meets it, through the CLI on REAL Prometheus and node_exporter (Debian
// packages `prometheus`, `prometheus-node-exporter`) and the simulated DCGM + vLLM exporter host:
// - a three-line provider (enabled, collector_type: generic, prometheus_url) and ONE `collect`;
// - `providers add NAME --scrape-target URL` (no switches) and ONE `collect`;
// each must store CPU utilisation, network and disk rates, GPU utilisation and memory used, and host rows.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startExporterHost, type ExporterHost } from '../../src/simulator/exporter-host/server.ts';
import { hostResourceId } from '../../src/sources/_common/metric-sets/index.ts';
import { runCli } from '../support/cli.ts';
import {
  findBinary,
  promQuery,
  startNodeExporter,
  startPrometheus,
  waitFor,
  type RunningProcess,
} from './helpers/real-prometheus.ts';

const SKIP = process.env.OPTIINFRA_SKIP_REAL_PROMETHEUS === '1';
const prometheusBinary = findBinary('prometheus');
const nodeExporterBinary = findBinary('prometheus-node-exporter') ?? findBinary('node_exporter');
const skip = SKIP ? 'OPTIINFRA_SKIP_REAL_PROMETHEUS=1' : false;

let host: ExporterHost | undefined;
let nodeExporter: RunningProcess | undefined;
let prometheus: RunningProcess | undefined;
let directory = '';

before(async () => {
  if (SKIP) return;
  if (!prometheusBinary || !nodeExporterBinary)
    throw new Error(
      'this test needs `prometheus` and `prometheus-node-exporter`: apt-get install -y prometheus prometheus-node-exporter (or OPTIINFRA_SKIP_REAL_PROMETHEUS=1)',
    );
  directory = mkdtempSync(join(tmpdir(), 'optiinfra-generic-'));
  // Wall-clock ticks: vLLM's counters and histograms grow, so Prometheus has rates and latency quantiles.
  host = await startExporterHost({ tickMs: 1_000, pages: { dcgm: { gpus: 8 }, vllm: { names: 'new' } } });
  nodeExporter = await startNodeExporter(nodeExporterBinary);
  prometheus = await startPrometheus(
    prometheusBinary,
    [
      { job: 'gpu', targets: [new URL(host.url).host] },
      { job: 'node', targets: [new URL(nodeExporter.url).host] },
    ],
    1,
  );
  const url = prometheus.url;
  await waitFor(
    'Prometheus to hold rates of every exporter',
    async () => {
      const checks = await Promise.all([
        promQuery(url, 'DCGM_FI_DEV_GPU_UTIL'),
        promQuery(url, 'rate(node_cpu_seconds_total[5m])'),
        promQuery(url, 'rate(node_network_receive_bytes_total[5m])'),
        promQuery(url, 'rate(vllm:e2e_request_latency_seconds_bucket[5m]) > 0'),
        promQuery(url, 'node_uname_info'),
      ]);
      return checks[0].length === 8 && checks.every((result) => result.length > 0) ? true : undefined;
    },
    60_000,
    prometheus.log,
  );
});

after(async () => {
  await prometheus?.stop();
  await nodeExporter?.stop();
  await host?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

interface JsonRuns {
  runs: Array<{ provider: string; status: string; metrics: number; errors: Array<{ code: string; message: string }> }>;
}

/** Series per stored name, and rows, of one provider in the SQLite file. */
function stored(databasePath: string, provider: string) {
  const database = new DatabaseSync(databasePath, { readOnly: true });
  try {
    const samples = database
      .prepare('SELECT name, value, resource_id, labels FROM metric_samples WHERE provider = ?')
      .all(provider) as Array<{ name: string; value: number; resource_id: string | null; labels: string }>;
    const resources = database
      .prepare('SELECT resource_id, resource_type, vcpus, memory_bytes, tags FROM resources WHERE provider = ?')
      .all(provider) as Array<{
      resource_id: string;
      resource_type: string;
      vcpus: number | null;
      memory_bytes: number | null;
      tags: string;
    }>;
    const series = (
      database.prepare('SELECT count(*) AS n FROM metric_series WHERE provider = ?').get(provider) as { n: number }
    ).n;
    const named = (name: string, label?: [string, string]) =>
      samples
        .filter((sample) => sample.name === name)
        .map((sample) => ({ ...sample, labels: JSON.parse(sample.labels) as Record<string, string> }))
        .filter((sample) => label === undefined || sample.labels[label[0]] === label[1]);
    return { samples, resources, series, named };
  } finally {
    database.close();
  }
}

/** What both paths must yield from ONE collect: CPU, network, disk, GPU utilisation and memory, host rows. */
function assertOneCollect(result: ReturnType<typeof stored>): void {
  const { named, resources } = result;
  const realHost = hostResourceId(hostname());
  const cpu = named('system.cpu.utilization').filter((sample) => sample.resource_id === realHost);
  assert.equal(cpu.length, 1, 'CPU utilisation of the real node_exporter host');
  assert.ok(cpu[0]!.value >= 0 && cpu[0]!.value <= 1, String(cpu[0]!.value));
  assert.ok(named('system.network.io.rate', ['network.io.direction', 'receive']).length > 0, 'network receive rate');
  assert.ok(named('system.network.io.rate', ['network.io.direction', 'transmit']).length > 0, 'network transmit rate');
  assert.ok(named('system.disk.io.rate', ['disk.io.direction', 'read']).length > 0, 'disk read rate');
  assert.ok(named('system.network.io').every((sample) => sample.resource_id === realHost && sample.value >= 0));
  assert.ok(named('system.cpu.time').length >= cpus().length, 'CPU time counters, cumulative');
  const utilization = named('hw.gpu.utilization', ['hw.gpu.task', 'general']);
  assert.equal(utilization.length, 8, 'GPU utilisation, one series per GPU');
  assert.ok(utilization.every((sample) => sample.resource_id?.startsWith('GPU-') && sample.value <= 1));
  assert.equal(named('hw.gpu.memory.usage').length, 8, 'GPU memory used');
  const memory = named('hw.gpu.memory.utilization');
  assert.equal(memory.length, 8);
  assert.ok(
    memory.every((sample) => sample.value > 0 && sample.value < 1),
    'fraction of GPU memory used',
  );
  assert.equal(named('hw.gpu.memory_bandwidth.utilization').length, 8);
  // Host rows: the real node_exporter's machine, as the OS describes itself.
  const row = resources.find((item) => item.resource_id === realHost);
  assert.ok(row, `a host row ${realHost}: ${JSON.stringify(resources.map((item) => item.resource_id))}`);
  assert.equal(row.resource_type, 'host');
  assert.equal(row.vcpus, cpus().length);
  assert.ok((row.memory_bytes ?? 0) > 0);
  assert.equal((JSON.parse(row.tags) as Record<string, string>).kernel, release());
  assert.equal(resources.filter((item) => item.resource_type === 'gpu').length, 8);
}

test(
  'three lines (enabled, collector_type: generic, prometheus_url) and ONE collect: rates, GPUs, vLLM, hosts',
  { skip, timeout: 120_000 },
  async (t) => {
    assert.ok(prometheus);
    const configPath = join(directory, 'three-lines.yaml');
    const databasePath = join(directory, 'three-lines.db');
    writeFileSync(
      configPath,
      [
        'storage:',
        `  url: sqlite:${databasePath}`,
        'providers:',
        '  myprov:',
        '    enabled: true',
        '    collector_type: generic',
        `    prometheus_url: ${prometheus.url}`,
        '',
      ].join('\n'),
    );
    const collected = await runCli(['collect', '--provider', 'myprov', '--json', '--config', configPath], {
      cwd: directory,
    });
    assert.equal(collected.code, 0, collected.stderr + collected.stdout);
    const [run] = (JSON.parse(collected.stdout) as JsonRuns).runs;
    assert.equal(run?.status, 'ok', JSON.stringify(run?.errors));
    const result = stored(databasePath, 'myprov');
    assertOneCollect(result);
    // vLLM through Prometheus: rate() over the range gives the serving rates and latency quantiles at once.
    assert.equal(result.named('gen_ai.server.request.duration').length, 3);
    assert.equal(result.named('gen_ai.server.time_to_first_token').length, 3);
    assert.equal(result.named('vllm.tokens.rate').length, 2);
    assert.equal(result.named('vllm.tokens').length, 2);
    assert.equal(result.named('hw.gpu.nvlink.io.rate').length, 8);
    t.diagnostic(`one collect through Prometheus stored ${result.series} series (${result.samples.length} samples)`);
  },
);

test(
  '`providers add NAME --scrape-target URL` (no switches) and ONE collect: rates, GPUs, hosts; a second process has DCGM rates',
  { skip, timeout: 120_000 },
  async (t) => {
    assert.ok(host && nodeExporter);
    const configPath = join(directory, 'scrape.yaml');
    const databasePath = join(directory, 'scrape.db');
    writeFileSync(configPath, `storage:\n  url: sqlite:${databasePath}\nproviders: {}\n`);
    const added = await runCli(
      [
        'providers',
        'add',
        'myprov',
        '--scrape-target',
        host.metricsUrl,
        '--scrape-target',
        `${nodeExporter.url}/metrics`,
        '--config',
        configPath,
      ],
      { cwd: directory },
    );
    assert.equal(added.code, 0, added.stderr);
    const collect = async () => {
      const collected = await runCli(['collect', '--provider', 'myprov', '--json', '--config', configPath], {
        cwd: directory,
      });
      assert.equal(collected.code, 0, collected.stderr + collected.stdout);
      const [run] = (JSON.parse(collected.stdout) as JsonRuns).runs;
      assert.equal(run?.status, 'ok', JSON.stringify(run?.errors));
    };
    await collect();
    const first = stored(databasePath, 'myprov');
    assertOneCollect(first);
    assert.equal(first.named('vllm.requests.running').length, 1);
    t.diagnostic(`one collect of two scrape targets stored ${first.series} series (${first.samples.length} samples)`);
    // DCGM's counters are not primed (30 s refresh in real exporters): their rates come with the next process,
    // from the counters the first one kept in the provider's state.
    assert.equal(first.named('hw.gpu.nvlink.io.rate').length, 0);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await collect();
    const second = stored(databasePath, 'myprov');
    assert.equal(second.named('hw.gpu.nvlink.io.rate').length, 8);
    assert.equal(second.named('gen_ai.server.request.duration').length >= 3, true);
  },
);
