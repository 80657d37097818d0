// Latest collected samples in the Prometheus text exposition format (0.0.4), so Prometheus can scrape
// what the collector gathered: `hw.gpu.utilization` -> `optiinfra_hw_gpu_utilization{provider=...}`.

import type { MetricSample } from '../core/model.ts';

/** Prefix of every exposed sample's metric name. */
export const SAMPLE_PREFIX = 'optiinfra_';
// Self-metrics own this prefix; a collected metric must never shadow one of them.
const SELF_PREFIX = 'optiinfra_collector_';

/** A normalized metric name as a Prometheus metric name. */
export function prometheusMetricName(name: string): string {
  return `${SAMPLE_PREFIX}${name.replace(/[^a-zA-Z0-9_:]/g, '_')}`;
}

/** A label key as a Prometheus label name (reserved `__` names and leading digits are prefixed). */
export function prometheusLabelName(key: string): string {
  const cleaned = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (cleaned === '' || /^[0-9]/.test(cleaned) || cleaned.startsWith('__')) return `label_${cleaned}`;
  return cleaned;
}

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function labelSet(sample: MetricSample): string {
  const labels = new Map<string, string>([['provider', sample.provider]]);
  if (sample.resource_id !== null) labels.set('resource_id', sample.resource_id);
  for (const [key, value] of Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let name = prometheusLabelName(key);
    // A series label named like one of ours is kept, renamed the way Prometheus renames clashes.
    while (labels.has(name)) name = `exported_${name}`;
    labels.set(name, value);
  }
  return [...labels].map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',');
}

/** Renders samples (the latest point of each series) as exposition text, one family per metric name. */
export function samplesExposition(samples: Iterable<MetricSample>): string {
  const families = new Map<string, { help: string; lines: Map<string, string> }>();
  for (const sample of samples) {
    const name = prometheusMetricName(sample.name);
    if (name.startsWith(SELF_PREFIX)) continue;
    let family = families.get(name);
    if (!family) {
      family = { help: `Latest collected ${sample.name} (unit ${sample.unit}, ${sample.category}).`, lines: new Map() };
      families.set(name, family);
    }
    const labels = labelSet(sample);
    // Two stored series can collapse to one Prometheus series (e.g. `a.b` and `a_b`): keep the first.
    if (!family.lines.has(labels)) family.lines.set(labels, `${name}{${labels}} ${formatValue(sample.value)}`);
  }
  let text = '';
  for (const [name, family] of families) {
    text += `# HELP ${name} ${escapeHelp(family.help)}\n# TYPE ${name} gauge\n`;
    for (const line of family.lines.values()) text += `${line}\n`;
  }
  return text;
}
