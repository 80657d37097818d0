import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectorError } from '../../core/errors.ts';
import type { StoreQueries } from '../../core/queries.ts';
import type { Sink } from '../../core/sink.ts';
import { conformanceCostRow, conformanceSample } from '../../../test/support/sink-conformance.ts';
import { openSqliteSink, type SqliteSink } from '../sqlite/sink.ts';
import { applySpooledWrite, openSpoolingSink, type SpooledWrite } from './spooling-sink.ts';

/** A SQLite sink that can be switched "unreachable": every call then fails like a lost PostgreSQL. */
function switchable(inner: SqliteSink): { sink: Sink; down: boolean } {
  const control = { down: false, sink: undefined as unknown as Sink };
  control.sink = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'close')
        return typeof value === 'function' ? value.bind(target) : value;
      if (property === 'queries') return () => switchableQueries(target.queries(), () => control.down);
      return async (...args: unknown[]) => {
        if (control.down) throw new CollectorError('STORAGE_UNAVAILABLE', 'test: database down');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return control;
}

/** Read queries that fail like a lost database while `down()` says so. */
function switchableQueries(inner: StoreQueries, down: () => boolean): StoreQueries {
  const guard = <T>(work: () => Promise<T>): Promise<T> =>
    down() ? Promise.reject(new CollectorError('STORAGE_UNAVAILABLE', 'test: database down')) : work();
  return {
    costTotals: (query) => guard(() => inner.costTotals(query)),
    resources: (query) => guard(() => inner.resources(query)),
    gpuCounts: (query) => guard(() => inner.gpuCounts(query)),
    metrics: (query) => guard(() => inner.metrics(query)),
    latestSamples: (since) => guard(() => inner.latestSamples(since)),
  };
}

const count = (sqlite: SqliteSink, table: string): number =>
  Number((sqlite.database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);

test('writes during an outage are spooled, reads come from memory, and the spool replays in order when storage returns', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-spool-'));
  const sqlite = openSqliteSink(':memory:');
  const control = switchable(sqlite);
  const sink = await openSpoolingSink(control.sink, { directory: dir, probeIntervalMs: 60_000 });
  await sink.setCheckpoint('acme', 'cost', new Date('2026-11-26T00:00:00Z'));
  assert.equal(await sink.getCheckpoint('acme', 'metrics'), undefined);
  control.down = true;
  await sink.writeCosts([conformanceCostRow({ billed_cost: '1.00' })]);
  await sink.writeCosts([conformanceCostRow({ billed_cost: '2.00' })]);
  await sink.writeMetrics([conformanceSample('2026-11-26T10:00:00.000Z', '0', 1)]);
  await sink.setCheckpoint('acme', 'cost', new Date('2026-11-27T00:00:00Z'));
  await sink.setState('acme', 'seen', { a: 1 });
  assert.equal(
    await sink.pruneCostWindow(
      'acme',
      { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-02T00:00:00Z') },
      'billing_api',
      '2026-11-26T00:00:00Z',
    ),
    0,
  );
  assert.deepEqual(sink.spoolDepth().segments, 6);
  assert.equal(sink.spooling, true);
  assert.equal(
    (await sink.getCheckpoint('acme', 'cost'))?.toISOString(),
    '2026-11-27T00:00:00.000Z',
    'served from memory',
  );
  assert.equal(await sink.getCheckpoint('acme', 'metrics'), undefined, 'a known absence is served too');
  assert.deepEqual(await sink.getState('acme', 'seen'), { a: 1 });
  await assert.rejects(sink.getState('acme', 'never-read'), { code: 'STORAGE_UNAVAILABLE' });
  await assert.rejects(sink.ping(), { code: 'STORAGE_UNAVAILABLE' });
  assert.equal(count(sqlite, 'cost_records'), 0);
  control.down = false;
  assert.equal(await sink.flush(), true);
  assert.equal(sink.spoolDepth().segments, 0);
  assert.equal(count(sqlite, 'cost_records'), 1);
  assert.equal(
    (sqlite.database.prepare('SELECT billed_cost FROM cost_records').get() as { billed_cost: string }).billed_cost,
    '2.00',
    'replayed in order: the later amount wins',
  );
  assert.equal(count(sqlite, 'metric_points'), 1);
  assert.deepEqual(readdirSync(dir), []);
  await sink.close();
});

test('a new process replays the spool an earlier one left behind before anything else', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-spool-'));
  const sqlite = openSqliteSink(':memory:');
  const control = switchable(sqlite);
  control.down = true;
  const first = await openSpoolingSink(control.sink, { directory: dir, probeIntervalMs: 60_000 });
  await first.writeCosts([conformanceCostRow()]);
  await first.saveRun({
    id: 'r1',
    provider: 'acme',
    started_at: '2026-11-26T00:00:00.000Z',
    finished_at: null,
    status: 'running',
    costs: 0,
    resources: 0,
    metrics: 0,
    error: null,
    details: { errors: [], calls: {} },
  });
  assert.deepEqual(
    (await first.listRuns()).map((run) => run.id),
    ['r1'],
    'runs of this process are listed from memory',
  );
  // The first process dies without closing; the database comes back; a second process starts.
  control.down = false;
  const second = await openSpoolingSink(control.sink, { directory: dir, probeIntervalMs: 60_000 });
  assert.equal(second.replayedSegments, 2);
  assert.equal(count(sqlite, 'cost_records'), 1);
  assert.deepEqual(
    (await second.listRuns()).map((run) => run.id),
    ['r1'],
  );
  await second.close();
});

