// Retention that a clock jump cannot turn into a wipe: a pass deletes points older than the cutoff, oldest first,
// but never more than MAX_PRUNE_FRACTION of what is stored, and says why when it holds back. A clock a year ahead
// then costs half the history per pass (hourly in service mode) with a warning each time, not all of it at once;
// after a long legitimate outage the same passes catch up within hours.

import type { Logger } from '../core/log.ts';

/** The largest share of the stored metric points one retention pass deletes. */
export const MAX_PRUNE_FRACTION = 0.5;

/** What an engine offers the bounded prune, on metric_points.ts_ms (epoch ms). */
export interface PointStore {
  /** Points older than `beforeMs`. */
  countBefore(beforeMs: number): Promise<number>;
  /** Points at or after `fromMs`, counted no further than `cap`. */
  countFrom(fromMs: number, cap: number): Promise<number>;
  /** Deletes points older than `beforeMs`: all of them, or the `limit` oldest. Returns how many. */
  deleteBefore(beforeMs: number, limit?: number): Promise<number>;
}

/** Deletes points older than `before`, at most MAX_PRUNE_FRACTION of the stored ones; returns how many. */
export async function pruneBounded(store: PointStore, before: Date, log?: Logger): Promise<number> {
  const beforeMs = before.getTime();
  const older = await store.countBefore(beforeMs);
  if (older === 0) return 0;
  // older <= f * (older + newer)  <=>  newer >= older * (1 - f) / f: the newer points are counted only that far.
  const needed = Math.ceil((older * (1 - MAX_PRUNE_FRACTION)) / MAX_PRUNE_FRACTION);
  const newer = await store.countFrom(beforeMs, needed);
  if (newer >= needed) return store.deleteBefore(beforeMs);
  const stored = older + newer;
  const deleted = await store.deleteBefore(beforeMs, Math.max(1, Math.floor(stored * MAX_PRUNE_FRACTION)));
  // The wall clock against the monotonic one since this process started: a jump during its life shows here.
  const driftMs = Math.round(Date.now() - (performance.timeOrigin + performance.now()));
  log?.warn(
    { older, stored, deleted, before: before.toISOString(), clock_drift_ms: driftMs },
    `retention: ${older} of ${stored} metric points (${Math.round((100 * older) / stored)}%) are older than ` +
      `${before.toISOString()}; deleting more than ${MAX_PRUNE_FRACTION * 100}% in one pass is what a clock that ` +
      `jumped forward would do, so only the oldest ${deleted} were deleted (the wall clock is ${driftMs} ms off ` +
      'the monotonic clock since start); if the clock is right, later passes delete the rest',
  );
  return deleted;
}
