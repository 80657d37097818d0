// The sink conformance suite against SQLite and the real local PostgreSQL, plus what only PostgreSQL has:
// identical tables and columns, numeric/timestamptz/jsonb types, and connection failures classified.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { CollectorError } from '../../src/core/errors.ts';
import { runSinkConformance, conformanceSample, type SinkHarness } from '../support/sink-conformance.ts';
import { openPostgresSink } from '../../src/sinks/postgres/sink.ts';
import { openSqliteSink } from '../../src/sinks/sqlite/sink.ts';
import { openSink } from '../../src/sinks/open.ts';
import { POSTGRES_MIGRATIONS } from '../../src/sinks/postgres/migrations.ts';
import { adminQuery, dropSchema, ensureTestDatabase, schemaUrl, uniqueSchema } from './postgres-test-db.ts';

before(ensureTestDatabase);

function sqliteHarness(path: string, cleanup: () => void): SinkHarness {
  const sink = openSqliteSink(path);
  return {
    sink,
    rows: async (sql) => sink.database.prepare(sql).all() as Array<Record<string, unknown>>,
    reopen: async () => {
      await sink.close();
      return sqliteHarness(path, cleanup);
    },
    dispose: async () => {
      await sink.close();
      cleanup();
    },
  };
}

async function postgresHarness(schema: string): Promise<SinkHarness> {
  const sink = await openPostgresSink(schemaUrl(schema));
  return {
    sink,
    rows: (sql) => sink.query(sql),
    reopen: async () => {
      await sink.close();
      return postgresHarness(schema);
    },
    dispose: async () => {
      await sink.close();
      await dropSchema(schema);
    },
  };
}

runSinkConformance('sqlite', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'optiinfra-conformance-'));
  return sqliteHarness(join(directory, 'db.sqlite'), () => rmSync(directory, { recursive: true, force: true }));
});

runSinkConformance('postgres', () => postgresHarness(uniqueSchema('conformance')));

test('PostgreSQL has the same tables and columns as SQLite, with numeric money, timestamptz times and jsonb tags', async () => {
  const schema = uniqueSchema('columns');
  const postgres = await openPostgresSink(schemaUrl(schema));
  const sqlite = openSqliteSink(':memory:');
  try {
    const tables = [
      'cost_records',
      'resources',
      'metric_series',
      'metric_points',
      'metric_samples',
      'collection_runs',
      'checkpoints',
      'source_state',
      'schema_migrations',
    ];
    for (const table of tables) {
      const sqliteColumns = (
        sqlite.database.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as Array<{ name: string }>
      ).map((row) => row.name);
      const postgresColumns = (
        await postgres.query<{ column_name: string }>(
          'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
          [schema, table],
        )
      ).map((row) => row.column_name);
      assert.ok(sqliteColumns.length > 0, table);
      assert.deepEqual(postgresColumns, sqliteColumns, table);
    }
    const types = Object.fromEntries(
      (
        await postgres.query<{ column_name: string; data_type: string }>(
          "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'cost_records'",
          [schema],
        )
      ).map((row) => [row.column_name, row.data_type]),
    );
    assert.equal(types.billed_cost, 'numeric');
    assert.equal(types.charge_period_start, 'timestamp with time zone');
    assert.equal(types.tags, 'jsonb');
  } finally {
    await postgres.close();
    await sqlite.close();
    await dropSchema(schema);
  }
});

test('metric points: COPY for new points, the upsert path when a batch repeats stored ones: every point stored as written', async () => {
  const schema = uniqueSchema('points');
  const sink = await openPostgresSink(schemaUrl(schema), { pointWrites: 'copy' });
  try {
    const at = (index: number) => new Date(Date.UTC(2026, 10, 26) + index * 1000).toISOString();
    // Fractions, a large and a tiny magnitude, negatives and zero: what binary COPY must carry bit for bit.
    const value = (index: number) => [index + 0.25, -index, 1e300 / (index + 1), 2 ** -40 * index, 0][index % 5] ?? 0;
    const batch = Array.from({ length: 2_000 }, (_, index) =>
      conformanceSample(at(index), String(index % 8), value(index)),
    );
    await sink.writeMetrics(batch);
    // The second batch repeats half the points with new values (upsert path) and adds one new point.
    const repeated = batch.slice(1_000).map((sample) => ({ ...sample, value: sample.value * 3 }));
    await sink.writeMetrics([...repeated, conformanceSample('2026-11-27T00:00:00.000Z', '0', 42)]);
    const expected = [
      ...batch.slice(0, 1_000),
      ...repeated,
      conformanceSample('2026-11-27T00:00:00.000Z', '0', 42),
    ].map((sample) => ({
      ts: sample.ts,
      provider: sample.provider,
      name: sample.name,
      category: sample.category,
      value: sample.value,
      unit: sample.unit,
      resource_id: sample.resource_id,
      labels: sample.labels,
    }));
    const stored = await sink.query<Record<string, unknown>>(
      'SELECT ts, provider, name, category, value, unit, resource_id, labels FROM metric_samples ORDER BY ts_ms, resource_id',
    );
    assert.equal(stored.length, 2_001);
    assert.deepEqual(stored, expected);
  } finally {
    await sink.close();
    await dropSchema(schema);
  }
});