test('the timer replays the spool without new writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-spool-'));
  const sqlite = openSqliteSink(':memory:');
  const control = switchable(sqlite);
  const sink = await openSpoolingSink(control.sink, { directory: dir, probeIntervalMs: 50 });
  control.down = true;
  await sink.writeResources([
    {
      provider: 'acme',
      resource_id: 'i-1',
      resource_name: null,
      resource_type: 'instance',
      region_id: null,
      status: 'running',
      instance_type: null,
      gpu_model: null,
      gpu_count: null,
      vcpus: null,
      memory_bytes: null,
      price_per_hour: null,
      currency: null,
      tags: null,
      last_seen_at: '2026-11-26T00:00:00Z',
    },
  ]);
  control.down = false;
  for (let waited = 0; sink.spoolDepth().segments > 0 && waited < 5_000; waited += 25)
    await new Promise((resolve) => setTimeout(resolve, 25));
  assert.equal(sink.spoolDepth().segments, 0);
  assert.equal(count(sqlite, 'resources'), 1);
  await sink.close();
});

test('a batch the database rejects is moved aside and does not block the ones after it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-spool-'));
  const sqlite = openSqliteSink(':memory:');
  const control = switchable(sqlite);
  control.down = true;
  const sink = await openSpoolingSink(control.sink, { directory: dir, probeIntervalMs: 60_000 });
  await sink.writeCosts([conformanceCostRow({ billing_account_id: null as unknown as string })]);
  await sink.writeCosts([conformanceCostRow()]);
  control.down = false;
  assert.equal(await sink.flush(), true);
  assert.equal(count(sqlite, 'cost_records'), 1);
  assert.equal(readdirSync(join(dir, 'rejected')).length, 1);
  await sink.close();
});

