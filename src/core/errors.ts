// One catalog of coded errors. Every failure is classified where it happens (STYLE habit 4):
// permanent (never retried), retryable (retried by the runtime, with the server's delay when it gave one).

/** How the runtime should treat a failure. */
export type ErrorKind = 'permanent' | 'retryable';

/** The stable codes; docs/errors.md lists the same set (a test keeps them in sync). */
export const ERROR_CODES = {
  CONFIG_INVALID: {
    kind: 'permanent',
    summary: 'the configuration file has problems; each is listed with its key path',
  },
  CONFIG_NOT_FOUND: { kind: 'permanent', summary: 'the configuration file does not exist' },
  USAGE: { kind: 'permanent', summary: 'the command line is wrong' },
  AUTH_FAILED: {
    kind: 'permanent',
    summary: 'the provider rejected the credentials (HTTP 401) or they lack a permission (HTTP 403)',
  },
  BAD_REQUEST: {
    kind: 'permanent',
    summary: 'the provider rejected the request as invalid (HTTP 400, 404, 405, 409, 422)',
  },
  CLOCK_SKEW: {
    kind: 'permanent',
    summary: "the provider refused the request's timestamp: this host's clock is too far from the provider's",
  },
  RATE_LIMITED: { kind: 'retryable', summary: 'the provider throttled us (HTTP 429 or a throttling error code)' },
  UPSTREAM_UNAVAILABLE: { kind: 'retryable', summary: 'the provider answered with a server error (HTTP 5xx)' },
  TIMEOUT: { kind: 'retryable', summary: 'no complete answer within the timeout' },
  NETWORK: { kind: 'retryable', summary: 'the connection failed (refused, reset, DNS)' },
  RESPONSE_TOO_LARGE: { kind: 'permanent', summary: 'the response body is larger than the configured cap' },
  RESPONSE_MALFORMED: { kind: 'retryable', summary: 'the response body could not be parsed (malformed or truncated)' },
  RESPONSE_INVALID: {
    kind: 'permanent',
    summary:
      "a value in the provider's answer is unusable (not a number, an absurd amount, a time too far ahead); the message names the provider and field",
  },
  UPSTREAM_ERROR: { kind: 'permanent', summary: 'the provider answered with an error document' },
  CIRCUIT_OPEN: { kind: 'retryable', summary: 'calls to the provider are paused after repeated failures' },
  TARGET_DOWN: { kind: 'retryable', summary: 'a scrape target or Prometheus job is down' },
  TARGET_LIMIT_EXCEEDED: {
    kind: 'permanent',
    summary:
      "a scrape target's page passed sample_limit, label_limit, label_value_length_limit or the GPUs one page may list, or a Prometheus query passed prometheus_series_limit; that target or query is dropped, the rest still collect",
  },
  NO_MATCHING_METRICS: {
    kind: 'permanent',
    summary: 'an answer had series but none matched an enabled metric set, or a metric set switched on was absent',
  },
  NOT_IMPLEMENTED: { kind: 'permanent', summary: 'no collector is registered for this provider or adapter yet' },
  STORAGE_UNAVAILABLE: { kind: 'retryable', summary: 'the database could not be reached; batches are spooled' },
  STORAGE_SCHEMA_MISMATCH: {
    kind: 'permanent',
    summary:
      "the database's schema history differs from this build's migrations (an edited migration, or a newer build's database)",
  },
  CANCELLED: { kind: 'permanent', summary: 'the run was cancelled (shutdown or run deadline)' },
  INTERNAL: { kind: 'permanent', summary: 'a bug in the collector; please report it' },
} as const satisfies Record<string, { kind: ErrorKind; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Details that locate a failure: which provider, which URL or operation, which HTTP status. */
export interface ErrorContext {
  provider?: string;
  url?: string;
  operation?: string;
  status?: number;
  /** Milliseconds the server asked us to wait (Retry-After, rate-limit reset). */
  retryAfterMs?: number;
  /** The field of the provider's answer a value came from (RESPONSE_INVALID). */
  field?: string;
}

/** A classified error with a stable code; `message` names what failed and where. */
export class CollectorError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly context: ErrorContext;

  constructor(
    code: ErrorCode,
    message: string,
    context: ErrorContext = {},
    options?: { cause?: unknown; kind?: ErrorKind },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CollectorError';
    this.code = code;
    this.kind = options?.kind ?? ERROR_CODES[code].kind;
    this.context = context;
  }

  /** Whether the runtime may try the same call again. */
  get retryable(): boolean {
    return this.kind === 'retryable';
  }
}

/** Turns anything thrown into a CollectorError, keeping codes already assigned. */
export function toCollectorError(error: unknown, context: ErrorContext = {}): CollectorError {
  if (error instanceof CollectorError) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return new CollectorError('CANCELLED', `cancelled: ${error.message}`, context, { cause: error });
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new CollectorError('TIMEOUT', `timed out: ${error.message}`, context, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CollectorError('INTERNAL', message, context, { cause: error });
}

/**
 * toCollectorError for what escapes a source or one of its parts. The only untyped values a source handles are
 * the provider's answers (JSON cast to documented types), so a TypeError there (a field of null, a method of a
 * number) means the answer did not have the documented shape: RESPONSE_MALFORMED, not a bug in the collector;
 * an impossible date (`Invalid time value`) is RESPONSE_INVALID. An INTERNAL error wrapping either (a part's
 * partial) is reclassified the same way, keeping its message.
 */
export function toSourceError(error: unknown, context: ErrorContext = {}): CollectorError {
  const converted = toCollectorError(error, context);
  if (converted.code !== 'INTERNAL') return converted;
  let cause: unknown = error;
  while (cause instanceof CollectorError && cause.code === 'INTERNAL') cause = cause.cause;
  const code: ErrorCode | undefined =
    cause instanceof TypeError
      ? 'RESPONSE_MALFORMED'
      : cause instanceof RangeError && /Invalid time value/.test(cause.message)
        ? 'RESPONSE_INVALID'
        : undefined;
  if (code === undefined) return converted;
  const why =
    code === 'RESPONSE_MALFORMED'
      ? "the provider's answer did not have the documented shape"
      : "a time in the provider's answer is not a valid date";
  return new CollectorError(
    code,
    `${context.provider && !converted.message.startsWith(`${context.provider}:`) ? `${context.provider}: ` : ''}${converted.message} (${why})`,
    { ...converted.context, ...context },
    { cause: error },
  );
}

/** Classifies an HTTP status: which code, and whether retrying can help. */
export function codeForHttpStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'AUTH_FAILED';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408) return 'TIMEOUT';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  return 'BAD_REQUEST';
}
