// The contracts between sources (which only collect and map) and the runtime (which owns schedules,
// retries, timeouts and storage). See STYLE habit 3.

import type { CollectorError } from './errors.ts';
import type { Logger } from './log.ts';
import type { CostRecord, CostSource, DropReason, MetricSample, ResourceRecord } from './model.ts';
import type { Field, Infer, ObjectField, Shape } from './config/schema.ts';
import type { TimeWindow } from './window.ts';
import type { HttpClient, TlsOptions } from './http.ts';

/**
 * Where a source sends what it collected. Each call writes a batch (a page) through to storage, so a
 * source never holds an account's data in memory. Writes are idempotent on natural keys.
 */
export interface Emitter {
  /** Upserts cost rows. */
  costs(rows: CostRecord[]): Promise<void>;
  /** Upserts inventory rows (first_seen_at is kept, last_seen_at advances). */
  resources(rows: ResourceRecord[]): Promise<void>;
  /** Inserts metric samples; the same (series, ts) twice is stored once. */
  metrics(samples: MetricSample[]): Promise<void>;
  /**
   * Declares that every cost row of `costSource` for `window` has been emitted in this run: rows stored
   * earlier for that window and not re-emitted (restated away by the provider) are removed.
   */
  costWindowComplete(window: TimeWindow, costSource: CostSource): Promise<void>;
  /**
   * Records a failure of one part (a page, a target, a region) while the rest goes on: the run is partial.
   * `streams` names what the failed part was collecting, so the other streams' checkpoints still advance;
   * without it the failure holds back every stream (see CollectedStream).
   */
  partial(error: CollectorError, streams?: readonly CollectedStream[]): void;
  /** Counts an API call by operation (e.g. `ce:GetCostAndUsage`), reported in the run summary. */
  countCall(operation: string, count?: number): void;
  /** Counts what was dropped instead of emitted (NaN values, unparsable lines), reported on the run. */
  dropped(reason: DropReason, count: number): void;
}

/**
 * What a run collects, each with its own checkpoint: a stream's checkpoint advances when that stream succeeded,
 * whatever failed in the others. The cost stream also succeeds when its window was declared complete
 * (`costWindowComplete`), even with failures elsewhere.
 */
export type CollectedStream = 'cost' | 'inventory' | 'metrics';

/** Options for one retried operation run through the runtime's resilience layer. */
export interface CallOptions {
  /** Operation name used in counters and errors, e.g. `ce:GetCostAndUsage`. */
  operation: string;
  /** Turns an SDK-specific error into a classified CollectorError (throttling -> RATE_LIMITED, ...). */
  classify?: (error: unknown) => CollectorError;
}

/** What the runtime hands a source for one collection. */
export interface CollectContext {
  /** The provider's configuration key, e.g. `runpod`. */
  provider: string;
  /** The instant this run started. */
  now: Date;
  /** The cost window to collect (backfill on first run, restatement + month-to-date after). */
  costWindow: TimeWindow;
  /**
   * False when this run skips costs (service mode between cost intervals): cost sources then make no
   * billing calls at all (Cost Explorer bills per request).
   */
  collectCosts: boolean;
  /** The metrics window: from the last successful run (bounded) to now. */
  metricsWindow: TimeWindow;
  /** Aborted at shutdown or when the run's deadline passes. */
  signal: AbortSignal;
  log: Logger;
  /** HTTP with timeouts, bounded retries honouring Retry-After, pacing, circuit breaker and size caps. */
  http: HttpClient;
  /**
   * A client with the same policy, pacing, breaker and counters but its own TLS settings and default
   * headers (a Prometheus behind a private CA, a Kubernetes API server). Created once per run; closed by the runtime.
   */
  httpWith(options: { tls?: TlsOptions; headers?: Record<string, string> }): HttpClient;
  /** Runs a non-HTTP call (an SDK request) through the same retry, timeout and circuit policy. */
  call<T>(options: CallOptions, attempt: (signal: AbortSignal) => Promise<T>): Promise<T>;
  emit: Emitter;
  /**
   * Small per-provider key-value state that survives restarts (stored by the runtime beside checkpoints):
   * e.g. when an instance was first seen running, for derived costs. Values are JSON.
   */
  state: SourceState;
}

/** Durable per-provider key-value state for a source. */
export interface SourceState {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

/** A running source for one provider. */
export interface Source {
  /** Collects once. Throwing fails the whole run; `emit.partial` records a part failing. */
  collect(context: CollectContext): Promise<void>;
  /** Releases clients and sockets. Safe to call more than once. */
  shutdown(): Promise<void>;
}

/** What a source factory receives to build a source. */
export interface SourceSettings<Config> {
  /** The provider's configuration key. */
  provider: string;
  /** This component's validated configuration. */
  config: Config;
}

/** The three roles a registered component can play. */
export type SourceRole =
  | 'dedicated' // a whole provider on its official SDK (aws, gcp, azure)
  | 'adapter' // a provider billing/inventory API used by a generic provider's `api:` block
  | 'metrics'; // a metrics path of the generic collector (prometheus API, direct scrape)

/** What a component collects, for the provider table and `providers list`. */
export type Collects = 'cost' | 'inventory' | 'metrics' | 'gpu';

/**
 * A component factory: type, config schema, create. Listed once in `src/sources/index.ts`;
 * a duplicate type is an error.
 */
export interface SourceFactory<S extends Shape = Shape> {
  /** Unique name: `aws`, `vultr`, `prometheus`, ... */
  readonly type: string;
  readonly role: SourceRole;
  /** One line for `providers list` and the README. */
  readonly description: string;
  readonly collects: readonly Collects[];
  /** The component's own configuration keys (for adapters: keys of the `api:` block beyond the common ones). */
  readonly configSchema: ObjectField<S>;
  /** Extra environment overrides beyond the derived ones: suffix -> key path inside the provider block. */
  readonly envOverrides?: Readonly<Record<string, string>>;
  /** Requests per second to pace calls at when the provider documents no rate-limit headers. */
  readonly defaultRateLimit?: number;
  /**
   * Runs the source in a worker thread that lives for one collect(), so a heavy SDK's memory is freed when
   * the run ends (src/runtime/worker-source/): the URL of the module exporting this factory
   * (`import.meta.url`) and the export's name. The worker rebuilds the source each run.
   */
  readonly isolate?: { readonly module: string; readonly export: string };
  /**
   * Builds the source from its validated configuration, typed by `configSchema` (for adapters: the `api:`
   * block; for metrics paths: the generic provider keys). Must not do network I/O; heavy SDKs are imported
   * lazily inside collect().
   */
  create(settings: SourceSettings<Infer<S>>): Source;
}

/** Re-exported so factories can declare fields without a second import. */
export type { Field };
