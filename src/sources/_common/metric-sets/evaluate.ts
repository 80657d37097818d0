// Evaluates metric rules over one scrape in memory (the scrape path), with the previous scrape's counters
// for rates and histogram quantiles: without a previous point there is no rate; a counter reset counts from zero.
// The counters are kept by a short hash of their labels, so they can be persisted between processes.

import { histogramQuantile } from './histogram.ts';
import { ruleSourceNames, type MetricRule, type RawSeries } from './types.ts';

/** Counter values of one target's previous scrape: by source name, then by series key (see seriesKeyOf). */
export interface CounterMemory {
  atMs: number;
  values: Map<string, Map<string, number>>;
}

/** CounterMemory as JSON (SourceState). */
export interface StoredCounterMemory {
  atMs: number;
  values: Record<string, Record<string, number>>;
}

/** CounterMemory to JSON. */
export function storeCounterMemory(memory: CounterMemory): StoredCounterMemory {
  const values: Record<string, Record<string, number>> = {};
  for (const [name, byKey] of memory.values) values[name] = Object.fromEntries(byKey);
  return { atMs: memory.atMs, values };
}

/** JSON to CounterMemory; undefined when it is not one. */
export function loadCounterMemory(stored: unknown): CounterMemory | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { atMs, values } = stored as Partial<StoredCounterMemory>;
  if (typeof atMs !== 'number' || typeof values !== 'object' || values === null) return undefined;
  const memory: CounterMemory = { atMs, values: new Map() };
  for (const [name, byKey] of Object.entries(values)) {
    const map = new Map<string, number>();
    for (const [key, value] of Object.entries(byKey)) if (typeof value === 'number') map.set(key, value);
    memory.values.set(name, map);
  }
  return memory;
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

/**
 * A short key of a series' labels (a 53-bit hash of them in exposition order, base 36): counters are found
 * by it scrape after scrape, and kept by it between processes. Cached for frozen label sets.
 */
export function seriesKeyOf(labels: Record<string, string>): string {
  if (!Object.isFrozen(labels)) return hashKey(labelsKey(labels));
  let key = frozenKeys.get(labels);
  if (key === undefined) frozenKeys.set(labels, (key = hashKey(labelsKey(labels))));
  return key;
}

/** cyrb53: two 32-bit multiplicative hashes mixed into 53 bits. */
function hashKey(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ char, 2654435761);
    h2 = Math.imul(h2 ^ char, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
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
    const key = seriesKeyOf(item.labels);
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
      case 'counter':
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
              sourceMetric: ruleSourceLabel(rule),
            });
        }
        break;
      }
      case 'ratio': {
        const numerators = byName.get(rule.numerator) ?? [];
        if (numerators.length === 0) break;
        const parts = rule.denominator.map((name) => {
          const items = byName.get(name) ?? [];
          return { byObject: new Map(items.map((item) => [item.labels, item.value])), items };
        });
        for (const item of numerators) {
          let key: string | undefined;
          let total = 0;
          let complete = true;
          for (const part of parts) {
            let other = part.byObject.get(item.labels);
            if (other === undefined) {
              key ??= labelsKey(item.labels);
              other = part.items.find((candidate) => labelsKey(candidate.labels) === key)?.value;
            }
            if (other === undefined) complete = false;
            else total += other;
          }
          if (complete && total > 0)
            push({ rule, labels: item.labels, value: item.value / total, sourceMetric: ruleSourceLabel(rule) });
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

/** The `source_metric` label of a rule computed from several series. */
export function ruleSourceLabel(rule: MetricRule): string {
  if (rule.kind === 'ratio') return `${rule.numerator} / (${rule.denominator.join(' + ')})`;
  if (rule.kind === 'combine') return rule.operands.map((operand) => operand.source).join(` ${rule.op} `);
  return ruleSourceNames(rule).join(', ');
}

function parseBound(le: string | undefined): number {
  if (le === undefined) return NaN;
  if (le === '+Inf' || le === 'Inf' || le === '+inf') return Infinity;
  return Number(le);
}
