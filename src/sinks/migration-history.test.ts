// Frozen schema history: released migrations are pinned by checksum, a database made at migration 1 upgrades to
// the latest with its rows, a pre-checksum database gets its checksums, and an edited or newer history is refused.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CollectorError } from '../core/errors.ts';
import { POSTGRES_MIGRATIONS } from './postgres/migrations.ts';
import { SQLITE_MIGRATIONS } from './sqlite/migrations.ts';
import { openSqliteSink } from './sqlite/sink.ts';

/** The checksum of every released migration. A change here means a released migration was edited: add one instead. */
const RELEASED = {
  sqlite: [
    '856d62898d9671fb37edbfe566c280562aeddc2c6754bc2d316283c771e5b87f',
    'cc115e09d543df67a640c8f79171979538d27657bf3fc1063ee3141a71c567fe',
    'ce7df8aa2d2d675515085e12dc6a478ab4f45adfbc746d3662458072ee746722',
    // 4: cost rows name the run that wrote them (x_run_id, restatement pruning by run).
    'ab4cdd6aa212df36c08e58b7e099e8dac3490baab4bde8b0872e84ccab2eb430',
  ],
  postgres: [
    '71f8b705d93e701d4eec1785a095753e76b40e7761de437309f8df0c9710b9be',
    'b3de87c804ec74679a7a2f85b5c70a5f8f15b640d098d250c3017e4e63b31fd2',
    // 3: cost rows name the run that wrote them (x_run_id, restatement pruning by run).
    '0353d209c7b15397aa3c616e1adc005f4f84e908a9cef18d0e606b49924d9611',
  ],
};

test('released migrations keep their checksums (each is literal SQL, independent of the write path)', () => {
  assert.deepEqual(
    SQLITE_MIGRATIONS.slice(0, RELEASED.sqlite.length).map((migration) => migration.checksum),
    RELEASED.sqlite,
  );
  assert.deepEqual(
    POSTGRES_MIGRATIONS.slice(0, RELEASED.postgres.length).map((migration) => migration.checksum),
    RELEASED.postgres,
  );
  assert.deepEqual(
    SQLITE_MIGRATIONS.map((migration) => migration.version),
    [1, 2, 3, 4],
  );
  assert.deepEqual(
    POSTGRES_MIGRATIONS.map((migration) => migration.version),
    [1, 2, 3],
  );
});

/** A database file holding only migration 1, as the first release wrote it (no checksum column), with one row of each kind. */
function databaseAtMigrationOne(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'optiinfra-migrate-')), 'old.db');
  const old = new DatabaseSync(path);
  old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  old.exec(SQLITE_MIGRATIONS[0]?.sql ?? '');
  old.exec("INSERT INTO schema_migrations VALUES (1, '2026-11-01T00:00:00Z')");
  old.exec(`INSERT INTO cost_records (record_key, billed_cost, effective_cost, list_cost, contracted_cost, billing_account_id,
    billing_currency, billing_period_start, billing_period_end, charge_period_start, charge_period_end, charge_category,
    invoice_issuer_name, provider_name, publisher_name, service_category, service_name, provider, x_cost_source,
    x_collected_at, x_row_key)
    VALUES ('k1', '12.345678', '12.345678', '13.00', '12.345678', 'acct', 'USD', '2026-11-01T00:00:00Z',
    '2026-12-01T00:00:00Z', '2026-11-02T00:00:00Z', '2026-11-03T00:00:00Z', 'Usage', 'Acme', 'Acme', 'Acme', 'Compute',
    'GPU', 'acme', 'billing_api', '2026-11-03T01:00:00Z', '')`);
  old.exec(`INSERT INTO resources (provider, resource_id, resource_type, gpu_model, gpu_count, first_seen_at, last_seen_at)
    VALUES ('acme', 'i-1', 'instance', 'H100', 8, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z')`);
  old.exec(`INSERT INTO metric_series (series_id, series_key, provider, name, category, unit, resource_id, labels)
    VALUES (7, 'k', 'acme', 'hw.gpu.power', 'gpu', 'W', 'GPU-1', '{}')`);
  old.exec('INSERT INTO metric_points (series_id, ts_ms, value) VALUES (7, 1000, 1.5), (7, 2000, 2.5)');
  old.exec(
    `INSERT INTO collection_runs (id, provider, started_at, status) VALUES ('r1', 'acme', '2026-11-02T00:00:00Z', 'ok')`,
  );
  old.exec(`INSERT INTO checkpoints VALUES ('acme', 'cost', '2026-11-03T00:00:00Z', '2026-11-03T00:00:00Z')`);
  old.exec(`INSERT INTO source_state VALUES ('acme', 'seen', '{"i-1":"2026-11-01T00:00:00Z"}')`);
  old.close();
  return path;
}

