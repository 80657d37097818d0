import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryState, createTestContext } from '../../../../test/support/test-context.ts';
import type { SourceState } from '../../../core/source.ts';
import { GONE, markGone, observe, type InstanceMeta, type Observation } from './history.ts';
import { LAMBDA_BILLING_RULE } from './provider-rules.ts';
import { createDerivedCostTracker, historyKey } from './tracker.ts';

const META: InstanceMeta = {
  name: 'trainer',
  instanceType: 'gpu_8x_h100_sxm5',
  region: 'us-east-1',
  gpuModel: 'H100 (80 GB SXM5)',
  gpuCount: 8,
  resourceType: 'instance',
  tags: { ip: '10.0.0.1' },
};
const LABELS = {
  provider: 'lambda_labs',
  providerName: 'Lambda',
  serviceName: 'Lambda On-Demand Cloud',
  billingAccountId: 'lambda_labs',
  billingAccountName: null,
  currency: 'USD',
  costSource: 'derived' as const,
};

function observation(status: string, extra: Partial<Observation> = {}): Observation {
  return { id: 'i-1', status, hourlyPrice: '23.92', meta: META, ...extra };
}

test('observe: first sighting starts at runningSince when given, else at now', () => {
  const now = new Date('2026-03-02T12:00:00Z');
  assert.equal(observe(undefined, observation('active'), now).changes[0]?.at, now.toISOString());
  assert.equal(
    observe(undefined, observation('active', { runningSince: new Date('2026-03-01T00:00:00Z') }), now).changes[0]?.at,
    '2026-03-01T00:00:00.000Z',
  );
});

test('observe: an unchanged status adds nothing; a new status or price adds a change', () => {
  const first = observe(undefined, observation('active'), new Date('2026-03-02T00:00:00Z'));
  const same = observe(first, observation('active'), new Date('2026-03-02T01:00:00Z'));
  assert.equal(same.changes.length, 1);
  assert.equal(same.last_seen, '2026-03-02T01:00:00.000Z');
  assert.equal(observe(same, observation('unhealthy'), new Date('2026-03-02T02:00:00Z')).changes.length, 2);
  assert.equal(
    observe(same, observation('active', { hourlyPrice: '24' }), new Date('2026-03-02T02:00:00Z')).changes.length,
    2,
  );
});

test('markGone: dated at last seen, idempotent', () => {
  const seen = observe(
    observe(undefined, observation('active'), new Date('2026-03-02T00:00:00Z')),
    observation('active'),
    new Date('2026-03-02T05:00:00Z'),
  );
  const gone = markGone(markGone(seen));
  assert.deepEqual(gone.changes.at(-1), { at: '2026-03-02T05:00:00.000Z', status: GONE, hourly_price: null });
  assert.equal(gone.changes.length, 2);
});

async function run(state: SourceState, now: string, observations: Observation[], listingComplete = true) {
  const harness = createTestContext({
    provider: 'lambda_labs',
    now: new Date(now),
    costWindow: { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-04T00:00:00Z') },
  });
  harness.context.state = state;
  const tracker = createDerivedCostTracker(harness.context, LAMBDA_BILLING_RULE, LABELS);
  await tracker.observe(observations);
  const summary = await tracker.finish({ listingComplete });
  await harness.close();
  return { summary, emitter: harness.emitter };
}

test('tracker: history persists across runs; a vanished instance stops billing when last seen', async () => {
  const state = createMemoryState();
  await run(state, '2026-03-02T10:00:00Z', [observation('active')]);
  const second = await run(state, '2026-03-02T15:00:00Z', [observation('active')]);
  assert.deepEqual(
    second.emitter.costRows.map((row) => [row.charge_period_start, row.billed_cost, row.pricing_quantity]),
    [['2026-03-02T00:00:00Z', '119.6', '5']],
  );
  // Terminated between 15:00 and 16:00: it is no longer listed; billing ends at 15:00 (last seen).
  const third = await run(state, '2026-03-02T16:00:00Z', []);
  assert.equal(third.emitter.costRows[0]?.billed_cost, '119.6');
  assert.deepEqual(
    third.emitter.completedWindows.map((item) => item.costSource),
    ['derived'],
  );
  const row = third.emitter.costRows[0];
  assert.equal(row?.x_cost_source, 'derived');
  assert.equal(row?.list_cost, row?.billed_cost);
  assert.equal(row?.pricing_unit, 'Hours');
  assert.equal(row?.x_gpu_count, 8);
  assert.equal(row?.billing_period_start, '2026-03-01T00:00:00Z');
});

test('tracker: an incomplete listing does not mark unseen instances gone', async () => {
  const state = createMemoryState();
  await run(state, '2026-03-02T10:00:00Z', [observation('active')]);
  const partial = await run(state, '2026-03-02T12:00:00Z', [], false);
  assert.equal(partial.emitter.costRows[0]?.billed_cost, '47.84');
  const history = await state.get<{ changes: Array<{ status: string }> }>(historyKey('i-1'));
  assert.equal(history?.changes.at(-1)?.status, 'active');
});

test('tracker: booting is not billed (Lambda bills from passing health checks)', async () => {
  const state = createMemoryState();
  await run(state, '2026-03-02T10:00:00Z', [observation('booting')]);
  await run(state, '2026-03-02T10:10:00Z', [observation('active')]);
  const later = await run(state, '2026-03-02T11:10:00Z', [observation('active')]);
  assert.equal(later.emitter.costRows[0]?.billed_cost, '23.92');
});
