// The scrape path's split of the rules: a gauge (or a counter's cumulative value) maps one sample to one value,
// so it is evaluated as the page
// is parsed (no copy of the sample is kept); rates, combinations, CPU utilization and quantiles need the whole
// scrape (and the previous one), so only the series they read are kept for evaluateRules at the end.

import { ruleSourceNames, type MetricRule } from './types.ts';

/** What a scrape does with one source metric name. */
export interface SourceUse {
  /** Gauge and counter rules reading this name, evaluated per sample as it is parsed. */
  gauges: Array<MetricRule & { kind: 'gauge' | 'counter' }>;
  /** Whether a rule that needs the whole scrape reads this name (keep a copy of its samples). */
  buffered: boolean;
}

/** The rules of a scrape split by how they are evaluated. */
export interface ScrapePlan {
  /** Per source metric name (the parser's `wantName` is `uses.has`). */
  uses: Map<string, SourceUse>;
  /** Rules evaluated by evaluateRules over the buffered series once the page is parsed. */
  whole: MetricRule[];
}

/** Splits `rules` (PromQL-only rules are left out: the API path runs them). */
export function planScrape(rules: readonly MetricRule[]): ScrapePlan {
  const plan: ScrapePlan = { uses: new Map(), whole: [] };
  addToPlan(plan, rules);
  return plan;
}

/** Adds rules to a plan (custom metrics found by a glob join it when first seen). */
export function addToPlan(plan: ScrapePlan, rules: readonly MetricRule[]): void {
  const { uses, whole } = plan;
  const use = (name: string): SourceUse => {
    let found = uses.get(name);
    if (found === undefined) uses.set(name, (found = { gauges: [], buffered: false }));
    return found;
  };
  for (const rule of rules) {
    if (rule.promql !== undefined) continue;
    if (rule.kind === 'gauge' || rule.kind === 'counter') {
      for (const source of rule.sources) use(source).gauges.push(rule);
      continue;
    }
    whole.push(rule);
    for (const name of ruleSourceNames(rule)) use(name).buffered = true;
  }
}
