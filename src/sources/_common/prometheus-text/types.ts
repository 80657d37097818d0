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
}
