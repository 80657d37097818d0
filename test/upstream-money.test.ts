// Every place a provider's money (or a quantity multiplied into money) enters the collector: an absurd value —
// `1e309`, `1e100000000`, a JSON number near the float limit, text that is no number — fails its page as
// RESPONSE_INVALID naming the provider and the field, at once, instead of stalling the process or being stored.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollectorError } from '../src/core/errors.ts';
import { silentLogger } from '../src/core/log.ts';
import { createProviderRuntime, runProvider } from '../src/runtime/run-provider.ts';
import { openSqliteSink } from '../src/sinks/sqlite/sink.ts';
import { costRow } from './support/cost-row.ts';
import { costRecordsFromCostExplorer, type CostExplorerPage } from '../src/sources/aws/map.ts';
import { dollarsPerHour, observationFromInstance } from '../src/sources/lambda-labs/map.ts';
import { hourlyRate, observationFromMachine, type PaperspaceMachine } from '../src/sources/paperspace/map.ts';
import {
  costRowsFromAccountBilling,
  costRowsFromPodBilling,
  resourceFromMyself,
  resourceFromPod,
} from '../src/sources/runpod/map.ts';
import {
  costRowsFromBillingLines,
  factsFromMetalPlan,
  factsFromPlan,
  resourceFromAccount,
  type VultrInvoiceItem,
} from '../src/sources/vultr/map.ts';

const ceGroup = (metrics: Record<string, string>): CostExplorerPage => ({
  ResultsByTime: [
    {
      TimePeriod: { Start: '2026-11-02', End: '2026-11-03' },
      Groups: [
        {
          Keys: ['Amazon Elastic Compute Cloud - Compute', 'us-east-1'],
          Metrics: Object.fromEntries(
            Object.entries({ UnblendedCost: '1', AmortizedCost: '1', NetUnblendedCost: '1', ...metrics }).map(
              ([metric, amount]) => [metric, { Amount: amount, Unit: 'USD' }],
            ),
          ),
        },
      ],
    },
  ],
});
const awsCosts = (page: CostExplorerPage) =>
  costRecordsFromCostExplorer(page, {
    provider: 'aws-main',
    billingAccountId: '111122223333',
    billingAccountName: null,
    secondDimension: 'REGION',
    accountNames: new Map(),
    collectedAt: '2026-11-03T00:00:00Z',
  });
const vultrLine = (fields: Partial<VultrInvoiceItem>): VultrInvoiceItem[] => [
  {
    description: 'Cloud GPU (gpu-1)',
    product: 'Cloud GPU',
    start_date: '2026-11-01T00:00:00+00:00',
    end_date: '2026-11-02T00:00:00+00:00',
    units: 24,
    unit_type: 'hours',
    unit_price: 2.5,
    total: 60,
    ...fields,
  },
];
const vultrLines = (items: VultrInvoiceItem[]) =>
  costRowsFromBillingLines(items, {
    provider: 'vultr',
    kind: 'invoice',
    invoiceId: '42',
    accountName: null,
    collectedAt: '2026-11-03T00:00:00Z',
    resourcesByLabel: new Map(),
  });
const runpodContext = { provider: 'runpod', collectedAt: '2026-11-03T00:00:00Z', podsById: new Map() };
const bucket = { startTime: '2026-11-02T00:00:00Z', endTime: '2026-11-03T00:00:00Z' };
const machine = (usageRate: PaperspaceMachine['usageRate']): PaperspaceMachine => ({
  id: 'ps-1',
  state: 'ready',
  usageRate,
});

