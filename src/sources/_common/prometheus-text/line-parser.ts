// Parses one exposition line at a time, straight from bytes. The caller splits lines (see parser.ts);
// every method here works inside [start, end) of one line, so a bad line can never run past its end.

import { BLANK, CHAR_CLASS, LABEL_CHAR, LABEL_START, NAME_CHAR, NAME_START } from './char-class.ts';
import { LabelSetCache, MAX_CACHED_LABEL_SET_BYTES, hashLabelSet } from './label-set-cache.ts';
import { parseNumberToken, tokenEnd } from './number-parser.ts';
import { HASH_SEED, StringInterner, decode, hashStep } from './string-interner.ts';
import type {
  ExpositionSample,
  FamilyMeta,
  LimitExceeded,
  MetricType,
  ParseError,
  ParseOptions,
  ParseResult,
} from './types.ts';

const HASH = 0x23;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const CARRIAGE_RETURN = 0x0d;
/** Placeholder for buffers allocated on first use (a parser per scrape should cost next to nothing). */
const EMPTY_BYTES = new Uint8Array(0);

const METRIC_TYPES: ReadonlySet<string> = new Set<MetricType>([
  'counter',
  'gauge',
  'histogram',
  'summary',
  'untyped',
  'unknown',
  'info',
  'stateset',
  'gaugehistogram',
]);

/** Cached `wantName` verdicts per name-interner entry. */
const WANTED = 1;
const UNWANTED = 2;

// Shared by every parser: pages repeat the same names and label sets scrape after scrape. All three are
// bounded and only hold immutable data; parsers running interleaved (streaming) never keep entry
// indices across lines, except `wantName` verdicts, which are tied to the interner's generation.
/** Metric and label names, internalized as property keys. */
const sharedNames = new StringInterner(true);
const sharedValues = new StringInterner(false);
const sharedLabelSets = new LabelSetCache();
/** Distinguishes label sets, for duplicate label detection through the name interner's stamps. */
let labelSetCounter = 0;

function nextLabelSetId(): number {
  if (labelSetCounter >= 0x3fffffff) {
    labelSetCounter = 0;
    sharedNames.stamps.fill(0);
  }
  return ++labelSetCounter;
}

/** Thrown inside one line to abandon it; caught in `parseLine`, never escapes. */
class LineError {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

/**
 * Where the label set opening at `open` probably ends: the `}` before the line's last one or two tokens
 * (value, timestamp). Only a guess, checked by the label-set cache; -1 when there is none.
 */
function candidateLabelSetEnd(buf: Uint8Array, open: number, end: number): number {
  let j = end - 1;
  for (let token = 0; token < 2; token++) {
    let c = buf[j]!;
    while (j > open && c !== 0x20 && c !== 0x09 && c !== CLOSE_BRACE) c = buf[--j]!;
    while (j > open && (c === 0x20 || c === 0x09)) c = buf[--j]!;
    if (c === CLOSE_BRACE) return j;
  }
  return -1;
}

/** The metadata keyword spelled by `buf[start, end)`, or '' for a plain comment. */
function commentKeyword(buf: Uint8Array, start: number, end: number): 'HELP' | 'TYPE' | 'UNIT' | 'EOF' | '' {
  const length = end - start;
  if (length === 3) return buf[start] === 0x45 && buf[start + 1] === 0x4f && buf[start + 2] === 0x46 ? 'EOF' : '';
  if (length !== 4) return '';
  const word = (buf[start]! << 24) | (buf[start + 1]! << 16) | (buf[start + 2]! << 8) | buf[start + 3]!;
  if (word === 0x48454c50) return 'HELP';
  if (word === 0x54595045) return 'TYPE';
  if (word === 0x554e4954) return 'UNIT';
  return '';
}

function isNameCharAt(buf: Uint8Array, i: number, end: number): boolean {
  return i < end && (CHAR_CLASS[buf[i]!]! & NAME_CHAR) !== 0;
}

function sameBytes(buf: Uint8Array, start: number, other: Uint8Array, length: number): boolean {
  for (let k = 0; k < length; k++) if (buf[start + k] !== other[k]) return false;
  return true;
}

/** Stateful parser of successive lines of one exposition (metadata grouping, line numbers, `# EOF`). */
export class ExpositionLineParser {
  readonly #onSample: (sample: ExpositionSample) => void;
  readonly #wantName: ((name: string) => boolean) | undefined;
  readonly #onFamily: ((meta: FamilyMeta) => void) | undefined;
  readonly #openMetrics: boolean;
  readonly #maxErrors: number;
  readonly #sharedLabels: boolean;
  /** The one sample object handed out when `reuseSample` is set. */
  readonly #reused: ExpositionSample | undefined;
  readonly #names = sharedNames;
  readonly #values = sharedValues;
  #verdicts = EMPTY_BYTES;
  #verdictGeneration = 0;
  #scratch = EMPTY_BYTES;
  /** The last bare metric name read, its bytes and `wantName` verdict. */
  #previousName: string | undefined;
  #previousNameBytes = EMPTY_BYTES;
  #previousNameLength = 0;
  #previousNameWanted = true;
  /** Position after the last token read by a helper. */
  #position = 0;
  /** UTF-8 bytes of the last quoted string read (unescaped). */
  #quotedBytes = 0;
  /** Limits (Infinity when unset or 0) and, once one is passed, what stopped the parse. */
  readonly #sampleLimit: number;
  readonly #labelLimit: number;
  readonly #valueLimit: number;
  readonly #checkLabels: boolean;
  #limitExceeded: LimitExceeded | undefined;
  #line = 0;
  #samples = 0;
  #skipped = 0;
  #invalid = 0;
  #sawEof = false;
  readonly #errors: ParseError[] = [];
  #pendingFamily: FamilyMeta | undefined;
  #pendingHasType = false;
  readonly #familiesWithMeta = new Set<string>();

