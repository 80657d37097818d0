// The PostgreSQL store: the same schema and idempotency as SQLite. Each batch is one transaction of a few
// set-based statements (unnest arrays, or COPY for new metric points), a series-id cache like SQLite's,
// and connection failures classified as STORAGE_UNAVAILABLE so the spool can take over.

import pg from 'pg';
import type { ClientBase, PoolClient } from 'pg';
import { CollectorError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { CollectionRun, CostRecord, CostSource, MetricSample, ResourceRecord } from '../../core/model.ts';
import { focusTime } from '../../core/model.ts';
import { orderedRunDetails, type StoreQueries } from '../../core/queries.ts';
import {
  INTERRUPTED_RUN_ERROR,
  type CheckpointKind,
  type RunQuery,
  type Sink,
  type StateWriteOptions,
} from '../../core/sink.ts';
import type { TimeWindow } from '../../core/window.ts';
import { COST_COLUMNS, RESOURCE_COLUMNS, costRecordKey, seriesKey, type ColumnType } from '../schema.ts';
import { SeriesCache } from '../series-cache.ts';
import { copyPointsBinary } from './copy.ts';
import { isConnectionFailure, postgresError } from './errors.ts';
import { checkHistory } from '../migration-history.ts';
import { POSTGRES_MIGRATIONS } from './migrations.ts';
import { createPostgresQueries } from './queries.ts';
import { pruneBounded } from '../retention.ts';

/** How new metric points are written. */
export type PointWriteMode = 'copy' | 'upsert';

/** Options of openPostgresSink. */
export interface PostgresSinkOptions {
  /** Schema to use (created if missing); also settable as `?schema=` on the URL. Default: the server's search_path. */
  schema?: string;
  /** Give up connecting after this long (then STORAGE_UNAVAILABLE). Default 5 s. */
  connectTimeoutMs?: number;
  /** Pool size. Default 4. */
  maxConnections?: number;
  /** Do not fail when the database is unreachable at open; migrate on first use instead (spooled service mode). */
  lazy?: boolean;
  /** `copy` (default): COPY new points, falling back to an upsert when some exist; `upsert`: always INSERT … ON CONFLICT. */
  pointWrites?: PointWriteMode;
  /** Where a retention pass that holds back says why. */
  log?: Logger;
}

type Row = Record<string, unknown>;

// Rows per statement: bounds the size of one protocol message and of the arrays the server unpacks.
const ROWS_PER_STATEMENT = 5_000;
const MIGRATION_LOCK = 0x6f707469; // 'opti'
const RESOURCE_TYPES: Record<(typeof RESOURCE_COLUMNS)[number], string> = {
  provider: 'text',
  resource_id: 'text',
  resource_name: 'text',
  resource_type: 'text',
  region_id: 'text',
  status: 'text',
  instance_type: 'text',
  gpu_model: 'text',
  gpu_model_raw: 'text',
  gpu_count: 'numeric',
  vcpus: 'bigint',
  memory_bytes: 'bigint',
  price_per_hour: 'numeric',
  currency: 'text',
  tags: 'jsonb',
  parent_resource_id: 'text',
  first_seen_at: 'timestamptz',
  last_seen_at: 'timestamptz',
};

const POSTGRES_TYPE: Record<ColumnType, string> = {
  text: 'text',
  decimal: 'numeric',
  integer: 'bigint',
  timestamp: 'timestamptz',
  json: 'jsonb',
  real: 'double precision',
};

/** The PostgreSQL type of each cost column in COST_COLUMNS order, for the unnest() casts of the write path. */
const COST_COLUMN_TYPES: readonly string[] = COST_COLUMNS.map(([, type]) => POSTGRES_TYPE[type]);

/** Opens a PostgreSQL store at `url` (postgres://user:pass@host:port/db[?schema=name]) and applies migrations. */
export async function openPostgresSink(url: string, options: PostgresSinkOptions = {}): Promise<PostgresSink> {
  const sink = new PostgresSink(url, options);
  try {
    await sink.ready();
  } catch (error) {
    if (!(options.lazy && error instanceof CollectorError && error.code === 'STORAGE_UNAVAILABLE')) {
      await sink.close();
      throw error;
    }
  }
  return sink;
}

/** Formats a timestamptz read in the UTC session zone (`2026-11-26 10:00:00.5+00`) as a UTC ISO string: FOCUS seconds, milliseconds only when present. */
export function isoFromTimestamptz(raw: string): string {
  const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d+))?\+00$/.exec(raw);
  if (!match) return new Date(raw).toISOString();
  const millis = (match[3] ?? '').padEnd(3, '0').slice(0, 3);
  return `${match[1]}T${match[2]}${millis === '' || millis === '000' ? '' : `.${millis}`}Z`;
}

