// Data-driven tests of the pure mappers: each folder testdata/<mapper>/<case>/ holds a payload recorded
// from the SDK (payload.json), what it is mapped with (context.json) and the expected rows (expected.json).
// A new case is a new folder. UPDATE_GOLDEN=1 rewrites expected.json after a deliberate mapping change.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addDecimals } from '../../core/decimal.ts';
import type { CostRecord, MetricSample, ResourceRecord } from '../../core/model.ts';
import { EC2_METRICS, GPU_METRICS, RDS_METRICS } from './metric-catalog.ts';
import {
  accountNamesFromCostExplorer, costRecordsFromCostExplorer, instanceTypeDetails, regionFromLocationConstraint, resourceFromBucket,
  resourceFromDbInstance, resourceFromInstance, samplesFromGpuInsights, samplesFromMetricData,
  type CostExplorerPage, type Ec2Instance, type Ec2InstanceTypeInfo, type MetricDataResult, type RdsDbInstance,
} from './map.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');
const DATE_FIELDS = new Set(['CreationDate', 'InstanceCreateTime', 'LaunchTime']);

/** JSON.parse turning the SDK's Date fields (serialized as ISO strings) back into Dates. */
function readPayload<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8'), (key, value: unknown) => {
    if (DATE_FIELDS.has(key) && typeof value === 'string') return new Date(value);
    if (key === 'Timestamps' && Array.isArray(value)) return value.map((item) => new Date(String(item)));
    return value;
  }) as T;
}

type Context = Record<string, unknown> & { provider: string; accountId: string; region: string; seenAt: string };

const MAPPERS: Record<string, (payload: never, context: never) => unknown[]> = {
  'cost-explorer': (payload: CostExplorerPage, context: Record<string, unknown>) => {
    const accountNames = new Map([...Object.entries((context.accountNames ?? {}) as Record<string, string>), ...accountNamesFromCostExplorer(payload)]);
    return costRecordsFromCostExplorer(payload, { ...(context as unknown as Parameters<typeof costRecordsFromCostExplorer>[1]), accountNames });
  },
  instances: (payload: { instances: { Reservations?: Array<{ Instances?: Ec2Instance[] }> }; instanceTypes: { InstanceTypes?: Ec2InstanceTypeInfo[] } }, context: Context) => {
    const types = new Map((payload.instanceTypes.InstanceTypes ?? []).map((info) => [info.InstanceType ?? '', instanceTypeDetails(info)]));
    return (payload.instances.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []).map((instance) => resourceFromInstance(instance, types.get(instance.InstanceType ?? ''), context));
  },
  buckets: (payload: { Buckets?: Array<{ Name?: string; CreationDate?: Date; BucketRegion?: string }> }, context: Context) =>
    (payload.Buckets ?? []).map((bucket) => resourceFromBucket(bucket, { ...context, region: bucket.BucketRegion ?? regionFromLocationConstraint(undefined) })),
  databases: (payload: { DBInstances?: RdsDbInstance[] }, context: Context) => (payload.DBInstances ?? []).map((db) => resourceFromDbInstance(db, context)),
  'metric-data': (payload: { MetricDataResults?: MetricDataResult[] }, context: Context & { periodSeconds: number; queries: Array<{ id: string; metric: string; resourceId: string }> }) =>
    (payload.MetricDataResults ?? []).flatMap((result) => {
      const query = context.queries.find((item) => item.id === result.Id);
      const spec = [...EC2_METRICS, ...RDS_METRICS].find((item) => `${item.namespace}/${item.metricName}` === query?.metric);
      return query && spec ? samplesFromMetricData(result, spec, { ...context, resourceId: query.resourceId }, context.periodSeconds) : [];
    }),
  'gpu-insights': (payload: { MetricDataResults?: MetricDataResult[] }, context: Context & { metric: string }) => {
    const spec = GPU_METRICS.find((item) => item.metricName === context.metric);
    assert.ok(spec);
    return (payload.MetricDataResults ?? []).flatMap((result) => samplesFromGpuInsights(result, spec, context));
  },
};

