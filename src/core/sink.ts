// The storage contract. SQLite and PostgreSQL implement the same tables, columns and idempotency:
// writing the same rows twice leaves the same rows.

import type { CollectionRun, CostRecord, CostSource, MetricSample, ResourceRecord } from './model.ts';
import type { TimeWindow } from './window.ts';

/** Per-provider progress markers that drive collection windows. */
export type CheckpointKind = 'cost' | 'metrics' | 'inventory';

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
  /** Inserts samples; an existing (series, ts) is overwritten, never duplicated. */
  writeMetrics(samples: MetricSample[]): Promise<void>;
  /**
   * Deletes cost rows of `provider`/`costSource` whose charge period starts inside `window` and that were
   * not written at or after `writtenSince` (restated away). Returns the number removed.
   */
  pruneCostWindow(provider: string, window: TimeWindow, costSource: CostSource, writtenSince: string): Promise<number>;
  /** Inserts or updates a run row. */
  saveRun(run: CollectionRun): Promise<void>;
  /** Recent runs, newest first. */
  listRuns(query?: RunQuery): Promise<CollectionRun[]>;
  /** The end of the last successful collection of a kind, if any. */
  getCheckpoint(provider: string, kind: CheckpointKind): Promise<Date | undefined>;
  setCheckpoint(provider: string, kind: CheckpointKind, end: Date): Promise<void>;
  /** Durable per-provider state for sources (JSON values). */
  getState(provider: string, key: string): Promise<unknown>;
  setState(provider: string, key: string, value: unknown): Promise<void>;
  /** Deletes metric samples older than `before`; returns how many. */
  pruneMetrics(before: Date): Promise<number>;
  /** Resolves when storage answers; throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
