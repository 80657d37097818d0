// The collector's own metrics (prom-client, in a registry of its own): runs, durations, errors by code,
// rows written, overlap skips, circuit state and spool depth, plus the default process metrics.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunSummary } from './run-provider.ts';

/** Circuit states as gauge values. */
const CIRCUIT_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** A sink that can report how many batches wait in its on-disk spool (the durable spool implements it). */
export interface SpoolDepthSource {
  spoolDepth(): number | Promise<number>;
}

/** Whether a sink exposes its spool depth. */
export function hasSpoolDepth(sink: unknown): sink is SpoolDepthSource {
  return typeof (sink as Partial<SpoolDepthSource> | null)?.spoolDepth === 'function';
}

/** The self-metrics of one process. */
export interface SelfMetrics {
  readonly registry: Registry;
  /** Counts a finished run: status, duration, errors by code, rows by kind. */
  recordRun(summary: RunSummary): void;
  /** Counts a scheduled run skipped because the previous one was still going. */
  recordOverlap(provider: string): void;
  /** Counts a scheduled run skipped because the provider's circuit was open. */
  recordCircuitSkip(provider: string): void;
  /** Counts metric points deleted by retention. */
  recordPruned(points: number): void;
  /** Reports circuit states at scrape time. */
  watchCircuits(states: () => Iterable<readonly [provider: string, state: keyof typeof CIRCUIT_VALUE]>): void;
  /** Reports the spool depth at scrape time. */
  watchSpool(source: SpoolDepthSource): void;
  /** Prometheus exposition text of every self-metric. */
  render(): Promise<string>;
}

/** Creates the self-metrics; `processMetrics` adds prom-client's default process metrics. */
export function createSelfMetrics(options: { processMetrics?: boolean } = {}): SelfMetrics {
  const registry = new Registry();
  const prefix = 'optiinfra_collector_';
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix });
  let circuitStates: (() => Iterable<readonly [string, keyof typeof CIRCUIT_VALUE]>) | undefined;
  let spool: SpoolDepthSource | undefined;
  const runs = new Counter({
    name: `${prefix}runs_total`,
    help: 'Provider runs finished, by provider and status (ok, partial, failed).',
    labelNames: ['provider', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${prefix}run_duration_seconds`,
    help: 'Duration of provider runs.',
    labelNames: ['provider'],
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const errors = new Counter({
    name: `${prefix}errors_total`,
    help: 'Errors recorded in runs, by provider and stable error code.',
    labelNames: ['provider', 'code'],
    registers: [registry],
  });
  const rows = new Counter({
    name: `${prefix}rows_written_total`,
    help: 'Rows written to storage, by provider and kind (costs, resources, metrics).',
    labelNames: ['provider', 'kind'],
    registers: [registry],
  });
  const overlaps = new Counter({
    name: `${prefix}overlap_skips_total`,
    help: 'Scheduled runs skipped because the previous run of the provider was still going.',
    labelNames: ['provider'],
    registers: [registry],
  });
  const circuitSkips = new Counter({
    name: `${prefix}circuit_skips_total`,
    help: "Scheduled runs skipped because the provider's circuit breaker was open.",
    labelNames: ['provider'],
    registers: [registry],
  });
  const pruned = new Counter({
    name: `${prefix}retention_pruned_points_total`,
    help: 'Metric points deleted by storage.retention.',
    registers: [registry],
  });
  const lastRun = new Gauge({
    name: `${prefix}last_run_timestamp_seconds`,
    help: 'When the last run of a provider finished (Unix seconds).',
    labelNames: ['provider'],
    registers: [registry],
  });
  new Gauge({
    name: `${prefix}circuit_state`,
    help: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open.',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      if (!circuitStates) return;
      for (const [provider, state] of circuitStates()) this.set({ provider }, CIRCUIT_VALUE[state]);
    },
  });
  new Gauge({
    name: `${prefix}spool_depth`,
    help: 'Batches waiting in the on-disk spool for storage to come back.',
    registers: [registry],
    async collect() {
      if (spool) this.set(await spool.spoolDepth());
    },
  });
  return {
    registry,
    recordRun(summary) {
      runs.inc({ provider: summary.provider, status: summary.status });
      duration.observe({ provider: summary.provider }, summary.duration_ms / 1000);
      for (const error of summary.errors) errors.inc({ provider: summary.provider, code: error.code });
      for (const kind of ['costs', 'resources', 'metrics'] as const)
        if (summary[kind] > 0) rows.inc({ provider: summary.provider, kind }, summary[kind]);
      lastRun.set({ provider: summary.provider }, Date.now() / 1000);
    },
    recordOverlap(provider) {
      overlaps.inc({ provider });
    },
    recordCircuitSkip(provider) {
      circuitSkips.inc({ provider });
    },
    recordPruned(points) {
      pruned.inc(points);
    },
    watchCircuits(states) {
      circuitStates = states;
    },
    watchSpool(source) {
      spool = source;
    },
    render: () => registry.metrics(),
  };
}
