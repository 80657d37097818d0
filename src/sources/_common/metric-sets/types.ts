// The rule language of the metric sets: how one normalized metric is computed from exporter series,
// written once and evaluated two ways (as PromQL on the Prometheus API path, in memory on the scrape path).

import type { MetricCategory } from '../../../core/model.ts';

/** Which exporter a rule belongs to (each detected on its own; `dcgm: false` etc. turns one off). */
export type Exporter = 'dcgm' | 'node' | 'vllm' | 'custom';

/** What a rule computes. */
export type RuleKind =
  /** The series value, times `scale`. */
  | { kind: 'gauge'; sources: readonly string[]; scale?: number }
  /** A counter's cumulative value, times `scale` (stored as it is; its rate is a `rate` rule of its own). */
  | { kind: 'counter'; sources: readonly string[]; scale?: number }
  /** Per-second rate of a counter, times `scale`: needs a previous point (scrape) or a range (PromQL rate()). */
  | { kind: 'rate'; sources: readonly string[]; scale?: number }
  /** `first - second` or `first + second + ...` between series with the same labels (name aside), times `scale`. */
  | { kind: 'combine'; op: '+' | '-'; operands: ReadonlyArray<{ source: string; optional?: boolean }>; scale?: number }
  /** `numerator / (sum of denominator)` between series with the same labels (a fraction used). */
  | { kind: 'ratio'; numerator: string; denominator: readonly string[] }
  /** 1 - idle share of CPU time per instance (node_cpu_seconds_total), over the time since a previous point. */
  | { kind: 'cpu_utilization'; source: string }
  /** A quantile of a classic histogram's rate (`sources` are family names without `_bucket`). */
  | { kind: 'quantile'; sources: readonly string[]; quantile: number };

/**
 * How a rule's name stands to OpenTelemetry semantic conventions (SEMCONV_VERSION): `semconv` = the name and
 * its meaning are defined there; `rate` = the per-second rate of the semconv counter named before `.rate`;
 * `hostmetrics` = the OpenTelemetry Collector hostmetrics receiver's name, not in semconv; `extension` = ours.
 */
export type Convention = 'semconv' | 'rate' | 'hostmetrics' | 'extension';

/** One normalized metric. */
export type MetricRule = RuleKind & {
  exporter: Exporter;
  /** Normalized name (OpenTelemetry semantic conventions where one exists). */
  name: string;
  /** UCUM unit of the normalized value. */
  unit: string;
  category: MetricCategory;
  /** Constant labels added to every sample (OpenTelemetry attribute keys: network.io.direction, hw.type...). */
  labels?: Readonly<Record<string, string>>;
  /** A raw PromQL expression (custom queries): the API path only. */
  promql?: string;
  /** How the name stands to OpenTelemetry (README table); custom rules have none. */
  convention?: Convention;
};

/** One exporter series as read from a scrape or a Prometheus vector. */
export interface RawSeries {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The source metric names a rule reads (for scrape filtering and series lookup). */
export function ruleSourceNames(rule: MetricRule): string[] {
  switch (rule.kind) {
    case 'gauge':
    case 'counter':
    case 'rate':
      return [...rule.sources];
    case 'combine':
      return rule.operands.map((operand) => operand.source);
    case 'ratio':
      return [rule.numerator, ...rule.denominator.filter((name) => name !== rule.numerator)];
    case 'cpu_utilization':
      return [rule.source];
    case 'quantile':
      return rule.sources.map((source) => `${source}_bucket`);
  }
}

/** The names a rule cannot do without (aliases: any one of them; optional operands left out), for detection. */
export function ruleRequiredNames(rule: MetricRule): string[][] {
  switch (rule.kind) {
    case 'gauge':
    case 'counter':
    case 'rate':
      return [[...rule.sources]];
    case 'combine':
      return rule.operands.filter((operand) => !operand.optional).map((operand) => [operand.source]);
    case 'ratio':
      return ruleSourceNames(rule).map((name) => [name]);
    case 'cpu_utilization':
      return [[rule.source]];
    case 'quantile':
      return [rule.sources.map((source) => `${source}_bucket`)];
  }
}

/** The rule's `scale`, 1 when it has none or its kind takes none. */
export function ruleScale(rule: MetricRule): number {
  return 'scale' in rule ? (rule.scale ?? 1) : 1;
}
