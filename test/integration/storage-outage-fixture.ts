// Shared by the storage-outage test and its kill -9 writer: a deterministic source (costs with a restated
// day and a row that comes and goes, resources, GPU metrics, durable state; fixed timestamps per cycle),
// a TCP proxy that plays "the database is unreachable", and a snapshot of every table for comparison.

import { createServer, connect, type Server, type Socket } from 'node:net';
import type { ProviderConfig } from '../../src/core/config/types.ts';
import { silentLogger } from '../../src/core/log.ts';
import { focusTime, type CostRecord, type MetricSample, type ResourceRecord } from '../../src/core/model.ts';
import type { Sink } from '../../src/core/sink.ts';
import type { CollectContext, Source } from '../../src/core/source.ts';
import { utcDays } from '../../src/core/window.ts';
import {
  createProviderRuntime,
  runProvider,
  type ProviderRuntime,
  type RunSummary,
} from '../../src/runtime/run-provider.ts';

/** Cycles every scenario runs. */
export const CYCLES = 6;
const INTERVAL_MS = 300_000;
const BASE_MS = Date.UTC(2026, 11, 2, 10, 0, 0);
const GPUS = 8;
const NODES = ['node-a', 'node-b', 'node-c'];

/** The instant of collection cycle `index`. */
export function cycleTime(index: number): Date {
  return new Date(BASE_MS + index * INTERVAL_MS);
}

/** The provider's configuration: short cost history so windows stay small. */
export const OUTAGE_PROVIDER: ProviderConfig = {
  name: 'steady',
  display_name: 'Steady Cloud',
  enabled: true,
  collector_type: 'generic',
  timing: {
    interval: INTERVAL_MS,
    cost_interval: INTERVAL_MS,
    cost_history: 2 * 86_400_000,
    cost_restatement: 86_400_000,
    metrics_backfill: 3_600_000,
    timeout: 5_000,
    run_timeout: 120_000,
    retries: 0,
    max_response_bytes: 1_000_000,
    rate_limit: undefined,
  },
};