  constructor(onSample: (sample: ExpositionSample) => void, options: ParseOptions) {
    this.#onSample = onSample;
    this.#wantName = options.wantName;
    this.#onFamily = options.onFamily;
    this.#openMetrics = options.format === 'openmetrics';
    this.#maxErrors = options.maxErrors ?? 100;
    this.#sharedLabels = options.sharedLabels === true;
    this.#reused =
      options.reuseSample === true ? { name: '', labels: {}, value: 0, timestampMs: undefined } : undefined;
    const limit = (value: number | undefined): number => (value === undefined || value <= 0 ? Infinity : value);
    this.#sampleLimit = limit(options.sampleLimit);
    this.#labelLimit = limit(options.labelLimit);
    this.#valueLimit = limit(options.labelValueLengthLimit);
    this.#checkLabels = this.#labelLimit !== Infinity || this.#valueLimit !== Infinity;
  }

  /** True once a limit stopped the parse: later lines are ignored. */
  get stopped(): boolean {
    return this.#limitExceeded !== undefined;
  }

  /** Parses one line, `buf[start, end)` without its `\n`. */
  parseLine(buf: Uint8Array, start: number, end: number): void {
    if (this.#limitExceeded !== undefined) return;
    const line = ++this.#line;
    while (end > start && (buf[end - 1] === CARRIAGE_RETURN || (CHAR_CLASS[buf[end - 1]!]! & BLANK) !== 0)) end--;
    if (line === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf)
      start += 3;
    let i = start;
    while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
    if (i === end) return;
    this.#names.clearIfFull();
    this.#values.clearIfFull();
    if (this.#sawEof) {
      this.#recordError(line, 'content after # EOF');
      return;
    }
    try {
      if (buf[i] === HASH) this.#parseComment(buf, i + 1, end);
      else this.#parseSample(buf, i, end);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      this.#recordError(line, error.message);
    }
  }

  /** Flushes pending metadata and returns the counts; call once after the last line. */
  finish(): ParseResult {
    this.#flushFamily();
    const result: ParseResult = {
      samples: this.#samples,
      skipped: this.#skipped,
      invalid: this.#invalid,
      errors: this.#errors,
      sawEof: this.#sawEof,
    };
    if (this.#limitExceeded !== undefined) result.limitExceeded = this.#limitExceeded;
    return result;
  }

  #recordError(line: number, message: string): void {
    this.#invalid++;
    if (this.#errors.length < this.#maxErrors) this.#errors.push({ line, message });
  }

  #parseSample(buf: Uint8Array, start: number, end: number): void {
    if (this.#pendingFamily !== undefined) this.#flushFamily();
    let i = start;
    let name: string | undefined;
    const first = buf[i]!;
    if ((CHAR_CLASS[first]! & NAME_START) !== 0) {
      // Samples of a family come together: most lines repeat the previous line's name.
      const previousLength = this.#previousNameLength;
      if (
        this.#previousName !== undefined &&
        start + previousLength <= end &&
        !isNameCharAt(buf, start + previousLength, end) &&
        sameBytes(buf, start, this.#previousNameBytes, previousLength)
      ) {
        name = this.#previousName;
        i = start + previousLength;
        if (!this.#previousNameWanted) {
          this.#skipped++;
          return;
        }
      } else {
        let hash = HASH_SEED;
        for (; i < end; i++) {
          const c = buf[i]!;
          if ((CHAR_CLASS[c]! & NAME_CHAR) === 0) break;
          hash = hashStep(hash, c);
        }
        name = this.#names.intern(buf, start, i, hash, true);
        const wanted = this.#wantName === undefined || this.#wants(name, this.#names.lastEntry);
        this.#rememberName(name, buf, start, i, wanted);
        if (!wanted) {
          this.#skipped++;
          return;
        }
      }
      if (i < end && buf[i] !== OPEN_BRACE && (CHAR_CLASS[buf[i]!]! & BLANK) === 0)
        throw new LineError('invalid character in metric name');
      while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
    } else if (first !== OPEN_BRACE) {
      throw new LineError('expected a metric name');
    }
    let labels: Record<string, string> = {};
    let labelCount = 0;
    let longestValue = 0;
    if (i < end && buf[i] === OPEN_BRACE && name !== undefined) {
      const close = candidateLabelSetEnd(buf, i, end);
      if (close > i) {
        const hash = hashLabelSet(buf, i, close + 1);
        const template = sharedLabelSets.get(buf, i, close + 1, hash);
        if (template !== undefined) {
          labelCount = sharedLabelSets.hitLabelCount;
          longestValue = sharedLabelSets.hitLongestValue;
          i = close + 1;
          while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
          // A second `{` (an invalid line) goes on to the slow path, which writes into the object: copy then.
          labels = this.#sharedLabels && buf[i] !== OPEN_BRACE ? template : { ...template };
        }
      }
    }
    if (i < end && buf[i] === OPEN_BRACE) {
      const setStart = i;
      const cacheable = name !== undefined;
      const setId = nextLabelSetId();
      i++;
      let firstItem = true;
      for (;;) {
        while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
        if (i >= end) throw new LineError('unterminated label set');
        let c = buf[i]!;
        if (c === CLOSE_BRACE) {
          i++;
          break;
        }
        let key: string;
        let keyEntry: number;
        let quotedKey = false;
        if ((CHAR_CLASS[c]! & LABEL_START) !== 0) {
          const keyStart = i;
          let hash = HASH_SEED;
          for (; i < end; i++) {
            c = buf[i]!;
            if ((CHAR_CLASS[c]! & LABEL_CHAR) === 0) break;
            hash = hashStep(hash, c);
          }
          key = this.#names.intern(buf, keyStart, i, hash, true);
          keyEntry = this.#names.lastEntry;
        } else if (c === QUOTE) {
          key = this.#readQuoted(buf, i, end, this.#names, false);
          keyEntry = this.#names.lastEntry;
          i = this.#position;
          quotedKey = true;
        } else {
          throw new LineError('expected a label name');
        }
        while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
        if (i < end && buf[i] === EQUALS) {
          i++;
          while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
          if (i >= end || buf[i] !== QUOTE) throw new LineError('expected a quoted label value');
          const value = this.#readQuoted(buf, i, end, this.#values, true);
          i = this.#position;
          labelCount++;
          if (this.#quotedBytes > longestValue) longestValue = this.#quotedBytes;
          if (keyEntry >= 0) {
            if (this.#names.stamps[keyEntry] === setId) throw new LineError(`duplicate label ${JSON.stringify(key)}`);
            this.#names.stamps[keyEntry] = setId;
          } else if (Object.hasOwn(labels, key)) {
            throw new LineError(`duplicate label ${JSON.stringify(key)}`);
          }
          if (key === '__proto__')
            Object.defineProperty(labels, key, { value, enumerable: true, writable: true, configurable: true });
          else labels[key] = value;
        } else if (quotedKey && firstItem && name === undefined) {
          // Prometheus 3: `{"my.metric", "label"="v"}` names the metric inside the braces.
          name = key;
          if (this.#wantName !== undefined && !this.#wants(name, keyEntry)) {
            this.#skipped++;
            return;
          }
        } else {
          throw new LineError('expected = after label name');
        }
        firstItem = false;
        while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
        if (i >= end) throw new LineError('unterminated label set');
        c = buf[i]!;
        if (c === COMMA) i++;
        else if (c !== CLOSE_BRACE) throw new LineError('expected , or } in label set');
      }
      if (name === undefined) throw new LineError('label set without a metric name');
      if (cacheable && i - setStart <= MAX_CACHED_LABEL_SET_BYTES) {
        const template = Object.freeze({ ...labels });
        sharedLabelSets.set(buf, setStart, i, hashLabelSet(buf, setStart, i), template, labelCount, longestValue);
        if (this.#sharedLabels) labels = template;
      }
      while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
    }
    if (name === undefined) throw new LineError('expected a metric name');
    if (i >= end) throw new LineError('missing value');
    const value = parseNumberToken(buf, i, end, 0);
    if (value === undefined) throw new LineError('invalid value');
    i = tokenEnd;
    while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
    let timestampMs: number | undefined;
    if (i < end && buf[i] !== HASH) {
      timestampMs = this.#parseTimestamp(buf, i, end);
      if (timestampMs === undefined) throw new LineError('invalid timestamp');
      i = tokenEnd;
      while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
    }
    if (i < end) {
      if (buf[i] !== HASH) throw new LineError('unexpected text after the sample');
      this.#checkExemplar(buf, i + 1, end);
    }
    if (this.#samples >= this.#sampleLimit) {
      this.#stop('sample_limit', this.#sampleLimit, `more than ${this.#sampleLimit} samples (sample_limit)`);
      return;
    }
    if (this.#checkLabels && (labelCount > this.#labelLimit || longestValue > this.#valueLimit)) {
      this.#stopOnLabels(name, labels, labelCount, longestValue);
      return;
    }
    this.#samples++;
    const reused = this.#reused;
    if (reused !== undefined) {
      reused.name = name;
      reused.labels = labels;
      reused.value = value;
      reused.timestampMs = timestampMs;
      this.#onSample(reused);
    } else {
      this.#onSample(timestampMs === undefined ? { name, labels, value } : { name, labels, value, timestampMs });
    }
  }

  #stop(limit: LimitExceeded['limit'], value: number, what: string): void {
    const line = this.#line;
    this.#limitExceeded = { limit, value, line, message: `${what} at line ${line}` };
  }

  /** Names the series and label that went past label_limit or label_value_length_limit. */
  #stopOnLabels(name: string, labels: Record<string, string>, count: number, longest: number): void {
    const series = JSON.stringify(name.length > 100 ? `${name.slice(0, 100)}...` : name);
    if (count > this.#labelLimit) {
      this.#stop(
        'label_limit',
        this.#labelLimit,
        `${series} has ${count} labels, over label_limit ${this.#labelLimit}`,
      );
      return;
    }
    const key = Object.keys(labels).find((label) => Buffer.byteLength(labels[label]!) === longest) ?? '?';
    this.#stop(
      'label_value_length_limit',
      this.#valueLimit,
      `${series} label ${JSON.stringify(key.slice(0, 100))} has a ${longest}-byte value, over label_value_length_limit ${this.#valueLimit}`,
    );
  }

  #rememberName(name: string, buf: Uint8Array, start: number, end: number, wanted: boolean): void {
    const length = end - start;
    if (length > this.#previousNameBytes.length)
      this.#previousNameBytes = new Uint8Array(Math.max(length, 64, this.#previousNameBytes.length * 2));
    this.#previousNameBytes.set(buf.subarray(start, end));
    this.#previousNameLength = length;
    this.#previousName = name;
    this.#previousNameWanted = wanted;
  }

  /** `wantName` verdict for a metric name, cached per interned name. */
  #wants(name: string, entry: number): boolean {
    if (entry < 0) return this.#wantName!(name);
    if (this.#verdictGeneration !== this.#names.generation) {
      this.#verdictGeneration = this.#names.generation;
      this.#verdicts.fill(0);
    }
    if (entry >= this.#verdicts.length) {
      const grown = new Uint8Array(Math.max(entry + 1, 64, this.#verdicts.length * 2));
      grown.set(this.#verdicts);
      this.#verdicts = grown;
    }
    const cached = this.#verdicts[entry];
    if (cached === WANTED) return true;
    if (cached === UNWANTED) return false;
    const wanted = this.#wantName!(name);
    this.#verdicts[entry] = wanted ? WANTED : UNWANTED;
    return wanted;
  }

  /** Text: integer milliseconds. OpenMetrics: float seconds, scaled exactly by 10^3. Leaves `tokenEnd` after it. */
  #parseTimestamp(buf: Uint8Array, start: number, end: number): number | undefined {
    const timestamp = parseNumberToken(buf, start, end, this.#openMetrics ? 3 : 0);
    if (timestamp === undefined || !Number.isFinite(timestamp)) return undefined;
    if (!this.#openMetrics) {
      for (let i = start; i < tokenEnd; i++) {
        const c = buf[i]!;
        if ((c < 0x30 || c > 0x39) && !(i === start && (c === 0x2d || c === 0x2b))) return undefined;
      }
    }
    return timestamp;
  }

  /** Validates ` {labels} value [timestamp]` after a sample's `#`; exemplars are checked, then dropped. */
  #checkExemplar(buf: Uint8Array, start: number, end: number): void {
    let i = start;
    while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
    if (i >= end || buf[i] !== OPEN_BRACE) throw new LineError('invalid exemplar: expected {');
    i++;
    for (;;) {
      while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
      if (i >= end) throw new LineError('invalid exemplar: unterminated label set');
      if (buf[i] === CLOSE_BRACE) {
        i++;
        break;
      }
      if (buf[i] === QUOTE) {
        this.#readQuoted(buf, i, end, this.#values, true);
        i = this.#position;
      } else {
        if ((CHAR_CLASS[buf[i]!]! & LABEL_START) === 0) throw new LineError('invalid exemplar: expected a label name');
        while (i < end && (CHAR_CLASS[buf[i]!]! & LABEL_CHAR) !== 0) i++;
      }
      while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
      if (i >= end || buf[i] !== EQUALS) throw new LineError('invalid exemplar: expected =');
      i++;
      while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
      if (i >= end || buf[i] !== QUOTE) throw new LineError('invalid exemplar: expected a quoted value');
      this.#readQuoted(buf, i, end, this.#values, true);
      i = this.#position;
      while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
      if (i < end && buf[i] === COMMA) i++;
      else if (i >= end || buf[i] !== CLOSE_BRACE) throw new LineError('invalid exemplar: expected , or }');
    }
    for (let token = 0; ; token++) {
      while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
      if (i >= end) {
        if (token === 0) throw new LineError('invalid exemplar: missing value');
        return;
      }
      if (token === 2) throw new LineError('invalid exemplar: unexpected text');
      if (parseNumberToken(buf, i, end, 0) === undefined) throw new LineError('invalid exemplar: bad number');
      i = tokenEnd;
    }
  }

  /**
   * Reads the quoted string opening at `buf[start]` (label value or quoted name) with its escapes
   * `\\`, `\"`, `\n` (any other `\x` is kept as is); leaves `#position` after the closing quote.
   */
  #readQuoted(
    buf: Uint8Array,
    start: number,
    end: number,
    interner: StringInterner,
    keepUnknownEscapes: boolean,
  ): string {
    const contentStart = start + 1;
    let hash = HASH_SEED;
    let bits = 0;
    let i = contentStart;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c === QUOTE) {
        this.#position = i + 1;
        this.#quotedBytes = i - contentStart;
        return interner.intern(buf, contentStart, i, hash, bits < 0x80);
      }
      if (c === BACKSLASH) return this.#readEscapedQuoted(buf, contentStart, end, interner, keepUnknownEscapes);
      hash = hashStep(hash, c);
      bits |= c;
    }
    throw new LineError('unterminated quoted string');
  }

