// A small CloudWatch Metrics Insights engine for the simulator: parses the documented grammar
// (SELECT FUNC(metric) FROM namespace | SCHEMA(...) [WHERE k = 'v' [AND ...]] [GROUP BY k, ...]
// [ORDER BY FUNC() [ASC|DESC]] [LIMIT n]), rejects unquoted reserved keywords, and evaluates the query over
// the simulated metrics: "Other" groups, the 10,000-metric and 500-series caps (which 500 is arbitrary
// without ORDER BY), dynamic labels. Rules and their sources: src/sources/aws/README.md, Simulator.

import { unitHash } from './world.ts';

/** Words the Metrics Insights reserved-keyword list contains that a query here might use as a name. */
// A subset of the documented list (918 words): the query grammar's own words and those that are plausible
// namespace, metric or dimension names. Reserved keywords are not case sensitive.
const RESERVED = new Set(
  (
    'ACCOUNT ACTION ALIAS ALL AND ANY AS ASC AVG BY CATALOG CLASS CLUSTER COLUMN CONDITION CONNECTION COUNT ' +
    'CURRENT DATA DATABASE DATE DEFAULT DESC DOMAIN ERROR FILE FROM FUNCTION GROUP GROUPS IN INDEX INPUT KEY ' +
    'LABEL LEVEL LIKE LIMIT MAX METHOD MIN MODE NOT OBJECT OPERATION OPTION OR ORDER OUTPUT PARTITION PATH ' +
    'POSITION PRIMARY READ RESOURCE RESULT ROLE SCHEMA SELECT SESSION SIZE SOURCE STATE SUM TABLE TEMPORARY ' +
    'TIME TIMESTAMP TRANSACTION TYPE USER VALUE VALUES WHERE WRITE ZONE'
  ).split(' '),
);

/** Whether `word` is a reserved keyword (case-insensitive). */
export function isReservedKeyword(word: string): boolean {
  return RESERVED.has(word.toUpperCase());
}

/** The aggregation functions Metrics Insights knows. */
export type InsightsFunction = 'AVG' | 'COUNT' | 'MAX' | 'MIN' | 'SUM';
const FUNCTIONS = new Set<string>(['AVG', 'COUNT', 'MAX', 'MIN', 'SUM']);

/** A parsed Metrics Insights query. */
export interface InsightsQuery {
  func: InsightsFunction;
  metricName: string;
  namespace: string;
  /** SCHEMA(namespace, keys...): only metrics with exactly these dimension keys; undefined without SCHEMA. */
  schemaKeys?: string[];
  where: Array<{ key: string; op: '=' | '!='; value: string }>;
  groupBy: string[];
  orderBy?: { func: InsightsFunction; descending: boolean };
  limit?: number;
}

/** A query the engine rejects, with CloudWatch's error code. */
export class InsightsQueryError extends Error {
  readonly code = 'ValidationError';
}

interface Token {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
  text: string;
  at: number;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const quoted = (quote: string): string => {
    let text = '';
    index += 1;
    while (index < expression.length && expression[index] !== quote) {
      if (expression[index] === '\\' && index + 1 < expression.length) index += 1;
      text += expression[index];
      index += 1;
    }
    if (index >= expression.length) throw new InsightsQueryError(`unterminated ${quote} quote`);
    index += 1;
    return text;
  };
  while (index < expression.length) {
    const char = expression[index] ?? '';
    const at = index;
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === '"') {
      tokens.push({ kind: 'quoted', text: quoted('"'), at });
    } else if (char === "'") {
      tokens.push({ kind: 'string', text: quoted("'"), at });
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expression.slice(index))?.[0] ?? char;
      tokens.push({ kind: 'word', text: word, at });
      index += word.length;
    } else if (/[0-9]/.test(char)) {
      const number = /^[0-9]+/.exec(expression.slice(index))?.[0] ?? char;
      tokens.push({ kind: 'number', text: number, at });
      index += number.length;
    } else if (expression.startsWith('!=', index)) {
      tokens.push({ kind: 'punct', text: '!=', at });
      index += 2;
    } else if ('(),='.includes(char)) {
      tokens.push({ kind: 'punct', text: char, at });
      index += 1;
    } else {
      // An unquoted name with `/`, `-`, `.` and so on: "must be surrounded by double quote marks".
      throw new InsightsQueryError(`unexpected character '${char}' at position ${at}`);
    }
  }
  return tokens;
}

