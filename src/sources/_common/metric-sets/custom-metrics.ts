// Custom application metrics named in `metrics:` by exact name or glob (`myapp_*`, `*_requests_total`):
// stored under their own name with every exporter label kept; a counter also gets its per-second rate.

import type { MetricRule } from './types.ts';

/** Whether a custom series is a counter (TYPE counter, or a `_total` name) or anything else. */
export type CustomKind = 'counter' | 'gauge';

/** The `metrics:` list compiled once. */
export interface CustomMetricPatterns {
  /** Names without glob characters. */
  readonly exact: readonly string[];
  /** Whether any pattern is a glob. */
  readonly hasGlobs: boolean;
  /** Whether `name` is asked for (exactly or by a glob); cached per name. */
  matches(name: string): boolean;
  /** The rules storing `name` (the same objects every call, so per-rule caches hold across scrapes). */
  rulesFor(name: string, kind: CustomKind): MetricRule[];
}

/** Compiles `*` (any run of characters) and `?` (one character) patterns. */
export function customMetricPatterns(patterns: readonly string[]): CustomMetricPatterns {
  const exact = patterns.filter((pattern) => !/[*?]/.test(pattern));
  const globs = patterns
    .filter((pattern) => /[*?]/.test(pattern))
    .map(
      (pattern) =>
        new RegExp(
          `^${pattern
            .split('')
            .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
            .join('')}$`,
        ),
    );
  const exactSet = new Set(exact);
  const verdicts = new Map<string, boolean>();
  const rules = new Map<string, MetricRule[]>();
  return {
    exact,
    hasGlobs: globs.length > 0,
    matches(name) {
      if (exactSet.has(name)) return true;
      if (globs.length === 0) return false;
      let verdict = verdicts.get(name);
      if (verdict === undefined) {
        // OpenMetrics counters' `_created` series are timestamps, not values.
        verdict = !name.endsWith('_created') && globs.some((glob) => glob.test(name));
        if (verdicts.size < 100_000) verdicts.set(name, verdict);
      }
      return verdict;
    },
    rulesFor(name, kind) {
      const key = `${kind}\u0000${name}`;
      let found = rules.get(key);
      if (found === undefined) rules.set(key, (found = customRules(name, kind)));
      return found;
    },
  };
}

/** The rules of one custom series name. */
export function customRules(name: string, kind: CustomKind): MetricRule[] {
  const base = { exporter: 'custom', name, unit: '1', category: 'application' } as const;
  if (kind === 'gauge') return [{ ...base, kind: 'gauge', sources: [name] }];
  return [
    { ...base, kind: 'counter', sources: [name] },
    { ...base, kind: 'rate', sources: [name], name: `${name}.rate`, unit: '1/s' },
  ];
}
