// Runs an SDK call through the shared resilience layer (retry, timeout, circuit breaker), counting it.

import type { CircuitBreaker } from '../core/circuit-breaker.ts';
import { CollectorError, toCollectorError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { RateLimiter } from '../core/rate-limiter.ts';
import { withRetry, type RetryPolicy } from '../core/retry.ts';
import type { CallOptions } from '../core/source.ts';
import { anySignal } from '../core/http.ts';

/** Collaborators of a call runner. */
export interface CallRunnerOptions {
  provider: string;
  policy: RetryPolicy;
  timeoutMs: number;
  signal?: AbortSignal;
  breaker?: CircuitBreaker;
  rateLimiter?: RateLimiter;
  countCall?: (operation: string) => void;
  log?: Logger;
}

/** Returns the `call` function of a CollectContext. */
export function createCallRunner(options: CallRunnerOptions) {
  return async function call<T>(callOptions: CallOptions, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const classify = (thrown: unknown): CollectorError =>
      callOptions.classify
        ? callOptions.classify(thrown)
        : toCollectorError(thrown, { provider: options.provider, operation: callOptions.operation });
    return withRetry(
      async () => {
        options.breaker?.check();
        await options.rateLimiter?.acquire(options.signal);
        options.countCall?.(callOptions.operation);
        const signal =
          anySignal([options.signal, AbortSignal.timeout(options.timeoutMs)]) ?? AbortSignal.timeout(options.timeoutMs);
        try {
          const result = await attempt(signal);
          options.breaker?.success();
          return result;
        } catch (thrown) {
          const error = classify(thrown);
          options.breaker?.failure(error);
          throw error;
        }
      },
      {
        policy: options.policy,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        classify: (thrown) => (thrown instanceof CollectorError ? thrown : classify(thrown)),
        onRetry: (error, attemptNumber, delayMs) =>
          options.log?.warn(
            { provider: options.provider, code: error.code, attempt: attemptNumber, delayMs },
            `retrying ${callOptions.operation}: ${error.message}`,
          ),
      },
    );
  };
}
