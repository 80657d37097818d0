// Bounded retries with exponential backoff and full jitter, honouring the server's requested delay.
// This is the one resilience policy every source goes through; adapters never loop on their own.

import { CollectorError, toCollectorError } from './errors.ts';

/** Retry bounds. Defaults are written out in DEFAULT_RETRY_POLICY. */
export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  /** First backoff ceiling; doubles each attempt (full jitter picks uniformly below it). */
  baseDelayMs: number;
  /** Largest backoff ceiling. */
  maxDelayMs: number;
  /** No new attempt starts after this long since the first (0 = none). */
  deadlineMs: number;
  /** A server-requested delay longer than this is not waited for: the call fails as retryable instead. */
  maxRetryAfterMs: number;
}

/** Defaults: 4 attempts, 0.5 s doubling to 30 s, give up after 2 minutes, wait at most 60 s on Retry-After. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  deadlineMs: 120_000,
  maxRetryAfterMs: 60_000,
});

/** Full-jitter backoff for attempt n (1-based): uniform in [0, min(max, base·2^(n-1))). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Parses Retry-After (delta seconds or HTTP-date) to milliseconds from `now`; undefined when absent/invalid. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Sleeps, waking early (with an AbortError) when the signal aborts. */
export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Hooks and collaborators for withRetry. */
export interface RetryOptions {
  policy: RetryPolicy;
  signal?: AbortSignal;
  /** Classifies anything thrown; defaults to toCollectorError. */
  classify?: (error: unknown) => CollectorError;
  /** Called before each wait, e.g. to log or count. */
  onRetry?: (error: CollectorError, attempt: number, delayMs: number) => void;
  random?: () => number;
  now?: () => number;
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs `attempt` until it succeeds, fails permanently, runs out of attempts or passes the deadline.
 * The delay is the server's (Retry-After) when given, else full-jitter backoff.
 */
export async function withRetry<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy } = options;
  const classify = options.classify ?? ((error: unknown) => toCollectorError(error));
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const started = now();
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt(attemptNumber);
    } catch (thrown) {
      const error = classify(thrown);
      if (options.signal?.aborted)
        throw error.code === 'CANCELLED'
          ? error
          : new CollectorError('CANCELLED', `cancelled after: ${error.message}`, error.context, { cause: error });
      // An open circuit is never waited for inside a call: the call fails fast and the scheduler skips the
      // provider's runs until the cool-down is over (sleeping it here stalled runs for minutes).
      if (!error.retryable || error.code === 'CIRCUIT_OPEN' || attemptNumber >= policy.attempts) throw error;
      const requested = error.context.retryAfterMs;
      if (requested !== undefined && requested > policy.maxRetryAfterMs) throw error;
      const delay = requested ?? backoffDelay(attemptNumber, policy, options.random);
      if (policy.deadlineMs > 0 && now() + delay - started > policy.deadlineMs) throw error;
      options.onRetry?.(error, attemptNumber, delay);
      await wait(delay, options.signal);
    }
  }
}
