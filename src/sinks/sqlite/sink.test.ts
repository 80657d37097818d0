import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../core/log.ts';
import type { MetricSample, ResourceRecord } from '../../core/model.ts';
import { costRow } from '../../../test/support/cost-row.ts';
import { openSqliteSink } from './sink.ts';

const resource = (overrides: Partial<ResourceRecord> = {}): ResourceRecord => ({
  provider: 'acme',
  resource_id: 'i-1',
  resource_name: 'trainer',
  resource_type: 'instance',
  region_id: 'ewr',
  status: 'running',
  instance_type: 'gpu-8x',
  gpu_model: 'H100',
  gpu_count: 8,
  vcpus: 96,
  memory_bytes: 1_000_000,
  price_per_hour: '23.92',
  currency: 'USD',
  tags: null,
  last_seen_at: '2026-11-26T10:00:00Z',
  ...overrides,
});

test('writing the same costs twice leaves the same rows, with exact decimals', async () => {
  const sink = openSqliteSink(':memory:');
  const rows = [
    costRow(),
    costRow({ resource_id: 'i-2', billed_cost: '0.000001' }),
    costRow({ x_row_key: 'item-2', billed_cost: '99999999.99' }),
  ];
  await sink.writeCosts(rows);
  await sink.writeCosts(rows);
  const stored = sink.database
    .prepare('SELECT billed_cost FROM cost_records ORDER BY billed_cost')
    .all()
    .map((row) => (row as { billed_cost: string }).billed_cost);
  assert.deepEqual(stored, ['0.000001', '12.34', '99999999.99']);
  await sink.writeCosts([costRow({ billed_cost: '13.00' })]);
  assert.equal(
    (sink.database.prepare('SELECT count(*) AS n FROM cost_records').get() as { n: number }).n,
    3,
    'a restated amount updates the row',
  );
  await sink.close();
});

test('resources upsert: first_seen_at kept, last_seen_at advances', async () => {
  const sink = openSqliteSink(':memory:');
  await sink.writeResources([resource({ last_seen_at: '2026-11-26T10:00:00Z' })]);
  await sink.writeResources([resource({ last_seen_at: '2026-11-26T11:00:00Z', status: 'stopped' })]);
  const rows = sink.database.prepare('SELECT * FROM resources').all() as Array<Record<string, unknown>>;
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.first_seen_at, '2026-11-26T10:00:00Z');
  assert.equal(rows[0]?.last_seen_at, '2026-11-26T11:00:00Z');
  assert.equal(rows[0]?.status, 'stopped');
  await sink.close();
});

test('metric samples: same series and timestamp stored once; new timestamp adds a sample', async () => {
  const sink = openSqliteSink(':memory:');
  const sample = (ts: string, gpu: string, value: number): MetricSample => ({
    ts,
    provider: 'acme',
    name: 'hw.gpu.utilization',
    category: 'gpu',
    value,
    unit: '1',
    resource_id: `GPU-${gpu}`,
    labels: { gpu, Hostname: 'h1' },
  });
  const batch = Array.from({ length: 8 }, (_, gpu) => sample('2026-11-26T10:00:00.000Z', String(gpu), gpu / 10));
  await sink.writeMetrics(batch);
  await sink.writeMetrics(batch);
  assert.equal((sink.database.prepare('SELECT count(*) AS n FROM metric_samples').get() as { n: number }).n, 8);
  await sink.writeMetrics([sample('2026-11-26T10:05:00.000Z', '0', 0.5)]);
  const rows = sink.database
    .prepare("SELECT ts, value, labels FROM metric_samples WHERE resource_id = 'GPU-0' ORDER BY ts")
    .all() as Array<{ ts: string; value: number; labels: string }>;
  assert.deepEqual(
    rows.map((row) => row.ts),
    ['2026-11-26T10:00:00.000Z', '2026-11-26T10:05:00.000Z'],
  );
  assert.deepEqual(JSON.parse(rows[0]?.labels ?? '{}'), { gpu: '0', Hostname: 'h1' });
  await sink.writeMetrics(Array.from({ length: 8 }, (_, gpu) => sample('2026-11-26T10:10:00.000Z', String(gpu), 1)));
  assert.equal(await sink.pruneMetrics(new Date('2026-11-26T10:01:00Z')), 8);
  await sink.close();
});

