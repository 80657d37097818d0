// The schema history both engines keep in schema_migrations: each applied migration's version and the
// checksum of its SQL. Opening a database compares that history with this build's migrations, so an edited
// released migration, or a database written by a newer build, is refused before anything is read or written.

import { createHash } from 'node:crypto';
import { CollectorError } from '../core/errors.ts';

/** One released migration: literal SQL, never edited once released. */
export interface Migration {
  /** 1-based position; what schema_migrations.version records. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** sha256 (hex) of `sql`. */
  readonly checksum: string;
}

/** A row of schema_migrations as read back; checksum is null for rows recorded before checksums were kept. */
export interface AppliedMigration {
  version: number;
  checksum: string | null;
}

/** The sha256 (hex) of a migration's SQL text. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** Numbers `[name, sql]` pairs in order and computes their checksums. */
export function defineMigrations(list: ReadonlyArray<readonly [name: string, sql: string]>): readonly Migration[] {
  return Object.freeze(
    list.map(([name, sql], index) =>
      Object.freeze({ version: index + 1, name, sql, checksum: migrationChecksum(sql) }),
    ),
  );
}

/**
 * Throws STORAGE_SCHEMA_MISMATCH when the database's history does not match this build's: a version this build
 * does not know (a newer build's database) or a checksum that differs (a released migration was edited).
 * `where` names the database (path or URL without password) in the message.
 */
export function checkHistory(
  applied: readonly AppliedMigration[],
  migrations: readonly Migration[],
  where: string,
): void {
  for (const row of applied) {
    const known = migrations[row.version - 1];
    if (known === undefined) {
      const message =
        `${where}: schema migration ${row.version} is applied but this build knows only ${migrations.length}; ` +
        'the database was written by a newer version of the collector (upgrade the collector, or use another database)';
      throw new CollectorError('STORAGE_SCHEMA_MISMATCH', message);
    }
    if (row.checksum !== null && row.checksum !== known.checksum) {
      const message =
        `${where}: schema migration ${row.version} (${known.name}) was applied with checksum ${row.checksum} but this ` +
        `build's is ${known.checksum}: a released migration was edited; restore it and add a new migration instead`;
      throw new CollectorError('STORAGE_SCHEMA_MISMATCH', message);
    }
  }
}
