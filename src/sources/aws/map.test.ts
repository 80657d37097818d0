// Data-driven tests of the pure mappers: each folder testdata/<mapper>/<case>/ holds a payload recorded
// from the SDK (payload.json), what it is mapped with (context.json) and the expected rows (expected.json).
// A new case is a new folder. UPDATE_GOLDEN=1 rewrites expected.json after a deliberate mapping change.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addDecimals } from '../../core/decimal.ts';
import type { CostRecord, MetricSample, ResourceRecord } from '../../core/model.ts';
import { costRecordKey } from '../../sinks/schema.ts';
import { CollectorError } from '../../core/errors.ts';
import { costExplorerStart } from './collect-costs.ts';
import { unknownInstanceTypes } from './collect-inventory.ts';
import { resourceCostDays } from './collect-resource-costs.ts';
import { EC2_METRICS, GPU_METRICS, RDS_METRICS } from './metric-catalog.ts';
import {
  accountNamesFromCostExplorer,
  costRecordsFromCostExplorer,
  instanceTypeDetails,
  regionFromLocationConstraint,
  resourceFromBucket,
  resourceFromDbInstance,
  resourceFromInstance,
  gpuSeriesLabel,
  gpuSeriesOf,
  samplesFromGpuInsights,
  samplesFromMetricData,
  type CostExplorerPage,
  type Ec2Instance,
  type Ec2InstanceTypeInfo,
  type MetricDataResult,
  type RdsDbInstance,
} from './map.ts';
import {
  addResourceCostTotals,
  costRecordsFromResourceCosts,
  RESOURCE_COST_SERVICE,
  residualCostRecord,
  splitKeyOf,
  type KnownInstance,
  type ResourceCostMappingContext,
  type ResourceCostTotals,
} from './map-resource-costs.ts';

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

/** A resource-costs context.json: maps as JSON objects. */
type ResourceContextFile = Omit<ResourceCostMappingContext, 'accountNames' | 'instances'> & {
  accountNames: Record<string, string>;
  instances: Record<string, KnownInstance>;
};

function resourceContext(file: ResourceContextFile, pages: readonly CostExplorerPage[]): ResourceCostMappingContext {
  return {
    ...file,
    accountNames: new Map([
      ...Object.entries(file.accountNames),
      ...pages.flatMap((page) => [...accountNamesFromCostExplorer(page)]),
    ]),
    instances: new Map(Object.entries(file.instances)),
  };
}

/** Service rows of a GetCostAndUsage page, resource rows of GetCostAndUsageWithResources pages, and the residuals replacing the EC2 rows. */
function splitRows(
  payload: { service: CostExplorerPage; resources: CostExplorerPage[] },
  file: ResourceContextFile,
  resourcesUsed = Number.POSITIVE_INFINITY,
) {
  const context = resourceContext(file, [payload.service, ...payload.resources]);
  const serviceRows = costRecordsFromCostExplorer(payload.service, context).filter(
    (row) => row.service_name === RESOURCE_COST_SERVICE,
  );
  const resourceRows = payload.resources
    .flatMap((page) => costRecordsFromResourceCosts(page, context))
    .slice(0, resourcesUsed);
  const totals = new Map<string, ResourceCostTotals>();
  addResourceCostTotals(totals, resourceRows, context.secondDimension);
  const byKey = new Map(serviceRows.map((row) => [splitKeyOf(row, context.secondDimension), row]));
  const residuals = [...byKey].map(([key, row]) => residualCostRecord(row, totals.get(key)));
  for (const [key, sums] of totals) if (!byKey.has(key)) residuals.push(residualCostRecord(undefined, sums));
  return { context, serviceRows, resourceRows, residuals };
}

