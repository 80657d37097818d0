// Wire-level tests: the real @aws-sdk/* clients talk HTTP to the local AWS simulator (nothing patches
// send()); fake static credentials come from the config.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDecimals, roundDecimal } from '../../core/decimal.ts';
import type { CostRecord } from '../../core/model.ts';
import { createTestContext, type TestContext } from '../../../test/support/test-context.ts';
import { startAwsSimulator, type AwsSimulator } from '../../simulator/aws/server.ts';
import { PAYER_ACCESS_KEY, PAYER_SECRET_KEY, simFleet } from '../../simulator/aws/world.ts';
import { awsConfigSchema, type AwsConfig } from './config.ts';
import { createAwsSource } from './source.ts';

const WINDOW = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-08T00:00:00Z') };

function parseConfig(raw: Record<string, unknown>): AwsConfig {
  const context = { problems: [], secrets: [] };
  const config = awsConfigSchema.parse(raw, 'providers.aws', context);
  assert.deepEqual(context.problems, []);
  assert.ok(config);
  return config;
}

function configFor(simulator: AwsSimulator, extra: Record<string, unknown> = {}): AwsConfig {
  return parseConfig({
    regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
    endpoint_url: simulator.url,
    access_key_id: PAYER_ACCESS_KEY,
    secret_access_key: PAYER_SECRET_KEY,
    ...extra,
  });
}

async function collectOnce(
  config: AwsConfig,
  options: { costWindow?: typeof WINDOW } = {},
): Promise<TestContext & { batches: CostRecord[][] }> {
  const test = createTestContext({ provider: 'aws', costWindow: options.costWindow ?? WINDOW });
  const batches: CostRecord[][] = [];
  const emitCosts = test.context.emit.costs;
  test.context.emit = {
    ...test.context.emit,
    costs: async (rows) => {
      batches.push(rows);
      await emitCosts(rows);
    },
  };
  const source = createAwsSource(config);
  try {
    await source.collect(test.context);
  } finally {
    await source.shutdown();
    await test.close();
  }
  return { ...test, batches };
}

function dailyTotals(
  rows: CostRecord[],
  column: 'billed_cost' | 'effective_cost' | 'contracted_cost' = 'billed_cost',
): Map<string, string> {
  const totals = new Map<string, string>();
  for (const row of rows) {
    const day = row.charge_period_start.slice(0, 10);
    totals.set(day, addDecimals(totals.get(day) ?? '0', row[column]));
  }
  return totals;
}