  /** Slow path of `#readQuoted`: unescapes into a scratch buffer, then interns from there. */
  #readEscapedQuoted(
    buf: Uint8Array,
    contentStart: number,
    end: number,
    interner: StringInterner,
    keepUnknownEscapes: boolean,
  ): string {
    if (this.#scratch.length < end - contentStart)
      this.#scratch = new Uint8Array(Math.max(end - contentStart, 256, this.#scratch.length * 2));
    const scratch = this.#scratch;
    let length = 0;
    let hash = HASH_SEED;
    let bits = 0;
    for (let i = contentStart; i < end; i++) {
      let c = buf[i]!;
      if (c === QUOTE) {
        this.#position = i + 1;
        this.#quotedBytes = length;
        return interner.intern(scratch, 0, length, hash, bits < 0x80);
      }
      if (c === BACKSLASH) {
        i++;
        if (i >= end) break;
        c = buf[i]!;
        if (c === 0x6e) c = 0x0a;
        else if (c !== BACKSLASH && c !== QUOTE) {
          if (!keepUnknownEscapes) throw new LineError('invalid escape in quoted name');
          scratch[length++] = BACKSLASH;
          hash = hashStep(hash, BACKSLASH);
        }
      }
      scratch[length++] = c;
      hash = hashStep(hash, c);
      bits |= c;
    }
    throw new LineError('unterminated quoted string');
  }

  #parseComment(buf: Uint8Array, start: number, end: number): void {
    let i = start;
    while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
    const keywordStart = i;
    while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) === 0) i++;
    const keyword = commentKeyword(buf, keywordStart, i);
    if (keyword === 'EOF') {
      if (i !== end) return;
      this.#flushFamily();
      this.#sawEof = true;
      return;
    }
    if (keyword !== 'HELP' && keyword !== 'TYPE' && keyword !== 'UNIT') return;
    if (i === keywordStart + 4 && i === end) throw new LineError(`# ${keyword} without a metric name`);
    while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
    let name: string;
    if (i < end && buf[i] === QUOTE) {
      name = this.#readQuoted(buf, i, end, this.#names, false);
      i = this.#position;
    } else {
      const nameStart = i;
      if (i >= end || (CHAR_CLASS[buf[i]!]! & NAME_START) === 0)
        throw new LineError(`# ${keyword} without a metric name`);
      let hash = HASH_SEED;
      for (; i < end && (CHAR_CLASS[buf[i]!]! & NAME_CHAR) !== 0; i++) hash = hashStep(hash, buf[i]!);
      name = this.#names.intern(buf, nameStart, i, hash, true);
    }
    if (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) === 0) throw new LineError(`invalid metric name in # ${keyword}`);
    while (i < end && (CHAR_CLASS[buf[i]!]! & BLANK) !== 0) i++;
    if (keyword === 'TYPE') {
      const type = this.#internText(buf, i, end);
      if (!METRIC_TYPES.has(type)) throw new LineError(`unknown metric type ${JSON.stringify(type)}`);
      const family = this.#familyFor(name);
      if (this.#pendingHasType) throw new LineError(`second # TYPE for ${name}`);
      family.type = type as MetricType;
      this.#pendingHasType = true;
    } else if (keyword === 'HELP') {
      const help = this.#unescapeHelp(buf, i, end);
      const family = this.#familyFor(name);
      if (family.help !== undefined) throw new LineError(`second # HELP for ${name}`);
      if (help !== '') family.help = help;
    } else {
      const unit = this.#internText(buf, i, end);
      const family = this.#familyFor(name);
      if (family.unit !== undefined) throw new LineError(`second # UNIT for ${name}`);
      if (unit !== '') family.unit = unit;
    }
  }

  /** The family whose metadata is being collected, starting a new one when the name changes. */
  #familyFor(name: string): FamilyMeta {
    const pending = this.#pendingFamily;
    if (pending !== undefined && pending.name === name) return pending;
    if (this.#familiesWithMeta.has(name)) throw new LineError(`metadata for ${name} after its family ended`);
    this.#flushFamily();
    const family: FamilyMeta = { name, type: this.#openMetrics ? 'unknown' : 'untyped' };
    this.#pendingFamily = family;
    this.#pendingHasType = false;
    return family;
  }

  #flushFamily(): void {
    const family = this.#pendingFamily;
    if (family === undefined) return;
    this.#pendingFamily = undefined;
    this.#familiesWithMeta.add(family.name);
    this.#onFamily?.(family);
  }

  /** Metadata text without escapes, interned: the same HELP and TYPE lines come back every scrape. */
  #internText(buf: Uint8Array, start: number, end: number): string {
    let hash = HASH_SEED;
    let bits = 0;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      hash = hashStep(hash, c);
      bits |= c;
    }
    return this.#values.intern(buf, start, end, hash, bits < 0x80);
  }

  /** HELP escapes: `\\` and `\n` in text 0.0.4; OpenMetrics adds `\"`. Anything else stays literal. */
  #unescapeHelp(buf: Uint8Array, start: number, end: number): string {
    let escaped = false;
    for (let i = start; i < end; i++) if (buf[i] === BACKSLASH) escaped = true;
    if (!escaped) return this.#internText(buf, start, end);
    if (this.#scratch.length < end - start)
      this.#scratch = new Uint8Array(Math.max(end - start, 256, this.#scratch.length * 2));
    const scratch = this.#scratch;
    let length = 0;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      const next = i + 1 < end ? buf[i + 1]! : -1;
      if (c === BACKSLASH && (next === BACKSLASH || next === 0x6e || (next === QUOTE && this.#openMetrics))) {
        scratch[length++] = next === 0x6e ? 0x0a : next;
        i++;
      } else {
        scratch[length++] = c;
      }
    }
    return decode(scratch, 0, length, false);
  }
}
