// Client-side pacing: a token bucket per provider, which the server's rate-limit headers can pause.

import { sleep } from './retry.ts';

/** Paces calls to at most `ratePerSecond` with bursts up to `burst`. */
export class RateLimiter {
  readonly #ratePerSecond: number;
  readonly #burst: number;
  #tokens: number;
  #updatedAt: number;
  #pausedUntil = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(ratePerSecond: number, burst: number = Math.max(1, Math.ceil(ratePerSecond))) {
    this.#ratePerSecond = ratePerSecond;
    this.#burst = burst;
    this.#tokens = burst;
    this.#updatedAt = Date.now();
  }

  /** Waits for a token (in arrival order). */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#take(signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /** Stops handing out tokens until `untilMs` (epoch ms), e.g. when a server says remaining = 0. */
  pauseUntil(untilMs: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, untilMs);
  }

  async #take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (this.#pausedUntil > now) {
        await sleep(this.#pausedUntil - now, signal);
        continue;
      }
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#ratePerSecond);
      this.#updatedAt = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.#tokens) / this.#ratePerSecond) * 1000), signal);
    }
  }
}