test('schema history: a database made before checksums were kept gets them; an edited migration is refused', async () => {
  const schema = uniqueSchema('history');
  try {
    // As the first release left it: migration 1 applied, schema_migrations without a checksum column, one cost row.
    await adminQuery(`CREATE SCHEMA "${schema}"`);
    await adminQuery(`SET search_path TO "${schema}"; CREATE TABLE schema_migrations (version bigint PRIMARY KEY, applied_at timestamptz NOT NULL);
      ${POSTGRES_MIGRATIONS[0]?.sql ?? ''}; INSERT INTO schema_migrations VALUES (1, now());`);
    await adminQuery(
      `INSERT INTO "${schema}".resources (provider, resource_id, resource_type, gpu_model, gpu_count, first_seen_at, last_seen_at) VALUES ('acme', 'i-1', 'instance', 'H100', 8, now(), now())`,
    );
    const sink = await openPostgresSink(schemaUrl(schema));
    assert.deepEqual(
      await sink.query('SELECT version::int AS version, checksum FROM schema_migrations ORDER BY version'),
      POSTGRES_MIGRATIONS.map((migration) => ({ version: migration.version, checksum: migration.checksum })),
    );
    assert.deepEqual(
      (await sink.queries().resources({ limit: 10 })).map((row) => [
        row.resource_id,
        row.gpu_model,
        row.gpu_model_raw,
        row.gpu_count,
        row.parent_resource_id,
      ]),
      [['i-1', 'H100', 'H100', 8, null]],
      'migration 2 keeps the name a migration-1 row held as its raw name, the count as a number',
    );
    await sink.close();
    await adminQuery(`UPDATE "${schema}".schema_migrations SET checksum = 'edited' WHERE version = 1`);
    await assert.rejects(openPostgresSink(schemaUrl(schema)), (error: unknown) => {
      assert.ok(error instanceof CollectorError);
      assert.equal(error.code, 'STORAGE_SCHEMA_MISMATCH');
      assert.match(
        error.message,
        /PostgreSQL at 127\.0\.0\.1:5432\/\S+: schema migration 1 \(initial schema\) was applied with checksum edited/,
      );
      return true;
    });
  } finally {
    await dropSchema(schema);
  }
});

test('an unreachable server is STORAGE_UNAVAILABLE (retryable), naming host and database but never the password', async () => {
  await assert.rejects(
    openPostgresSink('postgres://postgres:s3cret-pw@127.0.0.1:1/optiinfra_test', { connectTimeoutMs: 1_000 }),
    (error: unknown) => {
      assert.ok(error instanceof CollectorError);
      assert.equal(error.code, 'STORAGE_UNAVAILABLE');
      assert.equal(error.retryable, true);
      assert.match(error.message, /127\.0\.0\.1:1\/optiinfra_test/);
      assert.doesNotMatch(error.message, /s3cret-pw/);
      return true;
    },
  );
  const lazy = await openPostgresSink('postgres://postgres@127.0.0.1:1/optiinfra_test', {
    connectTimeoutMs: 1_000,
    lazy: true,
  });
  await assert.rejects(lazy.ping(), { code: 'STORAGE_UNAVAILABLE' });
  await lazy.close();
});

test('a rejected statement is not STORAGE_UNAVAILABLE', async () => {
  const schema = uniqueSchema('rejected');
  const sink = await openPostgresSink(schemaUrl(schema));
  try {
    await assert.rejects(
      sink.query('SELECT * FROM no_such_table'),
      (error: unknown) => error instanceof CollectorError && error.code === 'INTERNAL' && /42P01/.test(error.message),
    );
  } finally {
    await sink.close();
    await dropSchema(schema);
  }
});

test('openSink opens postgres:// URLs', async () => {
  const schema = uniqueSchema('open');
  const sink = await openSink(schemaUrl(schema));
  try {
    assert.equal(sink.kind, 'postgres');
    await sink.ping();
  } finally {
    await sink.close();
    await dropSchema(schema);
  }
});
