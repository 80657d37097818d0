// A Sink wrapper that loses nothing while the database is unreachable: a write that fails with
// STORAGE_UNAVAILABLE is appended to the durable on-disk spool, and so is every write after it until the
// spool has been replayed, in order, into the database (probed on each write and by a timer). A replayed
// segment is deleted only after its transaction committed; a crash between the two replays it again,
// which idempotent keys make harmless. Reads during an outage are served from what this process wrote or
// read, else they fail with STORAGE_UNAVAILABLE.

import { CollectorError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { CollectionRun, CostRecord, CostSource, MetricSample, ResourceRecord } from '../../core/model.ts';
import type { StoreQueries } from '../../core/queries.ts';
import type { CheckpointKind, RunQuery, Sink, StateWriteOptions } from '../../core/sink.ts';
import type { TimeWindow } from '../../core/window.ts';
import { CorruptSegmentError, SegmentStore, type SpoolDepth } from './segment-store.ts';

export type { SpoolDepth } from './segment-store.ts';

/** One spooled write, as stored in a segment (dates as ISO strings). */
export type SpooledWrite =
  | { op: 'writeCosts'; rows: CostRecord[] }
  | { op: 'writeResources'; rows: ResourceRecord[] }
  | { op: 'writeMetrics'; samples: MetricSample[]; pageEnds?: readonly number[] }
  | {
      op: 'pruneCostWindow';
      provider: string;
      start: string;
      end: string;
      costSource: CostSource;
      /** The run whose rows stay. Absent in segments spooled before pruning went by run (they had writtenSince). */
      runId?: string;
    }
  | { op: 'saveRun'; run: CollectionRun }
  | { op: 'setCheckpoint'; provider: string; kind: CheckpointKind; end: string }
  | { op: 'setState'; provider: string; key: string; value: unknown; ifAbsent?: boolean }
  | { op: 'pruneMetrics'; before: string }
  | { op: 'markInterruptedRuns'; before: string };

/** Options of the spool. */
export interface SpoolOptions {
  /** Directory of the segments (storage.spool_dir). */
  directory: string;
  /** How often a down database is probed, both by the timer and, at most, by writes. Default 2 s. */
  probeIntervalMs?: number;
  log?: Logger;
}

const RUNS_REMEMBERED = 500;

/** Wraps `inner` with the spool in `options.directory`, replaying what an earlier process left there. */
export async function openSpoolingSink(inner: Sink, options: SpoolOptions): Promise<SpoolingSink> {
  const sink = new SpoolingSink(inner, options);
  await sink.flush();
  return sink;
}

/** Whether a failure means "database unreachable now" (spool it) rather than a rejected write. */
export function isStorageUnavailable(error: unknown): boolean {
  return error instanceof CollectorError && error.code === 'STORAGE_UNAVAILABLE';
}

/**
 * Replays a spooled window prune. A segment from before pruning went by run names no run: its rows were written
 * without one, so pruning would delete what the replay just stored; it is skipped (the provider's next complete
 * window prunes the restated rows).
 */
async function pruneSpooledWindow(
  sink: Sink,
  write: Extract<SpooledWrite, { op: 'pruneCostWindow' }>,
): Promise<number> {
  if (write.runId === undefined) return 0;
  return sink.pruneCostWindow(
    write.provider,
    { start: new Date(write.start), end: new Date(write.end) },
    write.costSource,
    write.runId,
  );
}

/** Applies one spooled write to a sink. */
export async function applySpooledWrite(sink: Sink, write: SpooledWrite): Promise<void> {
  switch (write.op) {
    case 'writeCosts':
      return sink.writeCosts(write.rows);
    case 'writeResources':
      return sink.writeResources(write.rows);
    case 'writeMetrics':
      return sink.writeMetrics(write.samples, write.pageEnds);
    case 'pruneCostWindow':
      await pruneSpooledWindow(sink, write);
      return;
    case 'saveRun':
      return sink.saveRun(write.run);
    case 'setCheckpoint':
      return sink.setCheckpoint(write.provider, write.kind, new Date(write.end));
    case 'setState':
      return sink.setState(write.provider, write.key, write.value, write.ifAbsent ? { ifAbsent: true } : {});
    case 'pruneMetrics':
      await sink.pruneMetrics(new Date(write.before));
      return;
    case 'markInterruptedRuns':
      await sink.markInterruptedRuns(new Date(write.before));
      return;
  }
}

/** See openSpoolingSink. */
export class SpoolingSink implements Sink {
  readonly kind: string;
  readonly inner: Sink;
  readonly #store: SegmentStore;
  readonly #probeIntervalMs: number;
  readonly #log: Logger | undefined;
  readonly #timer: NodeJS.Timeout;
  /** Set from the first unavailable write until the spool is empty again: every write goes to the spool meanwhile. */
  #spooling: boolean;
  #lastFailedProbe = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #checkpoints = new Map<string, Date | undefined>();
  readonly #state = new Map<string, string | undefined>();
  readonly #runs = new Map<string, CollectionRun>();
  #replayed = 0;

  constructor(inner: Sink, options: SpoolOptions) {
    this.inner = inner;
    this.kind = inner.kind;
    this.#store = new SegmentStore(options.directory);
    this.#probeIntervalMs = options.probeIntervalMs ?? 2_000;
    this.#log = options.log;
    this.#spooling = this.#store.depth().segments > 0;
    this.#timer = setInterval(() => {
      if (this.#spooling)
        void this.#serial(() => this.#drain(true)).catch((error: unknown) =>
          this.#log?.error({ err: error }, 'spool replay failed'),
        );
    }, this.#probeIntervalMs);
    this.#timer.unref();
  }

  /** Segments and bytes waiting in the spool (exported as a self-metric). */
  spoolDepth(): SpoolDepth {
    return this.#store.depth();
  }

  /** Whether writes currently go to the spool. */
  get spooling(): boolean {
    return this.#spooling;
  }

  /** Segments replayed into the database by this process. */
  get replayedSegments(): number {
    return this.#replayed;
  }

  /** Replays the spool now (ignoring the probe interval); true when it is empty afterwards. */
  flush(): Promise<boolean> {
    return this.#serial(async () => {
      await this.#drain(true);
      return this.#store.depth().segments === 0;
    });
  }

  async writeCosts(rows: CostRecord[]): Promise<void> {
    if (rows.length > 0) await this.#write({ op: 'writeCosts', rows });
  }

  async writeResources(rows: ResourceRecord[]): Promise<void> {
    if (rows.length > 0) await this.#write({ op: 'writeResources', rows });
  }

  async writeMetrics(samples: MetricSample[], pageEnds?: readonly number[]): Promise<void> {
    if (samples.length > 0)
      await this.#write({ op: 'writeMetrics', samples, ...(pageEnds === undefined ? {} : { pageEnds }) });
  }

  async pruneCostWindow(provider: string, window: TimeWindow, costSource: CostSource, runId: string): Promise<number> {
    const removed = await this.#write({
      op: 'pruneCostWindow',
      provider,
      start: window.start.toISOString(),
      end: window.end.toISOString(),
      costSource,
      runId,
    });
    return removed ?? 0;
  }

  async saveRun(run: CollectionRun): Promise<void> {
    this.#runs.delete(run.id);
    this.#runs.set(run.id, structuredClone(run));
    if (this.#runs.size > RUNS_REMEMBERED) this.#runs.delete(this.#runs.keys().next().value as string);
    await this.#write({ op: 'saveRun', run });
  }

  async listRuns(query: RunQuery = {}): Promise<CollectionRun[]> {
    return this.#read(
      () => this.inner.listRuns(query),
      () => {
        if (this.#runs.size === 0) return undefined;
        const limit = Math.min(Math.max(query.limit ?? 50, 1), 1000);
        return [...this.#runs.values()]
          .filter((run) => !query.provider || run.provider === query.provider)
          .sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0))
          .slice(0, limit)
          .map((run) => structuredClone(run));
      },
    );
  }

  async getCheckpoint(provider: string, kind: CheckpointKind): Promise<Date | undefined> {
    const key = `${provider}\u001f${kind}`;
    const stored = await this.#read(
      async () => {
        const value = await this.inner.getCheckpoint(provider, kind);
        this.#checkpoints.set(key, value);
        return { value };
      },
      () => (this.#checkpoints.has(key) ? { value: this.#checkpoints.get(key) } : undefined),
    );
    return stored.value ? new Date(stored.value) : undefined;
  }

  async setCheckpoint(provider: string, kind: CheckpointKind, end: Date): Promise<void> {
    this.#checkpoints.set(`${provider}\u001f${kind}`, new Date(end));
    await this.#write({ op: 'setCheckpoint', provider, kind, end: end.toISOString() });
  }

  async getState(provider: string, key: string): Promise<unknown> {
    const id = `${provider}\u001f${key}`;
    const stored = await this.#read(
      async () => {
        const value = await this.inner.getState(provider, key);
        this.#state.set(id, value === undefined ? undefined : JSON.stringify(value));
        return { value };
      },
      () => (this.#state.has(id) ? { value: parseJson(this.#state.get(id)) } : undefined),
    );
    return stored.value;
  }

  async setState(provider: string, key: string, value: unknown, options: StateWriteOptions = {}): Promise<void> {
    // A create-only write is not remembered: until storage answers, the stored value (if any) stays unknown.
    if (options.ifAbsent) {
      await this.#write({ op: 'setState', provider, key, value, ifAbsent: true });
      return;
    }
    this.#state.set(`${provider}\u001f${key}`, value === undefined ? undefined : JSON.stringify(value));
    await this.#write({ op: 'setState', provider, key, value });
  }

  async pruneMetrics(before: Date): Promise<number> {
    return (await this.#write({ op: 'pruneMetrics', before: before.toISOString() })) ?? 0;
  }

  /** Spooled while the database is down (0 then): runs of this process start later and are never touched. */
  async markInterruptedRuns(before: Date): Promise<number> {
    return (await this.#write({ op: 'markInterruptedRuns', before: before.toISOString() })) ?? 0;
  }

  /**
   * The inner database's read queries, answered only once the spool is replayed (so they never miss
   * spooled rows); while batches wait for an unreachable database they fail with STORAGE_UNAVAILABLE.
   */
  queries(): StoreQueries {
    if (typeof this.inner.queries !== 'function')
      throw new CollectorError('NOT_IMPLEMENTED', `${this.inner.kind} storage has no read queries for the HTTP API`);
    const inner = this.inner.queries();
    const read = <T>(work: () => Promise<T>): Promise<T> => this.#readQuery(work);
    return {
      costTotals: (query) => read(() => inner.costTotals(query)),
      resources: (query) => read(() => inner.resources(query)),
      gpuCounts: (query) => read(() => inner.gpuCounts(query)),
      metrics: (query) => read(() => inner.metrics(query)),
      latestSamples: (since, until) => read(() => inner.latestSamples(since, until)),
    };
  }

  /** Pings the database itself: readiness means storage answers, whatever the spool holds. */
  ping(): Promise<void> {
    return this.inner.ping();
  }

  /** Stops the probe timer, replays what it can, then closes the database; the rest stays on disk for the next start. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#serial(() => this.#drain(true)).catch((error: unknown) =>
      this.#log?.error({ err: error }, 'spool replay at close failed'),
    );
    await this.inner.close();
  }

  /** Writes through, or to the spool while the database is down or the spool is not yet replayed. Returns the inner result (prune counts) or undefined when spooled. */
  async #write(write: SpooledWrite): Promise<number | undefined> {
    if (!this.#spooling) {
      try {
        return await this.#apply(write);
      } catch (error) {
        if (!isStorageUnavailable(error)) throw error;
        this.#enterSpooling(error);
      }
    }
    return this.#serial(async () => {
      await this.#drain(false);
      if (!this.#spooling) {
        try {
          return await this.#apply(write);
        } catch (error) {
          if (!isStorageUnavailable(error)) throw error;
          this.#enterSpooling(error);
        }
      }
      await this.#store.append(write);
      return undefined;
    });
  }

  async #apply(write: SpooledWrite): Promise<number | undefined> {
    if (write.op === 'pruneCostWindow') return pruneSpooledWindow(this.inner, write);
    if (write.op === 'pruneMetrics') return this.inner.pruneMetrics(new Date(write.before));
    if (write.op === 'markInterruptedRuns') return this.inner.markInterruptedRuns(new Date(write.before));
    await applySpooledWrite(this.inner, write);
    return undefined;
  }

  /** A read: from the database when it answers (after the spool is replayed), else from this process's memory, else STORAGE_UNAVAILABLE. */
  async #read<T>(fromDatabase: () => Promise<T>, fromMemory: () => T | undefined): Promise<T> {
    const attempt = async (): Promise<T> => {
      if (!this.#spooling) {
        try {
          return await fromDatabase();
        } catch (error) {
          if (!isStorageUnavailable(error)) throw error;
          this.#lastFailedProbe = Date.now();
          const remembered = fromMemory();
          if (remembered !== undefined) return remembered;
          throw error;
        }
      }
      const remembered = fromMemory();
      if (remembered !== undefined) return remembered;
      throw new CollectorError(
        'STORAGE_UNAVAILABLE',
        `storage is unreachable and ${this.#store.depth().segments} spooled batches wait for it; this read has no copy in memory`,
      );
    };
    if (!this.#spooling) return attempt();
    return this.#serial(async () => {
      await this.#drain(false);
      return attempt();
    });
  }

  /** A read query over the database: straight through when nothing is spooled, else after a replay attempt. */
  async #readQuery<T>(work: () => Promise<T>): Promise<T> {
    if (!this.#spooling) return work();
    await this.#serial(() => this.#drain(false));
    if (this.#spooling)
      throw new CollectorError(
        'STORAGE_UNAVAILABLE',
        `storage is unreachable: ${this.#store.depth().segments} spooled batches wait for it, and reads would miss them`,
      );
    return work();
  }

  /** Replays segments oldest first; stops at the first unavailable one. Runs inside the serial queue. */
  async #drain(force: boolean): Promise<void> {
    if (!this.#spooling && this.#store.depth().segments === 0) return;
    if (!force && Date.now() - this.#lastFailedProbe < this.#probeIntervalMs) return;
    for (const segment of [...this.#store.list()]) {
      let write: SpooledWrite;
      try {
        write = (await this.#store.read(segment)) as SpooledWrite;
      } catch (error) {
        if (!(error instanceof CorruptSegmentError)) throw error;
        const target = await this.#store.reject(segment);
        this.#log?.error({ code: 'INTERNAL' }, `${error.message}; moved to ${target}`);
        continue;
      }
      try {
        await applySpooledWrite(this.inner, write);
      } catch (error) {
        if (isStorageUnavailable(error)) {
          this.#lastFailedProbe = Date.now();
          this.#spooling = true;
          return;
        }
        // The database answered and refused this batch: retrying cannot help and it must not block the rest.
        const target = await this.#store.reject(segment);
        this.#log?.error(
          { code: error instanceof CollectorError ? error.code : 'INTERNAL' },
          `spooled ${write.op} was rejected by storage and moved to ${target}: ${error instanceof Error ? error.message : String(error)}`,
        );
        continue;
      }
      await this.#store.remove(segment);
      this.#replayed++;
    }
    if (this.#spooling) this.#log?.info({ replayed: this.#replayed }, 'storage is back; the spool is replayed');
    this.#spooling = false;
  }

  #enterSpooling(error: unknown): void {
    if (!this.#spooling)
      this.#log?.warn(
        { code: 'STORAGE_UNAVAILABLE' },
        `storage unreachable, spooling writes to ${this.#store.directory}: ${error instanceof Error ? error.message : String(error)}`,
      );
    this.#spooling = true;
    this.#lastFailedProbe = Date.now();
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

function parseJson(text: string | undefined): unknown {
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}
