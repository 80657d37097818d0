// Turns evaluated values into MetricSamples: exporter labels kept (every GPU, instance, model), `le` and
// `__name__` dropped, the rule's constant labels and `source_metric` added; GPU series get the UUID as resource_id
// (host series get their host's id from the source, which knows the host: see host-inventory.ts).

import type { MetricSample } from '../../../core/model.ts';
import type { MetricRule } from './types.ts';

/** DCGM values at or above this are "blank" sentinels (older exporters printed them), not data. */
export const DCGM_BLANK_THRESHOLD = 9.2e18;

/** Builds (or recalls) the stored labels of a sample from its exporter labels; see createSampleLabeler. */
export type SampleLabeler = (
  rule: MetricRule,
  labels: Record<string, string>,
  sourceMetric: string,
) => Record<string, string>;

/** One MetricSample (`extraLabels` such as the scrape's `instance` are added, or a labeler builds the labels); returns undefined for values that are not data (NaN, ±Inf, DCGM blanks). */
export function metricSample(
  provider: string,
  ts: string,
  rule: MetricRule,
  labels: Record<string, string>,
  value: number,
  sourceMetric: string,
  extraLabels?: Record<string, string> | SampleLabeler,
): MetricSample | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (
    rule.exporter === 'dcgm' &&
    Math.abs(value) >=
      DCGM_BLANK_THRESHOLD *
        Math.abs(rule.kind === 'gauge' || rule.kind === 'counter' || rule.kind === 'combine' ? (rule.scale ?? 1) : 1)
  )
    return undefined;
  const out =
    typeof extraLabels === 'function'
      ? extraLabels(rule, labels, sourceMetric)
      : sampleLabels(rule, labels, sourceMetric, extraLabels);
  const gpu = labels.UUID ?? labels.gpu_uuid;
  return {
    ts,
    provider,
    name: rule.name,
    category: rule.category,
    value,
    unit: rule.unit,
    resource_id: gpu ?? null,
    labels: out,
  };
}

/**
 * The stored labels: exporter labels minus `__name__` (and `le`, but for custom metrics, whose buckets are
 * stored as they are), then `extraLabels`, the rule's labels and `source_metric`.
 */
export function sampleLabels(
  rule: MetricRule,
  labels: Record<string, string>,
  sourceMetric: string,
  extraLabels?: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const dropLe = rule.exporter !== 'custom';
  for (const label in labels) if (label !== '__name__' && (label !== 'le' || !dropLe)) out[label] = labels[label]!;
  if (extraLabels) Object.assign(out, extraLabels);
  if (rule.labels) Object.assign(out, rule.labels);
  out.source_metric = sourceMetric;
  return out;
}

/** Stored labels of one rule for one exporter label set; `next` holds the rule's other source metrics (aliases). */
interface LabelsEntry {
  sourceMetric: string;
  labels: Record<string, string>;
  next: LabelsEntry | undefined;
}

/**
 * A labeler for one scrape target (`extraLabels` fixed): for frozen exporter labels (a parser's shared label
 * sets, the same object scrape after scrape) it returns the same frozen stored-labels object every time, so
 * no labels are copied per sample and sinks can resolve the series by identity. Other labels are built fresh.
 */
export function createSampleLabeler(extraLabels?: Record<string, string>): SampleLabeler {
  // Keyed weakly by the exporter labels: entries go when the parser's cache lets its label sets go. One label
  // set serves every rule of its exporter (DCGM: all fields of a GPU), hence a map by rule under it.
  const byLabels = new WeakMap<Record<string, string>, Map<MetricRule, LabelsEntry>>();
  return (rule, labels, sourceMetric) => {
    if (!Object.isFrozen(labels)) return sampleLabels(rule, labels, sourceMetric, extraLabels);
    let byRule = byLabels.get(labels);
    if (byRule === undefined) byLabels.set(labels, (byRule = new Map()));
    const first = byRule.get(rule);
    for (let entry = first; entry !== undefined; entry = entry.next) {
      if (entry.sourceMetric === sourceMetric) return entry.labels;
    }
    const built = Object.freeze(sampleLabels(rule, labels, sourceMetric, extraLabels));
    byRule.set(rule, { sourceMetric, labels: built, next: first });
    return built;
  };
}
