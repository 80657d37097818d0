// One behavioural test suite every storage engine passes (STYLE habit 7): idempotent upserts, kept
// first_seen_at, exact decimals, restatement pruning, checkpoints, state and runs, reopen.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CollectionRun, CostRecord, MetricSample, ResourceRecord } from '../../src/core/model.ts';
import type { Sink } from '../../src/core/sink.ts';
import { costRow } from './cost-row.ts';

type Row = Record<string, unknown>;

/** One store under test: its sink, a raw SQL reader (same SQL on every engine) and a way to reopen it. */
export interface SinkHarness {
  sink: Sink;
  /** Runs a SELECT; JSON columns may come back as text or parsed (normalised by the suite). */
  rows(sql: string): Promise<Row[]>;
  /** Closes this sink and opens a new one on the same store. */
  reopen(): Promise<SinkHarness>;
  /** Closes the sink and drops the store. */
  dispose(): Promise<void>;
}

/** A complete FOCUS row with every column set, text columns holding tabs, quotes, backslashes and newlines. */
export function conformanceCostRow(overrides: Partial<CostRecord> = {}): CostRecord {
  return costRow({
    effective_cost: '12.30',
    list_cost: '15.00',
    charge_description: 'GPU instance\twith "quotes" \\ and\nnewline',
    consumed_quantity: '24.000000',
    tags: { team: 'ml', 'cost-center': 'r&d' },
    ...overrides,
  });
}

/** A complete inventory row. */
export function conformanceResource(overrides: Partial<ResourceRecord> = {}): ResourceRecord {
  return {
    provider: 'acme',
    resource_id: 'i-1',
    resource_name: 'trainer',
    resource_type: 'instance',
    region_id: 'ewr',
    status: 'running',
    instance_type: 'gpu-8x',
    gpu_model: 'H100-SXM5-80GB',
    gpu_model_raw: 'NVIDIA H100 80GB HBM3',
    gpu_count: 8,
    vcpus: 96,
    memory_bytes: 1_099_511_627_776,
    price_per_hour: '23.92',
    currency: 'USD',
    tags: null,
    last_seen_at: '2026-11-26T10:00:00Z',
    ...overrides,
  };
}

/** A GPU utilisation sample. */
export function conformanceSample(ts: string, gpu: string, value: number): MetricSample {
  return {
    ts,
    provider: 'acme',
    name: 'hw.gpu.utilization',
    category: 'gpu',
    value,
    unit: '1',
    resource_id: `GPU-${gpu}`,
    labels: { gpu, Hostname: 'h1' },
  };
}

const JSON_COLUMNS = new Set(['tags', 'labels', 'details', 'value']);
/** GPU counts, which may be shares of a GPU: numeric in PostgreSQL (pg reads it as text), numbers in SQLite. */
const COUNT_COLUMNS = new Set(['gpu_count', 'x_gpu_count']);

/** Parses JSON text columns and GPU counts so both engines compare equal (SQLite stores text, PostgreSQL jsonb). */
function normalise(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row))
    out[key] =
      JSON_COLUMNS.has(key) && typeof value === 'string'
        ? (JSON.parse(value) as unknown)
        : COUNT_COLUMNS.has(key) && typeof value === 'string'
          ? Number(value)
          : value;
  return out;
}

async function select(harness: SinkHarness, sql: string): Promise<Row[]> {
  return (await harness.rows(sql)).map(normalise);
}

