// The one schema both SQLite and PostgreSQL implement: tables, columns and natural keys.
// Column order here is the order of INSERT statements and of exported rows.

import { createHash } from 'node:crypto';
import type { CostRecord } from '../core/model.ts';

/** Column value kinds, mapped to each engine's types. */
export type ColumnType = 'text' | 'decimal' | 'integer' | 'timestamp' | 'json' | 'real';

/** FOCUS 1.2 cost columns (snake_case) plus our extensions, in storage order. */
export const COST_COLUMNS: ReadonlyArray<readonly [keyof CostRecord, ColumnType, 'required' | 'optional']> = [
  ['billed_cost', 'decimal', 'required'],
  ['effective_cost', 'decimal', 'required'],
  ['list_cost', 'decimal', 'required'],
  ['contracted_cost', 'decimal', 'required'],
  ['billing_account_id', 'text', 'required'],
  ['billing_account_name', 'text', 'optional'],
  ['billing_currency', 'text', 'required'],
  ['billing_period_start', 'timestamp', 'required'],
  ['billing_period_end', 'timestamp', 'required'],
  ['charge_period_start', 'timestamp', 'required'],
  ['charge_period_end', 'timestamp', 'required'],
  ['charge_category', 'text', 'required'],
  ['charge_class', 'text', 'optional'],
  ['charge_description', 'text', 'optional'],
  ['invoice_issuer_name', 'text', 'required'],
  ['provider_name', 'text', 'required'],
  ['publisher_name', 'text', 'required'],
  ['pricing_quantity', 'decimal', 'optional'],
  ['pricing_unit', 'text', 'optional'],
  ['service_category', 'text', 'required'],
  ['service_name', 'text', 'required'],
  ['resource_id', 'text', 'optional'],
  ['resource_name', 'text', 'optional'],
  ['resource_type', 'text', 'optional'],
  ['region_id', 'text', 'optional'],
  ['sub_account_id', 'text', 'optional'],
  ['sku_id', 'text', 'optional'],
  ['consumed_quantity', 'decimal', 'optional'],
  ['consumed_unit', 'text', 'optional'],
  ['tags', 'json', 'optional'],
  ['provider', 'text', 'required'],
  ['x_cost_source', 'text', 'required'],
  ['x_gpu_model', 'text', 'optional'],
  // A count that may be a share of one GPU (0.05): numeric, not an integer (migration 3 / PostgreSQL 2).
  ['x_gpu_count', 'decimal', 'optional'],
  ['x_collected_at', 'timestamp', 'required'],
  ['x_row_key', 'text', 'required'],
  ['x_run_id', 'text', 'optional'],
];

/** Resource columns in storage order. */
export const RESOURCE_COLUMNS = [
  'provider',
  'resource_id',
  'resource_name',
  'resource_type',
  'region_id',
  'status',
  'instance_type',
  'gpu_model',
  'gpu_model_raw',
  'gpu_count',
  'vcpus',
  'memory_bytes',
  'price_per_hour',
  'currency',
  'tags',
  'parent_resource_id',
  'first_seen_at',
  'last_seen_at',
] as const;

/** Columns that make a cost row unique. Two rows equal on all of these are the same charge. */
const COST_IDENTITY: ReadonlyArray<keyof CostRecord> = [
  'provider',
  'billing_account_id',
  'sub_account_id',
  'charge_period_start',
  'charge_period_end',
  'charge_category',
  'charge_class',
  'service_name',
  'sku_id',
  'resource_id',
  'region_id',
  'pricing_unit',
  'x_cost_source',
  'x_row_key',
];

/** The natural key of a cost row: a hash of its identity columns. */
export function costRecordKey(row: CostRecord): string {
  const hash = createHash('sha256');
  for (const column of COST_IDENTITY) {
    hash.update(String(row[column] ?? '\u0000'));
    hash.update('\u001f');
  }
  return hash.digest('base64url').slice(0, 32);
}

/** Scratch of seriesKey (reused: a first cycle builds one key per new series, hundreds of thousands). */
const labelNames: string[] = [];
const keyParts: string[] = [];

/** The identity of a metric series: provider, name, resource and labels sorted by name (UTF-16 order). */
export function seriesKey(
  provider: string,
  name: string,
  resourceId: string | null,
  labels: Record<string, string>,
): string {
  // Insertion sort into a reused array and one join: no per-call key array, sort state or rope of partial strings.
  labelNames.length = 0;
  for (const label of Object.keys(labels)) {
    let at = labelNames.length;
    labelNames.push(label);
    while (at > 0 && labelNames[at - 1]! > label) {
      labelNames[at] = labelNames[at - 1]!;
      at--;
    }
    labelNames[at] = label;
  }
  keyParts.length = 0;
  keyParts.push(provider, name, resourceId ?? '');
  for (const label of labelNames) keyParts.push(`${label}=${labels[label]}`);
  return keyParts.join('\u001f');
}

/** Checks the mandatory FOCUS columns of a row; returns the problems (empty when valid). */
export function costRecordProblems(row: CostRecord): string[] {
  const problems: string[] = [];
  for (const [column, , presence] of COST_COLUMNS) {
    const value = row[column];
    if (presence === 'required' && (value === null || value === undefined || (column !== 'x_row_key' && value === '')))
      problems.push(`${column} is required`);
  }
  return problems;
}
