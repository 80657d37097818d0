// Renders metric families the way real exporters do: Prometheus text 0.0.4 or OpenMetrics 1.0, and lists
// the exact values served so tests can compare what the collector stored with what the host sent.

/** Prometheus metric types used by the simulated exporters. */
export type PageMetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** One sample line: `text` is the value exactly as printed; `value` is what a correct parser reads. */
export interface PageSample {
  name: string;
  /** Labels in the order the exporter prints them. */
  labels: ReadonlyArray<readonly [string, string]>;
  value: number;
  text: string;
}

/** One family: HELP, TYPE and its samples (histograms: the `_bucket`/`_sum`/`_count` samples). */
export interface PageFamily {
  name: string;
  type: PageMetricType;
  help: string;
  samples: PageSample[];
}

/** A sample as served, with labels as a record (what tests assert against). */
export interface ServedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The exposition formats the exporter host can answer with. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** Content types for each format. */
export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/** A sample whose value is printed by `format`. */
export function pageSample(
  name: string,
  labels: ReadonlyArray<readonly [string, string]>,
  value: number,
  format: (value: number) => string,
): PageSample {
  const text = format(value);
  return { name, labels, value: Number(text), text };
}

/** Go `strconv.FormatFloat(v, 'g', -1, 64)` as client_golang prints values (node_exporter). */
export function goFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return '0';
  const exponential = value.toExponential();
  const [mantissa = '0', exponentText = '0'] = exponential.split('e');
  const exponent = Number(exponentText);
  // Go's shortest %g switches to exponent form below 1e-4 and from 1e6 (precision 6 for the decision).
  if (exponent >= -4 && exponent < 6) return String(value);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Python `floatToGoString` as prometheus_client prints values (vLLM): `12.0`, `0.5`, `+Inf`. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const text = String(value);
  return Number.isInteger(value) && !text.includes('e') ? `${text}.0` : text;
}

/** Go `%d` (dcgm-exporter int64 fields). */
export function goInt(value: number): string {
  return String(Math.trunc(value));
}

/** Go `%f` (dcgm-exporter double fields): six decimals. */
export function goFixed(value: number): string {
  return value.toFixed(6);
}

function labelText(labels: ReadonlyArray<readonly [string, string]>, separator: string): string {
  if (labels.length === 0) return '';
  return `{${labels.map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(separator)}}`;
}

/** Prometheus text format 0.0.4. `labelSeparator` ', ' imitates old dcgm-exporter output. */
export function renderText(
  families: readonly PageFamily[],
  options: { labelSeparator?: string; helpTrailingSpace?: boolean } = {},
): string {
  const separator = options.labelSeparator ?? ',';
  let out = '';
  for (const family of families) {
    out += `# HELP ${family.name} ${family.help}${options.helpTrailingSpace && family.help === '' ? ' ' : ''}\n# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples) out += `${sample.name}${labelText(sample.labels, separator)} ${sample.text}\n`;
  }
  return out;
}

/**
 * OpenMetrics 1.0: counter families lose `_total` in TYPE/HELP; a counter whose samples lack `_total`
 * (dcgm's energy counter) is declared `unknown`, as it would not be a valid OpenMetrics counter.
 */
export function renderOpenMetrics(families: readonly PageFamily[]): string {
  let out = '';
  for (const family of families) {
    let name = family.name;
    let type: string = family.type === 'untyped' ? 'unknown' : family.type;
    if (family.type === 'counter') {
      if (family.samples.every((sample) => sample.name.endsWith('_total')) && name.endsWith('_total'))
        name = name.slice(0, -'_total'.length);
      else if (!family.samples.every((sample) => sample.name.endsWith('_total'))) type = 'unknown';
    }
    out += `# TYPE ${name} ${type}\n`;
    if (family.help !== '') out += `# HELP ${name} ${family.help.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}\n`;
    const ordered = family.type === 'histogram' ? openMetricsHistogramOrder(family.samples) : family.samples;
    for (const sample of ordered) out += `${sample.name}${labelText(sample.labels, ',')} ${openMetricsValue(sample)}\n`;
  }
  return `${out}# EOF\n`;
}

function openMetricsValue(sample: PageSample): string {
  // OpenMetrics wants a '.' or exponent for floats; Go's %g and %f renderings already comply, ints print bare.
  return sample.text;
}

function openMetricsHistogramOrder(samples: readonly PageSample[]): PageSample[] {
  const rank = (name: string): number => (name.endsWith('_bucket') ? 0 : name.endsWith('_count') ? 1 : 2);
  // Stable within each series: buckets, then count, then sum.
  const groups = new Map<string, PageSample[]>();
  for (const sample of samples) {
    const key = JSON.stringify(sample.labels.filter(([label]) => label !== 'le'));
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(sample);
  }
  return [...groups.values()].flatMap((group) => [...group].sort((a, b) => rank(a.name) - rank(b.name)));
}

/** Every sample of the families with labels as records. */
export function servedSamples(families: readonly PageFamily[]): ServedSample[] {
  return families.flatMap((family) =>
    family.samples.map((sample) => ({
      name: sample.name,
      labels: Object.fromEntries(sample.labels),
      value: sample.value,
    })),
  );
}

/** A deterministic value in [0, 1) from integers (seed, series, field, tick): a small integer hash. */
export function noise(...parts: number[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part | 0), 0x01000193);
    hash ^= hash >>> 15;
    hash = Math.imul(hash, 0x2c1b3c6d);
    hash ^= hash >>> 12;
  }
  return (hash >>> 0) / 4_294_967_296;
}
