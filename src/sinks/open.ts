// Opens the sink a storage URL names: sqlite:PATH (default) or postgres://… (loaded lazily), the latter
// wrapped with the durable spool when a spool directory is given (storage.spool_dir).

import { resolve } from 'node:path';
import { CollectorError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { StoreQueries } from '../core/queries.ts';
import type { CollectionRun } from '../core/model.ts';
import { currentRunOwner, runOwnerGone } from '../core/run-owner.ts';
import { INTERRUPTED_RUN_ERROR, type Sink } from '../core/sink.ts';

/** Options of openSink. */
export interface OpenSinkOptions {
  /**
   * Directory of the on-disk spool that keeps batches while a network database is unreachable, replayed in
   * order when it returns. SQLite is a local file and is never spooled.
   */
  spoolDir?: string;
  log?: Logger;
}

/** Opens storage for `url`. With a spool, a PostgreSQL server that is down at start-up does not fail the open. */
export async function openSink(url: string, options: OpenSinkOptions = {}): Promise<Sink> {
  if (url.startsWith('sqlite:')) {
    const { openSqliteSink } = await import('./sqlite/sink.ts');
    const path = url.slice('sqlite:'.length);
    return openSqliteSink(path === ':memory:' ? path : resolve(path), options.log ? { log: options.log } : {});
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgresSink } = await import('./postgres/sink.ts');
    const log = options.log ? { log: options.log } : {};
    if (options.spoolDir === undefined) return openPostgresSink(url, log);
    const { openSpoolingSink } = await import('./spool/spooling-sink.ts');
    const database = await openPostgresSink(url, { lazy: true, ...log });
    return openSpoolingSink(database, {
      directory: resolve(options.spoolDir),
      ...(options.log ? { log: options.log } : {}),
    });
  }
  throw new CollectorError('CONFIG_INVALID', `storage.url ${JSON.stringify(url)} is not sqlite:PATH or postgres://…`);
}

/** Segments and bytes waiting in a sink's spool; undefined when the sink has none (self-metrics). */
export function spoolDepthOf(sink: Sink): { segments: number; bytes: number } | undefined {
  const candidate = sink as Partial<{ spoolDepth(): { segments: number; bytes: number } }>;
  return typeof candidate.spoolDepth === 'function' ? candidate.spoolDepth() : undefined;
}

/** The HTTP API's read queries over `sink` (through the spool when it has one); NOT_IMPLEMENTED when the engine has none. */
export function queriesOf(sink: Sink): StoreQueries {
  if (typeof sink.queries !== 'function')
    throw new CollectorError(
      'NOT_IMPLEMENTED',
      `the HTTP API cannot read from ${sink.kind} storage (it has no StoreQueries implementation)`,
    );
  return sink.queries();
}

/** Replays a sink's spool into the database now; resolves with what is still spooled (undefined when the sink has no spool). */
export async function flushSpool(sink: Sink): Promise<{ segments: number; bytes: number } | undefined> {
  const candidate = sink as Partial<{ flush(): Promise<boolean> }>;
  if (typeof candidate.flush !== 'function') return undefined;
  await candidate.flush();
  return spoolDepthOf(sink);
}

/**
 * Marks runs that a crashed or killed process left `running` as failed (CANCELLED), never those of a process
 * still at work (the service while a manual `collect` starts): a run whose owner is gone (same host, pid free;
 * or no owner recorded), and any run started more than `staleAfterMs` ago, which no live process can still be
 * running (the run deadline plus the shutdown grace bound every run). This process's runs start later.
 */
export async function markInterruptedRunsAtStart(
  sink: Sink,
  options: { staleAfterMs: number; log?: Logger },
): Promise<number> {
  const { log } = options;
  const started = new Date(performance.timeOrigin);
  const staleBefore = new Date(Math.min(started.getTime(), Date.now() - options.staleAfterMs));
  // One statement for the stale ones (spooled in order like any write while the database is down).
  let marked = await sink.markInterruptedRuns(staleBefore);
  let recent: CollectionRun[] = [];
  try {
    recent = await sink.listRuns({ limit: 1000 });
  } catch (error) {
    if (!(error instanceof CollectorError && error.code === 'STORAGE_UNAVAILABLE')) throw error;
    log?.warn(
      { code: 'STORAGE_UNAVAILABLE' },
      'storage unreachable: runs left running by stopped processes are marked at a later start',
    );
  }
  const self = currentRunOwner();
  for (const run of recent) {
    if (run.status !== 'running' || run.finished_at !== null || run.started_at >= started.toISOString()) continue;
    if (run.details.owner !== undefined && !runOwnerGone(run.details.owner, self)) continue;
    await sink.saveRun(interrupted(run, started));
    marked += 1;
  }
  if (marked > 0)
    log?.warn(
      { code: 'CANCELLED', runs: marked },
      'runs left running by an earlier process that stopped were marked failed',
    );
  return marked;
}

/** The run as markInterruptedRuns records it: failed, finished at `at`, the interruption appended to its errors. */
function interrupted(run: CollectionRun, at: Date): CollectionRun {
  const error = { code: INTERRUPTED_RUN_ERROR.code, message: INTERRUPTED_RUN_ERROR.message };
  return {
    ...run,
    status: 'failed',
    finished_at: at.toISOString(),
    error: `${error.code}: ${error.message}`,
    details: { ...run.details, errors: [...run.details.errors, error] },
  };
}
