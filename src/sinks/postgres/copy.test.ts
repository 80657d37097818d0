import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { TEST_PG_URL, ensureTestDatabase, uniqueSchema } from '../../../test/integration/postgres-test-db.ts';
import { copyPointsBinary, copyRows } from './copy.ts';

const schema = uniqueSchema('copy');
let client: pg.Client;

before(async () => {
  await ensureTestDatabase();
  client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  await client.query(
    `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.points (series_id bigint NOT NULL, ts_ms bigint NOT NULL, value double precision)`,
  );
});
after(async () => {
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

test('binary COPY of points stores exactly what text COPY stores, across chunks, with NaN as NULL', async () => {
  const count = 20_000; // several 256 KiB chunks
  const ids = Array.from({ length: count }, (_, index) => index * 7919 + (index % 3 === 0 ? 2 ** 40 : 1));
  const timestamps = Float64Array.from(
    { length: count },
    (_, index) => Date.UTC(2026, 0, 1) + index * 15_000 - (index === 5 ? 2 ** 50 : 0),
  );
  const special = [
    Number.NaN,
    0,
    -0.5,
    1e300,
    -1e-300,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    81_559 * 1_048_576,
    0.1 + 0.2,
  ];
  const values = Float64Array.from({ length: count }, (_, index) => special[index % special.length]!);
  assert.equal(
    await copyPointsBinary(client, `${schema}.points (series_id, ts_ms, value)`, ids, timestamps, values),
    count,
  );
  await client.query(`CREATE TABLE ${schema}.text_points (LIKE ${schema}.points)`);
  await copyRows(
    client,
    `${schema}.text_points (series_id, ts_ms, value)`,
    ids.map((id, index) => [id, timestamps[index]!, Number.isNaN(values[index]!) ? null : values[index]!]),
  );
  const difference = await client.query(
    `SELECT count(*)::int AS n FROM ((TABLE ${schema}.points EXCEPT ALL TABLE ${schema}.text_points) UNION ALL (TABLE ${schema}.text_points EXCEPT ALL TABLE ${schema}.points)) AS d`,
  );
  assert.equal(difference.rows[0].n, 0);
  const nulls = await client.query(`SELECT count(*)::int AS n FROM ${schema}.points WHERE value IS NULL`);
  assert.equal(nulls.rows[0].n, Math.ceil(count / special.length));
  const negative = await client.query(`SELECT ts_ms::text FROM ${schema}.points WHERE series_id = $1`, [
    String(5 * 7919 + 1),
  ]);
  assert.equal(negative.rows[0].ts_ms, String(Date.UTC(2026, 0, 1) + 5 * 15_000 - 2 ** 50));
});

test('an empty binary COPY stores nothing', async () => {
  assert.equal(await copyPointsBinary(client, `${schema}.points (series_id, ts_ms, value)`, [], [], []), 0);
});
