// An instance's status history as observed run after run: when it was first seen, each status or price change,
// and when it disappeared. Pure functions; the tracker persists these records in the source's durable state.

/** What a source observed about one instance in this run. */
export interface Observation {
  /** Provider id of the instance (unique within the provider). */
  id: string;
  /** Provider status, compared against the billing rule's billed states. */
  status: string;
  /** Hourly price as a decimal string; null when unknown (nothing is derived then). */
  hourlyPrice: string | null;
  /** The instant billing started when the API says so (launch or creation time); otherwise first seen is used. */
  runningSince?: Date | undefined;
  /** Explicit monthly price cap for this instance (overrides the rule's cap hours × hourly price). */
  monthlyPrice?: string | undefined;
  /** Descriptive columns copied onto cost rows. */
  meta: InstanceMeta;
}

/** Columns a derived cost row takes from the inventory. */
export interface InstanceMeta {
  name: string | null;
  instanceType: string | null;
  region: string | null;
  gpuModel: string | null;
  gpuCount: number | null;
  resourceType: string;
  tags: Record<string, string> | null;
}

/** One observed change: from `at` on, the instance had this status and price. */
export interface StatusChange {
  at: string;
  status: string;
  hourly_price: string | null;
}

/** Marker status for "no longer listed by the API" (terminated, deleted). */
export const GONE = '__gone__';

/** The durable record of one instance. Times are ISO-8601 strings (the state store holds JSON). */
export interface InstanceHistory {
  id: string;
  first_seen: string;
  last_seen: string;
  changes: StatusChange[];
  monthly_price: string | null;
  meta: InstanceMeta;
}

/**
 * Folds one observation into the history. A change is dated at the observation that first saw it (the
 * collection interval bounds the error); a first sighting is dated at `runningSince` when the API gives it.
 */
export function observe(previous: InstanceHistory | undefined, observation: Observation, now: Date): InstanceHistory {
  const nowText = now.toISOString();
  const change: StatusChange = { at: nowText, status: observation.status, hourly_price: observation.hourlyPrice };
  if (previous === undefined) {
    const since =
      observation.runningSince !== undefined && observation.runningSince.getTime() < now.getTime()
        ? observation.runningSince
        : now;
    return {
      id: observation.id,
      first_seen: nowText,
      last_seen: nowText,
      changes: [{ ...change, at: since.toISOString() }],
      monthly_price: observation.monthlyPrice ?? null,
      meta: observation.meta,
    };
  }
  const last = previous.changes.at(-1);
  const changed = last === undefined || last.status !== change.status || last.hourly_price !== change.hourly_price;
  const changes = changed && nowText >= (last?.at ?? '') ? [...previous.changes, change] : previous.changes;
  return {
    ...previous,
    last_seen: nowText > previous.last_seen ? nowText : previous.last_seen,
    changes,
    monthly_price: observation.monthlyPrice ?? previous.monthly_price,
    meta: observation.meta,
  };
}

/**
 * Records that the API no longer lists the instance. It is taken to have stopped billing when last seen:
 * the only instant we know it still existed (under-counts by at most one collection interval).
 */
export function markGone(history: InstanceHistory): InstanceHistory {
  const last = history.changes.at(-1);
  if (last?.status === GONE) return history;
  return { ...history, changes: [...history.changes, { at: history.last_seen, status: GONE, hourly_price: null }] };
}

/** Whether the instance is currently listed as gone. */
export function isGone(history: InstanceHistory): boolean {
  return history.changes.at(-1)?.status === GONE;
}
