// Joins: a provider with both an API adapter and DCGM gets inventory and cost from the API and GPU
// metrics from DCGM, joined to the instance by the DCGM Hostname label.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../src/core/config/load.ts';
import { silentLogger } from '../src/core/log.ts';
import { runCycle } from '../src/runtime/cycle.ts';
import { vultrSimulatedProvider } from '../src/simulator/vultr/server.ts';
import { openSqliteSink } from '../src/sinks/sqlite/sink.ts';
import { defaultRegistry } from '../src/sources/index.ts';
import { stringify } from 'yaml';

test('DCGM GPU metrics are joined to the Vultr instance that runs them', async () => {
  const simulation = await vultrSimulatedProvider.start({ seed: 3 });
  const sink = openSqliteSink(':memory:');
  try {
    const result = loadConfigText(stringify({ providers: { vultr: simulation.providerBlock } }), defaultRegistry(), {});
    assert.deepEqual(result.problems, []);
    const [summary] = await runCycle({
      config: result.config!,
      registry: defaultRegistry(),
      sink,
      log: silentLogger(),
    });
    assert.equal(summary?.status, 'ok', JSON.stringify(summary?.errors));
    const instance = sink.database
      .prepare(
        "SELECT resource_id, gpu_count, gpu_model FROM resources WHERE provider = 'vultr' AND resource_name = 'gpu-01'",
      )
      .get() as { resource_id: string; gpu_count: number; gpu_model: string };
    assert.equal(instance.gpu_count, 8);
    const series = sink.database
      .prepare(
        "SELECT labels FROM metric_series WHERE provider = 'vultr' AND name = 'hw.gpu.utilization' AND json_extract(labels, '$.\"hw.gpu.task\"') = 'general'",
      )
      .all() as Array<{ labels: string }>;
    assert.equal(series.length, 8, 'one series per GPU');
    for (const row of series)
      assert.equal((JSON.parse(row.labels) as Record<string, string>).instance_id, instance.resource_id);
    const gpus = sink.database
      .prepare(
        "SELECT json_extract(tags, '$.instance_id') AS instance_id, parent_resource_id FROM resources WHERE provider = 'vultr' AND resource_type = 'gpu'",
      )
      .all() as Array<{ instance_id: string; parent_resource_id: string }>;
    assert.equal(gpus.length, 8, 'the GPUs themselves are inventory rows too');
    assert.ok(
      gpus.every((gpu) => gpu.instance_id === instance.resource_id && gpu.parent_resource_id === instance.resource_id),
      'each GPU row names its instance, as its parent',
    );
    const counts = await sink.queries().gpuCounts({ provider: 'vultr' });
    const providersOf = (id: string) => counts.models.find((model) => model.gpu_model === id)?.providers;
    assert.deepEqual(
      [providersOf('H100-80GB'), providersOf('H100-SXM5-80GB')],
      [
        [{ provider: 'vultr', gpus: '16', resources: 2, covered: 0 }],
        [{ provider: 'vultr', gpus: '0', resources: 0, covered: 8 }],
      ],
      'gpu-01 (8) and metal-01 (8) count; the 8 DCGM GPUs of gpu-01 (SXM5 by their modelName) are covered by it',
    );
    // The node_exporter beside DCGM is a host row too, naming the same instance.
    const hosts = sink.database
      .prepare(
        "SELECT resource_id, json_extract(tags, '$.instance_id') AS instance_id FROM resources WHERE provider = 'vultr' AND resource_type = 'host'",
      )
      .all() as Array<{ resource_id: string; instance_id: string }>;
    assert.deepEqual(
      hosts.map((row) => [row.resource_id, row.instance_id]),
      [['host:gpu-01.example.internal', instance.resource_id]],
    );
  } finally {
    await sink.close();
    await simulation.close();
  }
});
