// The storage contract. SQLite and PostgreSQL implement the same tables, columns and idempotency:
// writing the same rows twice leaves the same rows.

import type { CollectionRun, CostRecord, CostSource, MetricSample, ResourceRecord } from './model.ts';
import type { StoreQueries } from './queries.ts';
import type { TimeWindow } from './window.ts';

/** Per-provider progress markers that drive collection windows. */
export type CheckpointKind = 'cost' | 'metrics' | 'inventory';

/** How a state value is written. */
export interface StateWriteOptions {
  /** Only create the key; leave a value already stored as it is. */
  ifAbsent?: boolean;
}

/** Filters for reading runs. */
export interface RunQuery {
  provider?: string;
  limit?: number;
}

/** A storage backend. Every write is one transaction; all writes are idempotent on natural keys. */
export interface Sink {
  /** `sqlite` or `postgres`. */
  readonly kind: string;
  /** Upserts cost rows keyed by their natural key (see costRecordKey). */
  writeCosts(rows: CostRecord[]): Promise<void>;
  /** Upserts inventory rows keyed by (provider, resource_id); first_seen_at is kept. */
  writeResources(rows: ResourceRecord[]): Promise<void>;
  /**
   * Inserts samples; an existing (series, ts) is overwritten, never duplicated. `pageEnds`, when given, is
   * where each page the samples were emitted in ends (the index after its last sample; a scrape is one page):
   * a hint a sink may use to recognise repeated scrapes. It never changes what is stored.
   */
  writeMetrics(samples: MetricSample[], pageEnds?: readonly number[]): Promise<void>;
  /**
   * Deletes cost rows of `provider`/`costSource` whose charge period starts inside `window` and that the run `runId`
   * did not write (x_run_id: restated away). By run, not by time: rows written while a clock was ahead go too.
   * Returns the number removed.
   */
  pruneCostWindow(provider: string, window: TimeWindow, costSource: CostSource, runId: string): Promise<number>;
  /** Inserts or updates a run row. */
  saveRun(run: CollectionRun): Promise<void>;
  /** Recent runs, newest first. */
  listRuns(query?: RunQuery): Promise<CollectionRun[]>;
  /**
   * Marks runs left `running` by a collector that died (crash, kill -9) as `failed` with CANCELLED
   * (INTERRUPTED_RUN_ERROR): those started before `before` and never finished; `finished_at` becomes `before`.
   * Called at start-up with this process's start time, so its own runs are never touched. Returns how many.
   */
  markInterruptedRuns(before: Date): Promise<number>;
  /** The end of the last successful collection of a kind, if any. */
  getCheckpoint(provider: string, kind: CheckpointKind): Promise<Date | undefined>;
  setCheckpoint(provider: string, kind: CheckpointKind, end: Date): Promise<void>;
  /** Durable per-provider state for sources (JSON values). */
  getState(provider: string, key: string): Promise<unknown>;
  /**
   * Stores a state value. With `ifAbsent` a stored value is kept (the write only creates a missing key): a
   * value derived while the stored one could not be read must never replace it.
   */
  setState(provider: string, key: string, value: unknown, options?: StateWriteOptions): Promise<void>;
  /**
   * Deletes metric samples older than `before`, oldest first, but never more than MAX_PRUNE_FRACTION of the stored
   * points in one call (a clock jumped forward would otherwise wipe the history at once); when it holds back it
   * logs why. Returns how many were deleted.
   */
  pruneMetrics(before: Date): Promise<number>;
  /** The read queries of the HTTP API over this storage, when the engine has them. */
  queries?(): StoreQueries;
  /** Resolves when storage answers; throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What an interrupted run records: its error code and message (see markInterruptedRuns). */
export const INTERRUPTED_RUN_ERROR = {
  code: 'CANCELLED',
  message: 'interrupted: the collector stopped before this run finished',
} as const;