function money(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

function costRow(node: string, day: Date, cents: number, rowKey: string, now: Date): CostRecord {
  const start = focusTime(day);
  const end = focusTime(new Date(day.getTime() + 86_400_000));
  const amount = money(cents);
  return {
    billed_cost: amount,
    effective_cost: amount,
    list_cost: amount,
    contracted_cost: amount,
    billing_account_id: 'acct-1',
    billing_account_name: 'Steady',
    billing_currency: 'USD',
    billing_period_start: '2026-12-01T00:00:00Z',
    billing_period_end: '2027-01-01T00:00:00Z',
    charge_period_start: start,
    charge_period_end: end,
    charge_category: rowKey === 'promo' ? 'Credit' : 'Usage',
    charge_class: null,
    charge_description: `${node} ${rowKey}`,
    invoice_issuer_name: 'Steady Cloud',
    provider_name: 'Steady Cloud',
    publisher_name: 'Steady Cloud',
    pricing_quantity: '24',
    pricing_unit: 'Hours',
    service_category: 'Compute',
    service_name: 'GPU Nodes',
    resource_id: node,
    resource_name: node,
    resource_type: 'gpu_node',
    region_id: 'us-east',
    sub_account_id: null,
    sku_id: 'h100x8',
    consumed_quantity: '24',
    consumed_unit: 'Hours',
    tags: { node },
    provider: 'steady',
    x_cost_source: 'billing_api',
    x_gpu_model: 'H100',
    x_gpu_count: GPUS,
    x_collected_at: focusTime(now),
    x_row_key: rowKey,
  };
}

/** The deterministic source: everything it emits depends only on the cycle's `now` and its window. */
export function steadySource(options: { metricPages: number; timestampsPerPage: number }): Source {
  return {
    shutdown: async () => undefined,
    collect: async (context: CollectContext) => {
      const { now } = context;
      const cycle = Math.round((now.getTime() - BASE_MS) / INTERVAL_MS);
      const seen = (await context.state.get<Record<string, string>>('first_seen')) ?? {};
      for (const node of NODES) seen[node] ??= now.toISOString();
      await context.state.set('first_seen', seen);
      const resources: ResourceRecord[] = NODES.map((node, index) => ({
        provider: 'steady',
        resource_id: node,
        resource_name: node,
        resource_type: 'gpu_node',
        region_id: 'us-east',
        status: (cycle + index) % 3 === 0 ? 'stopped' : 'running',
        instance_type: 'h100x8',
        gpu_model: 'H100',
        gpu_count: GPUS,
        vcpus: 208,
        memory_bytes: 1_900_000_000_000,
        price_per_hour: '23.92',
        currency: 'USD',
        tags: null,
        first_seen_at: seen[node] ?? null,
        last_seen_at: focusTime(now),
      }));
      await context.emit.resources(resources);
      for (const { start: day } of utcDays(context.costWindow)) {
        if (day > now) continue;
        const today = day.getTime() + 86_400_000 > now.getTime();
        const minutes = today ? Math.floor((now.getTime() - day.getTime()) / 60_000) : 1_440;
        const rows = NODES.map((node, index) => costRow(node, day, minutes * (index + 1) * 17 + 1, '', now));
        // A credit the provider shows on even cycles and restates away on odd ones: exercises pruning order.
        if (today && cycle % 2 === 0) rows.push(costRow('node-a', day, 500, 'promo', now));
        await context.emit.costs(rows);
      }
      await context.emit.costWindowComplete(context.costWindow, 'billing_api');
      const stepMs = INTERVAL_MS / (options.metricPages * options.timestampsPerPage);
      for (let page = 0; page < options.metricPages; page++) {
        const samples: MetricSample[] = [];
        for (let step = 0; step < options.timestampsPerPage; step++) {
          const ts = new Date(
            now.getTime() - INTERVAL_MS + (page * options.timestampsPerPage + step) * stepMs,
          ).toISOString();
          for (let gpu = 0; gpu < GPUS; gpu++) {
            samples.push({
              ts,
              provider: 'steady',
              name: 'hw.gpu.utilization',
              category: 'gpu',
              value: ((cycle * 31 + page * 7 + step * 3 + gpu) % 100) / 100,
              unit: '1',
              resource_id: `node-a/gpu-${gpu}`,
              labels: { gpu: String(gpu), host: 'node-a' },
            });
          }
        }
        await context.emit.metrics(samples);
      }
    },
  };
}

/** Source settings of the scenarios. */
export const SOURCE_OPTIONS = { metricPages: 4, timestampsPerPage: 30 };

/** A provider runtime over the steady source. */
export function steadyRuntime(): ProviderRuntime {
  return createProviderRuntime(OUTAGE_PROVIDER, steadySource(SOURCE_OPTIONS));
}

/** Runs cycles `[from, to)` through the real runtime path; returns their summaries. */
export async function runCycles(
  runtime: ProviderRuntime,
  sink: Sink,
  from: number,
  to: number,
  onCycle?: (index: number) => void,
): Promise<RunSummary[]> {
  const summaries: RunSummary[] = [];
  for (let index = from; index < to; index++) {
    summaries.push(await runProvider(runtime, { sink, log: silentLogger(), now: cycleTime(index) }));
    onCycle?.(index);
  }
  return summaries;
}

/** A loopback TCP proxy to the database that can be switched off (listener closed, connections cut) and on again. */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  port = 0;

  constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  /** Starts accepting (on the same port as before, if any). */
  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.#target.port, this.#target.host);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Refuses new connections and cuts the open ones: the database is unreachable. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

type Row = Record<string, unknown>;

/** Everything stored, minus wall-clock columns (run ids, finished_at, updated_at, applied_at). */
export interface StoreSnapshot {
  counts: Record<string, number>;
  costs: Row[];
  resources: Row[];
  series: Row[];
  points: Row[];
  runs: Row[];
  checkpoints: Row[];
  state: Row[];
}

/** Reads a snapshot through `query` (a schema-bound reader of the store). */
export async function snapshot(query: (sql: string) => Promise<Row[]>): Promise<StoreSnapshot> {
  const counts: Record<string, number> = {};
  for (const table of [
    'cost_records',
    'resources',
    'metric_series',
    'metric_points',
    'metric_samples',
    'collection_runs',
    'checkpoints',
    'source_state',
    'schema_migrations',
  ]) {
    counts[table] = Number((await query(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
  }
  return {
    counts,
    costs: await query(
      'SELECT record_key, billed_cost, charge_period_start, x_row_key, x_collected_at, resource_id FROM cost_records ORDER BY record_key',
    ),
    resources: await query(
      'SELECT resource_id, status, first_seen_at, last_seen_at FROM resources ORDER BY resource_id',
    ),
    series: await query('SELECT series_key, labels FROM metric_series ORDER BY series_key'),
    points: await query('SELECT resource_id, ts, value FROM metric_samples ORDER BY resource_id, ts_ms'),
    runs: await query(
      'SELECT provider, started_at, status, costs, resources, metrics, error FROM collection_runs ORDER BY started_at, status',
    ),
    checkpoints: await query('SELECT provider, kind, last_success_end FROM checkpoints ORDER BY provider, kind'),
    state: await query('SELECT provider, key, value FROM source_state ORDER BY provider, key'),
  };
}
