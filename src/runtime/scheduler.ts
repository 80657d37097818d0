// Service mode's scheduler: every enabled provider on its own timer (interval or cron, with jitter),
// one ProviderRuntime per provider kept for the life of the process (breakers and rate limiters persist),
// a global concurrency limit, no overlapping runs of a provider, costs only every cost_interval, metric
// retention on a timer, and a graceful stop that lets in-flight runs settle before aborting them.

import type { AppConfig, ProviderConfig } from '../core/config/types.ts';
import { CollectorError, toCollectorError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { redactText } from '../core/redact.ts';
import type { RetryPolicy } from '../core/retry.ts';
import type { Sink } from '../core/sink.ts';
import { buildSource } from './build-source.ts';
import type { Registry } from '../core/registry.ts';
import {
  createProviderRuntime,
  failedSummary,
  runProvider,
  type ProviderRuntime,
  type RunSummary,
} from './run-provider.ts';
import { parseCron, type CronSchedule } from '../core/cron.ts';
import { createSemaphore, type Semaphore } from './scheduler-semaphore.ts';
import type { SelfMetrics } from './self-metrics.ts';

// setTimeout overflows above 2^31-1 ms (~24.8 days): longer waits re-arm when they wake.
const MAX_TIMER_MS = 2_147_483_647;
const RETENTION_EVERY_MS = 3_600_000;

/** Collaborators and knobs of the scheduler. */
export interface SchedulerOptions {
  config: AppConfig;
  registry: Registry;
  sink: Sink;
  log: Logger;
  metrics?: SelfMetrics;
  /** Largest jitter added to a scheduled start: min(this, 10% of the gap). Default 30 s. */
  maxJitterMs?: number;
  /** Delay of each provider's first run after start (plus jitter). Default 0. */
  firstRunDelayMs?: number;
  /** Retry policy overrides (tests use short delays). */
  retryPolicy?: Partial<RetryPolicy>;
  /** Circuit breaker thresholds of every provider (tests use short cool-downs). Default CIRCUIT_DEFAULTS. */
  circuit?: { failureThreshold: number; cooldownMs: number };
  /** How often retention pruning runs; 0 disables it. Default 1 h. */
  retentionEveryMs?: number;
  random?: () => number;
}

/** A provider as the API reports it. */
export interface ScheduledProvider {
  name: string;
  display_name: string;
  enabled: boolean;
  collector_type: 'dedicated' | 'generic';
  schedule: string | null;
  interval_ms: number;
  cost_interval_ms: number;
  rate_limit: number | null;
  running: boolean;
  next_run_at: string | null;
  circuit: 'closed' | 'open' | 'half-open' | null;
  /** When an open circuit lets the next run through (its trial call). */
  circuit_retry_at: string | null;
  /** Scheduled runs skipped because the circuit was open. */
  circuit_skips: number;
  overlap_skips: number;
  last_run: RunSummary | null;
  /** Why the provider cannot run (its source could not be built). */
  error: { code: string; message: string } | null;
}

/** What a manual trigger did. */
export interface TriggerResult {
  /** Providers whose run started now. */
  started: string[];
  /** Providers skipped because a run was still going. */
  skipped: string[];
  /** Resolves with the summaries of the started runs (never rejects). */
  done: Promise<RunSummary[]>;
}

/** The running scheduler. */
export interface Scheduler {
  /** Builds each enabled provider's source once and arms the timers. */
  start(): void;
  /** Runs providers now (all enabled when `names` is empty), skipping any that are still running. */
  trigger(names?: readonly string[]): TriggerResult;
  /** Every configured provider with its schedule and state. */
  providers(): ScheduledProvider[];
  /** Circuit state per enabled provider (for self-metrics). */
  circuitStates(): Array<readonly [string, 'closed' | 'open' | 'half-open']>;
  /** Resolves once every scheduled provider has finished its first run. */
  firstCycle(): Promise<void>;
  /** Resolves when no run is in flight. */
  idle(): Promise<void>;
  /** Stops scheduling; waits `graceMs` for in-flight runs, aborts the rest, shuts sources down. */
  stop(graceMs: number): Promise<void>;
}

interface Slot {
  config: ProviderConfig;
  runtime?: ProviderRuntime;
  buildError?: CollectorError;
  cron?: CronSchedule;
  timer?: NodeJS.Timeout;
  /** Un-jittered time of the next interval run, so jitter never accumulates into drift. */
  nextBase?: number;
  nextRunAt?: number;
  inFlight?: Promise<RunSummary>;
  lastRun?: RunSummary;
  overlaps: number;
  circuitSkips: number;
}

/** Creates the scheduler (nothing runs until start()). */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { config, sink, metrics } = options;
  const log = options.log.child({ component: 'scheduler' });
  const random = options.random ?? Math.random;
  const maxJitterMs = options.maxJitterMs ?? 30_000;
  const semaphore: Semaphore = createSemaphore(config.collection.concurrency);
  const shutdown = new AbortController();
  const slots = new Map<string, Slot>();
  const inFlight = new Set<Promise<RunSummary>>();
  let retentionTimer: NodeJS.Timeout | undefined;
  let started = false;
  let stopped = false;
  let resolveFirstCycle: () => void = () => undefined;
  const firstCycle = new Promise<void>((resolve) => {
    resolveFirstCycle = resolve;
  });

  for (const provider of Object.values(config.providers))
    slots.set(provider.name, { config: provider, overlaps: 0, circuitSkips: 0 });

  const jitter = (gapMs: number): number => Math.floor(random() * Math.min(maxJitterMs, gapMs * 0.1));

  function arm(slot: Slot, at: number): void {
    if (stopped) return;
    slot.nextRunAt = at;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now()));
    slot.timer = setTimeout(() => fire(slot), delay);
    // The HTTP server keeps the process alive; a pending timer alone must not.
    slot.timer.unref();
  }

  function scheduleNext(slot: Slot): void {
    const now = Date.now();
    if (slot.cron) {
      const next = slot.cron.next(new Date(now)).getTime();
      arm(slot, next + jitter(next - now));
      return;
    }
    const interval = slot.config.timing.interval;
    let base = (slot.nextBase ?? now) + interval;
    // After a long pause (suspend, a very slow run) resume from now rather than firing a burst.
    if (base <= now) base = now + interval;
    slot.nextBase = base;
    arm(slot, base + jitter(interval));
  }

  function fire(slot: Slot): void {
    slot.timer = undefined;
    if (stopped) return;
    if (slot.nextRunAt !== undefined && Date.now() < slot.nextRunAt) {
      arm(slot, slot.nextRunAt);
      return;
    }
    const retryAt = slot.runtime?.breaker.retryAt;
    if (retryAt !== undefined) {
      // Open circuit: skip this cycle rather than start a run that fails at once (or, worse, waits).
      slot.circuitSkips += 1;
      metrics?.recordCircuitSkip(slot.config.name);
      log.warn(
        {
          provider: slot.config.name,
          code: 'CIRCUIT_OPEN',
          circuit_skips: slot.circuitSkips,
          retry_at: new Date(retryAt).toISOString(),
        },
        'circuit open: skipped this scheduled run',
      );
    } else if (slot.inFlight) {
      slot.overlaps += 1;
      metrics?.recordOverlap(slot.config.name);
      log.warn(
        { provider: slot.config.name, overlaps: slot.overlaps },
        'previous run still going: skipped this scheduled run',
      );
    } else {
      // startRun's promise never rejects; it is tracked in `inFlight` for stop().
      void startRun(slot);
    }
    scheduleNext(slot);
  }

  /** Whether this run collects costs; `unknown` when storage cannot tell (no billing calls then). */
  async function costsDue(slot: Slot): Promise<boolean | 'unknown'> {
    try {
      const last = await sink.getCheckpoint(slot.config.name, 'cost');
      return last === undefined || Date.now() - last.getTime() >= slot.config.timing.cost_interval;
    } catch (error) {
      // Storage unreachable: skip billing calls now; the cost window backfills from the checkpoint later.
      log.warn(
        { provider: slot.config.name, code: 'STORAGE_UNAVAILABLE' },
        `cannot read the cost checkpoint: ${redactText(error instanceof Error ? error.message : String(error))}`,
      );
      return 'unknown';
    }
  }

  async function execute(slot: Slot): Promise<RunSummary> {
    const runtime = slot.runtime as ProviderRuntime;
    const name = slot.config.name;
    try {
      await semaphore.acquire(shutdown.signal);
    } catch {
      return failedSummary(
        name,
        new CollectorError('CANCELLED', `${name}: shut down before the run could start`, { provider: name }),
      );
    }
    try {
      const due = await costsDue(slot);
      return await runProvider(runtime, {
        sink,
        log: options.log,
        signal: shutdown.signal,
        includeCosts: due === true,
        ...(due === 'unknown' ? { costsDeferred: true } : {}),
        ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
      });
    } catch (thrown) {
      return failedSummary(name, toCollectorError(thrown, { provider: name }));
    } finally {
      semaphore.release();
    }
  }

  function startRun(slot: Slot): Promise<RunSummary> {
    const run = execute(slot)
      .then((summary) => {
        slot.lastRun = summary;
        metrics?.recordRun(summary);
        const fields = {
          provider: summary.provider,
          status: summary.status,
          duration_ms: summary.duration_ms,
          costs: summary.costs,
          resources: summary.resources,
          metrics: summary.metrics,
          ...(summary.errors[0] ? { code: summary.errors[0].code } : {}),
          ...(summary.deferred.length > 0 ? { deferred: summary.deferred } : {}),
          ...(Object.keys(summary.dropped).length > 0 ? { dropped: summary.dropped } : {}),
        };
        if (summary.status === 'ok') log.info(fields, 'run finished');
        else log.warn(fields, 'run finished');
        checkFirstCycle();
        return summary;
      })
      .catch((thrown: unknown) =>
        failedSummary(slot.config.name, toCollectorError(thrown, { provider: slot.config.name })),
      );
    slot.inFlight = run;
    inFlight.add(run);
    void run.finally(() => {
      inFlight.delete(run);
      if (slot.inFlight === run) slot.inFlight = undefined;
    });
    return run;
  }

  function checkFirstCycle(): void {
    const runnable = [...slots.values()].filter((slot) => slot.runtime);
    if (runnable.every((slot) => slot.lastRun)) resolveFirstCycle();
  }

  async function pruneRetention(): Promise<void> {
    try {
      const removed = await sink.pruneMetrics(new Date(Date.now() - config.storage.retention));
      metrics?.recordPruned(removed);
      if (removed > 0) log.info({ removed }, 'retention: deleted old metric points');
    } catch (error) {
      log.warn(
        { code: 'STORAGE_UNAVAILABLE' },
        `retention pruning failed: ${redactText(error instanceof Error ? error.message : String(error))}`,
      );
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      for (const slot of slots.values()) {
        if (!slot.config.enabled) continue;
        try {
          slot.runtime = createProviderRuntime(
            slot.config,
            buildSource(slot.config, options.registry),
            options.circuit,
          );
          if (slot.config.timing.schedule !== undefined) slot.cron = parseCron(slot.config.timing.schedule);
        } catch (thrown) {
          slot.buildError = toCollectorError(thrown, { provider: slot.config.name });
          log.error(
            { provider: slot.config.name, code: slot.buildError.code },
            `provider not scheduled: ${redactText(slot.buildError.message)}`,
          );
          continue;
        }
        if (slot.cron) {
          scheduleNext(slot);
        } else {
          const first = Date.now() + (options.firstRunDelayMs ?? 0);
          slot.nextBase = first;
          arm(slot, first + jitter(slot.config.timing.interval));
        }
      }
      checkFirstCycle();
      const every = options.retentionEveryMs ?? RETENTION_EVERY_MS;
      if (every > 0) {
        void pruneRetention();
        retentionTimer = setInterval(() => void pruneRetention(), every);
        retentionTimer.unref();
      }
    },

    trigger(names = []) {
      if (stopped) throw new CollectorError('CANCELLED', 'the collector is shutting down');
      const selected =
        names.length > 0 ? names : [...slots.values()].filter((slot) => slot.runtime).map((slot) => slot.config.name);
      const result: TriggerResult = { started: [], skipped: [], done: Promise.resolve([]) };
      const runs: Array<Promise<RunSummary>> = [];
      for (const name of selected) {
        const slot = slots.get(name);
        if (!slot)
          throw new CollectorError(
            'USAGE',
            `no provider ${JSON.stringify(name)} is configured (known: ${[...slots.keys()].join(', ')})`,
          );
        if (!slot.config.enabled) throw new CollectorError('USAGE', `provider ${name} is disabled`);
        if (!slot.runtime)
          throw new CollectorError(
            slot.buildError?.code ?? 'INTERNAL',
            `provider ${name} cannot run: ${slot.buildError?.message ?? 'the scheduler has not started'}`,
          );
      }
      for (const name of new Set(selected)) {
        const slot = slots.get(name) as Slot;
        if (slot.inFlight) {
          result.skipped.push(name);
          continue;
        }
        result.started.push(name);
        runs.push(startRun(slot));
      }
      result.done = Promise.all(runs);
      return result;
    },

    providers() {
      return [...slots.values()].map((slot) => ({
        name: slot.config.name,
        display_name: slot.config.display_name,
        enabled: slot.config.enabled,
        collector_type: slot.config.collector_type,
        schedule: slot.config.timing.schedule ?? null,
        interval_ms: slot.config.timing.interval,
        cost_interval_ms: slot.config.timing.cost_interval,
        rate_limit: slot.config.timing.rate_limit ?? null,
        running: slot.inFlight !== undefined,
        next_run_at: slot.timer && slot.nextRunAt !== undefined ? new Date(slot.nextRunAt).toISOString() : null,
        circuit: slot.runtime?.breaker.state ?? null,
        circuit_retry_at: isoOrNull(slot.runtime?.breaker.retryAt),
        circuit_skips: slot.circuitSkips,
        overlap_skips: slot.overlaps,
        last_run: slot.lastRun ?? null,
        error: slot.buildError ? { code: slot.buildError.code, message: redactText(slot.buildError.message) } : null,
      }));
    },

    circuitStates() {
      return [...slots.values()]
        .filter((slot) => slot.runtime)
        .map((slot) => [slot.config.name, (slot.runtime as ProviderRuntime).breaker.state] as const);
    },

    firstCycle: () => firstCycle,

    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },

    async stop(graceMs) {
      if (stopped) return;
      stopped = true;
      for (const slot of slots.values()) {
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = undefined;
      }
      if (retentionTimer) clearInterval(retentionTimer);
      if (inFlight.size > 0) {
        log.info({ runs: inFlight.size, grace_ms: graceMs }, 'waiting for in-flight runs to finish');
        if (!(await settledWithin([...inFlight], graceMs))) {
          log.warn({ runs: inFlight.size }, 'grace period over: aborting in-flight runs');
          shutdown.abort(new CollectorError('CANCELLED', 'the collector is shutting down'));
          // Aborted runs record themselves as cancelled; give them a moment to do so.
          await settledWithin([...inFlight], 5_000);
        }
      }
      shutdown.abort(new CollectorError('CANCELLED', 'the collector is shutting down'));
      await Promise.allSettled([...slots.values()].map((slot) => slot.runtime?.source.shutdown()));
    },
  };
}

function isoOrNull(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}

async function settledWithin(promises: ReadonlyArray<Promise<unknown>>, milliseconds: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), milliseconds);
  });
  try {
    return await Promise.race([Promise.allSettled(promises).then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
