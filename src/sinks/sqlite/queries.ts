// StoreQueries on SQLite: read-only statements over the sink's tables. Cost totals stream the rows and
// sum them exactly in decimal (SQLite has no exact numeric type; SUM() would go through doubles). Ties are
// broken by content (series key), never by engine-assigned ids, so PostgreSQL returns the same order.

import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { countGpus, type GpuCountRow, type GpuCounts } from '../../core/gpu-count.ts';
import type { MetricCategory, MetricSample, ResourceRecord } from '../../core/model.ts';
import {
  sortedKeys,
  sumCostLines,
  type CostGroupBy,
  type CostLine,
  type CostQuery,
  type CostTotal,
  type GpuCountQuery,
  type MetricQuery,
  type ResourceQuery,
  type StoreQueries,
} from '../../core/queries.ts';

const GROUP_COLUMN: Record<CostGroupBy, string> = {
  provider: 'provider',
  service: 'service_name',
  region: 'region_id',
  resource: 'resource_id',
  day: 'substr(charge_period_start, 1, 10)',
  gpu_model: 'x_gpu_model',
};

interface SeriesRow {
  provider: string;
  name: string;
  category: string;
  unit: string;
  resource_id: string | null;
  labels: string;
  ts_ms: number;
  value: number | null;
}

/** Read queries over a SQLite sink's database. */
export function createSqliteQueries(database: DatabaseSync): StoreQueries {
  return {
    async costTotals(query: CostQuery): Promise<CostTotal[]> {
      const where = ['charge_period_start >= ?', 'charge_period_start < ?'];
      const parameters: SQLInputValue[] = [query.from, query.to];
      if (query.provider !== undefined) {
        where.push('provider = ?');
        parameters.push(query.provider);
      }
      const statement = database.prepare(
        `SELECT ${GROUP_COLUMN[query.groupBy]} AS key, billing_currency AS currency, billed_cost, effective_cost, list_cost FROM cost_records WHERE ${where.join(' AND ')}`,
      );
      return sumCostLines(statement.iterate(...parameters) as Iterable<unknown> as Iterable<CostLine>);
    },

    async resources(query: ResourceQuery): Promise<ResourceRecord[]> {
      const where: string[] = [];
      const parameters: SQLInputValue[] = [];
      if (query.provider !== undefined) {
        where.push('provider = ?');
        parameters.push(query.provider);
      }
      if (query.type !== undefined) {
        where.push('resource_type = ?');
        parameters.push(query.type);
      }
      const sql = `SELECT * FROM resources ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY provider, resource_id LIMIT ?`;
      return database
        .prepare(sql)
        .all(...parameters, query.limit)
        .map((row) => {
          const record = row as unknown as ResourceRecord & { tags: string | null };
          return {
            ...record,
            tags: record.tags === null ? null : sortedKeys(JSON.parse(record.tags) as Record<string, string>),
          };
        });
    },

    async gpuCounts(query: GpuCountQuery): Promise<GpuCounts> {
      const byProvider = query.provider === undefined ? '' : 'AND r.provider = ?';
      const statement = database.prepare(
        `SELECT r.provider, r.resource_id, r.resource_type, r.gpu_model, r.gpu_count, r.parent_resource_id,
           p.gpu_count AS parent_gpu_count
         FROM resources r LEFT JOIN resources p ON p.provider = r.provider AND p.resource_id = r.parent_resource_id
         WHERE r.gpu_count > 0 ${byProvider}`,
      );
      const parameters = query.provider === undefined ? [] : [query.provider];
      return countGpus(statement.all(...parameters) as unknown as GpuCountRow[]);
    },

    async metrics(query: MetricQuery): Promise<MetricSample[]> {
      const where: string[] = [];
      const parameters: SQLInputValue[] = [];
      for (const [condition, value] of [
        ['s.name = ?', query.name],
        ['s.provider = ?', query.provider],
        ['p.ts_ms >= ?', query.from],
        ['p.ts_ms < ?', query.to],
      ] as const) {
        if (value === undefined) continue;
        where.push(condition);
        parameters.push(value);
      }
      const sql = `SELECT s.provider, s.name, s.category, s.unit, s.resource_id, s.labels, p.ts_ms, p.value
        FROM metric_points p JOIN metric_series s ON s.series_id = p.series_id
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.ts_ms, s.series_key LIMIT ?`;
      return database
        .prepare(sql)
        .all(...parameters, query.limit)
        .map((row) => toSample(row as unknown as SeriesRow));
    },

    async latestSamples(since: number, until = Number.MAX_SAFE_INTEGER): Promise<MetricSample[]> {
      const sql = `SELECT s.provider, s.name, s.category, s.unit, s.resource_id, s.labels, p.ts_ms, p.value
        FROM (SELECT series_id, max(ts_ms) AS ts_ms FROM metric_points WHERE ts_ms >= ? AND ts_ms <= ? GROUP BY series_id) latest
          JOIN metric_points p ON p.ts_ms = latest.ts_ms AND p.series_id = latest.series_id
          JOIN metric_series s ON s.series_id = latest.series_id
        ORDER BY s.name, s.series_key`;
      return database
        .prepare(sql)
        .all(since, until)
        .map((row) => toSample(row as unknown as SeriesRow));
    },
  };
}

function toSample(row: SeriesRow): MetricSample {
  return {
    ts: new Date(row.ts_ms).toISOString(),
    provider: row.provider,
    name: row.name,
    category: row.category as MetricCategory,
    value: row.value ?? Number.NaN,
    unit: row.unit,
    resource_id: row.resource_id,
    labels: sortedKeys(JSON.parse(row.labels) as Record<string, string>),
  };
}
