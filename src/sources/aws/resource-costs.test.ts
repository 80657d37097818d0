// Wire-level tests of `resource_costs`: the real Cost Explorer client calls GetCostAndUsageWithResources on the
// local AWS simulator over HTTP (nothing patches send()). The simulator splits the same EC2 compute lines
// GetCostAndUsage serves, so per-day totals must not move by a micro-dollar when the option is turned on.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exactCents, exactSum } from '../../../test/support/exact-money.ts';
import type { CostRecord } from '../../core/model.ts';
import { createTestContext, type TestContext } from '../../../test/support/test-context.ts';
import { resourceCostPiecesOf, type NotOptedInCode } from '../../simulator/aws/resource-costs.ts';
import { startAwsSimulator, type AwsSimulator } from '../../simulator/aws/server.ts';
import { PAYER_ACCESS_KEY, PAYER_SECRET_KEY } from '../../simulator/aws/world.ts';
import { awsConfigSchema, type AwsConfig } from './config.ts';
import { RESOURCE_COST_SERVICE } from './map-resource-costs.ts';
import { createAwsSource } from './source.ts';

const NOW = new Date('2026-01-08T06:00:00Z');
const WINDOW = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-08T00:00:00Z') };
const DAYS = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07'];
const SEED = 7;

function configFor(simulator: AwsSimulator, extra: Record<string, unknown> = {}): AwsConfig {
  const context = { problems: [], secrets: [] };
  const config = awsConfigSchema.parse(
    {
      regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
      endpoint_url: simulator.url,
      access_key_id: PAYER_ACCESS_KEY,
      secret_access_key: PAYER_SECRET_KEY,
      metrics: false,
      ...extra,
    },
    'providers.aws',
    context,
  );
  assert.deepEqual(context.problems, []);
  assert.ok(config);
  return config;
}

async function collectOnce(
  config: AwsConfig,
  options: { now?: Date; collectCosts?: boolean; costWindow?: typeof WINDOW } = {},
): Promise<TestContext> {
  const test = createTestContext({
    provider: 'aws',
    now: options.now ?? NOW,
    costWindow: options.costWindow ?? WINDOW,
  });
  const source = createAwsSource(config);
  try {
    await source.collect({ ...test.context, collectCosts: options.collectCosts ?? true });
  } finally {
    await source.shutdown();
    await test.close();
  }
  return test;
}

function totalsBy(
  rows: readonly CostRecord[],
  keyOf: (row: CostRecord) => string,
  column: 'billed_cost' | 'effective_cost' | 'contracted_cost' = 'billed_cost',
): Map<string, string> {
  const totals = new Map<string, string>();
  for (const row of rows) totals.set(keyOf(row), exactSum([totals.get(keyOf(row)) ?? '0', row[column]]));
  return new Map([...totals].sort(([a], [b]) => a.localeCompare(b)));
}

const day = (row: CostRecord) => row.charge_period_start.slice(0, 10);
const isEc2 = (row: CostRecord) => row.service_name === RESOURCE_COST_SERVICE;
/** Row identity without the run-specific collection time. */
const comparable = (rows: readonly CostRecord[]) =>
  rows.map((row) => JSON.stringify({ ...row, x_collected_at: '' })).sort();

/** GetCostAndUsageWithResources groups the payer sees per day (RESOURCE_ID x REGION), from the simulator's own split. */
function expectedResourceGroups(): number {
  return DAYS.reduce(
    (sum, isoDay) =>
      sum + new Set(resourceCostPiecesOf(SEED, isoDay).map((piece) => `${piece.resourceId}|${piece.region}`)).size,
    0,
  );
}

