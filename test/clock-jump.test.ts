// A clock that jumps (the collector's, or a source's) must not lose or distort data: restatement pruning keeps
// exactly the rows this run wrote whatever the clocks said, points too far ahead of the collector's clock are
// refused and flagged, and /metrics never shows a point from the future as the latest.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProviderConfig } from '../src/core/config/types.ts';
import { silentLogger } from '../src/core/log.ts';
import type { MetricSample } from '../src/core/model.ts';
import type { CollectContext } from '../src/core/source.ts';
import { MAX_FUTURE_SKEW_MS } from '../src/core/time-sanity.ts';
import { createProviderRuntime, runProvider } from '../src/runtime/run-provider.ts';
import { createSqliteQueries } from '../src/sinks/sqlite/queries.ts';
import { openSqliteSink } from '../src/sinks/sqlite/sink.ts';
import { costRow } from './support/cost-row.ts';

const provider: ProviderConfig = {
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
};

const runtimeOf = (collect: (context: CollectContext) => Promise<void>) =>
  createProviderRuntime(provider, { collect, shutdown: async () => undefined });

test('restatement pruning keeps exactly the rows this run wrote, also after the clock was ahead', async () => {
  const sink = openSqliteSink(':memory:');
  let emitted: string[] = [];
  const runtime = runtimeOf(async (context) => {
    await context.emit.costs(emitted.map((resource) => costRow({ resource_id: resource })));
    await context.emit.costWindowComplete(context.costWindow, 'billing_api');
  });
  const resources = async (): Promise<string[]> =>
    (
      sink.database.prepare('SELECT resource_id FROM cost_records ORDER BY resource_id').all() as Array<{
        resource_id: string;
      }>
    ).map((row) => row.resource_id);
  // The clock one day ahead: rows are stamped 2026-11-27.
  emitted = ['kept', 'restated-away'];
  assert.equal(
    (await runProvider(runtime, { sink, log: silentLogger(), now: new Date('2026-11-27T10:00:00Z') })).status,
    'ok',
  );
  // Back to the right time; the provider no longer returns one of the rows.
  emitted = ['kept'];
  assert.equal(
    (await runProvider(runtime, { sink, log: silentLogger(), now: new Date('2026-11-26T10:00:00Z') })).status,
    'ok',
  );
  assert.deepEqual(await resources(), ['kept']);
  // Two runs in the same second: the second's rows are its own, the first's restated-away row goes.
  emitted = ['kept', 'second-a'];
  await runProvider(runtime, { sink, log: silentLogger(), now: new Date('2026-11-26T11:00:00.100Z') });
  emitted = ['kept'];
  await runProvider(runtime, { sink, log: silentLogger(), now: new Date('2026-11-26T11:00:00.900Z') });
  assert.deepEqual(await resources(), ['kept']);
  await sink.close();
});

test('points too far ahead of the collector clock are refused and flagged; the rest is stored', async () => {
  const sink = openSqliteSink(':memory:');
  const now = new Date('2026-11-26T10:00:00Z');
  const sample = (offsetMs: number, resource: string): MetricSample => ({
    ts: new Date(now.getTime() + offsetMs).toISOString(),
    provider: 'acme',
    name: 'hw.gpu.utilization',
    category: 'gpu',
    value: 50,
    unit: '%',
    resource_id: resource,
    labels: {},
  });
  const runtime = runtimeOf(async (context) => {
    await context.emit.metrics([
      sample(0, 'now'),
      sample(60_000, 'skewed-a-minute'),
      sample(3 * 86_400_000, 'days-ahead'),
    ]);
    await context.emit.metrics([sample(MAX_FUTURE_SKEW_MS + 60_000, 'just-too-far')]);
  });
  const summary = await runProvider(runtime, { sink, log: silentLogger(), now });
  assert.equal(summary.status, 'partial');
  assert.equal(summary.metrics, 2);
  assert.deepEqual(
    summary.errors.map((error) => error.code),
    ['RESPONSE_INVALID'],
  );
  assert.match(
    summary.errors[0]?.message ?? '',
    /^acme: 2 metric points were more than 10 min ahead of the collector's clock \(the furthest at 2026-11-29T10:00:00\.000Z\); not stored/,
  );
  const stored = sink.database.prepare('SELECT resource_id FROM metric_samples ORDER BY resource_id').all();
  assert.deepEqual(
    stored.map((row) => row.resource_id),
    ['now', 'skewed-a-minute'],
  );
  assert.equal(await sink.getCheckpoint('acme', 'metrics'), undefined, 'a flagged run does not advance checkpoints');
  await sink.close();
});

test('the latest sample of a series is never one from the future (written while the clock was ahead)', async () => {
  const sink = openSqliteSink(':memory:');
  const now = Date.now();
  const point = (ts: number, value: number): MetricSample => ({
    ts: new Date(ts).toISOString(),
    provider: 'acme',
    name: 'hw.gpu.utilization',
    category: 'gpu',
    value,
    unit: '%',
    resource_id: 'gpu-0',
    labels: {},
  });
  await sink.writeMetrics([point(now - 60_000, 40), point(now + 86_400_000, 99)]);
  const latest = await createSqliteQueries(sink.database).latestSamples(now - 3_600_000, now + MAX_FUTURE_SKEW_MS);
  assert.deepEqual(
    latest.map((sample) => sample.value),
    [40],
  );
  await sink.close();
});