const MAPPERS: Record<string, (payload: never, context: never) => unknown[]> = {
  'cost-explorer': (payload: CostExplorerPage, context: Record<string, unknown>) => {
    const accountNames = new Map([
      ...Object.entries((context.accountNames ?? {}) as Record<string, string>),
      ...accountNamesFromCostExplorer(payload),
    ]);
    return costRecordsFromCostExplorer(payload, {
      ...(context as unknown as Parameters<typeof costRecordsFromCostExplorer>[1]),
      accountNames,
    });
  },
  instances: (
    payload: {
      instances: { Reservations?: Array<{ Instances?: Ec2Instance[] }> };
      instanceTypes: { InstanceTypes?: Ec2InstanceTypeInfo[] };
    },
    context: Context,
  ) => {
    const types = new Map(
      (payload.instanceTypes.InstanceTypes ?? []).map((info) => [info.InstanceType ?? '', instanceTypeDetails(info)]),
    );
    return (payload.instances.Reservations ?? [])
      .flatMap((reservation) => reservation.Instances ?? [])
      .map((instance) => resourceFromInstance(instance, types.get(instance.InstanceType ?? ''), context));
  },
  buckets: (
    payload: { Buckets?: Array<{ Name?: string; CreationDate?: Date; BucketRegion?: string }> },
    context: Context,
  ) =>
    (payload.Buckets ?? []).map((bucket) =>
      resourceFromBucket(bucket, {
        ...context,
        region: bucket.BucketRegion ?? regionFromLocationConstraint(undefined),
      }),
    ),
  databases: (payload: { DBInstances?: RdsDbInstance[] }, context: Context) =>
    (payload.DBInstances ?? []).map((db) => resourceFromDbInstance(db, context)),
  'metric-data': (
    payload: { MetricDataResults?: MetricDataResult[] },
    context: Context & { periodSeconds: number; queries: Array<{ id: string; metric: string; resourceId: string }> },
  ) =>
    (payload.MetricDataResults ?? []).flatMap((result) => {
      const query = context.queries.find((item) => item.id === result.Id);
      const spec = [...EC2_METRICS, ...RDS_METRICS].find(
        (item) => `${item.namespace}/${item.metricName}` === query?.metric,
      );
      return query && spec
        ? samplesFromMetricData(result, spec, { ...context, resourceId: query.resourceId }, context.periodSeconds)
        : [];
    }),
  'resource-costs': (payload: CostExplorerPage, context: ResourceContextFile) =>
    costRecordsFromResourceCosts(payload, resourceContext(context, [payload])),
  'resource-residual': (
    payload: { service: CostExplorerPage; resources: CostExplorerPage[] },
    context: ResourceContextFile,
  ) => splitRows(payload, context).residuals,
  'gpu-insights': (payload: { MetricDataResults?: MetricDataResult[] }, context: Context & { metric: string }) => {
    const spec = GPU_METRICS.find((item) => item.metricName === context.metric);
    assert.ok(spec);
    return (payload.MetricDataResults ?? []).flatMap((result) => samplesFromGpuInsights(result, spec, context));
  },
};