/** See openPostgresSink. */
export class PostgresSink implements Sink {
  readonly kind = 'postgres';
  /** host:port/database, for messages (never the password). */
  readonly where: string;
  readonly schema: string | undefined;
  readonly #pool: pg.Pool;
  readonly #seriesCache = new SeriesCache();
  readonly #pointWrites: PointWriteMode;
  readonly #log: Logger | undefined;
  #migrated: Promise<void> | undefined;
  #closed = false;

  constructor(url: string, options: PostgresSinkOptions = {}) {
    const parsed = new URL(url);
    const schema = options.schema ?? parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))
      throw new CollectorError(
        'CONFIG_INVALID',
        `storage.url: schema ${JSON.stringify(schema)} must be a plain identifier`,
      );
    this.schema = schema;
    this.where = `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
    this.#pointWrites = options.pointWrites ?? 'copy';
    this.#log = options.log;
    const types = new pg.TypeOverrides();
    types.setTypeParser(pg.types.builtins.INT8, Number);
    types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, isoFromTimestamptz);
    this.#pool = new pg.Pool({
      connectionString: parsed.toString(),
      max: options.maxConnections ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      idleTimeoutMillis: 10_000,
      keepAlive: true,
      application_name: 'optiinfra-collector',
      // UTC session: timestamptz text is `+00`; search_path selects the schema without a round trip.
      options: `-c TimeZone=UTC${schema ? ` -c search_path=${schema}` : ''}`,
      types,
    });
    // An idle connection dropped by the server (restart, outage) must not crash the process; the pool replaces it.
    this.#pool.on('error', () => undefined);
  }

  /** Applies pending migrations once; retried on the next call after a connection failure. */
  ready(): Promise<void> {
    this.#migrated ??= this.#migrate().catch((error: unknown) => {
      this.#migrated = undefined;
      throw error;
    });
    return this.#migrated;
  }

  /** Runs a read-only query (HTTP API, tests, demo); rows use the same value shapes as the sink's reads. */
  async query<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.#run('a query', (client) => client.query<T>(sql, params))).rows;
  }

  async writeCosts(rows: CostRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const byKey = new Map<string, CostRecord>();
    for (const row of rows) byKey.set(costRecordKey(row), row);
    const keys = [...byKey.keys()].sort();
    const names = COST_COLUMNS.map(([name]) => name);
    const sql = `INSERT INTO cost_records (record_key, ${names.join(', ')})
      SELECT * FROM unnest($1::text[], ${COST_COLUMN_TYPES.map((type, index) => `$${index + 2}::${type}[]`).join(', ')})
      ON CONFLICT (record_key) DO UPDATE SET ${names.map((name) => `${name} = excluded.${name}`).join(', ')}`;
    await this.#transaction('writing cost rows', async (client) => {
      for (let offset = 0; offset < keys.length; offset += ROWS_PER_STATEMENT) {
        const chunk = keys.slice(offset, offset + ROWS_PER_STATEMENT);
        const columns = COST_COLUMNS.map(([name, type]) =>
          chunk.map((key) => toParam((byKey.get(key) as CostRecord)[name], type === 'json')),
        );
        await client.query(sql, [chunk, ...columns]);
      }
    });
  }

  async writeResources(rows: ResourceRecord[]): Promise<void> {
    if (rows.length === 0) return;
    // Within one batch, as in sequential upserts: the last row wins, first_seen_at is the earliest.
    const byKey = new Map<string, ResourceRecord>();
    for (const row of rows) {
      const key = `${row.provider}\u001f${row.resource_id}`;
      const previous = byKey.get(key);
      const firstSeen = row.first_seen_at ?? row.last_seen_at;
      const earliest =
        previous?.first_seen_at && Date.parse(previous.first_seen_at) < Date.parse(firstSeen)
          ? previous.first_seen_at
          : firstSeen;
      byKey.set(key, { ...row, first_seen_at: earliest });
    }
    const records = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    const updates = RESOURCE_COLUMNS.filter(
      (name) => name !== 'provider' && name !== 'resource_id' && name !== 'first_seen_at',
    ).map((name) => `${name} = excluded.${name}`);
    const sql = `INSERT INTO resources (${RESOURCE_COLUMNS.join(', ')})
      SELECT * FROM unnest(${RESOURCE_COLUMNS.map((name, index) => `$${index + 1}::${RESOURCE_TYPES[name]}[]`).join(', ')})
      ON CONFLICT (provider, resource_id) DO UPDATE SET ${updates.join(', ')}, first_seen_at = LEAST(resources.first_seen_at, excluded.first_seen_at)`;
    await this.#transaction('writing resources', async (client) => {
      for (let offset = 0; offset < records.length; offset += ROWS_PER_STATEMENT) {
        const chunk = records.slice(offset, offset + ROWS_PER_STATEMENT);
        await client.query(
          sql,
          RESOURCE_COLUMNS.map((name) => chunk.map((row) => toParam(row[name], name === 'tags'))),
        );
      }
    });
  }

  async writeMetrics(samples: MetricSample[]): Promise<void> {
    if (samples.length === 0) return;
    const learned: Array<[MetricSample, number]> = [];
    const write = (mode: PointWriteMode) =>
      this.#transaction('writing metric samples', async (client) => {
        const seriesIds = await this.#resolveSeries(client, samples, learned);
        if (mode === 'copy') await copyPointColumns(client, samples, seriesIds);
        else await upsertPoints(client, samples, seriesIds);
      });
    try {
      // New points (the usual case) go in with one COPY; a batch repeating stored points is redone as an upsert.
      await write(this.#pointWrites);
    } catch (error) {
      if (!(
        this.#pointWrites === 'copy' &&
        error instanceof CollectorError &&
        (error.cause as { code?: unknown } | undefined)?.code === '23505'
      ))
        throw error;
      learned.length = 0;
      await write('upsert');
    }
    // Ids are cached only once their rows are committed: a rolled-back series must not be referenced later.
    for (const [sample, id] of learned) this.#seriesCache.set(sample, id);
  }

  async pruneCostWindow(provider: string, window: TimeWindow, costSource: CostSource, runId: string): Promise<number> {
    const result = await this.#run('pruning restated cost rows', (client) =>
      client.query(
        'DELETE FROM cost_records WHERE provider = $1 AND x_cost_source = $2 AND charge_period_start >= $3 AND charge_period_start < $4 AND x_run_id IS DISTINCT FROM $5',
        [provider, costSource, focusTime(window.start), focusTime(window.end), runId],
      ),
    );
    return result.rowCount ?? 0;
  }

  async saveRun(run: CollectionRun): Promise<void> {
    await this.#run('saving a run', (client) =>
      client.query(
        `INSERT INTO collection_runs (id, provider, started_at, finished_at, status, costs, resources, metrics, error, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
       ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at, status = excluded.status, costs = excluded.costs, resources = excluded.resources, metrics = excluded.metrics, error = excluded.error, details = excluded.details`,
        [
          run.id,
          run.provider,
          run.started_at,
          run.finished_at,
          run.status,
          run.costs,
          run.resources,
          run.metrics,
          run.error,
          JSON.stringify(run.details),
        ],
      ),
    );
  }

  async listRuns(query: RunQuery = {}): Promise<CollectionRun[]> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 1000);
    const columns = 'id, provider, started_at, finished_at, status, costs, resources, metrics, error, details';
    const result = await this.#run('listing runs', (client) =>
      query.provider
        ? client.query<Row>(
            `SELECT ${columns} FROM collection_runs WHERE provider = $1 ORDER BY started_at DESC, id DESC LIMIT $2`,
            [query.provider, limit],
          )
        : client.query<Row>(`SELECT ${columns} FROM collection_runs ORDER BY started_at DESC, id DESC LIMIT $1`, [
            limit,
          ]),
    );
    // Run times are exposed exactly as SQLite returns them: the ISO strings runProvider saved (with milliseconds).
    return result.rows.map((row) => ({
      ...(row as unknown as CollectionRun),
      details: orderedRunDetails(row.details as CollectionRun['details']),
      started_at: new Date(String(row.started_at)).toISOString(),
      finished_at: row.finished_at === null ? null : new Date(String(row.finished_at)).toISOString(),
    }));
  }

  async markInterruptedRuns(before: Date): Promise<number> {
    // One statement: the interruption is appended to the errors the run recorded so far.
    const result = await this.#run('marking interrupted runs', (client) =>
      client.query(
        `UPDATE collection_runs SET status = 'failed', finished_at = $1, error = $2,
         details = jsonb_set(details, '{errors}', CASE WHEN jsonb_typeof(details->'errors') = 'array' THEN details->'errors' ELSE '[]'::jsonb END || jsonb_build_array(jsonb_build_object('code', $3::text, 'message', $4::text)))
       WHERE status = 'running' AND finished_at IS NULL AND started_at < $1`,
        [
          before.toISOString(),
          `${INTERRUPTED_RUN_ERROR.code}: ${INTERRUPTED_RUN_ERROR.message}`,
          INTERRUPTED_RUN_ERROR.code,
          INTERRUPTED_RUN_ERROR.message,
        ],
      ),
    );
    return result.rowCount ?? 0;
  }

  /** The HTTP API's read queries over this database (same results as SQLite's). */
  queries(): StoreQueries {
    return createPostgresQueries(this);
  }

  async getCheckpoint(provider: string, kind: CheckpointKind): Promise<Date | undefined> {
    const result = await this.#run('reading a checkpoint', (client) =>
      client.query<{ last_success_end: string }>(
        'SELECT last_success_end FROM checkpoints WHERE provider = $1 AND kind = $2',
        [provider, kind],
      ),
    );
    const row = result.rows[0];
    return row ? new Date(row.last_success_end) : undefined;
  }

  async setCheckpoint(provider: string, kind: CheckpointKind, end: Date): Promise<void> {
    await this.#run('saving a checkpoint', (client) =>
      client.query(
        'INSERT INTO checkpoints (provider, kind, last_success_end, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (provider, kind) DO UPDATE SET last_success_end = excluded.last_success_end, updated_at = excluded.updated_at',
        [provider, kind, end.toISOString(), new Date().toISOString()],
      ),
    );
  }

  async getState(provider: string, key: string): Promise<unknown> {
    // Read as text and parsed here, so a stored JSON string comes back exactly as SQLite returns it.
    const result = await this.#run('reading source state', (client) =>
      client.query<{ value: string }>(
        'SELECT value::text AS value FROM source_state WHERE provider = $1 AND key = $2',
        [provider, key],
      ),
    );
    const row = result.rows[0];
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  }

  async setState(provider: string, key: string, value: unknown, options: StateWriteOptions = {}): Promise<void> {
    const onConflict = options.ifAbsent ? 'DO NOTHING' : 'DO UPDATE SET value = excluded.value';
    await this.#run('saving source state', (client) =>
      client.query(
        `INSERT INTO source_state (provider, key, value) VALUES ($1, $2, $3::jsonb) ON CONFLICT (provider, key) ${onConflict}`,
        [provider, key, JSON.stringify(value)],
      ),
    );
  }

  async pruneMetrics(before: Date): Promise<number> {
    const count = async (sql: string, values: number[]): Promise<number> => {
      const result = await this.#run('pruning metric samples', (client) => client.query<{ n: number }>(sql, values));
      return Number(result.rows[0]?.n ?? 0);
    };
    return pruneBounded(
      {
        countBefore: (beforeMs) => count('SELECT count(*) AS n FROM metric_points WHERE ts_ms < $1', [beforeMs]),
        countFrom: (fromMs, cap) =>
          count('SELECT count(*) AS n FROM (SELECT 1 FROM metric_points WHERE ts_ms >= $1 LIMIT $2) newer', [
            fromMs,
            cap,
          ]),
        deleteBefore: async (beforeMs, limit) => {
          const result = await this.#run('pruning metric samples', (client) =>
            limit === undefined
              ? client.query('DELETE FROM metric_points WHERE ts_ms < $1', [beforeMs])
              : client.query(
                  'DELETE FROM metric_points WHERE (series_id, ts_ms) IN (SELECT series_id, ts_ms FROM metric_points WHERE ts_ms < $1 ORDER BY ts_ms, series_id LIMIT $2)',
                  [beforeMs, limit],
                ),
          );
          return result.rowCount ?? 0;
        },
      },
      before,
      this.#log,
    );
  }

  async ping(): Promise<void> {
    await this.#run('ping', (client) => client.query('SELECT 1'));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  /** Series ids of `samples`, inserting unknown series. Cached series cost no key (see SeriesCache); a miss falls back to the canonical seriesKey. */
  async #resolveSeries(
    client: ClientBase,
    samples: MetricSample[],
    learned: Array<[MetricSample, number]>,
  ): Promise<number[]> {
    const ids: number[] = new Array<number>(samples.length);
    /** Series not cached yet, by canonical key: the first sample and every index of the series in this batch. */
    const missing = new Map<string, { sample: MetricSample; indexes: number[] }>();
    // A new series repeats within a batch (one sample per scrape): after its first sample it is found in this
    // batch-local cache (value: its slot in `fresh`) instead of building its key again.
    let batchSeries: SeriesCache | undefined;
    const fresh: number[][] = [];
    for (let index = 0; index < samples.length; index++) {
      const sample = samples[index] as MetricSample;
      const cached = this.#seriesCache.get(sample);
      if (cached !== undefined) {
        ids[index] = cached;
        continue;
      }
      batchSeries ??= new SeriesCache();
      const slot = batchSeries.get(sample);
      if (slot !== undefined) {
        fresh[slot]!.push(index);
        continue;
      }
      const key = seriesKey(sample.provider, sample.name, sample.resource_id, sample.labels);
      const known = missing.get(key);
      if (known !== undefined) {
        known.indexes.push(index);
        continue;
      }
      const indexes = [index];
      missing.set(key, { sample, indexes });
      batchSeries.set(sample, fresh.length);
      fresh.push(indexes);
    }
    if (missing.size > 0) {
      const wanted = [...missing.keys()].sort();
      const sample = (key: string): MetricSample => missing.get(key)!.sample;
      await client.query(
        `INSERT INTO metric_series (series_key, provider, name, category, unit, resource_id, labels)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[]) ON CONFLICT (series_key) DO NOTHING`,
        [
          wanted,
          wanted.map((key) => sample(key).provider),
          wanted.map((key) => sample(key).name),
          wanted.map((key) => sample(key).category),
          wanted.map((key) => sample(key).unit),
          wanted.map((key) => sample(key).resource_id),
          wanted.map((key) => JSON.stringify(sample(key).labels)),
        ],
      );
      const found = await client.query<{ series_key: string; series_id: number }>(
        'SELECT series_key, series_id FROM metric_series WHERE series_key = ANY($1::text[])',
        [wanted],
      );
      const byKey = new Map(found.rows.map((row) => [row.series_key, row.series_id]));
      for (const [key, { sample: first, indexes }] of missing) {
        const id = byKey.get(key) as number;
        learned.push([first, id]);
        for (const index of indexes) {
          ids[index] = id;
          // Learn every other labels object too (another key order, another frozen set) so it hits next batch.
          const other = samples[index] as MetricSample;
          if (other.labels !== first.labels) learned.push([other, id]);
        }
      }
    }
    return ids;
  }

  async #transaction<T>(what: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.#run(what, async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (!isConnectionFailure(error)) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Runs `work` on a pooled connection; a broken connection is discarded and every failure classified. */
  async #run<T>(what: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    if (this.#closed)
      throw new CollectorError('STORAGE_UNAVAILABLE', `PostgreSQL at ${this.where}: the sink is closed (${what})`);
    if (what !== 'migrating') await this.ready();
    let client: PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      // Whatever stops a connection (refused, timed out, server starting or not accepting connections) means "unavailable now".
      throw new CollectorError(
        'STORAGE_UNAVAILABLE',
        `PostgreSQL at ${this.where} is unreachable (${what}): ${error instanceof Error ? error.message : String(error)}`,
        {},
        { cause: error },
      );
    }
    let broken: Error | undefined;
    // A socket error while checked out is emitted on the client; without a listener it would crash the process.
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      return await work(client);
    } catch (error) {
      if (isConnectionFailure(error)) broken ??= error as Error;
      throw postgresError(error, this.where, what);
    } finally {
      client.off('error', onError);
      client.release(broken ?? false);
    }
  }

  async #migrate(): Promise<void> {
    await this.#run('migrating', async (client) => {
      if (this.schema)
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`).catch(async (error: unknown) => {
          // Two processes creating the same schema at once: the loser sees a unique violation; the schema exists.
          if ((error as { code?: unknown }).code !== '23505') throw error;
        });
      await client
        .query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, applied_at timestamptz NOT NULL, checksum text)',
        )
        .catch((error: unknown) => {
          if ((error as { code?: unknown }).code !== '23505') throw error;
        });
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        // A database from before checksums were kept: the migrations it applied are the released texts.
        await client.query('ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text');
        for (const migration of POSTGRES_MIGRATIONS) {
          await client.query('UPDATE schema_migrations SET checksum = $1 WHERE version = $2 AND checksum IS NULL', [
            migration.checksum,
            migration.version,
          ]);
        }
        const applied = await client.query<{ version: string; checksum: string | null }>(
          'SELECT version, checksum FROM schema_migrations ORDER BY version',
        );
        checkHistory(
          applied.rows.map((row) => ({ version: Number(row.version), checksum: row.checksum })),
          POSTGRES_MIGRATIONS,
          `PostgreSQL at ${this.where}`,
        );
        await client.query('COMMIT');
      } catch (error) {
        if (!isConnectionFailure(error)) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      for (const migration of POSTGRES_MIGRATIONS) {
        await client.query('BEGIN');
        try {
          await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
          const applied = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
          if (applied.rowCount === 0) {
            await client.query(migration.sql);
            await client.query('INSERT INTO schema_migrations (version, applied_at, checksum) VALUES ($1, now(), $2)', [
              migration.version,
              migration.checksum,
            ]);
          }
          await client.query('COMMIT');
        } catch (error) {
          if (!isConnectionFailure(error)) await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
    });
  }
}

