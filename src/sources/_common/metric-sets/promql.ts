// PromQL for the API path: merges `prometheus_selector` into every vector selector of an expression and
// turns each metric rule into the queries that compute it.

import type { MetricRule } from './types.ts';

const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
const KEYWORDS_WITH_LABEL_LIST = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan', 'start', 'end']);

/**
 * Adds `selector` (label matchers such as `job="a",cluster="b"`) to every vector selector in `expression`:
 * `up` -> `up{job="a"}`, `rate(x{mode="idle"}[5m])` -> `rate(x{mode="idle",job="a"}[5m])`, `{__name__=~"x"}` too.
 * Function and aggregation names, `by (...)` label lists, strings and durations are left alone.
 */
export function mergeSelector(expression: string, selector: string | undefined): string {
  const matchers = (selector ?? '')
    .trim()
    .replace(/^\{|\}$/g, '')
    .trim()
    .replace(/,$/, '');
  if (matchers === '') return expression;
  let out = '';
  let index = 0;
  const length = expression.length;
  const skipSpaces = (from: number): number => {
    let at = from;
    while (at < length && /\s/.test(expression[at]!)) at += 1;
    return at;
  };
  const copyBalanced = (open: string, close: string): void => {
    let depth = 0;
    while (index < length) {
      const char = expression[index]!;
      if (char === '"' || char === "'" || char === '`') {
        copyString();
        continue;
      }
      out += char;
      index += 1;
      if (char === open) depth += 1;
      else if (char === close && (depth -= 1) === 0) return;
    }
  };
  const copyString = (): void => {
    const quote = expression[index]!;
    out += quote;
    index += 1;
    while (index < length) {
      const char = expression[index]!;
      out += char;
      index += 1;
      if (char === '\\' && quote !== '`' && index < length) {
        out += expression[index]!;
        index += 1;
      } else if (char === quote) return;
    }
  };
  const insertInto = (): void => {
    // At '{': copy the existing matchers, then add ours before '}'.
    const start = out.length;
    copyBalanced('{', '}');
    const inner = out
      .slice(start + 1, -1)
      .trim()
      .replace(/,$/, '')
      .trim();
    out = `${out.slice(0, start)}{${inner === '' ? matchers : `${inner},${matchers}`}}`;
  };
  while (index < length) {
    const char = expression[index]!;
    if (char === '"' || char === "'" || char === '`') {
      copyString();
    } else if (char === '[') {
      copyBalanced('[', ']');
    } else if (char === '{') {
      insertInto();
    } else if (/[0-9.]/.test(char)) {
      const match = /^[0-9.]+(?:[eE][+-]?\d+)?[a-zA-Z0-9]*/.exec(expression.slice(index));
      const token = match?.[0] ?? char;
      out += token;
      index += token.length;
    } else if (/[a-zA-Z_:]/.test(char)) {
      const token = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expression.slice(index))![0];
      out += token;
      index += token.length;
      const next = skipSpaces(index);
      const lower = token.toLowerCase();
      if (KEYWORDS_WITH_LABEL_LIST.has(lower)) {
        if (expression[next] === '(') {
          out += expression.slice(index, next);
          index = next;
          copyBalanced('(', ')');
        }
      } else if (expression[next] === '(' || AGGREGATIONS.has(lower) || KEYWORDS.has(lower)) {
        // a function call, an aggregation (maybe with `by (...)` before its argument) or a keyword
      } else if (expression[next] === '{') {
        out += expression.slice(index, next);
        index = next;
        insertInto();
      } else {
        out += `{${matchers}}`;
      }
    } else {
      out += char;
      index += 1;
    }
  }
  return out;
}

/** One PromQL query of a rule; `sourceMetric` is stored as the `source_metric` label. */
export interface RuleQuery {
  rule: MetricRule;
  expression: string;
  sourceMetric: string;
}

/** The queries that compute `rule` over Prometheus, with `selector` merged and `rateWindow` (e.g. `5m`) for rates. */
export function queriesForRule(rule: MetricRule, selector: string | undefined, rateWindow: string): RuleQuery[] {
  const merge = (expression: string): string => mergeSelector(expression, selector);
  if (rule.promql !== undefined) return [{ rule, expression: merge(rule.promql), sourceMetric: rule.promql }];
  switch (rule.kind) {
    case 'gauge':
    case 'counter':
      return rule.sources.map((source) => ({ rule, expression: merge(source), sourceMetric: source }));
    case 'rate':
      return rule.sources.map((source) => ({
        rule,
        expression: merge(`rate(${source}[${rateWindow}])`),
        sourceMetric: source,
      }));
    case 'combine': {
      const [first, ...rest] = rule.operands;
      if (!first) return [];
      const terms = rest.map((operand) =>
        operand.optional ? `(${operand.source} or ${first.source} * 0)` : operand.source,
      );
      return [
        {
          rule,
          expression: merge([first.source, ...terms].join(` ${rule.op} `)),
          sourceMetric: rule.operands.map((operand) => operand.source).join(` ${rule.op} `),
        },
      ];
    }
    case 'ratio': {
      const denominator = rule.denominator.join(' + ');
      return [
        {
          rule,
          expression: merge(`${rule.numerator} / (${denominator})`),
          sourceMetric: `${rule.numerator} / (${denominator})`,
        },
      ];
    }
    case 'cpu_utilization':
      return [
        {
          rule,
          expression: merge(`1 - avg without (cpu, mode) (rate(${rule.source}{mode="idle"}[${rateWindow}]))`),
          sourceMetric: rule.source,
        },
      ];
    case 'quantile':
      return rule.sources.map((source) => ({
        rule,
        expression: merge(`histogram_quantile(${rule.quantile}, rate(${source}_bucket[${rateWindow}]))`),
        sourceMetric: source,
      }));
  }
}
