// Byte-keyed string interning: a repeated name or label value costs one hash probe and a byte compare,
// no allocation. Exposition pages repeat the same few hundred strings on every line.

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** FNV-1a step; callers fold it over a token's bytes while scanning it and pass the result to `intern`. */
export function hashStep(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 16777619);
}

/** FNV-1a offset basis: the hash of the empty token. */
export const HASH_SEED = -2128831035;

/** Most entries and pooled bytes one interner keeps; past them new strings are decoded but not kept until `clearIfFull`. */
const MAX_ENTRIES = 1 << 15;
const MAX_POOL_BYTES = 2 << 20;
/** Probes per lookup: bounds the work when hashes collide (even on purpose); past it the string is just decoded. */
const MAX_PROBES = 16;

/**
 * Open-addressing table from byte strings to JS strings, with a per-entry stamp for callers.
 * Entry indices stay valid until `clearIfFull` empties the table (callers call it only between lines
 * and watch `generation`).
 */
export class StringInterner {
  #mask = 1023;
  #hashes = new Int32Array(1024);
  /** Entry index + 1 per slot; 0 = empty. */
  #slots = new Int32Array(1024);
  #offsets: number[] = [];
  #lengths: number[] = [];
  #strings: string[] = [];
  /** Free per-entry integer for the caller (e.g. the last label set an entry was seen in). */
  stamps = new Int32Array(1024);
  readonly #internalize: boolean;
  #pool = new Uint8Array(16384);
  #poolUsed = 0;
  /** Entry index of the last `intern` hit or insert, or -1 when the string was not kept. */
  lastEntry = -1;
  /** Bumped whenever the table is emptied: entry indices from an older generation are void. */
  generation = 0;
  /** True once the caps are reached; new strings are then decoded without being kept. */
  full = false;

  /** `internalize` makes the strings V8 property keys up front: cheaper `labels[name] = value`. */
  constructor(internalize: boolean) {
    this.#internalize = internalize;
  }

  /** The string for utf-8 bytes `buf[start, end)` whose folded hash is `hash`; `ascii` picks the faster decoder. */
  intern(buf: Uint8Array, start: number, end: number, hash: number, ascii: boolean): string {
    const length = end - start;
    const mask = this.#mask;
    let slot = hash & mask;
    for (let probe = 0; ; probe++) {
      if (probe === MAX_PROBES) {
        this.lastEntry = -1;
        return decode(buf, start, end, ascii);
      }
      const entryPlusOne = this.#slots[slot]!;
      if (entryPlusOne === 0) break;
      if (this.#hashes[slot] === hash) {
        const entry = entryPlusOne - 1;
        if (this.#lengths[entry] === length && this.#sameBytes(this.#offsets[entry]!, buf, start, length)) {
          this.lastEntry = entry;
          return this.#strings[entry]!;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (this.#strings.length >= MAX_ENTRIES || this.#poolUsed + length > MAX_POOL_BYTES) {
      this.full = true;
      this.lastEntry = -1;
      return decode(buf, start, end, ascii);
    }
    // Only kept strings are internalized: that pays off when they come back, not for one-offs.
    const text = this.#internalize ? asPropertyKey(decode(buf, start, end, ascii)) : decode(buf, start, end, ascii);
    this.#insert(slot, hash, buf, start, length, text);
    return text;
  }

  /** Empties a full table (between lines only: entry indices change). */
  clearIfFull(): void {
    if (!this.full) return;
    this.full = false;
    this.generation++;
    this.#mask = 1023;
    this.#hashes = new Int32Array(1024);
    this.#slots = new Int32Array(1024);
    this.#offsets = [];
    this.#lengths = [];
    this.#strings = [];
    this.stamps = new Int32Array(1024);
    this.#poolUsed = 0;
  }

  #sameBytes(offset: number, buf: Uint8Array, start: number, length: number): boolean {
    const pool = this.#pool;
    for (let i = 0; i < length; i++) if (pool[offset + i] !== buf[start + i]) return false;
    return true;
  }

  #insert(slot: number, hash: number, buf: Uint8Array, start: number, length: number, text: string): void {
    if (this.#poolUsed + length > this.#pool.length) {
      const grown = new Uint8Array(Math.max(this.#pool.length * 2, this.#poolUsed + length));
      grown.set(this.#pool.subarray(0, this.#poolUsed));
      this.#pool = grown;
    }
    this.#pool.set(buf.subarray(start, start + length), this.#poolUsed);
    const entry = this.#strings.length;
    this.#offsets.push(this.#poolUsed);
    this.#lengths.push(length);
    this.#strings.push(text);
    this.#poolUsed += length;
    this.#hashes[slot] = hash;
    this.#slots[slot] = entry + 1;
    if (entry >= this.stamps.length) {
      const grownStamps = new Int32Array(this.stamps.length * 2);
      grownStamps.set(this.stamps);
      this.stamps = grownStamps;
    }
    this.lastEntry = entry;
    if ((entry + 1) * 2 > this.#mask) this.#rehash();
  }

  #rehash(): void {
    const size = (this.#mask + 1) * 2;
    const hashes = new Int32Array(size);
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let old = 0; old <= this.#mask; old++) {
      const entryPlusOne = this.#slots[old]!;
      if (entryPlusOne === 0) continue;
      let slot = this.#hashes[old]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      hashes[slot] = this.#hashes[old]!;
      slots[slot] = entryPlusOne;
    }
    this.#mask = mask;
    this.#hashes = hashes;
    this.#slots = slots;
  }
}

/** Decodes utf-8 (or pure ASCII, faster) bytes into a string. */
export function decode(buf: Uint8Array, start: number, end: number, ascii: boolean): string {
  const bytes = buf.subarray(start, end);
  return ascii ? latin1.decode(bytes) : utf8.decode(bytes);
}

/**
 * The internalized copy of `text` (V8 keeps one per distinct property key). A null-prototype object is a
 * dictionary from the start: a literal `{ [text]: 0 }` would grow one shared map transition per distinct
 * key, which turns quadratic on pages with many thousands of label names.
 */
function asPropertyKey(text: string): string {
  const holder = Object.create(null) as Record<string, number>;
  holder[text] = 0;
  for (const key in holder) return key;
  return text;
}
