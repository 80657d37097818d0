// Runs the named parts of one collection (inventory, billing, a target, a region...): a part that fails
// becomes a partial error and the rest goes on; the run fails only on a fatal error or when nothing worked.

import { CollectorError, toSourceError } from '../../core/errors.ts';
import type { CollectContext } from '../../core/source.ts';

/** Options for a PartRunner. */
export interface PartRunnerOptions {
  /** Errors that fail the whole run at once (e.g. a rejected API key). Cancellation always does. */
  isFatal?: (error: CollectorError) => boolean;
}

/** A rejected key (HTTP 401) fails the run: no other part can succeed with it. */
export const REJECTED_KEY_IS_FATAL = (error: CollectorError): boolean =>
  error.code === 'AUTH_FAILED' && error.context.status === 401;

/** Runs parts, turning each failure into a partial; remembers whether anything worked. */
export class PartRunner {
  readonly #context: Pick<CollectContext, 'provider' | 'signal' | 'emit'>;
  readonly #isFatal: (error: CollectorError) => boolean;
  readonly failures: CollectorError[] = [];
  succeeded = 0;

  constructor(context: Pick<CollectContext, 'provider' | 'signal' | 'emit'>, options: PartRunnerOptions = {}) {
    this.#context = context;
    this.#isFatal = options.isFatal ?? (() => false);
  }

  /** Runs one part; returns its result, or undefined when it failed (recorded as partial). */
  async run<T>(name: string, part: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await part();
      this.succeeded += 1;
      return result;
    } catch (thrown) {
      const error = toSourceError(thrown, { provider: this.#context.provider });
      if (error.code === 'CANCELLED' || this.#context.signal.aborted || this.#isFatal(error)) throw error;
      this.failures.push(error);
      this.#context.emit.partial(
        new CollectorError(error.code, `${name}: ${error.message}`, error.context, { cause: error, kind: error.kind }),
      );
      return undefined;
    }
  }

  /** Runs `parts` in order with `state` (stopping once the run is cancelled), then throwIfNothingWorked. */
  async runAll<S>(parts: ReadonlyArray<readonly [string, (state: S) => Promise<void>]>, state: S): Promise<void> {
    for (const [name, part] of parts) {
      if (this.#context.signal.aborted) break;
      await this.run(name, () => part(state));
    }
    this.throwIfNothingWorked();
  }

  /** Throws when parts ran and every one failed: the run is failed, not partial. */
  throwIfNothingWorked(): void {
    const [first] = this.failures;
    if (this.succeeded > 0 || first === undefined) return;
    throw this.failures.length === 1
      ? first
      : new CollectorError(
          first.code,
          `every part of ${this.#context.provider} failed; first: ${first.message}`,
          { provider: this.#context.provider },
          { cause: first, kind: first.kind },
        );
  }
}