async function count(harness: SinkHarness, table: string): Promise<number> {
  return Number((await harness.rows(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
}

const run = (overrides: Partial<CollectionRun> = {}): CollectionRun => ({
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
  ...overrides,
});

/** Registers the conformance tests for one engine; `open` gives a fresh, empty store each time. */
export function runSinkConformance(engine: string, open: () => Promise<SinkHarness>): void {
  const withStore = (name: string, body: (harness: SinkHarness) => Promise<SinkHarness | void>): void => {
    test(name, async () => {
      let harness = await open();
      try {
        harness = (await body(harness)) ?? harness;
      } finally {
        await harness.dispose();
      }
    });
  };

  describe(`sink conformance: ${engine}`, () => {
    withStore('writing the same costs twice leaves the same rows, with exact decimals', async (store) => {
      const rows = [
        conformanceCostRow(),
        conformanceCostRow({ resource_id: 'i-2', billed_cost: '0.000001' }),
        conformanceCostRow({ x_row_key: 'item-2', billed_cost: '99999999.99' }),
      ];
      await store.sink.writeCosts(rows);
      await store.sink.writeCosts(rows);
      assert.deepEqual(
        (await select(store, 'SELECT billed_cost FROM cost_records ORDER BY resource_id, x_row_key')).map(
          (row) => row.billed_cost,
        ),
        ['12.34', '99999999.99', '0.000001'],
      );
      await store.sink.writeCosts([conformanceCostRow({ billed_cost: '13.00' })]);
      assert.equal(await count(store, 'cost_records'), 3, 'a restated amount updates the row');
      assert.equal(
        (await select(store, "SELECT billed_cost FROM cost_records WHERE resource_id = 'i-1' AND x_row_key = ''"))[0]
          ?.billed_cost,
        '13.00',
        'the scale written is the scale read',
      );
    });

    withStore(
      'every cost column round-trips: decimals as strings, times as FOCUS UTC, tags as JSON, awkward text intact',
      async (store) => {
        const row = conformanceCostRow({
          charge_class: 'Correction',
          sub_account_id: 'sub-9',
          pricing_quantity: '0.000000001',
          list_cost: '-0.01',
          x_run_id: '0d4c6f0e-5b0e-4f51-9b1e-6a3f2b9c1d7e',
        });
        await store.sink.writeCosts([row]);
        const [stored] = await select(store, 'SELECT * FROM cost_records');
        assert.ok(stored);
        const { record_key: recordKey, ...columns } = stored;
        assert.equal(typeof recordKey, 'string');
        assert.deepEqual(columns, { ...row });
      },
    );

    withStore('duplicates inside one cost batch keep the last row', async (store) => {
      await store.sink.writeCosts([conformanceCostRow({ billed_cost: '1' }), conformanceCostRow({ billed_cost: '2' })]);
      assert.deepEqual(
        (await select(store, 'SELECT billed_cost FROM cost_records')).map((row) => row.billed_cost),
        ['2'],
      );
    });

    withStore('resources upsert: first_seen_at kept, last_seen_at advances, big integers exact', async (store) => {
      await store.sink.writeResources([conformanceResource({ last_seen_at: '2026-11-26T10:00:00Z' })]);
      await store.sink.writeResources([
        conformanceResource({ last_seen_at: '2026-11-26T11:00:00Z', status: 'stopped', tags: { team: 'ml' } }),
      ]);
      await store.sink.writeResources([
        conformanceResource({
          resource_id: 'i-2',
          first_seen_at: '2026-11-20T00:00:00Z',
          last_seen_at: '2026-11-26T11:00:00Z',
        }),
        conformanceResource({ resource_id: 'i-2', last_seen_at: '2026-11-26T12:00:00Z' }),
      ]);
      const rows = await select(store, 'SELECT * FROM resources ORDER BY resource_id');
      assert.equal(rows.length, 2);
      assert.equal(rows[0]?.first_seen_at, '2026-11-26T10:00:00Z');
      assert.equal(rows[0]?.last_seen_at, '2026-11-26T11:00:00Z');
      assert.equal(rows[0]?.status, 'stopped');
      assert.deepEqual(rows[0]?.tags, { team: 'ml' });
      assert.equal(rows[0]?.memory_bytes, 1_099_511_627_776);
      assert.equal(rows[0]?.price_per_hour, '23.92');
      assert.equal(rows[1]?.first_seen_at, '2026-11-20T00:00:00Z', 'the earliest first_seen_at of a batch wins');
      assert.equal(rows[1]?.last_seen_at, '2026-11-26T12:00:00Z');
    });

    withStore(
      'GPU columns: canonical id beside the raw name, a fractional count, the parent resource',
      async (store) => {
        await store.sink.writeResources([
          conformanceResource({
            resource_id: 'vm-slice',
            gpu_model: 'A100-80GB',
            gpu_model_raw: 'NVIDIA A100',
            gpu_count: 0.05,
          }),
          conformanceResource({ resource_id: 'GPU-1', resource_type: 'gpu', gpu_count: 1, parent_resource_id: 'i-1' }),
          conformanceResource({ resource_id: 'i-1' }),
        ]);
        const queries = store.sink.queries?.();
        assert.ok(queries, `${engine} has read queries`);
        const rows = await queries.resources({ limit: 10 });
        assert.deepEqual(
          rows.map((row) => [row.resource_id, row.gpu_model, row.gpu_model_raw, row.gpu_count, row.parent_resource_id]),
          [
            ['GPU-1', 'H100-SXM5-80GB', 'NVIDIA H100 80GB HBM3', 1, 'i-1'],
            ['i-1', 'H100-SXM5-80GB', 'NVIDIA H100 80GB HBM3', 8, null],
            ['vm-slice', 'A100-80GB', 'NVIDIA A100', 0.05, null],
          ],
        );
        await store.sink.writeCosts([conformanceCostRow({ x_gpu_model: 'A100-80GB', x_gpu_count: 0.05 })]);
        const [cost] = await select(store, 'SELECT x_gpu_model, x_gpu_count FROM cost_records');
        assert.deepEqual(
          [cost?.x_gpu_model, Number(cost?.x_gpu_count)],
          ['A100-80GB', 0.05],
          'a share of a GPU is kept',
        );
      },
    );

    withStore(
      'metric samples: same series and timestamp stored once; new timestamp adds; rewrite overwrites',
      async (store) => {
        const batch = Array.from({ length: 8 }, (_, gpu) =>
          conformanceSample('2026-11-26T10:00:00.000Z', String(gpu), gpu / 10),
        );
        await store.sink.writeMetrics(batch);
        await store.sink.writeMetrics(batch);
        assert.equal(await count(store, 'metric_samples'), 8);
        assert.equal(await count(store, 'metric_series'), 8);
        await store.sink.writeMetrics([
          conformanceSample('2026-11-26T10:05:00.000Z', '0', 0.5),
          conformanceSample('2026-11-26T10:00:00.000Z', '1', 0.75),
        ]);
        const rows = await select(
          store,
          "SELECT ts, value, labels, unit, category FROM metric_samples WHERE resource_id IN ('GPU-0', 'GPU-1') ORDER BY resource_id, ts",
        );
        assert.deepEqual(
          rows.map((row) => [row.ts, row.value]),
          [
            ['2026-11-26T10:00:00.000Z', 0],
            ['2026-11-26T10:05:00.000Z', 0.5],
            ['2026-11-26T10:00:00.000Z', 0.75],
          ],
        );
        assert.deepEqual(rows[0]?.labels, { gpu: '0', Hostname: 'h1' });
        // Newer points than the 8 old ones, so pruning them is within the half a pass may delete.
        await store.sink.writeMetrics(
          Array.from({ length: 8 }, (_, gpu) => conformanceSample('2026-11-26T10:10:00.000Z', String(gpu), 1)),
        );
        assert.equal(await store.sink.pruneMetrics(new Date('2026-11-26T10:01:00Z')), 8);
        assert.equal(await count(store, 'metric_points'), 9);
      },
    );

    withStore('retention deletes at most half the stored points in one pass, oldest first', async (store) => {
      await store.sink.writeMetrics(
        Array.from({ length: 10 }, (_, minute) =>
          conformanceSample(`2026-11-26T10:0${minute}:00.000Z`, String(minute % 3), minute),
        ),
      );
      // A clock a year ahead asks for every point: each pass takes at most half of what is stored.
      const jumped = new Date('2027-11-26T10:00:00Z');
      assert.equal(await store.sink.pruneMetrics(jumped), 5);
      assert.deepEqual(
        (await select(store, 'SELECT value FROM metric_samples ORDER BY ts')).map((row) => row.value),
        [5, 6, 7, 8, 9],
      );
      assert.equal(await store.sink.pruneMetrics(jumped), 2);
      assert.equal(await store.sink.pruneMetrics(new Date('2026-11-26T10:08:00Z')), 1);
      assert.deepEqual(
        (await select(store, 'SELECT value FROM metric_samples ORDER BY ts')).map((row) => row.value),
        [8, 9],
      );
    });

    withStore('metric batch with a repeated point and a NaN: stored once, NaN as NULL', async (store) => {
      await store.sink.writeMetrics([
        conformanceSample('2026-11-26T10:00:00.123Z', '0', 1),
        conformanceSample('2026-11-26T10:00:00.123Z', '0', 2),
        conformanceSample('2026-11-26T10:00:00.123Z', '1', Number.NaN),
      ]);
      const rows = await select(store, 'SELECT ts, value FROM metric_samples ORDER BY resource_id');
      assert.deepEqual(rows, [
        { ts: '2026-11-26T10:00:00.123Z', value: 2 },
        { ts: '2026-11-26T10:00:00.123Z', value: null },
      ]);
    });

    withStore(
      "pruneCostWindow removes rows restated away (any run but this one), keeps this run's rows and other sources",
      async (store) => {
        await store.sink.writeCosts([
          conformanceCostRow({ resource_id: 'old', x_collected_at: '2026-11-25T00:00:00Z', x_run_id: 'run-1' }),
          // Stamped while the clock was ahead: pruning goes by the run that wrote a row, not by its time.
          conformanceCostRow({ resource_id: 'ahead', x_collected_at: '2026-11-30T00:00:00Z', x_run_id: 'run-1' }),
          conformanceCostRow({ resource_id: 'no-run', x_collected_at: '2026-11-25T00:00:00Z' }),
          conformanceCostRow({ resource_id: 'kept', x_collected_at: '2026-11-20T00:00:00Z', x_run_id: 'run-2' }),
          conformanceCostRow({
            resource_id: 'outside',
            charge_period_start: '2026-10-31T00:00:00Z',
            x_collected_at: '2026-11-25T00:00:00Z',
            x_run_id: 'run-1',
          }),
          conformanceCostRow({
            resource_id: 'derived',
            x_cost_source: 'derived',
            x_collected_at: '2026-11-25T00:00:00Z',
            x_run_id: 'run-1',
          }),
        ]);
        const removed = await store.sink.pruneCostWindow(
          'acme',
          { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-27T00:00:00Z') },
          'billing_api',
          'run-2',
        );
        assert.equal(removed, 3);
        assert.deepEqual(
          (await select(store, 'SELECT resource_id FROM cost_records ORDER BY resource_id')).map(
            (row) => row.resource_id,
          ),
          ['derived', 'kept', 'outside'],
        );
      },
    );

    withStore('setState with ifAbsent creates a missing key and never replaces a stored value', async (store) => {
      await store.sink.setState('acme', 'kept', { first_seen: '2026-11-01T00:00:00Z' });
      await store.sink.setState('acme', 'kept', { first_seen: '2026-12-02T10:00:00Z' }, { ifAbsent: true });
      await store.sink.setState('acme', 'new', ['i-1'], { ifAbsent: true });
      await store.sink.setState('acme', 'new', ['i-2'], { ifAbsent: true });
      assert.deepEqual(await store.sink.getState('acme', 'kept'), { first_seen: '2026-11-01T00:00:00Z' });
      assert.deepEqual(await store.sink.getState('acme', 'new'), ['i-1']);
    });

    withStore('checkpoints, state and runs round-trip; migrations are idempotent on reopen', async (first) => {
      const migrations = await count(first, 'schema_migrations');
      assert.ok(migrations >= 1);
      await first.sink.setCheckpoint('acme', 'cost', new Date('2026-11-26T00:00:00Z'));
      await first.sink.setCheckpoint('acme', 'cost', new Date('2026-11-26T01:00:00.250Z'));
      await first.sink.setState('acme', 'first_seen', { 'i-1': '2026-11-20T00:00:00Z', n: 1.5 });
      await first.sink.setState('acme', 'plain', 'just a string');
      await first.sink.saveRun(run());
      await first.sink.saveRun(
        run({
          finished_at: '2026-11-26T00:00:05.120Z',
          status: 'ok',
          costs: 3,
          resources: 1,
          metrics: 8,
          details: { errors: [], calls: { 'GET /x': 2 } },
        }),
      );
      await first.sink.saveRun(
        run({
          id: 'r2',
          provider: 'other',
          started_at: '2026-11-26T00:05:00.000Z',
          status: 'failed',
          error: 'NETWORK: refused',
          details: { errors: [{ code: 'NETWORK', message: 'refused' }], calls: {} },
        }),
      );
      const store = await first.reopen();
      assert.equal((await store.sink.getCheckpoint('acme', 'cost'))?.toISOString(), '2026-11-26T01:00:00.250Z');
      assert.equal(await store.sink.getCheckpoint('acme', 'metrics'), undefined);
      assert.deepEqual(await store.sink.getState('acme', 'first_seen'), { 'i-1': '2026-11-20T00:00:00Z', n: 1.5 });
      assert.equal(await store.sink.getState('acme', 'plain'), 'just a string');
      assert.equal(await store.sink.getState('acme', 'missing'), undefined);
      const runs = await store.sink.listRuns({ provider: 'acme' });
      assert.deepEqual(runs, [
        run({
          finished_at: '2026-11-26T00:00:05.120Z',
          status: 'ok',
          costs: 3,
          resources: 1,
          metrics: 8,
          details: { errors: [], calls: { 'GET /x': 2 } },
        }),
      ]);
      assert.deepEqual(
        (await store.sink.listRuns()).map((entry) => entry.id),
        ['r2', 'r1'],
        'newest first',
      );
      assert.deepEqual(
        (await store.sink.listRuns({ limit: 1 })).map((entry) => entry.id),
        ['r2'],
      );
      assert.equal(await count(store, 'schema_migrations'), migrations, 'no migration applied twice');
      await store.sink.ping();
      return store;
    });
  });
}
