// StoreQueries on PostgreSQL, returning exactly what the SQLite implementation returns for the same data
// (test/support/query-conformance.ts). Costs are summed in SQL (numeric sums are exact) and read back as text,
// normalised like src/core/decimal.ts; text is ordered by bytes (COLLATE "C"), as SQLite's BINARY does.

import { normalizeDecimal } from '../../core/decimal.ts';
import { countGpus, type GpuCounts } from '../../core/gpu-count.ts';
import type { MetricCategory, MetricSample, ResourceRecord } from '../../core/model.ts';
import {
  compareCostTotals,
  sortedKeys,
  type CostGroupBy,
  type CostQuery,
  type CostTotal,
  type GpuCountQuery,
  type MetricQuery,
  type ResourceQuery,
  type StoreQueries,
} from '../../core/queries.ts';

/** What the queries need of the sink: a read-only statement with classified failures (PostgresSink.query). */
export interface PostgresReader {
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

const GROUP_COLUMN: Record<CostGroupBy, string> = {
  provider: 'provider',
  service: 'service_name',
  region: 'region_id',
  resource: 'resource_id',
  day: `to_char(charge_period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  gpu_model: 'x_gpu_model',
};

interface TotalRow extends Record<string, unknown> {
  key: string | null;
  currency: string;
  billed_cost: string;
  effective_cost: string;
  list_cost: string;
  rows: number;
}

interface SeriesRow extends Record<string, unknown> {
  provider: string;
  name: string;
  category: string;
  unit: string;
  resource_id: string | null;
  labels: Record<string, string>;
  ts_ms: number;
  value: number | null;
}

interface GpuRow extends Record<string, unknown> {
  provider: string;
  resource_id: string;
  resource_type: string;
  gpu_model: string | null;
  gpu_count: string;
  parent_resource_id: string | null;
  parent_gpu_count: string | null;
}

const SAMPLE_COLUMNS = 's.provider, s.name, s.category, s.unit, s.resource_id, s.labels, p.ts_ms, p.value';

/** Read queries over a PostgreSQL sink's database. */
export function createPostgresQueries(database: PostgresReader): StoreQueries {
  return {
    async costTotals(query: CostQuery): Promise<CostTotal[]> {
      const where = ['charge_period_start >= $1::timestamptz', 'charge_period_start < $2::timestamptz'];
      const parameters: unknown[] = [query.from, query.to];
      if (query.provider !== undefined) {
        parameters.push(query.provider);
        where.push(`provider = $${parameters.length}`);
      }
      const rows = await database.query<TotalRow>(
        `SELECT ${GROUP_COLUMN[query.groupBy]} AS key, billing_currency AS currency, sum(billed_cost)::text AS billed_cost,
           sum(effective_cost)::text AS effective_cost, sum(list_cost)::text AS list_cost, count(*) AS rows
         FROM cost_records WHERE ${where.join(' AND ')} GROUP BY 1, 2`,
        parameters,
      );
      return rows
        .map((row) => ({
          key: row.key,
          currency: row.currency,
          billed_cost: normalizeDecimal(row.billed_cost),
          effective_cost: normalizeDecimal(row.effective_cost),
          list_cost: normalizeDecimal(row.list_cost),
          rows: Number(row.rows),
        }))
        .sort(compareCostTotals);
    },

    async resources(query: ResourceQuery): Promise<ResourceRecord[]> {
      const where: string[] = [];
      const parameters: unknown[] = [];
      for (const [column, value] of [
        ['provider', query.provider],
        ['resource_type', query.type],
      ] as const) {
        if (value === undefined) continue;
        parameters.push(value);
        where.push(`${column} = $${parameters.length}`);
      }
      parameters.push(query.limit);
      const rows = await database.query<ResourceRecord & Record<string, unknown>>(
        `SELECT * FROM resources ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY provider COLLATE "C", resource_id COLLATE "C" LIMIT $${parameters.length}`,
        parameters,
      );
      // numeric comes back as text; a GPU count is a plain number in the model (0.05, 8).
      return rows.map((row) => ({
        ...row,
        gpu_count: row.gpu_count === null ? null : Number(row.gpu_count),
        tags: row.tags === null ? null : sortedKeys(row.tags),
      }));
    },

    async gpuCounts(query: GpuCountQuery): Promise<GpuCounts> {
      const parameters = query.provider === undefined ? [] : [query.provider];
      const rows = await database.query<GpuRow>(
        `SELECT r.provider, r.resource_id, r.resource_type, r.gpu_model, r.gpu_count::text AS gpu_count,
           r.parent_resource_id, p.gpu_count::text AS parent_gpu_count
         FROM resources r LEFT JOIN resources p ON p.provider = r.provider AND p.resource_id = r.parent_resource_id
         WHERE r.gpu_count > 0 ${query.provider === undefined ? '' : 'AND r.provider = $1'}`,
        parameters,
      );
      return countGpus(
        rows.map((row) => ({
          ...row,
          gpu_count: Number(row.gpu_count),
          parent_gpu_count: row.parent_gpu_count === null ? null : Number(row.parent_gpu_count),
        })),
      );
    },

    async metrics(query: MetricQuery): Promise<MetricSample[]> {
      const where: string[] = [];
      const parameters: unknown[] = [];
      for (const [condition, value] of [
        ['s.name = $', query.name],
        ['s.provider = $', query.provider],
        ['p.ts_ms >= $', query.from],
        ['p.ts_ms < $', query.to],
      ] as const) {
        if (value === undefined) continue;
        parameters.push(value);
        where.push(`${condition}${parameters.length}`);
      }
      parameters.push(query.limit);
      const rows = await database.query<SeriesRow>(
        `SELECT ${SAMPLE_COLUMNS} FROM metric_points p JOIN metric_series s ON s.series_id = p.series_id
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.ts_ms, s.series_key COLLATE "C" LIMIT $${parameters.length}`,
        parameters,
      );
      return rows.map(toSample);
    },

    async latestSamples(since: number, until = Number.MAX_SAFE_INTEGER): Promise<MetricSample[]> {
      // One index probe per series on (series_id, ts_ms) for its newest point up to `until`.
      const rows = await database.query<SeriesRow>(
        `SELECT ${SAMPLE_COLUMNS} FROM metric_series s
         CROSS JOIN LATERAL (SELECT latest.ts_ms, latest.value FROM metric_points latest WHERE latest.series_id = s.series_id AND latest.ts_ms <= $2 ORDER BY latest.ts_ms DESC LIMIT 1) p
         WHERE p.ts_ms >= $1 ORDER BY s.name COLLATE "C", s.series_key COLLATE "C"`,
        [since, until],
      );
      return rows.map(toSample);
    },
  };
}

function toSample(row: SeriesRow): MetricSample {
  return {
    ts: new Date(Number(row.ts_ms)).toISOString(),
    provider: row.provider,
    name: row.name,
    category: row.category as MetricCategory,
    value: row.value ?? Number.NaN,
    unit: row.unit,
    resource_id: row.resource_id,
    labels: sortedKeys(row.labels),
  };
}