function cases(): Array<{ mapper: string; name: string; directory: string }> {
  return readdirSync(TESTDATA).flatMap((mapper) =>
    readdirSync(join(TESTDATA, mapper)).map((name) => ({ mapper, name, directory: join(TESTDATA, mapper, name) })),
  );
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
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(expectedPath))
        writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
      assert.deepEqual(actual, JSON.parse(readFileSync(expectedPath, 'utf8')));
    });
  }

  it('cost rows: CE amounts (E-notation included) stay exact; FOCUS columns are filled', () => {
    const payload = readPayload<CostExplorerPage>(
      join(TESTDATA, 'cost-explorer/service-region-split-day/payload.json'),
    );
    const rows = costRecordsFromCostExplorer(payload, {
      provider: 'aws',
      billingAccountId: '111111111111',
      billingAccountName: null,
      secondDimension: 'REGION',
      accountNames: new Map(),
      collectedAt: '2026-01-08T06:00:00Z',
    });
    assert.equal(rows.length, 5);
    const sourceAmounts = (payload.ResultsByTime ?? []).flatMap((result) =>
      (result.Groups ?? []).map((group) => group.Metrics?.UnblendedCost?.Amount ?? ''),
    );
    assert.ok(sourceAmounts.some((amount) => /E/.test(amount)) || JSON.stringify(payload).includes('E'));
    assert.equal(addDecimals('0', ...rows.map((row) => row.billed_cost)), addDecimals('0', ...sourceAmounts));
    for (const row of rows) {
      assert.ok(
        !/[eE]/.test(row.billed_cost + row.effective_cost + row.contracted_cost),
        'no exponent in stored decimals',
      );
      assert.equal(row.billing_currency, 'USD');
      assert.equal(row.billing_period_start, '2026-01-01T00:00:00Z');
      assert.equal(row.billing_period_end, '2026-02-01T00:00:00Z');
      assert.match(row.charge_period_start, /^2026-01-0[12]T00:00:00Z$/);
      assert.ok(row.service_category !== '' && row.service_name !== '');
    }
  });

  it('cost rows: Tax is a Tax charge without a region; a day ending a month bills in that month', () => {
    const payload = readPayload<CostExplorerPage>(
      join(TESTDATA, 'cost-explorer/linked-account-month-boundary/payload.json'),
    );
    const rows: CostRecord[] = costRecordsFromCostExplorer(payload, {
      provider: 'aws',
      billingAccountId: '111111111111',
      billingAccountName: 'acme-payer',
      secondDimension: 'LINKED_ACCOUNT',
      accountNames: accountNamesFromCostExplorer(payload),
      collectedAt: '2026-02-02T06:00:00Z',
    });
    const tax = rows.find((row) => row.service_name === 'Tax');
    assert.equal(tax?.charge_category, 'Tax');
    assert.equal(tax?.pricing_quantity, null);
    const january = rows.find((row) => row.charge_period_start === '2026-01-31T00:00:00Z');
    assert.equal(january?.billing_period_end, '2026-02-01T00:00:00Z');
    const february = rows.find((row) => row.charge_period_start === '2026-02-01T00:00:00Z');
    assert.equal(february?.billing_period_start, '2026-02-01T00:00:00Z');
    assert.ok(
      rows.some((row) => row.sub_account_id === '222222222222' && row.tags?.['aws:account-name'] === 'acme-ml'),
    );
  });

  it('instance types: GPU model (catalog id, AWS name kept raw) and count (p4d A100 x8, p5 H100 x8, g5, g6)', () => {
    const rows = (MAPPERS.instances as (payload: unknown, context: unknown) => ResourceRecord[])(
      readPayload(join(TESTDATA, 'instances/g5-g6/payload.json')),
      JSON.parse(readFileSync(join(TESTDATA, 'instances/g5-g6/context.json'), 'utf8')),
    );
    assert.deepEqual(
      rows.map((row) => [row.instance_type, row.gpu_model, row.gpu_model_raw, row.gpu_count]),
      [
        ['g5.12xlarge', 'A10G', 'NVIDIA A10G', 4],
        ['g6.xlarge', 'L4', 'NVIDIA L4', 1],
        ['g5.xlarge', 'A10G', 'NVIDIA A10G', 1],
      ],
    );
    const p = (MAPPERS.instances as (payload: unknown, context: unknown) => ResourceRecord[])(
      readPayload(join(TESTDATA, 'instances/p4d-p5-spot/payload.json')),
      JSON.parse(readFileSync(join(TESTDATA, 'instances/p4d-p5-spot/context.json'), 'utf8')),
    );
    assert.deepEqual(
      p
        .slice(0, 2)
        .map((row) => [row.instance_type, row.gpu_model, row.gpu_count, row.tags?.['aws:instance-lifecycle']]),
      [
        ['p4d.24xlarge', 'A100-SXM4-40GB', 8, 'on-demand'],
        ['p5.48xlarge', 'H100-SXM5-80GB', 8, 'spot'],
      ],
    );
    assert.equal(
      instanceTypeDetails({
        InstanceType: 'p5.48xlarge',
        GpuInfo: { Gpus: [{ Name: 'H100', Manufacturer: 'NVIDIA', Count: 8 }], TotalGpuMemoryInMiB: 655_360 },
      }).gpuMemoryBytes,
      655_360 * 1_048_576,
    );
  });

  it('metrics: per-period sums become per-second rates; percentages become ratios; GPU index comes from the requested Insights label', () => {
    const samples = (MAPPERS['metric-data'] as (payload: unknown, context: unknown) => MetricSample[])(
      readPayload(join(TESTDATA, 'metric-data/ec2-cpu-network/payload.json')),
      JSON.parse(readFileSync(join(TESTDATA, 'metric-data/ec2-cpu-network/context.json'), 'utf8')),
    );
    const payload = readPayload<{ MetricDataResults: MetricDataResult[] }>(
      join(TESTDATA, 'metric-data/ec2-cpu-network/payload.json'),
    );
    const networkIn = payload.MetricDataResults.find((result) => result.Id === 'q1')?.Values?.[0] ?? 0;
    assert.equal(samples.find((sample) => sample.name === 'system.network.io.rate')?.value, networkIn / 300);
    assert.ok(
      samples.filter((sample) => sample.name === 'system.cpu.utilization').every((sample) => sample.value <= 1),
    );
    const gpu = samplesFromGpuInsights(
      { Id: 'gpu', Label: 'i-0abc1234/gpu3', Timestamps: [new Date('2026-01-08T05:00:00Z')], Values: [87] },
      GPU_METRICS[0] ?? assert.fail(),
      { provider: 'aws', accountId: '1', region: 'us-east-1' },
    );
    assert.deepEqual(
      [gpu[0]?.resource_id, gpu[0]?.labels.gpu, gpu[0]?.labels['hw.id'], gpu[0]?.value, gpu[0]?.name],
      ['i-0abc1234', '3', 'i-0abc1234/gpu3', 0.87, 'hw.gpu.utilization'],
    );
  });

  it('GPU series: only the label the collector asked for identifies a GPU; Other, default and unexpanded labels are dropped', () => {
    assert.equal(gpuSeriesLabel(), "${PROP('Dim.InstanceId')}/gpu${PROP('Dim.index')}");
    assert.equal(gpuSeriesLabel('5'), "${PROP('Dim.InstanceId')}/gpu5");
    const cases: Array<[string | undefined, { instanceId: string; gpuIndex: string } | undefined]> = [
      ['i-00000000000000001/gpu7', { instanceId: 'i-00000000000000001', gpuIndex: '7' }],
      ['i-0abc1234/gpu12', { instanceId: 'i-0abc1234', gpuIndex: '12' }],
      ['i-00000000000000001/gpuOther', undefined], // metrics without an `index` dimension
      ['Other/gpu0', undefined], // metrics without an `InstanceId` dimension
      ['i-00000000000000001 3', undefined], // a default label: undocumented, never parsed
      ['Other', undefined],
      ["${PROP('Dim.InstanceId')}/gpu${PROP('Dim.index')}", undefined], // not expanded
      [undefined, undefined],
    ];
    for (const [label, expected] of cases) assert.deepEqual(gpuSeriesOf(label), expected, String(label));
    for (const label of ['i-00000000000000001/gpuOther', 'i-0abc 3', 'Other'])
      assert.deepEqual(
        samplesFromGpuInsights(
          { Id: 'gpu', Label: label, Timestamps: [new Date()], Values: [1] },
          GPU_METRICS[0] ?? assert.fail(),
          { provider: 'aws', accountId: '1', region: 'us-east-1' },
        ),
        [],
      );
  });

  it('resource costs: one row per instance and day with GPU model/count from the inventory; no row for cost without a resource ID', () => {
    const file = JSON.parse(
      readFileSync(join(TESTDATA, 'resource-costs/ec2-by-region-gpu/context.json'), 'utf8'),
    ) as ResourceContextFile;
    const payload = readPayload<CostExplorerPage>(join(TESTDATA, 'resource-costs/ec2-by-region-gpu/payload.json'));
    const rows = costRecordsFromResourceCosts(payload, resourceContext(file, [payload]));
    const groups = (payload.ResultsByTime ?? []).flatMap((result) => result.Groups ?? []);
    assert.equal(rows.length, groups.filter((group) => group.Keys?.[0] !== '').length);
    const byId = new Map(rows.map((row) => [row.resource_id, row]));
    assert.deepEqual(
      [byId.get('i-00000000000000001')?.x_gpu_model, byId.get('i-00000000000000001')?.x_gpu_count],
      ['NVIDIA A100', 8],
    );
    assert.deepEqual(
      [byId.get('i-00000000000000002')?.x_gpu_model, byId.get('i-00000000000000002')?.x_gpu_count],
      ['NVIDIA H100', 8],
    );
    assert.deepEqual(
      [byId.get('i-00000000000000003')?.x_gpu_model, byId.get('i-00000000000000003')?.x_gpu_count],
      [null, null],
    );
    for (const row of rows) {
      assert.equal(row.resource_type, 'instance');
      assert.equal(row.service_name, RESOURCE_COST_SERVICE);
      assert.equal(row.x_row_key, '');
      assert.ok(!/[eE]/.test(row.billed_cost));
      const known = file.instances[row.resource_id ?? ''];
      if (known) assert.equal(row.region_id, known.region, 'the REGION key agrees with the inventory');
    }
    const linked = JSON.parse(
      readFileSync(join(TESTDATA, 'resource-costs/ec2-by-linked-account/context.json'), 'utf8'),
    ) as ResourceContextFile;
    const linkedPayload = readPayload<CostExplorerPage>(
      join(TESTDATA, 'resource-costs/ec2-by-linked-account/payload.json'),
    );
    const unknown = costRecordsFromResourceCosts(linkedPayload, resourceContext(linked, [linkedPayload])).find(
      (row) => row.resource_id === 'i-0000000000000000a',
    );
    assert.deepEqual(
      [unknown?.sub_account_id, unknown?.region_id, unknown?.x_gpu_model, unknown?.tags?.['aws:account-name']],
      ['222222222222', null, null, 'acme-ml'],
      'an instance the inventory did not see keeps its cost, without GPU details',
    );
  });

  for (const name of ['ec2-by-region-gpu', 'ec2-by-linked-account']) {
    it(`resource costs: resource rows + residual equal the service-level row exactly, with its natural key (${name})`, () => {
      const payload = readPayload<{ service: CostExplorerPage; resources: CostExplorerPage[] }>(
        join(TESTDATA, 'resource-residual', name, 'payload.json'),
      );
      const file = JSON.parse(
        readFileSync(join(TESTDATA, 'resource-residual', name, 'context.json'), 'utf8'),
      ) as ResourceContextFile;
      // All resource rows, half of them (a read that failed midway), none (not opted in): always exact.
      for (const used of [Number.POSITIVE_INFINITY, 3, 0]) {
        const { context, serviceRows, resourceRows, residuals } = splitRows(payload, file, used);
        assert.equal(residuals.length, serviceRows.length);
        for (const service of serviceRows) {
          const key = splitKeyOf(service, context.secondDimension);
          const parts = [
            ...resourceRows.filter((row) => splitKeyOf(row, context.secondDimension) === key),
            ...residuals.filter((row) => splitKeyOf(row, context.secondDimension) === key),
          ];
          for (const column of ['billed_cost', 'effective_cost', 'contracted_cost', 'list_cost'] as const) {
            assert.equal(
              addDecimals('0', ...parts.map((row) => row[column])),
              service[column],
              `${column} of ${key} with ${used} resource rows`,
            );
          }
          const residual = residuals.find((row) => splitKeyOf(row, context.secondDimension) === key);
          assert.equal(residual?.resource_id, null);
          assert.equal(
            costRecordKey(residual ?? assert.fail()),
            costRecordKey(service),
            'the residual upserts over the service row',
          );
          if (used === 0) assert.deepEqual(residual, service, 'without resource rows the service row is kept as is');
          else if (service.pricing_quantity !== null)
            assert.equal(
              addDecimals('0', ...parts.map((row) => row.pricing_quantity ?? '0')),
              service.pricing_quantity,
            );
        }
      }
    });
  }

  it('resource costs: a resource row without a service-level row is balanced by a negative residual', () => {
    const row = costRecordsFromResourceCosts(
      {
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-01-05', End: '2026-01-06' },
            Groups: [
              {
                Keys: ['i-0abc', 'us-east-1'],
                Metrics: {
                  UnblendedCost: { Amount: '1.25', Unit: 'USD' },
                  AmortizedCost: { Amount: '1', Unit: 'USD' },
                  NetUnblendedCost: { Amount: '1.2', Unit: 'USD' },
                  UsageQuantity: { Amount: '2', Unit: 'Hrs' },
                },
              },
            ],
          },
        ],
      },
      {
        provider: 'aws',
        billingAccountId: '111111111111',
        billingAccountName: null,
        secondDimension: 'REGION',
        accountNames: new Map(),
        collectedAt: '2026-01-08T06:00:00Z',
        instances: new Map(),
      },
    );
    const totals = new Map<string, ResourceCostTotals>();
    addResourceCostTotals(totals, row, 'REGION');
    const residual = residualCostRecord(undefined, totals.get(splitKeyOf(row[0] ?? assert.fail(), 'REGION')));
    assert.deepEqual(
      [
        residual.billed_cost,
        residual.effective_cost,
        residual.contracted_cost,
        residual.pricing_quantity,
        residual.region_id,
        residual.resource_id,
      ],
      ['-1.25', '-1', '-1.2', '-2', 'us-east-1', null],
    );
  });

  it('resource costs: the slice is the last 14 days of the cost window, today included', () => {
    const now = new Date('2026-01-20T06:00:00Z');
    assert.deepEqual(
      resourceCostDays({ start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-20T06:00:00Z') }, now),
      { start: '2026-01-07', end: '2026-01-20' },
    );
    assert.deepEqual(
      resourceCostDays({ start: new Date('2026-01-15T00:00:00Z'), end: new Date('2026-01-21T00:00:00Z') }, now),
      { start: '2026-01-15', end: '2026-01-21' },
    );
    assert.equal(
      resourceCostDays({ start: new Date('2025-12-01T00:00:00Z'), end: new Date('2026-01-07T00:00:00Z') }, now),
      undefined,
    );
  });

  it('cost window start: moved back to the 1st of its month only when more than 13 months old', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const cases: Array<[string, string]> = [
      ['2026-08-15', '2026-08-15'], // within the 14 months
      ['2025-10-21', '2025-10-21'], // 12 months and 30 days back
      ['2025-10-19', '2025-10-01'], // beyond 13 months: Cost Explorer's 14-month rule is near
      ['2024-02-29', '2024-02-01'],
      ['2024-03-01', '2024-03-01'],
    ];
    for (const [start, expected] of cases)
      assert.equal(costExplorerStart(new Date(`${start}T00:00:00Z`), now), expected, start);
  });

  it('InvalidInstanceType: the types of the batch the message names; other errors are not about types', () => {
    const batch = ['g3s.xlarge', 'm5.large', 'p5.48xlarge'];
    const invalid = (message: string) => Object.assign(new Error(message), { name: 'InvalidInstanceType' });
    const cases: Array<[unknown, string[] | undefined]> = [
      [invalid('The following supplied instance types do not exist: [g3s.xlarge]'), ['g3s.xlarge']],
      [
        invalid('The following supplied instance types do not exist: [p5.48xlarge, g3s.xlarge]'),
        ['g3s.xlarge', 'p5.48xlarge'],
      ],
      [invalid('The following supplied instance types do not exist: [x1.nope]'), []],
      [invalid('Invalid instance type'), []],
      [new CollectorError('BAD_REQUEST', 'rejected', {}, { cause: invalid('... exist: [m5.large]') }), ['m5.large']],
      [Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' }), undefined],
    ];
    for (const [error, expected] of cases) assert.deepEqual(unknownInstanceTypes(error, batch), expected);
  });

  it('charge categories: Savings Plans fee services are Purchase, Tax is Tax, negative amounts are Credit', () => {
    const cases: Array<[string, string, string]> = [
      ['Savings Plans for AWS Compute usage', '120.5', 'Purchase'],
      ['Savings Plans for AWS Machine Learning', '9', 'Purchase'],
      ['Amazon Elastic Compute Cloud - Compute', '88', 'Usage'],
      ['Amazon Elastic Compute Cloud - Compute', '-3.2', 'Credit'],
      ['Tax', '4', 'Tax'],
    ];
    for (const [service, amount, category] of cases) {
      const [row] = costRecordsFromCostExplorer(
        {
          ResultsByTime: [
            {
              TimePeriod: { Start: '2026-01-05', End: '2026-01-06' },
              Groups: [
                {
                  Keys: [service, 'NoRegion'],
                  Metrics: {
                    UnblendedCost: { Amount: amount, Unit: 'USD' },
                    UsageQuantity: { Amount: '24', Unit: 'Hrs' },
                  },
                },
              ],
            },
          ],
        },
        {
          provider: 'aws',
          billingAccountId: '111111111111',
          billingAccountName: null,
          secondDimension: 'REGION',
          accountNames: new Map(),
          collectedAt: '2026-01-06T00:00:00Z',
        },
      );
      assert.equal(row?.charge_category, category, service);
      assert.equal(row?.pricing_quantity, category === 'Usage' ? '24' : null, service);
    }
  });

  it('S3 location constraints: empty is us-east-1, EU is eu-west-1', () => {
    assert.equal(regionFromLocationConstraint(''), 'us-east-1');
    assert.equal(regionFromLocationConstraint(undefined), 'us-east-1');
    assert.equal(regionFromLocationConstraint('EU'), 'eu-west-1');
    assert.equal(regionFromLocationConstraint('ap-south-1'), 'ap-south-1');
  });
});