/** Parses a Metrics Insights query; throws InsightsQueryError for what CloudWatch rejects. */
export function parseInsightsQuery(expression: string): InsightsQuery {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const describe = (token: Token | undefined): string =>
    token === undefined ? 'the end of the query' : `'${token.text}' at position ${token.at}`;
  const isKeyword = (token: Token | undefined, keyword: string): boolean =>
    token?.kind === 'word' && token.text.toUpperCase() === keyword;
  const keyword = (word: string): void => {
    const token = peek();
    if (!isKeyword(token, word)) throw new InsightsQueryError(`expected ${word}, found ${describe(token)}`);
    position += 1;
  };
  const punct = (text: string): void => {
    const token = peek();
    if (token?.kind !== 'punct' || token.text !== text)
      throw new InsightsQueryError(`expected '${text}', found ${describe(token)}`);
    position += 1;
  };
  // A namespace, metric name or label key: double-quoted, or a bare word that is not a reserved keyword.
  const name = (what: string): string => {
    const token = peek();
    position += 1;
    if (token?.kind === 'quoted') return token.text;
    if (token?.kind === 'word') {
      if (isReservedKeyword(token.text))
        throw new InsightsQueryError(
          `${what} ${token.text} at position ${token.at} is a reserved keyword and must be enclosed in double quotes`,
        );
      return token.text;
    }
    throw new InsightsQueryError(`expected a ${what}, found ${describe(token)}`);
  };
  const func = (): InsightsFunction => {
    const token = peek();
    const upper = token?.kind === 'word' ? token.text.toUpperCase() : '';
    if (!FUNCTIONS.has(upper))
      throw new InsightsQueryError(`expected AVG, COUNT, MAX, MIN or SUM, found ${describe(token)}`);
    position += 1;
    return upper as InsightsFunction;
  };

  keyword('SELECT');
  const selected = func();
  punct('(');
  const metricName = name('metric name');
  punct(')');
  keyword('FROM');
  let namespace: string;
  let schemaKeys: string[] | undefined;
  if (isKeyword(peek(), 'SCHEMA') && tokens[position + 1]?.text === '(') {
    position += 2;
    namespace = name('namespace');
    schemaKeys = [];
    while (peek()?.text === ',') {
      position += 1;
      schemaKeys.push(name('label key'));
    }
    punct(')');
  } else {
    namespace = name('namespace');
  }
  const where: InsightsQuery['where'] = [];
  if (isKeyword(peek(), 'WHERE')) {
    position += 1;
    do {
      if (where.length > 0) position += 1;
      const key = name('label key');
      const op = peek();
      if (op?.kind !== 'punct' || (op.text !== '=' && op.text !== '!='))
        throw new InsightsQueryError(`expected = or != , found ${describe(op)}`);
      position += 1;
      const value = peek();
      if (value?.kind !== 'string')
        throw new InsightsQueryError(`label values must be enclosed in single quotes, found ${describe(value)}`);
      position += 1;
      where.push({ key, op: op.text, value: value.text });
    } while (isKeyword(peek(), 'AND'));
  }
  const groupBy: string[] = [];
  if (isKeyword(peek(), 'GROUP')) {
    position += 1;
    keyword('BY');
    groupBy.push(name('label key'));
    while (peek()?.text === ',') {
      position += 1;
      groupBy.push(name('label key'));
    }
  }
  let orderBy: InsightsQuery['orderBy'];
  if (isKeyword(peek(), 'ORDER')) {
    position += 1;
    keyword('BY');
    const orderFunc = func();
    punct('(');
    punct(')');
    let descending = false;
    if (isKeyword(peek(), 'DESC') || isKeyword(peek(), 'ASC')) {
      descending = isKeyword(peek(), 'DESC');
      position += 1;
    }
    orderBy = { func: orderFunc, descending };
  }
  let limit: number | undefined;
  if (isKeyword(peek(), 'LIMIT')) {
    position += 1;
    const token = peek();
    if (token?.kind !== 'number')
      throw new InsightsQueryError(`expected a number after LIMIT, found ${describe(token)}`);
    position += 1;
    limit = Number(token.text);
    if (limit < 1 || limit > MAX_SERIES)
      throw new InsightsQueryError(`LIMIT must be between 1 and ${MAX_SERIES}, got ${limit}`);
  }
  if (position < tokens.length) throw new InsightsQueryError(`unexpected ${describe(peek())}`);
  return {
    func: selected,
    metricName,
    namespace,
    ...(schemaKeys === undefined ? {} : { schemaKeys }),
    where,
    groupBy,
    ...(orderBy === undefined ? {} : { orderBy }),
    ...(limit === undefined ? {} : { limit }),
  };
}

/** A query returns at most this many time series. */
export const MAX_SERIES = 500;
/** A query processes at most this many metrics. */
export const MAX_METRICS = 10_000;

/** One stored metric: its identity and its value at a timestamp (epoch seconds). */
export interface StoredMetric {
  namespace: string;
  metricName: string;
  dimensions: Readonly<Record<string, string>>;
  valueAt(timestamp: number): number;
}

/** One returned time series. */
export interface InsightsSeries {
  label: string;
  values: number[];
}

/** What a query returns: the series and the operation-level messages CloudWatch attaches. */
export interface InsightsResult {
  series: InsightsSeries[];
  messages: Array<{ Code: string; Value: string }>;
}

function aggregate(func: InsightsFunction, values: number[]): number {
  switch (func) {
    case 'AVG':
      return values.reduce((sum, value) => sum + value, 0) / values.length;
    case 'SUM':
      return values.reduce((sum, value) => sum + value, 0);
    case 'MIN':
      return Math.min(...values);
    case 'MAX':
      return Math.max(...values);
    case 'COUNT':
      return values.length;
  }
}