/** [entry point, call with an absurd value, the field the message must name]. */
const CASES: Array<[string, () => unknown, RegExp]> = [
  [
    'aws Cost Explorer UnblendedCost',
    () => awsCosts(ceGroup({ UnblendedCost: '1e309' })),
    /^aws-main: UnblendedCost\.Amount of Amazon Elastic Compute Cloud - Compute on 2026-11-02 is "1e309"/,
  ],
  [
    'aws Cost Explorer AmortizedCost (exponent bomb)',
    () => awsCosts(ceGroup({ AmortizedCost: '1e100000000' })),
    /^aws-main: AmortizedCost\.Amount of .* is "1e100000000"/,
  ],
  [
    'aws Cost Explorer NetUnblendedCost (not a number)',
    () => awsCosts(ceGroup({ NetUnblendedCost: 'twelve' })),
    /^aws-main: NetUnblendedCost\.Amount of .* is "twelve": not a decimal number/,
  ],
  [
    'aws Cost Explorer UsageQuantity',
    () =>
      costRecordsFromCostExplorer(
        {
          ResultsByTime: [
            {
              TimePeriod: { Start: '2026-11-02', End: '2026-11-03' },
              Groups: [
                {
                  Keys: ['EC2', 'us-east-1'],
                  Metrics: {
                    UnblendedCost: { Amount: '1', Unit: 'USD' },
                    UsageQuantity: { Amount: '-1e-999999', Unit: 'Hrs' },
                  },
                },
              ],
            },
          ],
        },
        {
          provider: 'aws-main',
          billingAccountId: '1',
          billingAccountName: null,
          secondDimension: 'REGION',
          accountNames: new Map(),
          collectedAt: '2026-11-03T00:00:00Z',
        },
      ),
    /^aws-main: UsageQuantity\.Amount of EC2 on 2026-11-02 is "-1e-999999"/,
  ],
  [
    'vultr invoice item total',
    () => vultrLines(vultrLine({ total: 1e300 })),
    /^vultr: invoice item 0 total is 1e\+300/,
  ],
  [
    'vultr invoice item unit_price',
    () => vultrLines(vultrLine({ unit_price: 1e300 })),
    /^vultr: invoice item 0 unit_price is 1e\+300/,
  ],
  [
    'vultr invoice item units',
    () => vultrLines(vultrLine({ units: 1e300 })),
    /^vultr: invoice item 0 units is 1e\+300/,
  ],
  [
    'vultr invoice item total (text from a changed API)',
    () => vultrLines(vultrLine({ total: '1e309' as unknown as number })),
    /^vultr: invoice item 0 total is "1e309"/,
  ],
  [
    'vultr plan monthly_cost',
    () => factsFromPlan({ id: 'vc2-1c-1gb', monthly_cost: 1e300 } as Parameters<typeof factsFromPlan>[0], 'vultr'),
    /^vultr: plan vc2-1c-1gb monthly_cost is 1e\+300/,
  ],
  [
    'vultr bare-metal plan hourly_cost',
    () =>
      factsFromMetalPlan(
        { id: 'vbm-8c-32gb', hourly_cost: 1e300 } as Parameters<typeof factsFromMetalPlan>[0],
        'vultr',
      ),
    /^vultr: plan vbm-8c-32gb hourly_cost is 1e\+300/,
  ],
  [
    'vultr account balance',
    () =>
      resourceFromAccount(
        { balance: -1e300 } as Parameters<typeof resourceFromAccount>[0],
        undefined,
        'vultr',
        '2026-11-03T00:00:00Z',
      ),
    /^vultr: account balance is -1e\+300/,
  ],
  [
    'vultr last invoice amount',
    () =>
      resourceFromAccount(
        {} as Parameters<typeof resourceFromAccount>[0],
        { id: 1, date: '2026-11-01', type: 'invoice', amount: 1e300 },
        'vultr',
        '2026-11-03T00:00:00Z',
      ),
    /^vultr: last invoice amount is 1e\+300/,
  ],
  [
    'runpod pod billing totalAmount',
    () => costRowsFromPodBilling([{ ...bucket, podId: 'pod-1', totalAmount: 1e300 }], runpodContext),
    /^runpod: pod billing of pod-1 from 2026-11-02T00:00:00Z totalAmount is 1e\+300/,
  ],
  [
    'runpod pod billing gpuAmount',
    () => costRowsFromPodBilling([{ ...bucket, podId: 'pod-1', totalAmount: 1, gpuAmount: 1e300 }], runpodContext),
    /^runpod: pod billing of pod-1 from 2026-11-02T00:00:00Z gpuAmount is 1e\+300/,
  ],
  [
    'runpod account billing amount field',
    () => costRowsFromAccountBilling([{ ...bucket, totalAmount: 1, storageAmount: 1e300 }], runpodContext),
    /^runpod: billing from 2026-11-02T00:00:00Z storageAmount is 1e\+300/,
  ],
  [
    'runpod pod cost per hour',
    () => resourceFromPod({ id: 'pod-1', cost: 1e300 }, 'runpod', '2026-11-03T00:00:00Z'),
    /^runpod: pod pod-1 cost is 1e\+300/,
  ],
  [
    'runpod account balance',
    () => resourceFromMyself({ id: 'u1', clientBalance: 1e300 }, 'runpod', '2026-11-03T00:00:00Z'),
    /^runpod: myself clientBalance is 1e\+300/,
  ],
  [
    'lambda price_cents_per_hour',
    () => dollarsPerHour({ name: 'gpu_1x_h100', price_cents_per_hour: '1e309' }, 'lambda'),
    /^lambda: instance type gpu_1x_h100 price_cents_per_hour is "1e309"/,
  ],
  [
    'lambda observation price',
    () =>
      observationFromInstance(
        { id: 'i-1', status: 'active', instance_type: { name: 'gpu_8x', price_cents_per_hour: 1e300 } },
        'lambda',
      ),
    /^lambda: instance type gpu_8x price_cents_per_hour is 1e\+300/,
  ],
  [
    'paperspace usageRate',
    () => hourlyRate(machine('1e100000000'), 'paperspace'),
    /^paperspace: machine ps-1 usageRate is "1e100000000"/,
  ],
  [
    'paperspace observation usageRate',
    () => observationFromMachine(machine(1e300), 'paperspace'),
    /^paperspace: machine ps-1 usageRate is 1e\+300/,
  ],
];