/** (series_id, ts_ms, value) rows; a page usually shares a few timestamps, so each is parsed once. */
function pointRows(samples: MetricSample[], seriesIds: ArrayLike<number>): Array<[number, number, number | null]> {
  const rows = new Array<[number, number, number | null]>(samples.length);
  let lastTs = '';
  let lastMs = 0;
  for (let index = 0; index < samples.length; index++) {
    const sample = samples[index] as MetricSample;
    if (sample.ts !== lastTs) {
      lastTs = sample.ts;
      lastMs = Date.parse(sample.ts);
    }
    rows[index] = [seriesIds[index] as number, lastMs, Number.isNaN(sample.value) ? null : sample.value];
  }
  return rows;
}

/** New points in one binary COPY from columns (no per-row tuple or text). */
function copyPointColumns(client: ClientBase, samples: MetricSample[], seriesIds: ArrayLike<number>): Promise<number> {
  const timestamps = new Float64Array(samples.length);
  const values = new Float64Array(samples.length);
  let lastTs = '';
  let lastMs = 0;
  for (let index = 0; index < samples.length; index++) {
    const sample = samples[index] as MetricSample;
    if (sample.ts !== lastTs) {
      lastTs = sample.ts;
      lastMs = Date.parse(sample.ts);
    }
    timestamps[index] = lastMs;
    values[index] = sample.value;
  }
  return copyPointsBinary(client, 'metric_points (series_id, ts_ms, value)', seriesIds, timestamps, values);
}

async function upsertPoints(client: ClientBase, samples: MetricSample[], seriesIds: ArrayLike<number>): Promise<void> {
  // ON CONFLICT may not touch a row twice in one statement: keep the last value of a repeated (series, ts).
  const points = new Map<string, [number, number, number | null]>();
  for (const point of pointRows(samples, seriesIds)) points.set(`${point[0]}:${point[1]}`, point);
  const unique = [...points.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let offset = 0; offset < unique.length; offset += ROWS_PER_STATEMENT) {
    const chunk = unique.slice(offset, offset + ROWS_PER_STATEMENT);
    await client.query(
      `INSERT INTO metric_points (series_id, ts_ms, value) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::float8[])
       ON CONFLICT (series_id, ts_ms) DO UPDATE SET value = excluded.value`,
      [chunk.map((point) => point[0]), chunk.map((point) => point[1]), chunk.map((point) => point[2])],
    );
  }
}

function toParam(value: unknown, json: boolean): unknown {
  if (value === undefined || value === null) return null;
  if (json) return JSON.stringify(value);
  return value;
}
