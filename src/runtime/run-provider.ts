// One collection run of one provider: windows from checkpoints, a context with the shared resilience
// layer, streaming writes to the sink, a collection_runs row, and each stream's checkpoint advanced when
// that stream succeeded (a failing Prometheus must not make billing be swept again every interval).

import { randomUUID } from 'node:crypto';
import type { ProviderConfig } from '../core/config/types.ts';
import { CircuitBreaker } from '../core/circuit-breaker.ts';
import { CollectorError, toCollectorError, toSourceError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { checkUpstreamDecimal } from '../core/decimal.ts';
import type {
  CollectionRun,
  CostRecord,
  CostSource,
  DeferredWork,
  DroppedCounts,
  MetricSample,
  RunStatus,
} from '../core/model.ts';
import { RateLimiter } from '../core/rate-limiter.ts';
import { redactText } from '../core/redact.ts';
import { currentRunOwner, type RunOwner } from '../core/run-owner.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../core/retry.ts';
import type { Sink } from '../core/sink.ts';
import type { CollectContext, CollectedStream, Emitter, Source } from '../core/source.ts';
import { MAX_FUTURE_SKEW_MS, refuseFuturePoints } from '../core/time-sanity.ts';
import { costWindow, type TimeWindow } from '../core/window.ts';
import type { HttpClient } from '../core/http.ts';
import { createHttpClient } from './http/client.ts';
import { createCallRunner } from './call.ts';
import { PROCESS_UNKNOWN_GPU_MODELS, type GpuModelWarn } from './unknown-gpu-models.ts';

/**
 * Metric samples the run's emitter gathers before one sink write (one transaction), whatever the page size.
 * 10,000 (`npm run bench`): SQLite 86% of its raw floor (50,000 overflowed its page cache: 56%), PostgreSQL 74%
 * of one raw COPY; a scrape cycle holds fewer samples in memory (peak RSS ~20 MB lower) for the same CPU.
 */
export const METRIC_BATCH_SAMPLES = 10_000;

/** This process, recorded on every run it starts (see markInterruptedRunsAtStart). */
const OWNER: Readonly<RunOwner> = Object.freeze(currentRunOwner());

/** What one provider run produced. */
export interface RunSummary {
  provider: string;
  status: RunStatus;
  costs: number;
  resources: number;
  metrics: number;
  duration_ms: number;
  errors: Array<{ code: string; message: string }>;
  calls: Record<string, number>;
  /** What waits for storage to answer (sorted); empty when nothing does. */
  deferred: DeferredWork[];
  /** What the sources dropped instead of storing, by reason; empty when nothing was. */
  dropped: DroppedCounts;
}

/** Long-lived per-provider collaborators (kept across runs in service mode). */
export interface ProviderRuntime {
  config: ProviderConfig;
  source: Source;
  breaker: CircuitBreaker;
  rateLimiter?: RateLimiter;
}

/** The circuit breaker of every provider: opens after 5 consecutive failed calls, lets a trial call through after 60 s. */
export const CIRCUIT_DEFAULTS = Object.freeze({ failureThreshold: 5, cooldownMs: 60_000 });

/** Creates the long-lived collaborators of a provider (`circuit` overrides the breaker's thresholds: tests). */
export function createProviderRuntime(
  config: ProviderConfig,
  source: Source,
  circuit: { failureThreshold: number; cooldownMs: number } = CIRCUIT_DEFAULTS,
): ProviderRuntime {
  return {
    config,
    source,
    breaker: new CircuitBreaker(config.name, circuit),
    ...(config.timing.rate_limit === undefined ? {} : { rateLimiter: new RateLimiter(config.timing.rate_limit) }),
  };
}

/** Options of one run. */
export interface RunOptions {
  sink: Sink;
  log: Logger;
  now?: Date;
  /** Aborts the run (shutdown). */
  signal?: AbortSignal;
  /** Collect costs this run (service mode skips them between cost intervals). */
  includeCosts?: boolean;
  /** Costs are skipped because storage could not say whether they were due: reported as deferred. */
  costsDeferred?: boolean;
  /** Overrides of the retry policy (tests use short delays); attempts come from the config. */
  retryPolicy?: Partial<RetryPolicy>;
}

/** Runs one provider once and records the run. Never throws for provider failures. */
export async function runProvider(runtime: ProviderRuntime, options: RunOptions): Promise<RunSummary> {
  const { config } = runtime;
  const { sink } = options;
  const now = options.now ?? new Date();
  const started = performance.now();
  const run: CollectionRun = {
    id: randomUUID(),
    provider: config.name,
    started_at: now.toISOString(),
    finished_at: null,
    status: 'running',
    costs: 0,
    resources: 0,
    metrics: 0,
    error: null,
    details: { errors: [], calls: {}, owner: OWNER },
  };
  const errors: CollectorError[] = [];
  const progress: StreamProgress = { failed: new Set(), costWindowComplete: false };
  const deferred = new Set<DeferredWork>(options.costsDeferred ? ['cost_checkpoint'] : []);
  const includeCosts = options.includeCosts ?? true;
  // State keys storage could not answer for: writes to them only create missing keys.
  const unknownState = new Set<string>();
  const deadline = AbortSignal.timeout(config.timing.run_timeout);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const clients: HttpClient[] = [];
  const log = options.log.child({ provider: config.name });
  let fatal: CollectorError | undefined;
  let emit: BatchingEmitter | undefined;
  try {
    await sink.saveRun(run);
    // Storage unreachable (a spool without a copy): the run goes on with a safe default window and leaves
    // that stream's checkpoint alone, so the next run with storage back re-collects from the stored one.
    const readCheckpoint = async (kind: 'cost' | 'metrics'): Promise<{ known: boolean; value?: Date }> => {
      try {
        const value = await sink.getCheckpoint(config.name, kind);
        return value === undefined ? { known: true } : { known: true, value };
      } catch (error) {
        if (!isStorageUnavailable(error)) throw error;
        return { known: false };
      }
    };
    const lastCost = await readCheckpoint('cost');
    const lastMetrics = await readCheckpoint('metrics');
    if (!lastCost.known && includeCosts) deferred.add('cost_checkpoint');
    if (!lastMetrics.known) deferred.add('metrics_checkpoint');
    // Unknown cost checkpoint: restatement + month-to-date (as right after a success), not the whole history.
    const costs: TimeWindow = costWindow(
      now,
      lastCost.known ? lastCost.value : now,
      config.timing.cost_history,
      config.timing.cost_restatement,
    );
    const metricsStart = Math.max(
      lastMetrics.value?.getTime() ?? now.getTime() - config.timing.interval,
      now.getTime() - config.timing.metrics_backfill,
    );
    const metricsWindow: TimeWindow = { start: new Date(Math.min(metricsStart, now.getTime())), end: now };
    run.details.window = { start: costs.start.toISOString(), end: costs.end.toISOString() };
    const countCall = (operation: string, count = 1): void => {
      run.details.calls[operation] = (run.details.calls[operation] ?? 0) + count;
    };
    const policy = { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy, attempts: config.timing.retries };
    const makeClient = (extra: Parameters<CollectContext['httpWith']>[0] = {}): HttpClient => {
      const client = createHttpClient({
        provider: config.name,
        timeoutMs: config.timing.timeout,
        maxResponseBytes: config.timing.max_response_bytes,
        retry: policy,
        breaker: runtime.breaker,
        ...(runtime.rateLimiter ? { rateLimiter: runtime.rateLimiter } : {}),
        onCall: (operation) => countCall(operation),
        log,
        signal,
        ...extra,
      });
      clients.push(client);
      return client;
    };
    const warn: GpuModelWarn = (fields, message) => log.warn(fields, message);
    emit = sinkEmitter(sink, run, { errors, progress, countCall, costs, includeCosts, deferred, warn });
    const context: CollectContext = {
      provider: config.name,
      now,
      costWindow: costs,
      collectCosts: options.includeCosts ?? true,
      metricsWindow,
      signal,
      log,
      http: makeClient(),
      httpWith: makeClient,
      call: createCallRunner({
        provider: config.name,
        policy,
        timeoutMs: config.timing.timeout,
        signal,
        breaker: runtime.breaker,
        ...(runtime.rateLimiter ? { rateLimiter: runtime.rateLimiter } : {}),
        countCall: (operation) => countCall(operation),
        log,
      }),
      emit,
      state: {
        get: async <T>(key: string) => {
          try {
            return (await sink.getState(config.name, key)) as T | undefined;
          } catch (error) {
            if (!isStorageUnavailable(error)) throw error;
            // Unknown, not absent: whatever the source derives from it must not replace the stored value.
            unknownState.add(key);
            deferred.add('source_state');
            if (includeCosts) deferred.add('cost_checkpoint');
            return undefined;
          }
        },
        set: (key, value) => sink.setState(config.name, key, value, unknownState.has(key) ? { ifAbsent: true } : {}),
      },
    };
    await runtime.source.collect(context);
    await emit.flush();
    if (deadline.aborted)
      throw new CollectorError(
        'TIMEOUT',
        `${config.name}: the run passed its ${config.timing.run_timeout / 1000}s deadline`,
        { provider: config.name },
      );
    // A stream advances on its own success; the cost window declared complete is success whatever else failed.
    if (
      includeCosts &&
      !deferred.has('cost_checkpoint') &&
      (progress.costWindowComplete || !progress.failed.has('cost'))
    )
      await sink.setCheckpoint(config.name, 'cost', now);
    if (!deferred.has('metrics_checkpoint') && !progress.failed.has('metrics'))
      await sink.setCheckpoint(config.name, 'metrics', now);
  } catch (thrown) {
    fatal = toSourceError(thrown, { provider: config.name });
    // Samples gathered before the failure are still stored, as they would have been page by page.
    await emit?.flush().catch((error: unknown) => {
      errors.push(toCollectorError(error, { provider: config.name }));
    });
    if (deadline.aborted && fatal.code === 'CANCELLED')
      fatal = new CollectorError(
        'TIMEOUT',
        `${config.name}: the run passed its ${config.timing.run_timeout / 1000}s deadline: ${fatal.message}`,
        { provider: config.name },
        { cause: fatal },
      );
  } finally {
    await Promise.allSettled(clients.map((client) => client.close()));
  }
  const all = fatal ? [...errors, fatal] : errors;
  // Errors and nothing stored is a failure, even when some part answered (an empty page): not `partial`.
  const stored = run.costs + run.resources + run.metrics > 0;
  run.status = fatal || (errors.length > 0 && !stored) ? 'failed' : errors.length > 0 ? 'partial' : 'ok';
  run.finished_at = new Date().toISOString();
  run.details.errors = all.map((error) => ({ code: error.code, message: redactText(error.message) }));
  run.error = all[0] ? `${all[0].code}: ${redactText(all[0].message)}` : null;
  if (deferred.size > 0) run.details.deferred = [...deferred].sort();
  for (const error of all) log.warn({ code: error.code }, redactText(error.message));
  if (deferred.size > 0)
    log.warn(
      { code: 'STORAGE_UNAVAILABLE', deferred: run.details.deferred },
      'storage unreachable: collected into the spool; deferred until it answers',
    );
  try {
    await sink.saveRun(run);
  } catch (error) {
    log.error(
      { code: 'STORAGE_UNAVAILABLE' },
      `could not record the run: ${redactText(error instanceof Error ? error.message : String(error))}`,
    );
  }
  return {
    provider: config.name,
    status: run.status,
    costs: run.costs,
    resources: run.resources,
    metrics: run.metrics,
    duration_ms: Math.round(performance.now() - started),
    errors: run.details.errors,
    calls: run.details.calls,
    deferred: run.details.deferred ?? [],
    dropped: run.details.dropped ?? {},
  };
}

/** The summary of a run that could not start (its source failed to build, shutdown came first). */
export function failedSummary(provider: string, error: CollectorError): RunSummary {
  return {
    provider,
    status: 'failed',
    costs: 0,
    resources: 0,
    metrics: 0,
    duration_ms: 0,
    errors: [{ code: error.code, message: redactText(error.message) }],
    calls: {},
    deferred: [],
    dropped: {},
  };
}

function isStorageUnavailable(error: unknown): boolean {
  return error instanceof CollectorError && error.code === 'STORAGE_UNAVAILABLE';
}

/** The money and quantity columns of a cost row. */
const COST_DECIMALS = [
  'billed_cost',
  'effective_cost',
  'list_cost',
  'contracted_cost',
  'pricing_quantity',
  'consumed_quantity',
] as const;

/**
 * Whatever the source, no cost past the upstream bounds reaches storage (a `1e309` is not stored as a 310-digit
 * cost): RESPONSE_INVALID naming the provider, the column and the row.
 */
function checkMoneyOf(row: CostRecord, provider: string): void {
  for (const column of COST_DECIMALS) {
    const value = row[column];
    if (value === null) continue;
    checkUpstreamDecimal(value, {
      provider,
      field: `${column} of a cost row (${row.service_name}, ${row.charge_period_start})`,
    });
  }
}

/** The run's emitter; `flush` writes the metric samples it still holds. */
interface BatchingEmitter extends Emitter {
  flush(): Promise<void>;
}

/** Gathers metric pages (held by reference) into writes of up to `limit` samples; `flush` writes what is left. */
export interface MetricBatcher {
  add(samples: MetricSample[]): Promise<void>;
  flush(): Promise<void>;
}

/** The run emitter's metric batching, exported so benchmarks measure the path `collect` and `run` take. */
export function createMetricBatcher(
  write: (samples: MetricSample[], pageEnds: readonly number[]) => Promise<void>,
  limit = METRIC_BATCH_SAMPLES,
): MetricBatcher {
  let pending: MetricSample[][] = [];
  let pageEnds: number[] = [];
  let pendingSamples = 0;
  const flush = async (): Promise<void> => {
    if (pendingSamples === 0) return;
    const pages = pending;
    const ends = pageEnds;
    pending = [];
    pageEnds = [];
    pendingSamples = 0;
    await write(pages.length === 1 ? pages[0]! : pages.flat(), ends);
  };
  return {
    flush,
    add: async (samples) => {
      if (samples.length === 0) return;
      pending.push(samples);
      pendingSamples += samples.length;
      pageEnds.push(pendingSamples);
      if (pendingSamples >= limit) await flush();
    },
  };
}

/** Which streams of a run saw a failure, and whether its cost window was declared complete. */
interface StreamProgress {
  failed: Set<CollectedStream>;
  costWindowComplete: boolean;
}

const ALL_STREAMS: readonly CollectedStream[] = ['cost', 'inventory', 'metrics'];

/** What the run's emitter records into. */
interface EmitterTarget {
  errors: CollectorError[];
  progress: StreamProgress;
  countCall: (operation: string, count?: number) => void;
  /** The run's cost window: a source declaring it (or a wider one) complete makes the cost stream a success. */
  costs: TimeWindow;
  includeCosts: boolean;
  /** With `source_state` deferred, cost rows are not written: they were derived from unknown state. */
  deferred: ReadonlySet<DeferredWork>;
  /** Warns once per process about GPU models the catalog does not know. */
  warn: GpuModelWarn;
}

function sinkEmitter(sink: Sink, run: CollectionRun, target: EmitterTarget): BatchingEmitter {
  const { errors, progress, countCall, includeCosts, warn } = target;
  const writtenSince = run.started_at.replace(/\.\d{3}Z$/, 'Z');
  // Metric pages are gathered up to METRIC_BATCH_SAMPLES and written together: a commit per scrape page
  // costs more than the page. Counted once written; runProvider flushes before checkpoints and the run row.
  const batches = createMetricBatcher(async (samples, pageEnds) => {
    await sink.writeMetrics(samples, pageEnds);
    run.metrics += samples.length;
  });
  // The collector's clock as the run sees it: its start plus the monotonic time since.
  const startedMs = Date.parse(run.started_at);
  const startedPerf = performance.now();
  const future = { refused: 0, furthestMs: Number.NEGATIVE_INFINITY };
  const flush = async (): Promise<void> => {
    await batches.flush();
    if (future.refused === 0) return;
    errors.push(
      new CollectorError(
        'RESPONSE_INVALID',
        `${run.provider}: ${future.refused} metric point${future.refused === 1 ? ' was' : 's were'} more than ${MAX_FUTURE_SKEW_MS / 60_000} min ahead of the collector's clock (the furthest at ${new Date(future.furthestMs).toISOString()}); not stored: the source's clock or the collector's is wrong`,
        { provider: run.provider, field: 'metric timestamps' },
      ),
    );
    future.refused = 0;
    // Points were refused: the metrics checkpoint must not move past them.
    progress.failed.add('metrics');
  };
  return {
    flush,
    costs: async (rows) => {
      if (!includeCosts || rows.length === 0 || target.deferred.has('source_state')) return;
      for (const row of rows) checkMoneyOf(row, run.provider);
      const stamped = rows.map((row) => ({ ...row, x_collected_at: writtenSince, x_run_id: run.id }));
      PROCESS_UNKNOWN_GPU_MODELS.note(run.provider, rows, warn);
      await sink.writeCosts(stamped);
      run.costs += rows.length;
    },
    resources: async (rows) => {
      PROCESS_UNKNOWN_GPU_MODELS.note(run.provider, rows, warn);
      for (const row of rows)
        if (row.price_per_hour !== null)
          checkUpstreamDecimal(row.price_per_hour, {
            provider: run.provider,
            field: `price_per_hour of resource ${row.resource_id}`,
          });
      await sink.writeResources(rows);
      run.resources += rows.length;
    },
    metrics: async (samples) => {
      const check = refuseFuturePoints(samples, startedMs + (performance.now() - startedPerf) + MAX_FUTURE_SKEW_MS);
      if (check.refused > 0) {
        future.refused += check.refused;
        future.furthestMs = Math.max(future.furthestMs, check.furthestMs);
      }
      await batches.add(check.kept);
    },
    costWindowComplete: async (window: TimeWindow, costSource: CostSource) => {
      if (!includeCosts || target.deferred.has('source_state')) return;
      await sink.pruneCostWindow(run.provider, window, costSource, run.id);
      if (window.start <= target.costs.start && window.end >= target.costs.end) progress.costWindowComplete = true;
    },
    dropped: (reason, count) => {
      if (count <= 0) return;
      const dropped = (run.details.dropped ??= {});
      dropped[reason] = (dropped[reason] ?? 0) + count;
    },
    partial: (error, streams = ALL_STREAMS) => {
      errors.push(toSourceError(error, { provider: run.provider }));
      for (const stream of streams) progress.failed.add(stream);
    },
    countCall,
  };
}
