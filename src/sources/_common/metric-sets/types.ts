// The rule language of the metric sets: how one normalized metric is computed from exporter series,
// written once and evaluated two ways (as PromQL on the Prometheus API path, in memory on the scrape path).

import type { MetricCategory } from '../../../core/model.ts';

/** Which exporter a rule belongs to (enabled by the generic config's booleans). */
export type Exporter = 'dcgm' | 'node' | 'vllm' | 'custom';

/** What a rule computes. */
export type RuleKind =
  /** The series value, times `scale`. */
  | { kind: 'gauge'; sources: readonly string[]; scale?: number }
  /** Per-second rate of a counter, times `scale`. */
  | { kind: 'rate'; sources: readonly string[]; scale?: number }
  /** `first - second` or `first + second + ...` between series with the same labels (name aside), times `scale`. */
  | { kind: 'combine'; op: '+' | '-'; operands: ReadonlyArray<{ source: string; optional?: boolean }>; scale?: number }
  /** 1 - idle share of CPU time per instance (node_cpu_seconds_total). */
  | { kind: 'cpu_utilization'; source: string }
  /** A quantile of a classic histogram's rate (`sources` are family names without `_bucket`). */
  | { kind: 'quantile'; sources: readonly string[]; quantile: number };

/** One normalized metric. */
export type MetricRule = RuleKind & {
  exporter: Exporter;
  /** Normalized name (OpenTelemetry semantic conventions where one exists). */
  name: string;
  /** UCUM unit of the normalized value. */
  unit: string;
  category: MetricCategory;
  /** Constant labels added to every sample (state, direction, quantile...). */
  labels?: Readonly<Record<string, string>>;
  /** A raw PromQL expression (custom queries): the API path only. */
  promql?: string;
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
    case 'rate':
      return [...rule.sources];
    case 'combine':
      return rule.operands.map((operand) => operand.source);
    case 'cpu_utilization':
      return [rule.source];
    case 'quantile':
      return rule.sources.map((source) => `${source}_bucket`);
  }
}
