// THE table of every built-in mapping (source metric -> stored name, kind, unit, scale, labels, and how the
// name stands to OpenTelemetry), rendered from the rule tables as Markdown; the README carries it verbatim
// (a test compares them).

import { METRIC_SETS, SEMCONV_GENAI_VERSION, SEMCONV_VERSION } from './rules.ts';
import { ruleSourceNames, type MetricRule } from './types.ts';

const code = (text: string): string => `\`${text}\``;

function sources(rule: MetricRule): string {
  switch (rule.kind) {
    case 'combine':
      return rule.operands
        .map((operand) => `${code(operand.source)}${operand.optional ? ' (if present)' : ''}`)
        .join(` ${rule.op} `);
    case 'ratio':
      return `${code(rule.numerator)} / (${rule.denominator.map(code).join(' + ')})`;
    case 'quantile':
      return rule.sources.map((source) => code(`${source}_bucket`)).join(' or ');
    default:
      return ruleSourceNames(rule).map(code).join(' or ');
  }
}

function how(rule: MetricRule): string {
  const times = (scale: number | undefined): string => (scale === undefined || scale === 1 ? '' : ` × ${scale}`);
  switch (rule.kind) {
    case 'gauge':
      return `value${times(rule.scale)}`;
    case 'counter':
      return `cumulative value${times(rule.scale)}`;
    case 'rate':
      return `per-second rate${times(rule.scale)}`;
    case 'combine':
      return `${rule.op === '+' ? 'sum' : 'difference'}${times(rule.scale)}`;
    case 'ratio':
      return 'fraction';
    case 'cpu_utilization':
      return '1 − idle share of the CPU-seconds rate, all CPUs';
    case 'quantile':
      return `histogram quantile ${rule.quantile} of the bucket rates`;
  }
}

function convention(rule: MetricRule): string {
  const version = rule.name.startsWith('gen_ai.') ? SEMCONV_GENAI_VERSION : SEMCONV_VERSION;
  switch (rule.convention) {
    case 'semconv':
      return `semconv ${version}`;
    case 'rate':
      return `rate of semconv ${version} ${code(rule.name.replace(/\.rate$/, ''))}`;
    case 'hostmetrics':
      return 'Collector hostmetrics receiver (not in semconv)';
    default:
      return 'ours (none in semconv)';
  }
}

function labels(rule: MetricRule): string {
  const entries = Object.entries(rule.labels ?? {});
  return entries.length === 0 ? '' : entries.map(([key, value]) => code(`${key}=${value}`)).join(' ');
}

/** The Markdown table of every built-in rule, one row per rule, in rule-table order. */
export function mappingTable(): string {
  const rows = [
    '| set | source metric | stored name | how | unit | labels added | OpenTelemetry |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const set of METRIC_SETS) {
    for (const rule of set.rules) {
      rows.push(
        `| ${set.key} | ${sources(rule)} | ${code(rule.name)} | ${how(rule)} | ${code(rule.unit)} | ${labels(rule)} | ${convention(rule)} |`,
      );
    }
  }
  return `${rows.join('\n')}\n`;
}
