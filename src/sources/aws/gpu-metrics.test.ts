// GPU metrics at fleet scale, against the simulated CloudWatch's Metrics Insights limits (500 series per
// query, arbitrary which without ORDER BY): every GPU is covered, and a cap still hit is a partial.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestContext } from '../../../test/support/test-context.ts';
import { startAwsSimulator } from '../../simulator/aws/server.ts';
import { PAYER_ACCESS_KEY, PAYER_SECRET_KEY, simFleet } from '../../simulator/aws/world.ts';
import { planGpuQueries, PLANNED_SERIES_PER_QUERY } from './collect-gpu-metrics.ts';
import { awsConfigSchema, type AwsConfig } from './config.ts';
import { createAwsSource } from './source.ts';

function configFor(url: string, region: string): AwsConfig {
  const context = { problems: [], secrets: [] };
  const config = awsConfigSchema.parse(
    {
      regions: [region],
      endpoint_url: url,
      access_key_id: PAYER_ACCESS_KEY,
      secret_access_key: PAYER_SECRET_KEY,
      costs: false,
      inventory: false,
    },
    'providers.aws',
    context,
  );
  assert.deepEqual(context.problems, []);
  assert.ok(config);
  return config;
}

async function collectGpuSeries(fleet: ReturnType<typeof simFleet>, region: string) {
  const simulator = await startAwsSimulator({
    seed: 11,
    extraInstances: fleet,
    instancesPerPage: 1000,
    metricResultsPerPage: 500,
  });
  const now = new Date();
  const test = createTestContext({
    provider: 'aws',
    metricsWindow: { start: new Date(now.getTime() - 15 * 60_000), end: now },
  });
  const source = createAwsSource(configFor(simulator.url, region));
  try {
    await source.collect(test.context);
  } finally {
    await source.shutdown();
    await test.close();
  }
  const series = new Set(
    test.emitter.samples
      .filter((sample) => sample.name === 'hw.gpu.utilization')
      .map((sample) => sample.labels['hw.id'] ?? ''),
  );
  const insightsRequests = simulator.server.requests.filter((request) =>
    request.body.toString('utf8').includes('"Expression":"SELECT'),
  ).length;
  await simulator.close();
  return { series, partials: test.emitter.partials, insightsRequests };
}

describe('aws GPU metrics and the Metrics Insights 500-series cap', () => {
  it('plans one query for a small fleet and one per GPU index for a large one', () => {
    const small = planGpuQueries([
      { instanceId: 'i-1', gpuCount: 8 },
      { instanceId: 'i-2', gpuCount: 4 },
    ]);
    assert.equal(small.length, 1);
    assert.equal(small[0]?.clauses, 'FROM CWAgent GROUP BY InstanceId, "index"');
    const large = planGpuQueries([
      ...Array.from({ length: 63 }, (_, index) => ({ instanceId: `i-${index}`, gpuCount: 8 })),
      { instanceId: 'i-x', gpuCount: 1 },
    ]);
    assert.deepEqual(
      large.map((plan) => [plan.clauses, plan.label, plan.expectedSeries]),
      Array.from({ length: 8 }, (_, index) => [
        `FROM CWAgent WHERE "index" = '${index}' GROUP BY InstanceId`,
        `\${PROP('Dim.InstanceId')}/gpu${index}`,
        index === 0 ? 64 : 63,
      ]),
    );
    assert.ok(large.every((plan) => plan.expectedSeries <= PLANNED_SERIES_PER_QUERY));
    assert.deepEqual(planGpuQueries([{ instanceId: 'i-1', gpuCount: 0 }]), []);
  });

  it('70 eight-GPU instances in a region (more than 500 series): every GPU is collected, no partial', async () => {
    const fleet = simFleet({
      count: 70,
      account: '111111111111',
      region: 'us-west-2',
      type: 'p5.48xlarge',
      firstIndex: 1000,
    });
    const result = await collectGpuSeries(fleet, 'us-west-2');
    assert.deepEqual(
      result.partials.map((error) => error.message),
      [],
    );
    // The fleet's 560 GPUs plus the world's g5.12xlarge (4) and g6.xlarge (1); dev-a10g runs no agent.
    assert.equal(result.series.size, 70 * 8 + 4 + 1);
    for (const instance of fleet)
      for (let gpu = 0; gpu < 8; gpu += 1) assert.ok(result.series.has(`${instance.id}/gpu${gpu}`));
    // Four metrics, eight GPU indexes: one Insights request each (the simulator returns them in one page).
    assert.equal(result.insightsRequests, 4 * 8);
  });

  it('more than 500 instances with the same GPU index: the cap is hit and reported as partial', async () => {
    const fleet = simFleet({
      count: 505,
      account: '111111111111',
      region: 'eu-west-1',
      type: 'g6.xlarge',
      firstIndex: 2000,
    });
    const result = await collectGpuSeries(fleet, 'eu-west-1');
    assert.equal(result.partials.length, 1);
    assert.match(result.partials[0]?.message ?? '', /at most 500 series per query/);
    assert.match(result.partials[0]?.message ?? '', /GPU index 0: 500 series, MaxQueryResultsExceeded/);
    assert.ok(result.series.size > 500 && result.series.size < 505 + 4);
  });
});
