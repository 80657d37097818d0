// Series ids of whole scrapes, remembered by their sequence. A scrape path emits the same frozen labels objects
// in the same order scrape after scrape, so a run of samples sharing one timestamp (one scrape) is resolved by
// comparing pointers along arrays, instead of one hash lookup per sample (about a quarter of the SQLite sink's
// CPU per sample at 1,000 hosts), and its insert order is reused instead of sorted again.

import type { MetricSample } from '../core/model.ts';

/** Longest run remembered (positions are kept as 16-bit offsets). */
export const MAX_MEMO_RUN = 0xffff;

/** One remembered run: what each position held and the series id it resolved to. */
interface RunMemo {
  provider: string;
  labels: Array<Record<string, string>>;
  names: string[];
  resources: Array<string | null>;
  ids: Float64Array;
  /** Insert order as offsets into the run; undefined when it is the emission order. */
  order: Uint16Array | undefined;
}

/** Remembered runs, keyed weakly by the frozen labels of their first sample. */
export class RunMemos {
  #byFirst = new WeakMap<Record<string, string>, RunMemo>();

  /**
   * Fills `ids` and `order` (absolute indexes) for `samples[start, end)` when a remembered run matches it
   * sample for sample (same labels objects, names, resources and provider); false otherwise.
   */
  fill(samples: readonly MetricSample[], start: number, end: number, ids: Float64Array, order: Uint32Array): boolean {
    const first = samples[start]!;
    if (!Object.isFrozen(first.labels)) return false;
    const memo = this.#byFirst.get(first.labels);
    if (memo === undefined || memo.ids.length !== end - start || memo.provider !== first.provider) return false;
    const { labels, names, resources } = memo;
    for (let offset = 0, index = start; index < end; offset++, index++) {
      const sample = samples[index]!;
      if (
        sample.labels !== labels[offset] ||
        sample.name !== names[offset] ||
        sample.resource_id !== resources[offset] ||
        sample.provider !== memo.provider
      )
        return false;
    }
    ids.set(memo.ids, start);
    const memoOrder = memo.order;
    for (let offset = 0, index = start; index < end; offset++, index++)
      order[index] = start + (memoOrder === undefined ? offset : memoOrder[offset]!);
    return true;
  }

  /** Remembers `samples[start, end)` resolved to `ids` and inserted in `order` (absolute indexes). */
  remember(samples: readonly MetricSample[], start: number, end: number, ids: Float64Array, order: Uint32Array): void {
    const length = end - start;
    if (length === 0 || length > MAX_MEMO_RUN) return;
    const provider = samples[start]!.provider;
    const labels = new Array<Record<string, string>>(length);
    const names = new Array<string>(length);
    const resources = new Array<string | null>(length);
    let inOrder = true;
    for (let offset = 0, index = start; index < end; offset++, index++) {
      const sample = samples[index]!;
      // Only frozen labels are the same objects next time (and cannot change under us).
      if (!Object.isFrozen(sample.labels) || sample.provider !== provider) return;
      labels[offset] = sample.labels;
      names[offset] = sample.name;
      resources[offset] = sample.resource_id;
      if (order[index] !== index) inOrder = false;
    }
    let memoOrder: Uint16Array | undefined;
    if (!inOrder) {
      memoOrder = new Uint16Array(length);
      for (let offset = 0; offset < length; offset++) memoOrder[offset] = order[start + offset]! - start;
    }
    this.#byFirst.set(samples[start]!.labels, {
      provider,
      labels,
      names,
      resources,
      ids: ids.slice(start, end),
      order: memoOrder,
    });
  }

  /** Forgets every run (after a rollback: ids the transaction created are gone). */
  clear(): void {
    this.#byFirst = new WeakMap();
  }
}