test('retention deletes at most half the stored points in one pass, oldest first, and logs why', async () => {
  let output = '';
  const log = await createLogger({
    pretty: false,
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    }),
  });
  const sink = openSqliteSink(':memory:', { log });
  const sample = (ts: string, gpu: string, value: number): MetricSample => ({
    ts,
    provider: 'acme',
    name: 'hw.gpu.utilization',
    category: 'gpu',
    value,
    unit: '1',
    resource_id: `GPU-${gpu}`,
    labels: {},
  });
  // 10 points a minute apart; a clock jumped a year ahead asks for all of them.
  await sink.writeMetrics(
    Array.from({ length: 10 }, (_, minute) => sample(`2026-11-26T10:0${minute}:00.000Z`, String(minute % 2), minute)),
  );
  const jumped = new Date('2027-11-26T10:00:00Z');
  assert.equal(await sink.pruneMetrics(jumped), 5);
  const left = sink.database.prepare('SELECT ts FROM metric_samples ORDER BY ts').all();
  assert.deepEqual(
    left.map((row) => row.ts),
    [
      '2026-11-26T10:05:00.000Z',
      '2026-11-26T10:06:00.000Z',
      '2026-11-26T10:07:00.000Z',
      '2026-11-26T10:08:00.000Z',
      '2026-11-26T10:09:00.000Z',
    ],
  );
  log.flush();
  const [line] = output
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as Record<string, unknown>);
  assert.equal(line?.level, 40);
  assert.deepEqual([line?.older, line?.stored, line?.deleted], [10, 10, 5]);
  assert.match(
    String(line?.msg),
    /^retention: 10 of 10 metric points \(100%\) are older than 2027-11-26T10:00:00\.000Z/,
  );
  assert.match(String(line?.msg), /more than 50% in one pass.*clock.*jumped/);
  // Under the bound nothing is held back and nothing is logged.
  output = '';
  assert.equal(await sink.pruneMetrics(new Date('2026-11-26T10:07:00Z')), 2);
  log.flush();
  assert.equal(output, '');
  await sink.close();
});

test('pruneCostWindow removes rows restated away, keeps rows re-written this run', async () => {
  const sink = openSqliteSink(':memory:');
  await sink.writeCosts([
    costRow({ resource_id: 'old', x_collected_at: '2026-11-25T00:00:00Z', x_run_id: 'run-1' }),
    // Written by this run while the clock was a day behind: the time does not matter, the run does.
    costRow({ resource_id: 'kept', x_collected_at: '2026-11-24T00:00:00Z', x_run_id: 'run-2' }),
    costRow({ resource_id: 'before-run-ids', x_collected_at: '2026-11-27T00:00:00Z' }),
  ]);
  const removed = await sink.pruneCostWindow(
    'acme',
    { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-27T00:00:00Z') },
    'billing_api',
    'run-2',
  );
  assert.equal(removed, 2);
  assert.deepEqual(
    sink.database
      .prepare('SELECT resource_id FROM cost_records')
      .all()
      .map((row) => (row as { resource_id: string }).resource_id),
    ['kept'],
  );
  await sink.close();
});

test('checkpoints, state and runs round-trip; migrations are idempotent on reopen', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const path = join(mkdtempSync(join(tmpdir(), 'optiinfra-')), 'db.sqlite');
  let sink = openSqliteSink(path);
  await sink.setCheckpoint('acme', 'cost', new Date('2026-11-26T00:00:00Z'));
  await sink.setState('acme', 'first_seen', { 'i-1': '2026-11-20T00:00:00Z' });
  await sink.saveRun({
    id: 'r1',
    provider: 'acme',
    started_at: '2026-11-26T00:00:00Z',
    finished_at: null,
    status: 'running',
    costs: 0,
    resources: 0,
    metrics: 0,
    error: null,
    details: { errors: [], calls: {} },
  });
  await sink.saveRun({
    id: 'r1',
    provider: 'acme',
    started_at: '2026-11-26T00:00:00Z',
    finished_at: '2026-11-26T00:00:05Z',
    status: 'ok',
    costs: 3,
    resources: 1,
    metrics: 8,
    error: null,
    details: { errors: [], calls: { 'GET /x': 2 } },
  });
  await sink.close();
  sink = openSqliteSink(path);
  assert.equal((await sink.getCheckpoint('acme', 'cost'))?.toISOString(), '2026-11-26T00:00:00.000Z');
  assert.deepEqual(await sink.getState('acme', 'first_seen'), { 'i-1': '2026-11-20T00:00:00Z' });
  const runs = await sink.listRuns({ provider: 'acme' });
  assert.equal(runs.length, 1);
  assert.equal(runs[0]?.status, 'ok');
  assert.deepEqual(runs[0]?.details.calls, { 'GET /x': 2 });
  await sink.close();
});