test('SQLite: a database made at migration 1 upgrades to the latest and keeps every row; a second open is a no-op', async () => {
  const path = databaseAtMigrationOne();
  const sink = openSqliteSink(path);
  const history = sink.database.prepare('SELECT version, checksum FROM schema_migrations ORDER BY version').all();
  assert.deepEqual(
    history.map((row) => ({ ...row })),
    SQLITE_MIGRATIONS.map((migration) => ({ version: migration.version, checksum: migration.checksum })),
  );
  const queries = sink.queries?.();
  assert.ok(queries);
  const totals = await queries.costTotals({
    from: '2026-11-01T00:00:00Z',
    to: '2026-12-01T00:00:00Z',
    groupBy: 'provider',
  });
  assert.deepEqual(
    totals.map((total) => [total.key, total.billed_cost, total.list_cost, total.rows]),
    [['acme', '12.345678', '13', 1]],
  );
  assert.deepEqual(
    (await queries.resources({ limit: 10 })).map((row) => [
      row.resource_id,
      row.gpu_model,
      row.gpu_model_raw,
      row.gpu_count,
      row.parent_resource_id,
    ]),
    [['i-1', 'H100', 'H100', 8, null]],
    'migration 3 keeps the name a migration-1 row held as its raw name',
  );
  assert.deepEqual(
    (await queries.metrics({ limit: 10 })).map((sample) => [sample.ts, sample.value]),
    [
      ['1970-01-01T00:00:01.000Z', 1.5],
      ['1970-01-01T00:00:02.000Z', 2.5],
    ],
  );
  assert.equal((await sink.getCheckpoint('acme', 'cost'))?.toISOString(), '2026-11-03T00:00:00.000Z');
  assert.deepEqual(await sink.getState('acme', 'seen'), { 'i-1': '2026-11-01T00:00:00Z' });
  assert.equal((await sink.listRuns({ limit: 10 })).length, 1);
  await sink.close();
  const again = openSqliteSink(path);
  assert.equal(
    (again.database.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n,
    SQLITE_MIGRATIONS.length,
  );
  assert.equal((again.database.prepare('SELECT count(*) AS n FROM metric_points').get() as { n: number }).n, 2);
  await again.close();
});

test('SQLite: an edited migration and a newer build database are refused with STORAGE_SCHEMA_MISMATCH, nothing changed', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'optiinfra-migrate-')), 'db.sqlite');
  await openSqliteSink(path).close();
  const tamper = new DatabaseSync(path);
  tamper.exec("UPDATE schema_migrations SET checksum = 'abc123' WHERE version = 1");
  tamper.close();
  assert.throws(
    () => openSqliteSink(path),
    (error: unknown) => {
      assert.ok(error instanceof CollectorError);
      assert.equal(error.code, 'STORAGE_SCHEMA_MISMATCH');
      assert.match(
        error.message,
        /SQLite database .*db\.sqlite: schema migration 1 \(initial schema\) was applied with checksum abc123/,
      );
      return true;
    },
  );
  const newer = new DatabaseSync(path);
  newer.exec(`UPDATE schema_migrations SET checksum = '${SQLITE_MIGRATIONS[0]?.checksum}' WHERE version = 1`);
  newer.exec("INSERT INTO schema_migrations VALUES (99, '2027-01-01T00:00:00Z', 'f00')");
  newer.close();
  assert.throws(
    () => openSqliteSink(path),
    /schema migration 99 is applied but this build knows only 4; the database was written by a newer version/,
  );
});
