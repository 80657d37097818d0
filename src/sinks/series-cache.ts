// Series ids of samples already stored, found without building a key string per sample: by the identity of
// frozen labels (the scrape path hands the same object every scrape), else by provider -> name -> resource and
// a label-by-label comparison (any key order); a resource with many series falls back to a string key.
// Frozen labels are remembered by identity only: a content entry per series too would double the cache (the
// scrape path holds hundreds of thousands); a new frozen object with known labels is resolved by the sink's key.

import type { MetricSample } from '../core/model.ts';

/** Series remembered before the cache starts over (bounds memory on runaway cardinality). */
const MAX_CACHED_SERIES = 1 << 20;
/** Series compared label by label under one (provider, name, resource); past this a string key is built. */
const MAX_COMPARED_PER_RESOURCE = 8;

/** A series id remembered for a frozen labels object (one object may label series of several names). */
interface IdentityEntry {
  provider: string;
  name: string;
  resource: string | null;
  id: number;
  next: IdentityEntry | undefined;
}

/** A series id remembered by its labels' contents (a frozen copy unless the caller's labels were frozen). */
interface ContentEntry {
  labels: Readonly<Record<string, string>>;
  count: number;
  id: number;
}

/** The series of one (provider, name, resource). */
interface ResourceSeries {
  compared: ContentEntry[];
  /** Set once `compared` is full: further series of this resource are found by string key. */
  byKey: Map<string, number> | undefined;
}

/** Cache of series ids; `get` is cheap on a hit, `set` after the database resolved a series. */
export class SeriesCache {
  #byLabels = new WeakMap<Record<string, string>, IdentityEntry>();
  #byResource = new Map<string, Map<string, Map<string, ResourceSeries>>>();
  #size = 0;

  /** The cached series id of `sample`, if any. */
  get(sample: MetricSample): number | undefined {
    const labels = sample.labels;
    if (Object.isFrozen(labels)) {
      for (let entry = this.#byLabels.get(labels); entry !== undefined; entry = entry.next) {
        if (entry.name === sample.name && entry.resource === sample.resource_id && entry.provider === sample.provider)
          return entry.id;
      }
    }
    const series = this.#byResource
      .get(sample.provider)
      ?.get(sample.name)
      ?.get(sample.resource_id ?? '');
    if (series === undefined) return undefined;
    const id = compared(series.compared, labels);
    return id === undefined && series.byKey !== undefined ? series.byKey.get(JSON.stringify(labels)) : id;
  }

  /** Remembers the id the database gave `sample`'s series. */
  set(sample: MetricSample, id: number): void {
    if (this.#size >= MAX_CACHED_SERIES) this.clear();
    const labels = sample.labels;
    if (Object.isFrozen(labels)) {
      if (this.#rememberIdentity(sample, id)) this.#size += 1;
      return;
    }
    let byName = this.#byResource.get(sample.provider);
    if (byName === undefined) this.#byResource.set(sample.provider, (byName = new Map()));
    let byResource = byName.get(sample.name);
    if (byResource === undefined) byName.set(sample.name, (byResource = new Map()));
    const resource = sample.resource_id ?? '';
    const series = byResource.get(resource);
    const entry = (): ContentEntry => ({ labels: Object.freeze({ ...labels }), count: labelCount(labels), id });
    if (series === undefined) {
      // Most resources hold one series of a name: a one-element literal, not an empty array grown by push
      // (which reserves 17 slots: ~130 bytes per cached series).
      byResource.set(resource, { compared: [entry()], byKey: undefined });
      this.#size += 1;
      return;
    }
    if (compared(series.compared, labels) !== undefined) return;
    this.#size += 1;
    if (series.compared.length < MAX_COMPARED_PER_RESOURCE) {
      series.compared.push(entry());
    } else {
      (series.byKey ??= new Map()).set(JSON.stringify(labels), id);
    }
  }

  /** Forgets every series (after a rollback: ids the transaction created are gone). */
  clear(): void {
    this.#byLabels = new WeakMap();
    this.#byResource.clear();
    this.#size = 0;
  }

  /** Remembers `sample`'s series under its frozen labels; false when it already was. */
  #rememberIdentity(sample: MetricSample, id: number): boolean {
    const known = this.#byLabels.get(sample.labels);
    for (let entry = known; entry !== undefined; entry = entry.next) {
      if (entry.name === sample.name && entry.resource === sample.resource_id && entry.provider === sample.provider)
        return false;
    }
    this.#byLabels.set(sample.labels, {
      provider: sample.provider,
      name: sample.name,
      resource: sample.resource_id,
      id,
      next: known,
    });
    return true;
  }
}

/** Own enumerable labels, counted without allocating a key array (labels are plain objects). */
function labelCount(labels: Record<string, string>): number {
  let count = 0;
  for (const key in labels) if (Object.hasOwn(labels, key)) count += 1;
  return count;
}

/** The id of the entry whose labels equal `labels` (same keys and values, any order). */
function compared(entries: readonly ContentEntry[], labels: Record<string, string>): number | undefined {
  for (const entry of entries) {
    let count = 0;
    let same = true;
    for (const key in labels) {
      // Label values are strings and inherited members (toString, __proto__) never are: equal means own and equal.
      if (entry.labels[key] !== labels[key]) {
        same = false;
        break;
      }
      count += 1;
    }
    if (same && count === entry.count) return entry.id;
  }
  return undefined;
}
