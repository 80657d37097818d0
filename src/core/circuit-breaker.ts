// A circuit breaker per provider: after repeated retryable failures, calls fail fast for a cool-down,
// then one trial call decides whether to close again.

import { CollectorError } from './errors.ts';

/** Breaker thresholds. */
export interface CircuitBreakerOptions {
  /** Consecutive failed calls (after their retries) that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit rejects calls before letting one through. */
  cooldownMs: number;
  now?: () => number;
}

/** Tracks one provider's health across calls and runs. */
export class CircuitBreaker {
  #failures = 0;
  #openedAt: number | undefined;
  readonly #options: CircuitBreakerOptions;
  readonly #name: string;

  constructor(name: string, options: CircuitBreakerOptions) {
    this.#name = name;
    this.#options = options;
  }

  /** 'closed' | 'open' | 'half-open'. */
  get state(): 'closed' | 'open' | 'half-open' {
    if (this.#openedAt === undefined) return 'closed';
    return this.#now() - this.#openedAt >= this.#options.cooldownMs ? 'half-open' : 'open';
  }

  /** When an open circuit lets a trial call through (epoch ms); undefined unless open. */
  get retryAt(): number | undefined {
    return this.state === 'open' ? (this.#openedAt ?? 0) + this.#options.cooldownMs : undefined;
  }

  /** Throws CIRCUIT_OPEN when calls must not be made now. */
  check(): void {
    if (this.state === 'open') {
      const remaining = this.#options.cooldownMs - (this.#now() - (this.#openedAt ?? 0));
      throw new CollectorError(
        'CIRCUIT_OPEN',
        `${this.#name}: paused after ${this.#failures} consecutive failures; next attempt in ${Math.ceil(remaining / 1000)}s`,
        { provider: this.#name, retryAfterMs: remaining },
      );
    }
  }

  /** Records a successful call: closes the circuit. */
  success(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
  }

  /** Records a failed call; only retryable failures (outages) count towards opening. */
  failure(error: CollectorError): void {
    if (!error.retryable || error.code === 'CIRCUIT_OPEN') return;
    this.#failures += 1;
    if (this.state === 'half-open' || this.#failures >= this.#options.failureThreshold) this.#openedAt = this.#now();
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}
