// Picks the metric rules a generic provider uses: every metric set not switched off (`dcgm: false` ...) is
// evaluated, and detection is the data itself (a set whose series are absent yields nothing); `true` makes a
// set expected, so its absence is reported. Custom queries and metric names or globs come on top.

import type { CustomQuery } from '../../../core/config/types.ts';
import { customMetricPatterns, type CustomMetricPatterns } from './custom-metrics.ts';
import { DCGM_RULES } from './dcgm.ts';
import { NODE_RULES } from './node-exporter.ts';
import type { Exporter, MetricRule } from './types.ts';
import { VLLM_RULES } from './vllm.ts';

/**
 * The OpenTelemetry semantic conventions release the names follow (hardware and system metrics). GenAI
 * metrics moved to their own repository after v1.41.0, the release whose gen_ai.server.* names we use.
 */
export const SEMCONV_VERSION = '1.44.0';
/** The last semantic-conventions release that defined the GenAI metrics (gen_ai.server.*). */
export const SEMCONV_GENAI_VERSION = '1.41.0';

/** One exporter's metric set: its config key, how its series are recognised, its rules. */
export interface MetricSet {
  key: 'dcgm' | 'node_exporter' | 'vllm';
  exporter: Exporter;
  /** Human name in messages. */
  title: string;
  /** Every series of the exporter starts with this (detection). */
  prefix: string;
  rules: readonly MetricRule[];
}

/** The built-in metric sets. */
export const METRIC_SETS: readonly MetricSet[] = [
  { key: 'dcgm', exporter: 'dcgm', title: 'DCGM', prefix: 'DCGM_FI_', rules: DCGM_RULES },
  { key: 'node_exporter', exporter: 'node', title: 'node_exporter', prefix: 'node_', rules: NODE_RULES },
  { key: 'vllm', exporter: 'vllm', title: 'vLLM', prefix: 'vllm:', rules: VLLM_RULES },
];

/** The switches and extras of a generic provider that select rules; a switch left undefined means "detect". */
export interface MetricSetSelection {
  dcgm?: boolean | undefined;
  node_exporter?: boolean | undefined;
  vllm?: boolean | undefined;
  queries?: readonly CustomQuery[];
  metrics?: readonly string[];
}

/** The metric sets not switched off. */
export function enabledSets(selection: MetricSetSelection): MetricSet[] {
  return METRIC_SETS.filter((set) => selection[set.key] !== false);
}

/** The metric sets switched on explicitly (`dcgm: true`): their absence is reported. */
export function expectedSets(selection: MetricSetSelection): MetricSet[] {
  return METRIC_SETS.filter((set) => selection[set.key] === true);
}

/** The metric set a series name belongs to, if any. */
export function metricSetOf(name: string): MetricSet | undefined {
  return METRIC_SETS.find((set) => name.startsWith(set.prefix));
}

/** Rules of the enabled sets plus custom queries (Prometheus path only) and exact custom metric names. */
export function rulesFor(selection: MetricSetSelection): MetricRule[] {
  const custom = customMetricPatterns(selection.metrics ?? []);
  return [
    ...enabledSets(selection).flatMap((set) => set.rules),
    ...custom.exact.flatMap((metric) => custom.rulesFor(metric, metric.endsWith('_total') ? 'counter' : 'gauge')),
    ...(selection.queries ?? []).map((query): MetricRule => ({
      exporter: 'custom',
      kind: 'gauge',
      sources: [],
      promql: query.query,
      name: query.name,
      unit: query.unit,
      category: query.category,
    })),
  ];
}

/** The custom metric patterns of a selection (names and globs). */
export function customPatternsFor(selection: MetricSetSelection): CustomMetricPatterns {
  return customMetricPatterns(selection.metrics ?? []);
}
