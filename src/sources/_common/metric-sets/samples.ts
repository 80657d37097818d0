// Turns evaluated values into MetricSamples: exporter labels kept (every GPU, instance, model), `le` and
// `__name__` dropped, the rule's constant labels and `source_metric` added; GPU series get the UUID as resource_id.

import type { MetricSample } from '../../../core/model.ts';
import type { MetricRule } from './types.ts';

/** DCGM values at or above this are "blank" sentinels (older exporters printed them), not data. */
export const DCGM_BLANK_THRESHOLD = 9.2e18;

/** One MetricSample (`extraLabels` such as the scrape's `instance` are added); returns undefined for values that are not data (NaN, ±Inf, DCGM blanks). */
export function metricSample(provider: string, ts: string, rule: MetricRule, labels: Record<string, string>, value: number, sourceMetric: string, extraLabels?: Record<string, string>): MetricSample | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (rule.exporter === 'dcgm' && Math.abs(value) >= DCGM_BLANK_THRESHOLD * Math.abs(rule.kind === 'gauge' || rule.kind === 'combine' ? (rule.scale ?? 1) : 1)) return undefined;
  const out: Record<string, string> = {};
  for (const label in labels) if (label !== '__name__' && label !== 'le') out[label] = labels[label]!;
  if (extraLabels) Object.assign(out, extraLabels);
  if (rule.labels) Object.assign(out, rule.labels);
  out.source_metric = sourceMetric;
  const gpu = labels.UUID ?? labels.gpu_uuid;
  return { ts, provider, name: rule.name, category: rule.category, value, unit: rule.unit, resource_id: gpu ?? null, labels: out };
}