const gpuSample = (ts: string, labels: Record<string, string>, value: number): MetricSample => ({
  ts,
  provider: 'acme',
  name: 'hw.gpu.utilization',
  category: 'gpu',
  value,
  unit: '1',
  resource_id: labels.UUID ?? null,
  labels,
});

test('the same labels in another key order are one series, in this process and the next', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const path = join(mkdtempSync(join(tmpdir(), 'optiinfra-')), 'db.sqlite');
  let sink = openSqliteSink(path);
  await sink.writeMetrics([gpuSample('2026-11-26T10:00:00.000Z', { UUID: 'GPU-1', gpu: '0' }, 1)]);
  await sink.writeMetrics([gpuSample('2026-11-26T10:01:00.000Z', { gpu: '0', UUID: 'GPU-1' }, 2)]);
  await sink.close();
  sink = openSqliteSink(path);
  await sink.writeMetrics([gpuSample('2026-11-26T10:02:00.000Z', { gpu: '0', UUID: 'GPU-1' }, 3)]);
  assert.equal((sink.database.prepare('SELECT count(*) AS n FROM metric_series').get() as { n: number }).n, 1);
  assert.deepEqual(
    sink.database
      .prepare('SELECT value FROM metric_samples ORDER BY ts')
      .all()
      .map((row) => (row as { value: number }).value),
    [1, 2, 3],
  );
  await sink.close();
});

test('a batch larger than one multi-row statement keeps every point; a later duplicate in the batch wins', async () => {
  const sink = openSqliteSink(':memory:');
  const batch = Array.from({ length: 257 }, (_, index) =>
    gpuSample(
      `2026-11-26T10:${String(index % 60).padStart(2, '0')}:00.000Z`,
      { UUID: `GPU-${Math.floor(index / 60)}` },
      index,
    ),
  );
  batch.push(
    gpuSample('2026-11-26T10:00:00.000Z', { UUID: 'GPU-0' }, Number.NaN),
    gpuSample('2026-11-26T10:00:00.000Z', { UUID: 'GPU-0' }, 1000),
  );
  await sink.writeMetrics(batch);
  assert.equal((sink.database.prepare('SELECT count(*) AS n FROM metric_points').get() as { n: number }).n, 257);
  assert.equal(
    (
      sink.database
        .prepare("SELECT value FROM metric_samples WHERE resource_id = 'GPU-0' AND ts_ms = ?")
        .get(Date.parse('2026-11-26T10:00:00.000Z')) as { value: number }
    ).value,
    1000,
  );
  assert.equal(
    (sink.database.prepare('SELECT sum(value) AS total FROM metric_points').get() as { total: number }).total,
    (256 * 257) / 2 + 1000,
  );
  await sink.close();
});

