// Cache of parsed label sets keyed by their exact bytes `{...}`. Exposition pages repeat the same label
// sets across families (dcgm: every field for the same 8 GPUs) and across scrapes, so most lines become
// one hash pass, one byte compare and one object clone instead of a full label parse.
// Correctness does not depend on the hash: a hit needs identical bytes to a set that parsed cleanly,
// and parsing is deterministic, so the slow path would have produced the same labels and end.

// Sized for a few thousand scraped hosts per process (an 8-GPU DCGM host has 8 label sets): when it empties,
// every label set becomes a new object and the caches keyed by identity downstream start over.
const MAX_ENTRIES = 1 << 16;
const MAX_POOL_BYTES = 16 << 20;
/** Longest label set kept, in bytes: longer ones are rare and cost a big clone to keep. */
export const MAX_CACHED_LABEL_SET_BYTES = 4096;
/** Probes per lookup: bounds the work on adversarial collisions; past it the set is parsed normally. */
const MAX_PROBES = 8;

/** Hash of `buf[start, end)`, mixing four bytes per multiply. */
export function hashLabelSet(buf: Uint8Array, start: number, end: number): number {
  let hash = Math.imul(end - start, -1640531535);
  let i = start;
  for (const last = end - 3; i < last; i += 4) {
    hash = Math.imul(hash ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)), 16777619);
    hash ^= hash >>> 15;
  }
  for (; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 16777619);
  return hash ^ (hash >>> 13);
}

/** Bounded map from label-set bytes to a frozen template labels object (cloned per sample unless the parser shares labels). */
export class LabelSetCache {
  #mask = MAX_ENTRIES * 2 - 1;
  #hashes = new Int32Array(MAX_ENTRIES * 2);
  /** Entry index + 1 per slot; 0 = empty. */
  #slots = new Int32Array(MAX_ENTRIES * 2);
  #offsets: number[] = [];
  #lengths: number[] = [];
  #templates: Array<Record<string, string>> = [];
  /** Per entry: how many labels, and the longest value's UTF-8 bytes (for label limits without a re-scan). */
  #labelCounts: number[] = [];
  #longestValues: number[] = [];
  /** The label count and longest value of the last `get` hit. */
  hitLabelCount = 0;
  hitLongestValue = 0;
  #pool = new Uint8Array(65536);
  #poolUsed = 0;

  /** The template for the label set `buf[start, end)` with hash `hash`, if cached. */
  get(buf: Uint8Array, start: number, end: number, hash: number): Record<string, string> | undefined {
    const length = end - start;
    const pool = this.#pool;
    let slot = hash & this.#mask;
    for (let probe = 0; probe < MAX_PROBES; probe++) {
      const entryPlusOne = this.#slots[slot]!;
      if (entryPlusOne === 0) return undefined;
      if (this.#hashes[slot] === hash) {
        const entry = entryPlusOne - 1;
        if (this.#lengths[entry] === length) {
          const offset = this.#offsets[entry]! - start;
          let same = true;
          for (let i = start; i < end; i++) {
            if (pool[offset + i] !== buf[i]) {
              same = false;
              break;
            }
          }
          if (same) {
            this.hitLabelCount = this.#labelCounts[entry]!;
            this.hitLongestValue = this.#longestValues[entry]!;
            return this.#templates[entry];
          }
        }
      }
      slot = (slot + 1) & this.#mask;
    }
    return undefined;
  }

  /**
   * Remembers a cleanly parsed label set with its label count and longest value (bytes); the cache empties itself
   * when full so it follows changing targets.
   */
  set(
    buf: Uint8Array,
    start: number,
    end: number,
    hash: number,
    template: Record<string, string>,
    labelCount: number,
    longestValue: number,
  ): void {
    const length = end - start;
    if (length > MAX_CACHED_LABEL_SET_BYTES) return;
    if (this.#templates.length >= MAX_ENTRIES || this.#poolUsed + length > MAX_POOL_BYTES) this.#clear();
    let slot = hash & this.#mask;
    let probe = 0;
    while (this.#slots[slot] !== 0) {
      if (++probe >= MAX_PROBES) return;
      slot = (slot + 1) & this.#mask;
    }
    if (this.#poolUsed + length > this.#pool.length) {
      const grown = new Uint8Array(Math.max(this.#pool.length * 2, this.#poolUsed + length));
      grown.set(this.#pool.subarray(0, this.#poolUsed));
      this.#pool = grown;
    }
    this.#pool.set(buf.subarray(start, end), this.#poolUsed);
    this.#offsets.push(this.#poolUsed);
    this.#lengths.push(length);
    this.#templates.push(template);
    this.#labelCounts.push(labelCount);
    this.#longestValues.push(longestValue);
    this.#poolUsed += length;
    this.#hashes[slot] = hash;
    this.#slots[slot] = this.#templates.length;
  }

  #clear(): void {
    this.#hashes.fill(0);
    this.#slots.fill(0);
    this.#offsets = [];
    this.#lengths = [];
    this.#templates = [];
    this.#labelCounts = [];
    this.#longestValues = [];
    this.#poolUsed = 0;
  }
}
