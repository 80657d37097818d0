// Picks the metric rules a generic provider wants (dcgm / node_exporter / vllm switches, custom queries and
// metric names).

import type { CustomQuery } from '../../../core/config/types.ts';
import { DCGM_RULES } from './dcgm.ts';
import { NODE_RULES } from './node-exporter.ts';
import type { MetricRule } from './types.ts';
import { VLLM_RULES } from './vllm.ts';

/** The switches and extras of a generic provider that select rules. */
export interface MetricSetSelection {
  dcgm: boolean;
  node_exporter: boolean;
  vllm: boolean;
  queries?: readonly CustomQuery[];
  metrics?: readonly string[];
}

/** Rules for the selection; custom queries only run on the Prometheus path. */
export function rulesFor(selection: MetricSetSelection): MetricRule[] {
  return [
    ...(selection.dcgm ? DCGM_RULES : []),
    ...(selection.node_exporter ? NODE_RULES : []),
    ...(selection.vllm ? VLLM_RULES : []),
    ...(selection.metrics ?? []).map((metric): MetricRule => ({
      exporter: 'custom',
      kind: 'gauge',
      sources: [metric],
      name: metric,
      unit: '1',
      category: 'performance',
    })),
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