function cases(): Array<{ mapper: string; name: string; directory: string }> {
  return readdirSync(TESTDATA).flatMap((mapper) => readdirSync(join(TESTDATA, mapper)).map((name) => ({ mapper, name, directory: join(TESTDATA, mapper, name) })));
}

describe('aws mappers (recorded payloads in testdata/)', () => {
  for (const testCase of cases()) {
    it(`${testCase.mapper}: ${testCase.name}`, () => {
      const map = MAPPERS[testCase.mapper];
      assert.ok(map, `no mapper for testdata/${testCase.mapper}`);
      const payload = readPayload<never>(join(testCase.directory, 'payload.json'));
      const context = JSON.parse(readFileSync(join(testCase.directory, 'context.json'), 'utf8')) as never;
      const actual = JSON.parse(JSON.stringify(map(payload, context))) as unknown;
      const expectedPath = join(testCase.directory, 'expected.json');
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(expectedPath)) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
      assert.deepEqual(actual, JSON.parse(readFileSync(expectedPath, 'utf8')));
    });
  }

  it('cost rows: CE amounts (E-notation included) stay exact; FOCUS columns are filled', () => {
    const payload = readPayload<CostExplorerPage>(join(TESTDATA, 'cost-explorer/service-region-split-day/payload.json'));
    const rows = costRecordsFromCostExplorer(payload, { provider: 'aws', billingAccountId: '111111111111', billingAccountName: null, secondDimension: 'REGION', accountNames: new Map(), collectedAt: '2026-01-08T06:00:00Z' });
    assert.equal(rows.length, 5);
    const sourceAmounts = (payload.ResultsByTime ?? []).flatMap((result) => (result.Groups ?? []).map((group) => group.Metrics?.UnblendedCost?.Amount ?? ''));
    assert.ok(sourceAmounts.some((amount) => /E/.test(amount)) || JSON.stringify(payload).includes('E'));
    assert.equal(addDecimals('0', ...rows.map((row) => row.billed_cost)), addDecimals('0', ...sourceAmounts));
    for (const row of rows) {
      assert.ok(!/[eE]/.test(row.billed_cost + row.effective_cost + row.contracted_cost), 'no exponent in stored decimals');
      assert.equal(row.billing_currency, 'USD');
      assert.equal(row.billing_period_start, '2026-01-01T00:00:00Z');
      assert.equal(row.billing_period_end, '2026-02-01T00:00:00Z');
      assert.match(row.charge_period_start, /^2026-01-0[12]T00:00:00Z$/);
      assert.ok(row.service_category !== '' && row.service_name !== '');
    }
  });

  it('cost rows: Tax is a Tax charge without a region; a day ending a month bills in that month', () => {
    const payload = readPayload<CostExplorerPage>(join(TESTDATA, 'cost-explorer/linked-account-month-boundary/payload.json'));
    const rows: CostRecord[] = costRecordsFromCostExplorer(payload, { provider: 'aws', billingAccountId: '111111111111', billingAccountName: 'acme-payer', secondDimension: 'LINKED_ACCOUNT', accountNames: accountNamesFromCostExplorer(payload), collectedAt: '2026-02-02T06:00:00Z' });
    const tax = rows.find((row) => row.service_name === 'Tax');
    assert.equal(tax?.charge_category, 'Tax');
    assert.equal(tax?.pricing_quantity, null);
    const january = rows.find((row) => row.charge_period_start === '2026-01-31T00:00:00Z');
    assert.equal(january?.billing_period_end, '2026-02-01T00:00:00Z');
    const february = rows.find((row) => row.charge_period_start === '2026-02-01T00:00:00Z');
    assert.equal(february?.billing_period_start, '2026-02-01T00:00:00Z');
    assert.ok(rows.some((row) => row.sub_account_id === '222222222222' && row.tags?.['aws:account-name'] === 'acme-ml'));
  });

  it('instance types: GPU model and count as AWS reports them (p4d A100 x8, p5 H100 x8, g5 A10G, g6 L4)', () => {
    const rows = (MAPPERS.instances as (payload: unknown, context: unknown) => ResourceRecord[])(
      readPayload(join(TESTDATA, 'instances/g5-g6/payload.json')), JSON.parse(readFileSync(join(TESTDATA, 'instances/g5-g6/context.json'), 'utf8')));
    assert.deepEqual(rows.map((row) => [row.instance_type, row.gpu_model, row.gpu_count]), [['g5.12xlarge', 'NVIDIA A10G', 4], ['g6.xlarge', 'NVIDIA L4', 1], ['g5.xlarge', 'NVIDIA A10G', 1]]);
    const p = (MAPPERS.instances as (payload: unknown, context: unknown) => ResourceRecord[])(
      readPayload(join(TESTDATA, 'instances/p4d-p5-spot/payload.json')), JSON.parse(readFileSync(join(TESTDATA, 'instances/p4d-p5-spot/context.json'), 'utf8')));
    assert.deepEqual(p.slice(0, 2).map((row) => [row.instance_type, row.gpu_model, row.gpu_count, row.tags?.['aws:instance-lifecycle']]), [['p4d.24xlarge', 'NVIDIA A100', 8, 'on-demand'], ['p5.48xlarge', 'NVIDIA H100', 8, 'spot']]);
    assert.equal(instanceTypeDetails({ InstanceType: 'p5.48xlarge', GpuInfo: { Gpus: [{ Name: 'H100', Manufacturer: 'NVIDIA', Count: 8 }], TotalGpuMemoryInMiB: 655_360 } }).gpuMemoryBytes, 655_360 * 1_048_576);
  });

  it('metrics: per-period sums become per-second rates; percentages become ratios; GPU index comes from the Insights label', () => {
    const samples = (MAPPERS['metric-data'] as (payload: unknown, context: unknown) => MetricSample[])(
      readPayload(join(TESTDATA, 'metric-data/ec2-cpu-network/payload.json')), JSON.parse(readFileSync(join(TESTDATA, 'metric-data/ec2-cpu-network/context.json'), 'utf8')));
    const payload = readPayload<{ MetricDataResults: MetricDataResult[] }>(join(TESTDATA, 'metric-data/ec2-cpu-network/payload.json'));
    const networkIn = payload.MetricDataResults.find((result) => result.Id === 'q1')?.Values?.[0] ?? 0;
    assert.equal(samples.find((sample) => sample.name === 'system.network.io')?.value, networkIn / 300);
    assert.ok(samples.filter((sample) => sample.name === 'system.cpu.utilization').every((sample) => sample.value <= 1));
    const gpu = samplesFromGpuInsights({ Id: 'gpu', Label: 'i-0abc 3', Timestamps: [new Date('2026-01-08T05:00:00Z')], Values: [87] }, GPU_METRICS[0] ?? assert.fail(), { provider: 'aws', accountId: '1', region: 'us-east-1' });
    assert.deepEqual([gpu[0]?.resource_id, gpu[0]?.labels.gpu, gpu[0]?.value, gpu[0]?.name], ['i-0abc', '3', 0.87, 'hw.gpu.utilization']);
    assert.deepEqual(samplesFromGpuInsights({ Id: 'gpu', Label: 'Other', Timestamps: [new Date()], Values: [1] }, GPU_METRICS[0] ?? assert.fail(), { provider: 'aws', accountId: '1', region: 'us-east-1' }), []);
  });

  it('S3 location constraints: empty is us-east-1, EU is eu-west-1', () => {
    assert.equal(regionFromLocationConstraint(''), 'us-east-1');
    assert.equal(regionFromLocationConstraint(undefined), 'us-east-1');
    assert.equal(regionFromLocationConstraint('EU'), 'eu-west-1');
    assert.equal(regionFromLocationConstraint('ap-south-1'), 'ap-south-1');
  });
});
