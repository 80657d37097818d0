// The read side of storage, used by the HTTP API: costs grouped with exact totals, inventory, metric
// samples and the latest point of every series. SQLite and PostgreSQL implement it beside their sinks, with
// identical results (test/support/query-conformance.ts).

import { addDecimals } from './decimal.ts';
import type { GpuCounts } from './gpu-count.ts';
import type { MetricSample, ResourceRecord, RunDetails } from './model.ts';

/** How cost totals are grouped; `gpu_model` is the canonical GPU model of the billed resource (x_gpu_model). */
export type CostGroupBy = 'provider' | 'service' | 'region' | 'resource' | 'day' | 'gpu_model';

/** Every accepted group_by value. */
export const COST_GROUP_BY: readonly CostGroupBy[] = ['provider', 'service', 'region', 'resource', 'day', 'gpu_model'];

/** A cost query: charge periods starting in [from, to), FOCUS times (`YYYY-MM-DDTHH:mm:ssZ`). */
export interface CostQuery {
  from: string;
  to: string;
  groupBy: CostGroupBy;
  provider?: string;
}

/** The exact sums of one group in one currency. Money is a decimal string. */
export interface CostTotal {
  /** The group's value (provider, service, region, resource id, `YYYY-MM-DD`, GPU model); null when it is empty. */
  key: string | null;
  currency: string;
  billed_cost: string;
  effective_cost: string;
  list_cost: string;
  rows: number;
}

/** One cost row as the totals need it. */
export interface CostLine {
  key: string | null;
  currency: string;
  billed_cost: string;
  effective_cost: string;
  list_cost: string;
}

/** Inventory filters. */
export interface ResourceQuery {
  provider?: string;
  type?: string;
  limit: number;
}

/** GPU count filters. */
export interface GpuCountQuery {
  provider?: string;
}

/** Metric sample filters; `from`/`to` are epoch milliseconds, [from, to). */
export interface MetricQuery {
  name?: string;
  provider?: string;
  from?: number;
  to?: number;
  limit: number;
}

/** Read queries over stored data. Implementations never return secrets (none are stored). */
export interface StoreQueries {
  /** Exact decimal totals per group and currency, ordered by key then currency. */
  costTotals(query: CostQuery): Promise<CostTotal[]>;
  /** Inventory rows, ordered by provider and resource id (byte order). */
  resources(query: ResourceQuery): Promise<ResourceRecord[]>;
  /** Physical GPUs per canonical model, each counted once (countGpus in src/core/gpu-count.ts). */
  gpuCounts(query: GpuCountQuery): Promise<GpuCounts>;
  /** Samples in time order (oldest first; one instant ordered by series key), at most `limit`. */
  metrics(query: MetricQuery): Promise<MetricSample[]>;
  /**
   * The newest sample at or before `until` (default: any) of every series whose such sample is at or after `since`
   * (epoch ms), by name then series key. `until` keeps a point from the future from being "the latest".
   */
  latestSamples(since: number, until?: number): Promise<MetricSample[]>;
}

/** Sums cost lines exactly (decimal strings) into totals per key and currency. */
export function sumCostLines(lines: Iterable<CostLine>): CostTotal[] {
  const totals = new Map<string, CostTotal>();
  for (const line of lines) {
    const id = `${line.key ?? '\u0000'}\u001f${line.currency}`;
    const total = totals.get(id);
    if (total === undefined) {
      totals.set(id, {
        key: line.key,
        currency: line.currency,
        billed_cost: addDecimals(line.billed_cost),
        effective_cost: addDecimals(line.effective_cost),
        list_cost: addDecimals(line.list_cost),
        rows: 1,
      });
      continue;
    }
    total.billed_cost = addDecimals(total.billed_cost, line.billed_cost);
    total.effective_cost = addDecimals(total.effective_cost, line.effective_cost);
    total.list_cost = addDecimals(total.list_cost, line.list_cost);
    total.rows += 1;
  }
  return [...totals.values()].sort(compareCostTotals);
}

/** The order of cost totals: by key (null last), then currency, comparing code units (the same on every engine). */
export function compareCostTotals(a: CostTotal, b: CostTotal): number {
  return compareKeys(a.key, b.key) || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0);
}

/** Totals over every group, per currency (currencies are never added together). */
export function totalsByCurrency(groups: readonly CostTotal[]): CostTotal[] {
  return sumCostLines(groups.map((group) => ({ ...group, key: null }))).map((total, index, all) => ({
    ...total,
    rows: groups.filter((group) => group.currency === all[index]?.currency).reduce((sum, group) => sum + group.rows, 0),
  }));
}

/** A copy of a string map with its keys in code-unit order: engines store JSON objects in different key orders. */
export function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key] as T;
  return sorted;
}

/**
 * A run's details with its keys in one order (errors, calls sorted by name, window, then the rest), whatever
 * order the engine kept: PostgreSQL's jsonb reorders object keys, SQLite keeps the written text.
 */
export function orderedRunDetails(details: RunDetails): RunDetails {
  const { errors, calls, window, ...rest } = details;
  return {
    ...(errors === undefined
      ? {}
      : { errors: errors.map(({ code, message, ...more }) => ({ code, message, ...more })) }),
    ...(calls === undefined ? {} : { calls: sortedKeys(calls) }),
    ...(window === undefined ? {} : { window: { start: window.start, end: window.end } }),
    ...rest,
  } as RunDetails;
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