describe('aws resource_costs (GetCostAndUsageWithResources) against the AWS simulator', () => {
  let simulator: AwsSimulator;
  let serviceLevel: TestContext;
  before(async () => {
    simulator = await startAwsSimulator({ seed: SEED, clock: () => NOW });
    serviceLevel = await collectOnce(configFor(simulator, { inventory: false }));
  });
  after(async () => {
    assert.deepEqual(
      simulator.server.unexpected.map((request) => `${request.method} ${request.path}`),
      [],
    );
    await simulator.close();
  });

  it('per-day totals with resource_costs on equal the totals with it off, to the cent and exactly; the EC2 service rows are replaced, not repeated', async () => {
    const result = await collectOnce(configFor(simulator, { resource_costs: true }));
    assert.deepEqual(result.emitter.partials, []);
    const on = result.emitter.costRows;
    const off = serviceLevel.emitter.costRows;
    for (const column of ['billed_cost', 'effective_cost', 'contracted_cost'] as const) {
      const expected = totalsBy(off, day, column);
      const actual = totalsBy(on, day, column);
      assert.equal(actual.size, 7);
      for (const [isoDay, total] of expected) {
        assert.equal(
          exactCents(actual.get(isoDay) ?? 'missing'),
          exactCents(total),
          `${column} of ${isoDay} to the cent`,
        );
        assert.equal(actual.get(isoDay), total, `${column} of ${isoDay} exactly`);
      }
    }
    assert.deepEqual(totalsBy(on, day), simulator.expectedDailyTotals('2026-01-01', '2026-01-08'));
    // Each (day, region) EC2 total equals its service-level row; that row is replaced by exactly one residual.
    const dayRegion = (row: CostRecord) => `${day(row)}|${row.region_id}`;
    assert.deepEqual(totalsBy(on.filter(isEc2), dayRegion), totalsBy(off.filter(isEc2), dayRegion));
    const withoutResource = on.filter((row) => isEc2(row) && row.resource_id === null);
    assert.equal(
      withoutResource.length,
      off.filter(isEc2).length,
      'one residual per service-level EC2 row, no service row besides it',
    );
    // A (day, region) with resource rows has a residual; one without (no instance named) keeps its service row.
    const withResources = new Set(on.filter((row) => row.resource_id !== null).map(dayRegion));
    assert.ok(withResources.size >= 14);
    for (const row of withoutResource)
      assert.equal(row.tags?.['aws:cost-split'] === 'residual', withResources.has(dayRegion(row)), dayRegion(row));
    assert.deepEqual(
      comparable(on.filter((row) => !isEc2(row))),
      comparable(off.filter((row) => !isEc2(row))),
      'other services are untouched',
    );
    // Per-instance amounts are exactly the simulator's split.
    const perResource = totalsBy(
      on.filter((row) => row.resource_id !== null),
      (row) => `${day(row)}|${row.resource_id}`,
    );
    const simulated = new Map<string, string>();
    for (const isoDay of DAYS)
      for (const piece of resourceCostPiecesOf(SEED, isoDay))
        if (piece.resourceId !== '')
          simulated.set(
            `${isoDay}|${piece.resourceId}`,
            exactSum([simulated.get(`${isoDay}|${piece.resourceId}`) ?? '0', piece.amounts.UnblendedCost]),
          );
    assert.deepEqual(perResource, new Map([...simulated].sort(([a], [b]) => a.localeCompare(b))));
    assert.deepEqual(result.emitter.completedWindows, [{ window: WINDOW, costSource: 'billing_api' }]);
  });

  it('per-resource rows carry the GPU model and count of GPU instances from the EC2 inventory', async () => {
    const result = await collectOnce(configFor(simulator, { resource_costs: true }));
    const gpuOf = (id: string) => {
      const rows = result.emitter.costRows.filter((row) => row.resource_id === id);
      assert.ok(rows.length > 0, `cost rows for ${id}`);
      return [
        ...new Set(
          rows.map((row) =>
            JSON.stringify([
              row.resource_type,
              row.resource_name,
              row.region_id,
              row.x_gpu_model,
              row.x_gpu_count,
              row.tags?.['aws:instance-type'],
            ]),
          ),
        ),
      ].map((text) => JSON.parse(text) as unknown);
    };
    assert.deepEqual(gpuOf('i-00000000000000001'), [
      ['instance', 'train-a100', 'us-east-1', 'A100-SXM4-40GB', 8, 'p4d.24xlarge'],
    ]);
    assert.deepEqual(gpuOf('i-00000000000000002'), [
      ['instance', 'train-h100', 'us-east-1', 'H100-SXM5-80GB', 8, 'p5.48xlarge'],
    ]);
    assert.deepEqual(gpuOf('i-00000000000000005'), [['instance', 'infer-a10g', 'us-west-2', 'A10G', 4, 'g5.12xlarge']]);
    assert.deepEqual(gpuOf('i-00000000000000006'), [['instance', 'infer-l4', 'us-west-2', 'L4', 1, 'g6.xlarge']]);
    assert.deepEqual(gpuOf('i-00000000000000008'), [['instance', 'infer-l4-eu', 'eu-west-1', 'L4', 4, 'g6.12xlarge']]);
    assert.deepEqual(gpuOf('i-00000000000000003'), [['instance', 'api', 'us-east-1', null, null, 'm5.large']]);
    // Member-account instances are not in the payer's inventory: their cost stays, without GPU details.
    assert.deepEqual(gpuOf('i-0000000000000000a'), [['instance', null, 'us-east-1', null, null, null]]);
  });

  it('makes the fewest Cost Explorer calls: one paginated sequence per account for the 14-day slice, counted in the run summary', async () => {
    const before = { ...simulator.calls };
    const result = await collectOnce(configFor(simulator, { resource_costs: true, inventory: false }));
    const pages = Math.ceil(expectedResourceGroups() / 5);
    assert.ok(pages >= 3, `expected 3+ pages, got ${pages}`);
    assert.equal(result.emitter.calls['ce:GetCostAndUsage'], 25, 'the service-level sequence is unchanged');
    assert.equal(result.emitter.calls['ce:GetCostAndUsageWithResources'], pages);
    assert.equal(
      (simulator.calls['ce:GetCostAndUsageWithResources'] ?? 0) - (before['ce:GetCostAndUsageWithResources'] ?? 0),
      pages,
    );
    // Instances are still listed (without inventory rows) to give the cost rows their GPUs.
    assert.deepEqual(result.emitter.resourceRows, []);
    assert.ok(result.emitter.costRows.some((row) => row.x_gpu_model === 'H100-SXM5-80GB'));

    simulator.throttle('ce:GetCostAndUsageWithResources', 1);
    const throttled = await collectOnce(configFor(simulator, { resource_costs: true, inventory: false }));
    assert.deepEqual(throttled.emitter.partials, []);
    assert.equal(
      throttled.emitter.calls['ce:GetCostAndUsageWithResources'],
      pages + 1,
      'a throttled page is retried by the shared layer, once',
    );
    assert.deepEqual(totalsBy(throttled.emitter.costRows, day), totalsBy(serviceLevel.emitter.costRows, day));
  });

  it('makes no Cost Explorer call at all when the run skips costs, and none for resources when the window is older than 14 days', async () => {
    const skipped = await collectOnce(configFor(simulator, { resource_costs: true }), { collectCosts: false });
    assert.equal(skipped.emitter.calls['ce:GetCostAndUsage'], undefined);
    assert.equal(skipped.emitter.calls['ce:GetCostAndUsageWithResources'], undefined);
    assert.deepEqual(skipped.emitter.costRows, []);
    assert.deepEqual(skipped.emitter.completedWindows, []);
    assert.ok(skipped.emitter.resourceRows.length > 0, 'inventory is still collected');

    const old = await collectOnce(configFor(simulator, { resource_costs: true, inventory: false }), {
      now: new Date('2026-02-01T06:00:00Z'),
    });
    assert.equal(old.emitter.calls['ce:GetCostAndUsageWithResources'], undefined);
    assert.deepEqual(comparable(old.emitter.costRows), comparable(serviceLevel.emitter.costRows));
  });

  for (const code of ['DataUnavailableException', 'ValidationException'] satisfies NotOptedInCode[]) {
    it(`an account that has not opted in (${code}): a partial naming the setting; the service-level rows are kept, nothing lost`, async () => {
      const notOptedIn = await startAwsSimulator({ seed: SEED, clock: () => NOW, notOptedIn: code });
      try {
        const result = await collectOnce(configFor(notOptedIn, { resource_costs: true, inventory: false }));
        assert.equal(result.emitter.partials.length, 1);
        const [error] = result.emitter.partials;
        assert.equal(error?.code, 'BAD_REQUEST');
        assert.match(error?.message ?? '', new RegExp(`ce:GetCostAndUsageWithResources answered ${code}`));
        assert.match(
          error?.message ?? '',
          /Resource-level data at daily granularity.*Cost Management preferences.*resource_costs: false/,
        );
        assert.match(error?.message ?? '', /service-level EC2 rows were kept for 2026-01-01\.\.2026-01-08/);
        assert.equal(result.emitter.calls['ce:GetCostAndUsageWithResources'], 1, 'a permanent error is not retried');
        assert.deepEqual(
          comparable(result.emitter.costRows),
          comparable(serviceLevel.emitter.costRows),
          'exactly the service-level rows',
        );
        assert.deepEqual(
          result.emitter.completedWindows,
          [{ window: WINDOW, costSource: 'billing_api' }],
          'the service-level window is complete',
        );
      } finally {
        assert.deepEqual(notOptedIn.server.unexpected, []);
        await notOptedIn.close();
      }
    });
  }

  it("the 14-day limit's error (which speaks of granularity) is not taken for a missing opt-in", async () => {
    // Cost Explorer's clock two days ahead of ours: our oldest day is already past its 14 days.
    const now = new Date('2026-01-20T06:00:00Z');
    const ahead = await startAwsSimulator({ seed: SEED, clock: () => new Date(now.getTime() + 2 * 86_400_000) });
    try {
      const result = await collectOnce(configFor(ahead, { resource_costs: true, inventory: false }), {
        now,
        costWindow: { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-21T00:00:00Z') },
      });
      assert.equal(result.emitter.partials.length, 1);
      const message = result.emitter.partials[0]?.message ?? '';
      assert.match(message, /more than 14 days ago/);
      assert.doesNotMatch(message, /not enabled for this account|Cost Management preferences/);
      assert.match(message, /service-level EC2 rows were kept for 2026-01-07\.\.2026-01-21/);
      assert.ok(!result.emitter.costRows.some((row) => row.resource_id !== null));
    } finally {
      await ahead.close();
    }
  });

  it('opting in later turns the same window into resource rows; an IAM denial of the action is reported as such', async () => {
    simulator.resourceLevelData(false);
    const before = await collectOnce(configFor(simulator, { resource_costs: true, inventory: false }));
    assert.equal(before.emitter.partials.length, 1);
    assert.ok(!before.emitter.costRows.some((row) => row.resource_id !== null));
    simulator.resourceLevelData(true);
    const afterOptIn = await collectOnce(configFor(simulator, { resource_costs: true, inventory: false }));
    assert.deepEqual(afterOptIn.emitter.partials, []);
    assert.ok(afterOptIn.emitter.costRows.some((row) => row.resource_id !== null));

    const denied = await startAwsSimulator({ seed: SEED, clock: () => NOW });
    try {
      denied.deny('ce:GetCostAndUsageWithResources');
      const result = await collectOnce(configFor(denied, { resource_costs: true, inventory: false }));
      assert.equal(result.emitter.partials[0]?.code, 'AUTH_FAILED');
      assert.match(result.emitter.partials[0]?.message ?? '', /IAM action ce:GetCostAndUsageWithResources/);
      assert.deepEqual(totalsBy(result.emitter.costRows, day), totalsBy(serviceLevel.emitter.costRows, day));
    } finally {
      await denied.close();
    }
  });

  it('a resource read failing midway (pages emitted, then an outage): a partial, and the residuals keep every day exact', async () => {
    const broken = await startAwsSimulator({ seed: SEED, clock: () => NOW });
    try {
      broken.breakAfter('ce:GetCostAndUsageWithResources', 2);
      const result = await collectOnce(configFor(broken, { resource_costs: true, inventory: false }));
      assert.equal(result.emitter.partials.length, 1);
      assert.equal(result.emitter.partials[0]?.code, 'UPSTREAM_UNAVAILABLE');
      assert.match(result.emitter.partials[0]?.message ?? '', /resource costs: .*service-level EC2 rows were kept/);
      const resourceRows = result.emitter.costRows.filter((row) => row.resource_id !== null);
      assert.ok(
        resourceRows.length > 0 && resourceRows.length <= 10,
        `the first two pages' rows were emitted (${resourceRows.length})`,
      );
      for (const column of ['billed_cost', 'effective_cost', 'contracted_cost'] as const) {
        assert.deepEqual(
          totalsBy(result.emitter.costRows, day, column),
          totalsBy(serviceLevel.emitter.costRows, day, column),
          column,
        );
      }
      assert.deepEqual(result.emitter.completedWindows, [{ window: WINDOW, costSource: 'billing_api' }]);
    } finally {
      await broken.close();
    }
  });

  it('with group_by LINKED_ACCOUNT the split keeps every account-day total exact', async () => {
    const off = await collectOnce(configFor(simulator, { group_by: 'LINKED_ACCOUNT', inventory: false }));
    const on = await collectOnce(
      configFor(simulator, { group_by: 'LINKED_ACCOUNT', resource_costs: true, inventory: false }),
    );
    assert.deepEqual(on.emitter.partials, []);
    const dayAccount = (row: CostRecord) => `${day(row)}|${row.sub_account_id}`;
    assert.deepEqual(totalsBy(on.emitter.costRows, dayAccount), totalsBy(off.emitter.costRows, dayAccount));
    assert.ok(
      on.emitter.costRows.some(
        (row) => row.resource_id === 'i-0000000000000000a' && row.sub_account_id === '222222222222',
      ),
    );
    assert.ok(
      on.emitter.costRows
        .filter((row) => row.resource_id !== null)
        .every((row) => row.tags?.['aws:account-name'] !== undefined),
    );
  });
});