test('interrupted runs are marked in spool order; read queries wait for the replay and fail clearly while storage is down', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-spool-'));
  const sqlite = openSqliteSink(':memory:');
  const control = switchable(sqlite);
  const run = {
    id: 'old',
    provider: 'acme',
    started_at: '2026-11-26T00:00:00.000Z',
    finished_at: null,
    status: 'running' as const,
    costs: 0,
    resources: 0,
    metrics: 0,
    error: null,
    details: { errors: [], calls: {} },
  };
  const sink = await openSpoolingSink(control.sink, { directory: dir, probeIntervalMs: 60_000 });
  await sink.saveRun(run);
  const queries = sink.queries();
  const month = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', groupBy: 'provider' as const };
  assert.deepEqual(await queries.costTotals(month), []);
  control.down = true;
  await assert.rejects(
    queries.resources({ limit: 10 }),
    { code: 'STORAGE_UNAVAILABLE' },
    'down, nothing spooled: the database error',
  );
  // A new process start: the mark is spooled, then this process's own run.
  assert.equal(await sink.markInterruptedRuns(new Date('2026-11-26T01:00:00.000Z')), 0);
  await sink.saveRun({ ...run, id: 'new', started_at: '2026-11-26T01:00:01.000Z' });
  await sink.writeCosts([conformanceCostRow()]);
  await assert.rejects(
    queries.costTotals(month),
    (error: unknown) =>
      error instanceof CollectorError &&
      error.code === 'STORAGE_UNAVAILABLE' &&
      /3 spooled batches wait/.test(error.message),
  );
  control.down = false;
  assert.equal(await sink.flush(), true);
  const runs = new Map((await sink.listRuns()).map((entry) => [entry.id, entry]));
  assert.equal(runs.get('old')?.status, 'failed');
  assert.equal(runs.get('old')?.error, 'CANCELLED: interrupted: the collector stopped before this run finished');
  assert.equal(runs.get('new')?.status, 'running', 'a run of this process is never marked');
  assert.deepEqual(
    (await queries.costTotals(month)).map((total) => [total.key, total.billed_cost]),
    [['acme', '12.34']],
  );
  await sink.close();
});

test('a create-only state write while down is spooled, not remembered, and replayed it never replaces the stored value', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-spool-'));
  const sqlite = openSqliteSink(':memory:');
  const control = switchable(sqlite);
  await sqlite.setState('acme', 'history', { since: 'before the outage' });
  const sink = await openSpoolingSink(control.sink, { directory: dir, probeIntervalMs: 60_000 });
  control.down = true;
  await assert.rejects(sink.getState('acme', 'history'), { code: 'STORAGE_UNAVAILABLE' });
  await sink.setState('acme', 'history', { since: 'during the outage' }, { ifAbsent: true });
  await sink.setState('acme', 'fresh', { since: 'during the outage' }, { ifAbsent: true });
  await assert.rejects(sink.getState('acme', 'history'), { code: 'STORAGE_UNAVAILABLE' }, 'still unknown');
  assert.equal(sink.spoolDepth().segments, 2);
  control.down = false;
  assert.equal(await sink.flush(), true);
  assert.deepEqual(await sink.getState('acme', 'history'), { since: 'before the outage' });
  assert.deepEqual(await sink.getState('acme', 'fresh'), { since: 'during the outage' });
  await sink.close();
});

test('a window prune spooled before pruning went by run is skipped on replay: the replayed rows stay', async () => {
  const sqlite = openSqliteSink(':memory:');
  const rows = [conformanceCostRow({ resource_id: 'replayed' })];
  await applySpooledWrite(sqlite, { op: 'writeCosts', rows });
  const legacy = {
    op: 'pruneCostWindow',
    provider: 'acme',
    start: '2026-11-01T00:00:00.000Z',
    end: '2026-11-27T00:00:00.000Z',
    costSource: 'billing_api',
    writtenSince: '2026-11-26T00:00:00Z',
  } as unknown as SpooledWrite;
  await applySpooledWrite(sqlite, legacy);
  assert.equal(count(sqlite, 'cost_records'), 1);
  await applySpooledWrite(sqlite, { ...(legacy as object), runId: 'run-9' } as SpooledWrite);
  assert.equal(count(sqlite, 'cost_records'), 0);
  await sqlite.close();
});
