// What the demo prints after collecting: costs per provider (exact decimal sums), physical GPUs per provider and
// per canonical model (each counted once), samples.

import type { DatabaseSync } from 'node:sqlite';
import { addDecimals } from '../../core/decimal.ts';
import type { GpuCounts } from '../../core/gpu-count.ts';
import { gpuCountsTable } from '../gpu-table.ts';
import { renderTable } from '../table.ts';

/** A short report read back from the demo database; `gpus` is StoreQueries.gpuCounts over it. */
export function demoHighlights(database: DatabaseSync, gpus: GpuCounts): string {
  const costs = new Map<string, { currency: string; total: string; rows: number }>();
  for (const row of database
    .prepare('SELECT provider, billing_currency, billed_cost FROM cost_records')
    .iterate() as Iterable<{ provider: string; billing_currency: string; billed_cost: string }>) {
    const key = `${row.provider}\u0000${row.billing_currency}`;
    const entry = costs.get(key) ?? { currency: row.billing_currency, total: '0', rows: 0 };
    entry.total = addDecimals(entry.total, row.billed_cost);
    entry.rows += 1;
    costs.set(key, entry);
  }
  const inventory = database
    .prepare('SELECT provider, count(*) AS resources FROM resources GROUP BY provider ORDER BY provider')
    .all() as Array<{ provider: string; resources: number }>;
  const physical = new Map<string, string>();
  for (const model of gpus.models)
    for (const provider of model.providers)
      physical.set(provider.provider, addDecimals(physical.get(provider.provider) ?? '0', provider.gpus));
  const samples = database
    .prepare(
      'SELECT s.provider, count(DISTINCT s.series_id) AS series, count(*) AS points FROM metric_points p JOIN metric_series s USING (series_id) GROUP BY s.provider ORDER BY s.provider',
    )
    .all() as Array<{ provider: string; series: number; points: number }>;
  let text = '';
  if (costs.size > 0) {
    text += `Costs collected (sum of billed_cost, exact):\n${renderTable(
      ['PROVIDER', 'ROWS', 'BILLED'],
      [...costs.entries()].map(([key, entry]) => [
        key.split('\u0000')[0] ?? '',
        entry.rows,
        `${entry.total} ${entry.currency}`,
      ]),
    )}\n`;
  }
  if (inventory.length > 0)
    text += `Inventory (GPUS: physical, each counted once within the provider):\n${renderTable(
      ['PROVIDER', 'RESOURCES', 'GPUS'],
      inventory.map((row) => [row.provider, row.resources, physical.get(row.provider) ?? '0']),
    )}\n`;
  const table = gpuCountsTable(gpus);
  if (table !== '') text += `${table}\n`;
  if (samples.length > 0)
    text += `Metrics:\n${renderTable(
      ['PROVIDER', 'SERIES', 'SAMPLES'],
      samples.map((row) => [row.provider, row.series, row.points]),
    )}`;
  return text;
}