describe('aws source against the AWS simulator', () => {
  let simulator: AwsSimulator;
  before(async () => {
    simulator = await startAwsSimulator({ seed: 7 });
  });
  after(async () => {
    assert.deepEqual(
      simulator.server.unexpected.map((request) => `${request.method} ${request.path}`),
      [],
    );
    await simulator.close();
  });

  it('daily cost totals equal the simulator Cost Explorer sums to the cent, across pages that split days', async () => {
    const result = await collectOnce(configFor(simulator, { inventory: false, metrics: false }));
    assert.deepEqual(result.emitter.partials, []);
    const pages = result.batches.length;
    assert.ok(pages >= 3, `expected 3+ Cost Explorer pages, got ${pages}`);
    const daysPerPage = result.batches.map((rows) => new Set(rows.map((row) => row.charge_period_start)));
    const splitDays = [...new Set(result.emitter.costRows.map((row) => row.charge_period_start))].filter(
      (day) => daysPerPage.filter((days) => days.has(day)).length > 1,
    );
    assert.ok(splitDays.length >= 3, `expected days split across pages, got ${splitDays.length}`);

    const expected = simulator.expectedDailyTotals('2026-01-01', '2026-01-08');
    const actual = dailyTotals(result.emitter.costRows);
    assert.equal(actual.size, 7);
    for (const [day, total] of expected) {
      assert.equal(
        roundDecimal(actual.get(day) ?? 'missing', 2),
        roundDecimal(total, 2),
        `billed cost of ${day} to the cent`,
      );
      assert.equal(actual.get(day), total, `billed cost of ${day} exactly`);
    }
    const amortized = simulator.expectedDailyTotals('2026-01-01', '2026-01-08', { metric: 'AmortizedCost' });
    assert.deepEqual(dailyTotals(result.emitter.costRows, 'effective_cost'), amortized);
    assert.deepEqual(
      dailyTotals(result.emitter.costRows, 'contracted_cost'),
      simulator.expectedDailyTotals('2026-01-01', '2026-01-08', { metric: 'NetUnblendedCost' }),
    );
    assert.deepEqual(result.emitter.completedWindows, [{ window: WINDOW, costSource: 'billing_api' }]);
    // The Savings Plans service rows are the plan's fees: FOCUS Purchase, no usage quantity.
    const savingsPlans = result.emitter.costRows.filter(
      (row) => row.service_name === 'Savings Plans for AWS Compute usage',
    );
    assert.ok(savingsPlans.length > 0);
    assert.ok(
      savingsPlans.every(
        (row) => row.charge_category === 'Purchase' && row.pricing_quantity === null && row.region_id === null,
      ),
    );
    assert.ok(
      result.emitter.costRows
        .filter((row) => row.service_name === 'Amazon Elastic Compute Cloud - Compute')
        .every((row) => row.charge_category === 'Usage'),
    );
  });

  it('makes the minimum number of Cost Explorer calls: one request sequence for the whole window, one call per page', async () => {
    const before = simulator.calls['ce:GetCostAndUsage'] ?? 0;
    const result = await collectOnce(configFor(simulator, { inventory: false, metrics: false }));
    const groups = result.emitter.costRows.length;
    // 7 days of up to 18 SERVICE/REGION groups (some combinations bill nothing some days), 5 groups a page.
    assert.equal(groups, 124);
    assert.equal(result.emitter.calls['ce:GetCostAndUsage'], 25);
    assert.equal(result.emitter.calls['ce:GetCostAndUsage'], Math.ceil(groups / 5));
    assert.equal((simulator.calls['ce:GetCostAndUsage'] ?? 0) - before, 25);
  });

  it('a backfill reaching back more than 14 months starts on the 1st of the month, as Cost Explorer requires', async () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const old = await startAwsSimulator({ seed: 7, clock: () => now });
    const window = { start: new Date('2025-08-15T00:00:00Z'), end: new Date('2025-08-22T00:00:00Z') };
    const test = createTestContext({ provider: 'aws', now, costWindow: window });
    const source = createAwsSource(configFor(old, { inventory: false, metrics: false }));
    try {
      await source.collect(test.context);
    } finally {
      await source.shutdown();
      await test.close();
      await old.close();
    }
    assert.deepEqual(
      test.emitter.partials.map((error) => error.message),
      [],
    );
    const starts = old.server.requests
      .filter((request) => request.headers['x-amz-target'] === 'AWSInsightsIndexService.GetCostAndUsage')
      .map(
        (request) => (JSON.parse(request.body.toString('utf8')) as { TimePeriod: { Start: string } }).TimePeriod.Start,
      );
    assert.ok(starts.length > 0 && starts.every((start) => start === '2025-08-01'));
    const totals = dailyTotals(test.emitter.costRows);
    for (const [day, total] of old.expectedDailyTotals('2025-08-01', '2025-08-22'))
      assert.equal(totals.get(day), total, day);
    assert.deepEqual(test.emitter.completedWindows, [{ window, costSource: 'billing_api' }]);
  });

  it('throttled calls (CE, EC2, CloudWatch, RDS, S3, STS) are retried by the shared layer and the run completes', async () => {
    for (const operation of [
      'ce:GetCostAndUsage',
      'ec2:DescribeInstances',
      'cloudwatch:GetMetricData',
      'rds:DescribeDBInstances',
      's3:ListBuckets',
      'sts:GetCallerIdentity',
    ])
      simulator.throttle(operation, 2);
    const result = await collectOnce(configFor(simulator));
    assert.deepEqual(
      result.emitter.partials.map((error) => error.message),
      [],
    );
    // Each throttled operation was attempted twice more than it succeeded: counted, not multiplied by SDK retries.
    assert.equal(result.emitter.calls['ce:GetCostAndUsage'], 25 + 2);
    assert.equal(result.emitter.calls['sts:GetCallerIdentity'], 1 + 2);
    assert.deepEqual(dailyTotals(result.emitter.costRows), simulator.expectedDailyTotals('2026-01-01', '2026-01-08'));
    assert.ok(result.emitter.resourceRows.length > 0);
    assert.ok(result.emitter.samples.length > 0);
  });

  it('GPU instances (p4d, p5, g5, g6) carry the GPU model and count DescribeInstanceTypes reports; types are cached', async () => {
    const config = configFor(simulator, { costs: false, metrics: false });
    const source = createAwsSource(config);
    const first = createTestContext({ provider: 'aws', costWindow: WINDOW });
    await source.collect(first.context);
    const byName = new Map(
      first.emitter.resourceRows
        .filter((row) => row.resource_type === 'instance')
        .map((row) => [row.resource_name, row]),
    );
    const gpus = (name: string) => {
      const row = byName.get(name);
      return [row?.instance_type, row?.gpu_model, row?.gpu_count, row?.vcpus];
    };
    assert.deepEqual(gpus('train-a100'), ['p4d.24xlarge', 'A100-SXM4-40GB', 8, 96]);
    assert.deepEqual(gpus('train-h100'), ['p5.48xlarge', 'H100-SXM5-80GB', 8, 192]);
    assert.deepEqual(gpus('infer-a10g'), ['g5.12xlarge', 'A10G', 4, 48]);
    assert.deepEqual(gpus('dev-a10g'), ['g5.xlarge', 'A10G', 1, 4]);
    assert.deepEqual(gpus('infer-l4'), ['g6.xlarge', 'L4', 1, 4]);
    assert.deepEqual(gpus('infer-l4-eu'), ['g6.12xlarge', 'L4', 4, 48]);
    assert.deepEqual(gpus('api'), ['m5.large', null, null, 2]);
    assert.equal(byName.get('train-h100')?.tags?.['aws:instance-lifecycle'], 'spot');
    assert.equal(byName.get('train-a100')?.tags?.['aws:instance-lifecycle'], 'on-demand');
    assert.equal(byName.get('train-a100')?.tags?.['aws:availability-zone'], 'us-east-1a');
    assert.equal(byName.get('bastion')?.status, 'stopped');
    assert.equal(byName.get('train-a100')?.memory_bytes, 1_179_648 * 1_048_576);
    const buckets = first.emitter.resourceRows
      .filter((row) => row.resource_type === 'bucket')
      .map((row) => [row.resource_name, row.region_id]);
    assert.deepEqual(buckets, [
      ['acme-datasets', 'us-east-1'],
      ['acme-checkpoints', 'us-west-2'],
      ['acme-logs-eu', 'eu-west-1'],
    ]);
    const databases = first.emitter.resourceRows
      .filter((row) => row.resource_type === 'database')
      .map((row) => [row.resource_name, row.region_id, row.instance_type]);
    assert.deepEqual(databases, [
      ['orders-db', 'us-east-1', 'db.r6g.large'],
      ['analytics-db', 'us-east-1', 'db.m6g.xlarge'],
      ['eu-orders', 'eu-west-1', 'db.t4g.medium'],
    ]);
    assert.ok((first.emitter.calls['ec2:DescribeInstanceTypes'] ?? 0) > 0);
    await first.close();

    const second = createTestContext({ provider: 'aws', costWindow: WINDOW });
    await source.collect(second.context);
    assert.equal(
      second.emitter.calls['ec2:DescribeInstanceTypes'],
      undefined,
      'instance types come from the cache on later runs',
    );
    await second.close();
    await source.shutdown();
  });

  it('one instance type EC2 does not describe fails neither the batch nor the region: retried without it', async () => {
    // A type DescribeInstances reports but DescribeInstanceTypes does not know (InvalidInstanceType for the batch).
    const odd = simFleet({
      count: 1,
      account: '111111111111',
      region: 'us-east-1',
      type: 'g3s.xlarge',
      firstIndex: 900,
    });
    const withOdd = await startAwsSimulator({ seed: 7, extraInstances: odd, instancesPerPage: 10 });
    try {
      const result = await collectOnce(configFor(withOdd, { costs: false, metrics: false, regions: ['us-east-1'] }));
      assert.deepEqual(
        result.emitter.partials.map((error) => error.message),
        [],
      );
      const byName = new Map(result.emitter.resourceRows.map((row) => [row.resource_name, row]));
      // The other types are still described (how GPU models are named is not this test's business).
      assert.equal(byName.get('train-a100')?.gpu_count, 8);
      assert.ok(byName.get('train-a100')?.gpu_model);
      assert.equal(byName.get('api')?.vcpus, 2);
      assert.deepEqual(
        [byName.get('fleet-0')?.instance_type, byName.get('fleet-0')?.gpu_model, byName.get('fleet-0')?.vcpus],
        ['g3s.xlarge', null, null],
      );
      // The rejected batch, then the same batch without the unknown type.
      assert.equal(result.emitter.calls['ec2:DescribeInstanceTypes'], 2);
    } finally {
      await withOdd.close();
    }
  });

  it('CloudWatch metrics: batched GetMetricData with NextToken, OpenTelemetry names, agent GPU metrics where the agent runs', async () => {
    const now = new Date();
    const test = createTestContext({
      provider: 'aws',
      costWindow: WINDOW,
      metricsWindow: { start: new Date(now.getTime() - 30 * 60_000), end: now },
    });
    const source = createAwsSource(configFor(simulator, { costs: false }));
    await source.collect(test.context);
    await test.close();
    const samples = test.emitter.samples;
    assert.deepEqual(test.emitter.partials, []);
    const names = new Set(samples.map((sample) => sample.name));
    for (const name of [
      'system.cpu.utilization',
      'system.network.io.rate',
      'system.disk.io.rate',
      'system.disk.operations.rate',
      'aws.rds.connection.count',
      'system.filesystem.usage',
      'hw.gpu.utilization',
      'hw.gpu.memory_bandwidth.utilization',
      'hw.power',
      'hw.temperature',
    ]) {
      assert.ok(names.has(name), `missing ${name}`);
    }
    // The names mean what the Prometheus metric sets mean by them: GPU hardware says hw.type, directions use
    // OpenTelemetry's attribute keys.
    for (const sample of samples.filter((item) => item.name.startsWith('hw.'))) {
      assert.equal(sample.labels['hw.type'], 'gpu', sample.name);
    }
    assert.ok(samples.some((sample) => sample.labels['network.io.direction'] === 'receive'));
    assert.ok(!samples.some((sample) => 'direction' in sample.labels));
    // Window: 30 minutes ending 10 minutes behind now, in 5-minute periods -> 6 points a series.
    const cpu = samples.filter(
      (sample) => sample.name === 'system.cpu.utilization' && sample.resource_id === 'i-00000000000000001',
    );
    assert.equal(cpu.length, 6);
    assert.ok(
      cpu.every(
        (sample) =>
          sample.value >= 0 &&
          sample.value <= 1 &&
          sample.unit === '1' &&
          sample.labels.source_metric === 'AWS/EC2/CPUUtilization',
      ),
    );
    assert.ok(Date.parse(cpu.at(-1)?.ts ?? '') <= now.getTime() - 10 * 60_000);
    // p4d: 8 GPUs with the agent; dev-a10g runs no agent, so no GPU series for it.
    const gpuSeries = new Set(
      samples
        .filter((sample) => sample.name === 'hw.gpu.utilization')
        .map((sample) => `${sample.resource_id}/${sample.labels.gpu}`),
    );
    assert.equal([...gpuSeries].filter((series) => series.startsWith('i-00000000000000001/')).length, 8);
    assert.ok(![...gpuSeries].some((series) => series.startsWith('i-00000000000000007/')));
    assert.equal(gpuSeries.size, 8 + 8 + 4 + 1 + 4);
    // The agent's aggregated metrics (no `index`) come back as the group Other: dropped, never a GPU.
    const gpuSamples = samples.filter((sample) => sample.category === 'gpu');
    assert.ok(gpuSamples.every((sample) => /^\d+$/.test(sample.labels.gpu ?? '')));
    assert.ok(gpuSamples.every((sample) => sample.labels['hw.id'] === `${sample.resource_id}/gpu${sample.labels.gpu}`));
    // Stopped instances are not queried.
    assert.ok(!samples.some((sample) => sample.resource_id === 'i-00000000000000004'));
    // us-east-1: 3 running instances x 9 + 2 databases x 3 = 33 results at 10 a page = 4 calls, plus 4 GPU queries.
    const cloudWatchRequests = simulator.server.requests.filter(
      (request) => request.headers['x-amz-target'] === 'GraniteServiceVersion20100801.GetMetricData',
    );
    assert.ok(cloudWatchRequests.every((request) => request.headers['content-type'] === 'application/x-amz-json-1.0'));
    const body = JSON.parse(cloudWatchRequests.at(-1)?.body.toString('utf8') ?? '{}') as { StartTime: unknown };
    assert.equal(typeof body.StartTime, 'number');
    // INDEX is a Metrics Insights reserved keyword: the agent's `index` dimension must be double-quoted.
    const expressions = cloudWatchRequests.flatMap((request) =>
      (
        JSON.parse(request.body.toString('utf8')) as { MetricDataQueries: Array<{ Expression?: string }> }
      ).MetricDataQueries.flatMap((query) => (query.Expression === undefined ? [] : [query.Expression])),
    );
    assert.ok(expressions.length > 0 && expressions.every((expression) => expression.includes('"index"')));
    await source.shutdown();
  });

  it('an AccessDenied names the missing IAM action; the rest of the run goes on (partial)', async () => {
    const denied = await startAwsSimulator({ seed: 7 });
    denied.deny('ce:GetCostAndUsage');
    const result = await collectOnce(configFor(denied, { metrics: false }));
    assert.equal(result.emitter.partials.length, 1);
    const [error] = result.emitter.partials;
    assert.equal(error?.code, 'AUTH_FAILED');
    assert.match(error?.message ?? '', /IAM action ce:GetCostAndUsage/);
    assert.equal(result.emitter.calls['ce:GetCostAndUsage'], 1, 'permanent errors are not retried');
    assert.deepEqual(result.emitter.completedWindows, [], 'an incomplete window is not declared complete');
    assert.ok(result.emitter.resourceRows.length > 0);
    await denied.close();
  });

  it('assumes each configured role (with external_id) and groups costs by LINKED_ACCOUNT', async () => {
    const result = await collectOnce(
      configFor(simulator, {
        inventory: false,
        metrics: false,
        group_by: 'LINKED_ACCOUNT',
        accounts: [
          { role_arn: 'arn:aws:iam::222222222222:role/OptiInfraReadOnly', name: 'ml' },
          { role_arn: 'arn:aws:iam::333333333333:role/OptiInfraReadOnly', external_id: 'acme-web-external' },
        ],
      }),
    );
    assert.deepEqual(result.emitter.partials, []);
    assert.equal(result.emitter.calls['sts:AssumeRole'], 2);
    for (const account of ['222222222222', '333333333333']) {
      const rows = result.emitter.costRows.filter((row) => row.billing_account_id === account);
      assert.ok(rows.every((row) => row.sub_account_id === account && row.region_id === null));
      assert.deepEqual(
        dailyTotals(rows),
        simulator.expectedDailyTotals('2026-01-01', '2026-01-08', { caller: account }),
      );
    }
    assert.equal(
      result.emitter.costRows.find((row) => row.billing_account_id === '222222222222')?.billing_account_name,
      'ml',
    );
    assert.equal(
      result.emitter.costRows.find((row) => row.billing_account_id === '333333333333')?.tags?.['aws:account-name'],
      'acme-web',
    );
  });

  it('a wrong external_id fails that account only, as AUTH_FAILED naming sts:AssumeRole', async () => {
    const result = await collectOnce(
      configFor(simulator, {
        inventory: false,
        metrics: false,
        accounts: [
          { role_arn: 'arn:aws:iam::222222222222:role/OptiInfraReadOnly' },
          { role_arn: 'arn:aws:iam::333333333333:role/OptiInfraReadOnly', external_id: 'wrong' },
        ],
      }),
    );
    assert.equal(result.emitter.partials.length, 1);
    assert.equal(result.emitter.partials[0]?.code, 'AUTH_FAILED');
    assert.match(result.emitter.partials[0]?.message ?? '', /sts:AssumeRole/);
    assert.ok(result.emitter.costRows.length > 0);
    assert.deepEqual(result.emitter.completedWindows, []);
  });

  it('regions: all lists the enabled regions with DescribeRegions', async () => {
    const result = await collectOnce(configFor(simulator, { regions: ['all'], costs: false, metrics: false }));
    assert.equal(result.emitter.calls['ec2:DescribeRegions'], 1);
    assert.deepEqual(
      [
        ...new Set(
          result.emitter.resourceRows.filter((row) => row.resource_type === 'instance').map((row) => row.region_id),
        ),
      ].sort(),
      ['eu-west-1', 'us-east-1', 'us-west-2'],
    );
  });

  it('honours AWS_ENDPOINT_URL natively when no endpoint_url is configured', async () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = simulator.url;
    try {
      const config = parseConfig({
        regions: ['us-west-2'],
        access_key_id: PAYER_ACCESS_KEY,
        secret_access_key: PAYER_SECRET_KEY,
        metrics: false,
      });
      const result = await collectOnce(config);
      assert.deepEqual(result.emitter.partials, []);
      assert.ok(result.emitter.resourceRows.some((row) => row.resource_name === 'infer-l4'));
      assert.deepEqual(dailyTotals(result.emitter.costRows), simulator.expectedDailyTotals('2026-01-01', '2026-01-08'));
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });

  it('unknown credentials fail the whole run with AUTH_FAILED', async () => {
    const test = createTestContext({ provider: 'aws', costWindow: WINDOW });
    const source = createAwsSource(configFor(simulator, { access_key_id: 'AKIAUNKNOWN000000000' }));
    await assert.rejects(
      source.collect(test.context),
      (error: Error & { code?: string }) => error.code === 'AUTH_FAILED' && /sts:GetCallerIdentity/.test(error.message),
    );
    await test.close();
  });
});
