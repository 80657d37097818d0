// Evaluates metric rules over one scrape in memory (the scrape path), with the previous scrape's counters
// for rates and histogram quantiles: a first scrape yields no rate, a counter reset counts from zero.

import { histogramQuantile } from './histogram.ts';
import type { MetricRule, RawSeries } from './types.ts';

/** Counter values of one target's previous scrape: by source name, then by labels key (see labelsKeyOf). */
export interface CounterMemory {
  atMs: number;
  values: Map<string, Map<string, number>>;
}

/** One normalized value before it becomes a MetricSample. */
export interface EvaluatedValue {
  rule: MetricRule;
  /** Exporter labels (minus `le`), before the rule's constant labels and `source_metric`. */
  labels: Record<string, string>;
  value: number;
  sourceMetric: string;
}

/** The values computed from one scrape, and the counters to remember for the next. */
export interface Evaluation {
  values: EvaluatedValue[];
  memory: CounterMemory;
}

/** Keys of frozen label sets (a parser's shared ones: the same object every scrape), built once per set. */
const frozenKeys = new WeakMap<Record<string, string>, string>();

/** The labels' key in exposition order; cached for frozen label sets, so a rate costs no string per scrape. */
export function labelsKeyOf(labels: Record<string, string>): string {
  if (!Object.isFrozen(labels)) return labelsKey(labels);
  let key = frozenKeys.get(labels);
  if (key === undefined) frozenKeys.set(labels, (key = labelsKey(labels)));
  return key;
}

function labelsKey(labels: Record<string, string>, without: readonly string[] = []): string {
  let key = '';
  for (const label in labels) if (!without.includes(label)) key += `\u0000${label}\u0001${labels[label]}`;
  return key;
}

function omit(labels: Record<string, string>, names: readonly string[]): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const label in labels) if (!names.includes(label)) copy[label] = labels[label]!;
  return copy;
}

/** Evaluates `rules` over `series` scraped at `nowMs`. Non-finite results are dropped. */
export function evaluateRules(
  rules: readonly MetricRule[],
  series: readonly RawSeries[],
  previous: CounterMemory | undefined,
  nowMs: number,
): Evaluation {
  const byName = new Map<string, RawSeries[]>();
  for (const item of series) {
    let list = byName.get(item.name);
    if (!list) byName.set(item.name, (list = []));
    list.push(item);
  }
  const memory: CounterMemory = { atMs: nowMs, values: new Map() };
  const elapsedSeconds = previous ? (nowMs - previous.atMs) / 1000 : 0;
  const values: EvaluatedValue[] = [];
  const push = (value: EvaluatedValue): void => {
    if (Number.isFinite(value.value)) values.push(value);
  };
  /** Increase since the previous scrape (counter resets count from zero); undefined on a first scrape. */
  const increase = (item: RawSeries): number | undefined => {
    const key = labelsKeyOf(item.labels);
    let values = memory.values.get(item.name);
    if (values === undefined) memory.values.set(item.name, (values = new Map()));
    values.set(key, item.value);
    const before = previous?.values.get(item.name)?.get(key);
    if (before === undefined || elapsedSeconds <= 0) return undefined;
    return item.value >= before ? item.value - before : item.value;
  };

  for (const rule of rules) {
    if (rule.promql !== undefined) continue;
    switch (rule.kind) {
      case 'gauge':
        for (const source of rule.sources) {
          for (const item of byName.get(source) ?? [])
            push({ rule, labels: item.labels, value: item.value * (rule.scale ?? 1), sourceMetric: source });
        }
        break;
      case 'rate':
        for (const source of rule.sources) {
          for (const item of byName.get(source) ?? []) {
            const delta = increase(item);
            if (delta !== undefined)
              push({
                rule,
                labels: item.labels,
                value: (delta / elapsedSeconds) * (rule.scale ?? 1),
                sourceMetric: source,
              });
          }
        }
        break;
      case 'combine': {
        const [first, ...rest] = rule.operands;
        if (!first) break;
        // Operands match on equal labels. A parser sharing label sets gives every family of a series the same
        // labels object, so identity finds the operand; labels keys are built only when it does not.
        const others = rest.map((operand) => {
          const items = byName.get(operand.source) ?? [];
          let byKey: Map<string, number> | undefined;
          return {
            operand,
            byObject: new Map(items.map((item) => [item.labels, item.value])),
            byKey: () => (byKey ??= new Map(items.map((item) => [labelsKey(item.labels), item.value]))),
          };
        });
        for (const item of byName.get(first.source) ?? []) {
          let key: string | undefined;
          let value = item.value;
          let complete = true;
          for (const { operand, byObject, byKey } of others) {
            const other = byObject.get(item.labels) ?? byKey().get((key ??= labelsKey(item.labels)));
            if (other === undefined && !operand.optional) complete = false;
            value = rule.op === '+' ? value + (other ?? 0) : value - (other ?? 0);
          }
          if (complete)
            push({
              rule,
              labels: item.labels,
              value: value * (rule.scale ?? 1),
              sourceMetric: rule.operands.map((operand) => operand.source).join(` ${rule.op} `),
            });
        }
        break;
      }
      case 'cpu_utilization': {
        const groups = new Map<
          string,
          { labels: Record<string, string>; idle: number; total: number; complete: boolean }
        >();
        for (const item of byName.get(rule.source) ?? []) {
          const key = labelsKey(item.labels, ['cpu', 'mode']);
          let group = groups.get(key);
          if (!group)
            groups.set(
              key,
              (group = { labels: omit(item.labels, ['cpu', 'mode']), idle: 0, total: 0, complete: true }),
            );
          const delta = increase(item);
          if (delta === undefined) group.complete = false;
          else {
            group.total += delta;
            if (item.labels.mode === 'idle') group.idle += delta;
          }
        }
        for (const group of groups.values()) {
          if (group.complete && group.total > 0)
            push({ rule, labels: group.labels, value: 1 - group.idle / group.total, sourceMetric: rule.source });
        }
        break;
      }
      case 'quantile':
        for (const source of rule.sources) {
          const groups = new Map<
            string,
            { labels: Record<string, string>; buckets: Array<{ upperBound: number; count: number }>; complete: boolean }
          >();
          for (const item of byName.get(`${source}_bucket`) ?? []) {
            const key = labelsKey(item.labels, ['le']);
            let group = groups.get(key);
            if (!group) groups.set(key, (group = { labels: omit(item.labels, ['le']), buckets: [], complete: true }));
            const delta = increase(item);
            if (delta === undefined) group.complete = false;
            else group.buckets.push({ upperBound: parseBound(item.labels.le), count: delta });
          }
          for (const group of groups.values()) {
            if (group.complete)
              push({
                rule,
                labels: group.labels,
                value: histogramQuantile(rule.quantile, group.buckets),
                sourceMetric: source,
              });
          }
        }
        break;
    }
  }
  return { values, memory };
}

function parseBound(le: string | undefined): number {
  if (le === undefined) return NaN;
  if (le === '+Inf' || le === 'Inf' || le === '+inf') return Infinity;
  return Number(le);
}
