// The real local PostgreSQL for integration tests: OPTIINFRA_TEST_PG_URL (default the local trust-auth
// server), the test database created if missing, and one throw-away schema per test store.

import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test database URL. */
export const TEST_PG_URL = process.env.OPTIINFRA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/optiinfra_test';

let ensured: Promise<void> | undefined;

/** Creates the test database when it does not exist (connecting to the `postgres` database first). */
export function ensureTestDatabase(): Promise<void> {
  ensured ??= (async () => {
    const url = new URL(TEST_PG_URL);
    const name = decodeURIComponent(url.pathname.slice(1));
    url.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: unknown) => {
          if ((error as { code?: unknown }).code !== '42P04') throw error; // created meanwhile by another test file
        });
      }
    } finally {
      await admin.end();
    }
  })();
  return ensured;
}

/** A fresh schema name, unique per call. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** The test URL selecting `schema`. */
export function schemaUrl(schema: string, base = TEST_PG_URL): string {
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** Runs SQL on the test database directly (setup, teardown, counts). */
export async function adminQuery<T extends Record<string, unknown> = Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Drops a schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
