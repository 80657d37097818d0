// The public contract of the exposition parser (Prometheus text 0.0.4 and OpenMetrics 1.0).

/** One sample line: the series name as written (`x_bucket`, `x_total`...), its labels, value and optional timestamp. */
export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch (text: as written; OpenMetrics: seconds × 1000). */
  timestampMs?: number;
}

/** Family types of both formats (text: counter..untyped; OpenMetrics adds unknown, info, stateset, gaugehistogram). */
export type MetricType =
  'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'unknown' | 'info' | 'stateset' | 'gaugehistogram';

/** Metadata of one family, from its `# TYPE`, `# HELP` and `# UNIT` lines. */
export interface FamilyMeta {
  name: string;
  type: MetricType;
  help?: string;
  unit?: string;
}

/** One invalid line, skipped; `line` is 1-based. */
export interface ParseError {
  line: number;
  message: string;
}

/** Options of one parse. */
export interface ParseOptions {
  /** From Content-Type; default text. OpenMetrics-only syntax (UNIT, exemplars, `# EOF`) is accepted in both. */
  format?: 'text' | 'openmetrics';
  /** Filter on the series name: unwanted lines are skipped without building label objects. */
  wantName?: (name: string) => boolean;
  /**
   * Hand out the label-set cache's frozen objects instead of a fresh copy per sample: the same label set
   * (same bytes) is then the same object across families and scrapes while the cache keeps it, so callers
   * can cache work per label set by identity. Such objects are frozen; callers must not mutate labels.
   */
  sharedLabels?: boolean;
  /**
   * Hand every sample in the same object, its fields overwritten per line: no allocation per sample. Callers
   * must copy what they keep past their `onSample` call.
   */
  reuseSample?: boolean;
  /** Called once per family that has metadata, when its metadata is complete. */
  onFamily?: (meta: FamilyMeta) => void;
  /** Stop recording errors after this many (default 100); parsing goes on. */
  maxErrors?: number;
  /**
   * Most samples `wantName` accepts (Prometheus's `sample_limit`, counted after its relabeling); one more stops
   * the parse: later input is ignored and the result carries `limitExceeded`. Unset or 0: no limit.
   */
  sampleLimit?: number;
  /** Most labels on one accepted sample, its name not counted; more stops the parse like `sampleLimit`. */
  labelLimit?: number;
  /** Longest label value (UTF-8 bytes, as unescaped) on an accepted sample; longer stops the parse. */
  labelValueLengthLimit?: number;
}

/** Which limit stopped a parse, where, and a message naming both. */
export interface LimitExceeded {
  limit: 'sample_limit' | 'label_limit' | 'label_value_length_limit';
  /** The configured limit. */
  value: number;
  /** 1-based line of the sample that went past it. */
  line: number;
  message: string;
}

/** Outcome of a parse: counts, recorded errors, and whether `# EOF` was seen. */
export interface ParseResult {
  samples: number;
  /** Sample lines dropped by `wantName`. */
  skipped: number;
  /** Invalid lines skipped, all of them (`errors` records the first `maxErrors`). */
  invalid: number;
  errors: ParseError[];
  sawEof: boolean;
  /** Set when a limit stopped the parse: the counts cover the input before it only. */
  limitExceeded?: LimitExceeded;
}