test('one scrape is inserted in series order, yet every point and the last duplicate of a series win', async () => {
  const sink = openSqliteSink(':memory:');
  const ts = '2026-11-26T10:00:00.000Z';
  // Series created 0..9, then a scrape emitting them in reverse with a duplicate of GPU-3 (NaN, then 7).
  await sink.writeMetrics(
    Array.from({ length: 10 }, (_, index) => gpuSample('2026-11-26T09:00:00.000Z', { UUID: `GPU-${index}` }, index)),
  );
  const scrape = Array.from({ length: 10 }, (_, index) => gpuSample(ts, { UUID: `GPU-${9 - index}` }, 100 + 9 - index));
  scrape.splice(4, 0, gpuSample(ts, { UUID: 'GPU-3' }, Number.NaN));
  scrape.push(gpuSample(ts, { UUID: 'GPU-3' }, 7), gpuSample('2026-11-26T10:00:05.000Z', { UUID: 'GPU-0' }, 5));
  await sink.writeMetrics(scrape);
  const rows = sink.database
    .prepare('SELECT resource_id, value FROM metric_samples WHERE ts_ms = ? ORDER BY resource_id')
    .all(Date.parse(ts)) as Array<{ resource_id: string; value: number }>;
  assert.deepEqual(
    rows.map((row) => [row.resource_id, row.value]),
    Array.from({ length: 10 }, (_, index) => [`GPU-${index}`, index === 3 ? 7 : 100 + index]),
  );
  assert.equal((sink.database.prepare('SELECT count(*) AS n FROM metric_points').get() as { n: number }).n, 21);
  await sink.close();
});

test('repeated scrapes with shared frozen labels are stored point for point; a rolled-back batch leaves no stale ids', async () => {
  const sink = openSqliteSink(':memory:');
  const gpus = Array.from({ length: 6 }, (_, index) => Object.freeze({ UUID: `GPU-${5 - index}` }));
  const scrapeAt = (ts: string, base: number): MetricSample[] =>
    gpus.map((labels, index) => gpuSample(ts, labels, base + index));
  await assert.rejects(
    sink.writeMetrics([...scrapeAt('2026-11-26T10:00:00.000Z', 0), gpuSample('not a time', { UUID: 'GPU-9' }, 1)]),
  );
  assert.equal((sink.database.prepare('SELECT count(*) AS n FROM metric_series').get() as { n: number }).n, 0);
  for (let scrape = 0; scrape < 3; scrape++)
    await sink.writeMetrics(scrapeAt(`2026-11-26T10:00:0${scrape}.000Z`, scrape * 10));
  // The same labels objects in another order: a different run, resolved afresh.
  await sink.writeMetrics(scrapeAt('2026-11-26T10:00:03.000Z', 30).reverse());
  assert.equal((sink.database.prepare('SELECT count(*) AS n FROM metric_series').get() as { n: number }).n, 6);
  const rows = sink.database
    .prepare('SELECT resource_id, ts_ms, value FROM metric_samples ORDER BY ts_ms, resource_id')
    .all() as Array<{ resource_id: string; ts_ms: number; value: number }>;
  assert.equal(rows.length, 24);
  for (const row of rows) {
    const scrape = (row.ts_ms - Date.parse('2026-11-26T10:00:00.000Z')) / 1000;
    assert.equal(
      row.value,
      scrape * 10 + (5 - Number(row.resource_id.slice(4))),
      `${row.resource_id} at scrape ${scrape}`,
    );
  }
  await sink.close();
});

test('a failed batch rolls back its new series and the next batch stores them again', async () => {
  const sink = openSqliteSink(':memory:');
  await assert.rejects(
    sink.writeMetrics([
      gpuSample('2026-11-26T10:00:00.000Z', { UUID: 'GPU-9' }, 1),
      gpuSample('not a time', { UUID: 'GPU-9' }, 2),
    ]),
  );
  assert.equal((sink.database.prepare('SELECT count(*) AS n FROM metric_series').get() as { n: number }).n, 0);
  await sink.writeMetrics([gpuSample('2026-11-26T10:00:00.000Z', { UUID: 'GPU-9' }, 1)]);
  assert.equal((sink.database.prepare('SELECT count(*) AS n FROM metric_samples').get() as { n: number }).n, 1);
  await sink.close();
});

