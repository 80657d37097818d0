// End to end through the CLI: a provider added with `providers add` is collected with no code change,
// its derived env overrides work, and collecting the same window twice duplicates nothing.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { stringify } from 'yaml';
import { exporterHostProvider } from '../src/simulator/exporter-host/provider.ts';
import { vultrSimulatedProvider } from '../src/simulator/vultr/server.ts';
import type { GpuCounts } from '../src/core/gpu-count.ts';
import type { RunningSimulation } from '../src/simulator/provider.ts';
import { runCli } from './support/cli.ts';

let exporter: RunningSimulation;
let vultr: RunningSimulation;
let directory: string;
let configPath: string;
let databasePath: string;

interface JsonRuns {
  runs: Array<{
    provider: string;
    status: string;
    costs: number;
    resources: number;
    metrics: number;
    errors: Array<{ code: string; message: string }>;
  }>;
}

const count = (table: string): number => {
  const database = new DatabaseSync(databasePath, { readOnly: true });
  try {
    return (database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    database.close();
  }
};

before(async () => {
  exporter = await exporterHostProvider.start({ seed: 7 });
  vultr = await vultrSimulatedProvider.start({ seed: 7 });
  directory = mkdtempSync(join(tmpdir(), 'optiinfra-e2e-'));
  configPath = join(directory, 'providers.yaml');
  databasePath = join(directory, 'collector.db');
  writeFileSync(
    configPath,
    `# fleet config\n${stringify({ storage: { url: `sqlite:${databasePath}` }, collection: { cost_history: '30d' }, providers: { vultr: vultr.providerBlock } })}`,
  );
});

after(async () => {
  await exporter.close();
  await vultr.close();
});

test('a provider added with `providers add` is collected with no code change', async () => {
  const target = (exporter.providerBlock.scrape_targets as string[])[0] ?? '';
  const added = await runCli(
    ['providers', 'add', 'vastai', '--scrape-target', target, '--dcgm', '--vllm', '--config', configPath],
    { cwd: directory },
  );
  assert.equal(added.code, 0, added.stderr);
  const collected = await runCli(['collect', '--provider', 'vastai', '--json', '--config', configPath], {
    cwd: directory,
  });
  assert.equal(collected.code, 0, collected.stderr);
  const [run] = (JSON.parse(collected.stdout) as JsonRuns).runs;
  assert.equal(run?.provider, 'vastai');
  assert.equal(run?.status, 'ok', JSON.stringify(run?.errors));
  assert.ok((run?.metrics ?? 0) > 100, `samples: ${run?.metrics}`);
  const database = new DatabaseSync(databasePath, { readOnly: true });
  const gpus = database
    .prepare("SELECT count(*) AS n FROM resources WHERE provider = 'vastai' AND resource_type = 'gpu'")
    .get() as { n: number };
  const utilization = database
    .prepare(
      "SELECT count(DISTINCT resource_id) AS n FROM metric_samples WHERE provider = 'vastai' AND name = 'hw.gpu.utilization'",
    )
    .get() as { n: number };
  database.close();
  assert.equal(gpus.n, 8, 'every GPU listed in inventory');
  assert.equal(utilization.n, 8, 'every GPU has its own utilization series');
});

test("the new provider's derived env overrides work", async () => {
  const disabled = await runCli(['collect', '--provider', 'vastai', '--config', configPath], {
    cwd: directory,
    env: { VASTAI_ENABLED: 'false' },
  });
  assert.equal(disabled.code, 2);
  assert.match(disabled.stderr, /vastai: the provider is disabled/);
  const redirected = await runCli(['collect', '--provider', 'vastai', '--json', '--config', configPath], {
    cwd: directory,
    env: { VASTAI_SCRAPE_TARGETS: 'http://127.0.0.1:9/metrics' },
  });
  assert.equal(redirected.code, 1);
  const [run] = (JSON.parse(redirected.stdout) as JsonRuns).runs;
  assert.equal(run?.status, 'failed');
  assert.match(run?.errors[0]?.message ?? '', /127\.0\.0\.1:9\/metrics/);
  const validated = await runCli(['config', 'validate', '--config', configPath], {
    cwd: directory,
    env: { VASTAI_PROMETHEUS_URL: 'http://prom.internal:9090' },
  });
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout, /providers\.vastai\.prometheus_url set by VASTAI_PROMETHEUS_URL/);
});

test('collecting the same window twice leaves the same cost and resource rows; runs are logged; samples add only at new timestamps', async () => {
  const first = await runCli(['collect', '--json', '--config', configPath], { cwd: directory });
  assert.equal(first.code, 0, first.stderr + first.stdout);
  const costs = count('cost_records');
  const resources = count('resources');
  const samples = count('metric_samples');
  assert.ok(costs > 0 && resources > 0);
  const second = await runCli(['collect', '--json', '--config', configPath], { cwd: directory });
  assert.equal(second.code, 0, second.stderr + second.stdout);
  // GPUs per model over storage: vastai's DCGM host (8 SXM5 by modelName), Vultr's machines by plan, and gpu-01's
  // own DCGM GPUs covered by the instance row that already counts them.
  const { gpus } = JSON.parse(second.stdout) as { gpus: GpuCounts };
  const byModel = new Map(gpus.models.map((model) => [model.gpu_model, model]));
  assert.deepEqual(byModel.get('H100-SXM5-80GB')?.providers, [
    { provider: 'vastai', gpus: '8', resources: 8, covered: 0 },
    { provider: 'vultr', gpus: '0', resources: 0, covered: 8 },
  ]);
  assert.equal(byModel.get('H100-80GB')?.gpus, '16');
  assert.equal(byModel.get('A100-80GB')?.gpus, '6.05', '4 + 1 + 1 cards and a 4 GB slice (0.05) of one');
  assert.equal(gpus.total, '41.05');
  assert.equal(count('cost_records'), costs, 'no cost row duplicated');
  assert.equal(count('resources'), resources, 'no resource row duplicated');
  assert.ok(count('metric_samples') > samples, 'a new scrape adds samples at its new timestamp');
  const database = new DatabaseSync(databasePath, { readOnly: true });
  const duplicates = database
    .prepare(
      'SELECT count(*) AS n FROM (SELECT series_id, ts_ms FROM metric_points GROUP BY series_id, ts_ms HAVING count(*) > 1)',
    )
    .get() as { n: number };
  const runs = database.prepare("SELECT count(*) AS n FROM collection_runs WHERE provider = 'vultr'").get() as {
    n: number;
  };
  database.close();
  assert.equal(duplicates.n, 0);
  assert.equal(runs.n, 2, 'each run is logged');
  const text = await runCli(['collect', '--provider', 'vultr', '--config', configPath], { cwd: directory });
  assert.match(text.stdout, /GPUs in storage by model \(physical, each counted once\):\nMODEL +VENDOR/);
  assert.match(text.stdout, /\nA100-80GB +NVIDIA +80 GB +- +6\.05 +vultr 6\.05\n/);
  assert.match(text.stdout, /8 rows not counted again: their parent/);
});