/** Expands the dynamic values of a label (`${PROP('Dim.x')}`, `${PROP('MetricName')}`, `${LABEL}`, ...). */
function expandLabel(
  label: string,
  query: InsightsQuery,
  group: { values: string[]; members: StoredMetric[] },
  context: { region: string; account: string; period: number },
  defaultLabel: string,
): string {
  return label
    .replace(/\$\{PROP\('Dim\.([^']+)'\)\}/g, (_match, dimension: string) => {
      const grouped = query.groupBy.indexOf(dimension);
      if (grouped >= 0) return group.values[grouped] ?? 'Other';
      // Not a group key: the members' common value, when they share one.
      const values = new Set(group.members.map((metric) => metric.dimensions[dimension] ?? ''));
      return values.size === 1 ? ([...values][0] ?? '') : '';
    })
    .replace(/\$\{PROP\('MetricName'\)\}/g, query.metricName)
    .replace(/\$\{PROP\('Namespace'\)\}/g, query.namespace)
    .replace(/\$\{PROP\('Region'\)\}/g, context.region)
    .replace(/\$\{PROP\('AccountId'\)\}/g, context.account)
    .replace(/\$\{PROP\('Period'\)\}/g, String(context.period))
    .replace(/\$\{LABEL\}/g, defaultLabel);
}

/**
 * Runs a parsed query over `metrics` at `timestamps`. `seed` and `queryKey` make the arbitrary choice of
 * 500 series (no ORDER BY) deterministic for a given request and different from the default order.
 */
export function runInsightsQuery(
  query: InsightsQuery,
  metrics: readonly StoredMetric[],
  timestamps: readonly number[],
  options: { label?: string; seed: number; queryKey: string; region: string; account: string; period: number },
): InsightsResult {
  const messages: InsightsResult['messages'] = [];
  let matched = metrics.filter(
    (metric) =>
      metric.namespace === query.namespace &&
      metric.metricName === query.metricName &&
      (query.schemaKeys === undefined ||
        (Object.keys(metric.dimensions).length === query.schemaKeys.length &&
          query.schemaKeys.every((key) => Object.hasOwn(metric.dimensions, key)))) &&
      query.where.every((condition) => {
        const value = metric.dimensions[condition.key];
        return value !== undefined && (condition.op === '=' ? value === condition.value : value !== condition.value);
      }),
  );
  if (matched.length > MAX_METRICS) {
    matched = matched.slice(0, MAX_METRICS);
    messages.push({
      Code: 'MaxMatchingResultsExceeded',
      Value: `The query matched more than ${MAX_METRICS} metrics; only the first ${MAX_METRICS} were processed.`,
    });
  }
  const groups = new Map<string, { values: string[]; members: StoredMetric[] }>();
  for (const metric of matched) {
    // A metric without a GROUP BY key falls in the null group named Other.
    const values = query.groupBy.map((key) => metric.dimensions[key] ?? 'Other');
    const key = JSON.stringify(values);
    const group = groups.get(key) ?? { values, members: [] };
    group.members.push(metric);
    groups.set(key, group);
  }
  let series = [...groups.values()].map((group) => ({
    group,
    values: timestamps.map((time) =>
      aggregate(
        query.func,
        group.members.map((metric) => metric.valueAt(time)),
      ),
    ),
  }));
  // GROUP BY results come in alphabetical ascending order of the group values, unless ORDER BY says otherwise.
  series.sort((left, right) => left.group.values.join('\u0000').localeCompare(right.group.values.join('\u0000')));
  const orderBy = query.orderBy;
  if (orderBy !== undefined) {
    const score = (values: number[]): number => (values.length === 0 ? 0 : aggregate(orderBy.func, values));
    series.sort((left, right) => (score(left.values) - score(right.values)) * (orderBy.descending ? -1 : 1));
  }
  const cap = Math.min(query.limit ?? MAX_SERIES, MAX_SERIES);
  if (series.length > cap) {
    if (orderBy === undefined) {
      // No ORDER BY: "you can't control which 500 matching metrics are returned".
      const kept = new Set(
        [...series]
          .sort(
            (left, right) =>
              unitHash(options.seed, options.queryKey, ...left.group.values) -
              unitHash(options.seed, options.queryKey, ...right.group.values),
          )
          .slice(0, cap),
      );
      series = series.filter((item) => kept.has(item));
    } else {
      series = series.slice(0, cap);
    }
    if (query.limit === undefined)
      messages.push({
        Code: 'MaxQueryResultsExceeded',
        Value: `Only the first ${MAX_SERIES} time series can be returned by a query.`,
      });
  }
  return {
    series: series.map(({ group, values }) => {
      const defaultLabel = group.values.length > 0 ? group.values.join(' ') : query.metricName;
      return {
        label:
          options.label === undefined ? defaultLabel : expandLabel(options.label, query, group, options, defaultLabel),
        values,
      };
    }),
    messages,
  };
}