for (const [label, call, field] of CASES)
  test(`${label}: an absurd value is RESPONSE_INVALID naming provider and field, at once`, () => {
    const started = performance.now();
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof CollectorError, `${label}: ${String(error)}`);
      assert.equal(error.code, 'RESPONSE_INVALID');
      assert.match(error.message, field);
      return true;
    });
    assert.ok(performance.now() - started < 200, `${label} took ${Math.round(performance.now() - started)} ms`);
  });

test('values inside the bounds map exactly as before', () => {
  assert.equal(awsCosts(ceGroup({ UnblendedCost: '1.2345E2' }))[0]?.billed_cost, '123.45');
  assert.equal(vultrLines(vultrLine({}))[0]?.billed_cost, '60');
  assert.equal(dollarsPerHour({ name: 'x', price_cents_per_hour: 2392 }, 'lambda'), '23.92');
  assert.equal(hourlyRate(machine('3.09'), 'paperspace'), '3.09');
  assert.equal(resourceFromPod({ id: 'p', cost: 2.69 }, 'runpod', '2026-11-03T00:00:00Z').price_per_hour, '2.69');
});

test('whatever the source, a cost or price past the bounds is refused before storage, naming provider and field', async () => {
  const sink = openSqliteSink(':memory:');
  const huge = `1${'0'.repeat(309)}`;
  const runtime = createProviderRuntime(
    {
      name: 'acme',
      display_name: 'acme',
      enabled: true,
      collector_type: 'generic',
      timing: {
        interval: 300_000,
        cost_interval: 21_600_000,
        cost_history: 90 * 86_400_000,
        cost_restatement: 3 * 86_400_000,
        metrics_backfill: 3_600_000,
        timeout: 5_000,
        run_timeout: 10_000,
        retries: 1,
        max_response_bytes: 1_000_000,
        rate_limit: undefined,
      },
    },
    {
      collect: async (context) => {
        await context.emit.costs([costRow({ billed_cost: huge })]);
      },
      shutdown: async () => undefined,
    },
  );
  const summary = await runProvider(runtime, { sink, log: silentLogger(), now: new Date('2026-11-26T10:00:00Z') });
  assert.equal(summary.status, 'failed');
  assert.equal(summary.errors[0]?.code, 'RESPONSE_INVALID');
  assert.match(
    summary.errors[0]?.message ?? '',
    /^acme: billed_cost of a cost row \(GPU Instances, 2026-11-02T00:00:00Z\) is "100000000000000000000000…" \(310 characters\): beyond ±10\^18/,
  );
  assert.equal((sink.database.prepare('SELECT count(*) AS n FROM cost_records').get() as { n: number }).n, 0);
  await sink.close();
});