test('points stored under the first schema survive the time-first migration', async () => {
  const { DatabaseSync } = await import('node:sqlite');
  const { SQLITE_MIGRATIONS } = await import('./migrations.ts');
  const { mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const path = join(mkdtempSync(join(tmpdir(), 'optiinfra-')), 'db.sqlite');
  const old = new DatabaseSync(path);
  old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  old.exec(SQLITE_MIGRATIONS[0]!.sql);
  old.exec("INSERT INTO schema_migrations VALUES (1, '2026-11-01T00:00:00Z')");
  old.exec(
    `INSERT INTO metric_series (series_id, series_key, provider, name, category, unit, resource_id, labels) VALUES (7, 'k', 'acme', 'hw.gpu.power', 'gpu', 'W', 'GPU-1', '{}')`,
  );
  old.exec('INSERT INTO metric_points (series_id, ts_ms, value) VALUES (7, 1000, 1.5), (7, 2000, 2.5)');
  old.close();
  const sink = openSqliteSink(path);
  assert.deepEqual(
    sink.database
      .prepare('SELECT ts, value FROM metric_samples ORDER BY ts_ms')
      .all()
      .map((row) => ({ ...row })),
    [
      { ts: '1970-01-01T00:00:01.000Z', value: 1.5 },
      { ts: '1970-01-01T00:00:02.000Z', value: 2.5 },
    ],
  );
  assert.deepEqual(
    sink.database
      .prepare("SELECT name FROM pragma_table_info('metric_points')")
      .all()
      .map((row) => (row as { name: string }).name),
    ['series_id', 'ts_ms', 'value'],
  );
  await sink.close();
});

test('latest samples: the newest point of each series whose newest point is at or after since', async () => {
  const { createSqliteQueries } = await import('./queries.ts');
  const sink = openSqliteSink(':memory:');
  await sink.writeMetrics([
    gpuSample('2026-11-26T10:00:00.000Z', { UUID: 'GPU-1' }, 1),
    gpuSample('2026-11-26T10:05:00.000Z', { UUID: 'GPU-1' }, 2),
    gpuSample('2026-11-26T09:00:00.000Z', { UUID: 'GPU-2' }, 3),
  ]);
  const latest = await createSqliteQueries(sink.database).latestSamples(Date.parse('2026-11-26T09:30:00.000Z'));
  assert.deepEqual(
    latest.map((sample) => [sample.resource_id, sample.ts, sample.value]),
    [['GPU-1', '2026-11-26T10:05:00.000Z', 2]],
  );
  assert.equal((await createSqliteQueries(sink.database).latestSamples(0)).length, 2);
  await sink.close();
});

test('frozen labels objects: one object names a series per name and resource; equal contents are still one series', async () => {
  const sink = openSqliteSink(':memory:');
  const shared = Object.freeze({ UUID: 'GPU-1', gpu: '0' });
  const named = (name: string, ts: string, labels: Record<string, string>, value: number): MetricSample => ({
    ...gpuSample(ts, labels, value),
    name,
  });
  await sink.writeMetrics([
    named('hw.gpu.power', '2026-11-26T10:00:00.000Z', shared, 1),
    named('hw.gpu.temperature', '2026-11-26T10:00:00.000Z', shared, 2),
  ]);
  await sink.writeMetrics([
    named('hw.gpu.power', '2026-11-26T10:01:00.000Z', shared, 3),
    named('hw.gpu.power', '2026-11-26T10:02:00.000Z', Object.freeze({ gpu: '0', UUID: 'GPU-1' }), 4),
  ]);
  await assert.rejects(
    sink.writeMetrics([
      named('hw.gpu.clock.sm', '2026-11-26T10:00:00.000Z', shared, 5),
      named('hw.gpu.clock.sm', 'not a time', shared, 6),
    ]),
  );
  await sink.writeMetrics([named('hw.gpu.clock.sm', '2026-11-26T10:00:00.000Z', shared, 5)]);
  const rows = sink.database
    .prepare('SELECT name, count(*) AS n, sum(value) AS total FROM metric_samples GROUP BY name ORDER BY name')
    .all()
    .map((row) => ({ ...row }));
  assert.deepEqual(rows, [
    { name: 'hw.gpu.clock.sm', n: 1, total: 5 },
    { name: 'hw.gpu.power', n: 3, total: 8 },
    { name: 'hw.gpu.temperature', n: 1, total: 2 },
  ]);
  await sink.close();
});
