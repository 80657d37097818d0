// A counting semaphore: the global limit on provider runs in flight. Waiters are served in order.

/** Limits concurrent holders. */
export interface Semaphore {
  /** Waits for a permit; rejects when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  release(): void;
  /** Permits in use. */
  readonly active: number;
}

/** Creates a semaphore with `permits` permits. */
export function createSemaphore(permits: number): Semaphore {
  let active = 0;
  const waiters: Array<() => void> = [];
  return {
    get active() {
      return active;
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      if (active < permits) {
        active += 1;
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const grant = (): void => {
          signal?.removeEventListener('abort', onAbort);
          active += 1;
          resolve();
        };
        const onAbort = (): void => {
          const index = waiters.indexOf(grant);
          if (index >= 0) waiters.splice(index, 1);
          reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
        };
        waiters.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    release() {
      active -= 1;
      waiters.shift()?.();
    },
  };
}
