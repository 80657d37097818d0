// The Prometheus API path of the generic collector: checks `up` (a down target makes the run partial with
// TARGET_DOWN), asks once which metric names the selector has (detection: only rules whose series exist run),
// lists hosts from node_exporter's info series, then runs every detected rule as an instant query at the
// window's end, or as a range query filling the window since the last run; counters are read cumulative and
// with rate() over a range, so the first collect already has rates. Prometheus unreachable fails the run
// (throw); a bad query is partial; names present but none matching an enabled metric set is partial. A query
// answering more than prometheus_series_limit series is partial (TARGET_LIMIT_EXCEEDED), its answer dropped.

import { CollectorError, toCollectorError, type ErrorCode } from '../../core/errors.ts';
import type { GenericConfig } from '../../core/config/types.ts';
import { focusTime, type ResourceRecord } from '../../core/model.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import {
  addressOf,
  createGpuInventory,
  createHostFacts,
  customPatternsFor,
  customRules,
  enabledSets,
  expectedSets,
  hostResource,
  httpClientFor,
  mergeSelector,
  noteHostFact,
  queriesForRule,
  ruleRequiredNames,
  rulesFor,
  type HostFacts,
  type MetricRule,
  type RuleQuery,
} from '../_common/metric-sets/index.ts';
import { PrometheusClient, type PromAnswer } from './client.ts';
import { promValue, samplesFromAnswer, seriesLabels, stepSecondsFor } from './map.ts';

/** Tuning that is not user configuration. */
export interface PrometheusSourceOptions {
  /** Smallest range-query step (default 60 s). */
  minStepSeconds?: number;
  /** Shortest rate() window (default 5m); widened to the step for long steps. */
  minRateWindowSeconds?: number;
  /** Queries in flight at once (default 4). */
  concurrency?: number;
}

/** Failures that mean Prometheus itself cannot be used: the run fails instead of going on query by query. */
const FATAL: ReadonlySet<ErrorCode> = new Set([
  'NETWORK',
  'TIMEOUT',
  'AUTH_FAILED',
  'CIRCUIT_OPEN',
  'CANCELLED',
  'UPSTREAM_UNAVAILABLE',
  'RESPONSE_TOO_LARGE',
]);

/** The series a query reads, for detection: every group needs one name present. */
function queryNeeds(query: RuleQuery): string[][] {
  const { rule } = query;
  if (rule.promql !== undefined) return [];
  if (rule.kind === 'gauge' || rule.kind === 'counter' || rule.kind === 'rate') return [[query.sourceMetric]];
  if (rule.kind === 'quantile') return [[`${query.sourceMetric}_bucket`]];
  return ruleRequiredNames(rule);
}

/** Creates the Prometheus API source for one generic provider. */
export function createPrometheusSource(
  provider: string,
  config: GenericConfig,
  options: PrometheusSourceOptions = {},
): Source {
  const selection = {
    dcgm: config.dcgm,
    node_exporter: config.node_exporter,
    vllm: config.vllm,
    queries: config.queries,
    metrics: config.metrics,
  };
  const baseRules = rulesFor(selection);
  const custom = customPatternsFor(selection);
  const sets = enabledSets(selection);
  const nodeOn = sets.some((set) => set.key === 'node_exporter');
  return {
    async collect(context: CollectContext): Promise<void> {
      if (config.prometheus_url === undefined)
        throw new CollectorError('CONFIG_INVALID', `${provider}: prometheus_url is not set`, { provider });
      const client = new PrometheusClient(
        httpClientFor(context, config.prometheus_auth),
        config.prometheus_url,
        provider,
        config.prometheus_series_limit,
      );
      const { start, end } = context.metricsWindow;
      const windowMs = end.getTime() - start.getTime();
      const step = stepSecondsFor(windowMs, options.minStepSeconds ?? 60);
      const useRange = windowMs > step * 1000;
      const rateWindowSeconds = Math.max(options.minRateWindowSeconds ?? 300, step);
      const rateWindow = `${rateWindowSeconds}s`;
      const selector = config.prometheus_selector;
      const run = (expression: string): Promise<PromAnswer> =>
        useRange ? client.queryRange(expression, start, end, step) : client.query(expression, end);
      const logNotes = (answer: PromAnswer, expression: string): void => {
        if (answer.warnings.length > 0)
          context.log.warn(
            { provider, query: expression, warnings: answer.warnings },
            `${provider}: Prometheus warned about a query`,
          );
        if (answer.infos.length > 0)
          context.log.info(
            { provider, query: expression, infos: answer.infos },
            `${provider}: Prometheus notes about a query`,
          );
      };

      // Reachability and target health first: unreachable throws (the run fails), down targets are partial.
      const upExpression = mergeSelector('up', selector);
      const up = await client.query(upExpression, end);
      logNotes(up, upExpression);
      const upSeries = up.data.resultType === 'vector' ? up.data.result : [];
      if (upSeries.length === 0)
        context.log.warn(
          { provider, query: upExpression },
          `${provider}: no Prometheus target matches ${upExpression}`,
        );
      for (const series of upSeries) {
        if (Number(series.value[1]) === 0) {
          const target = `${series.metric.job ?? '?'}/${series.metric.instance ?? '?'}`;
          context.emit.partial(
            new CollectorError(
              'TARGET_DOWN',
              `${provider}: Prometheus target ${target} is down (up == 0) according to ${client.url}`,
              { provider, url: client.url },
            ),
          );
        }
      }

      // Detection: one call for the metric names the selector has over the window (plus the rate window, so a
      // counter seen only just before the window still counts). Without it every rule runs.
      const namesStart = new Date(Math.min(start.getTime(), end.getTime() - rateWindowSeconds * 1000));
      const match =
        selector === undefined || selector.trim() === '' ? undefined : `{${selector.trim().replace(/^\{|\}$/g, '')}}`;
      let names: Set<string> | undefined;
      try {
        names = new Set(await client.labelValues('__name__', match, namesStart, end));
      } catch (thrown) {
        const error = toCollectorError(thrown, { provider, url: client.url });
        if (FATAL.has(error.code)) throw error;
        context.log.warn(
          { provider, code: error.code },
          `${provider}: could not list metric names (${error.message}); running every rule`,
        );
      }
      const present = (groups: string[][]): boolean =>
        names === undefined || groups.every((group) => group.some((name) => names.has(name)));

      const globRules: MetricRule[] = [];
      if (names !== undefined && custom.hasGlobs)
        for (const name of [...names].sort())
          if (!custom.exact.includes(name) && custom.matches(name))
            globRules.push(...customRules(name, name.endsWith('_total') ? 'counter' : 'gauge'));
      const queries = [...baseRules, ...globRules]
        .flatMap((rule) => queriesForRule(rule, selector, rateWindow))
        .filter((query) => present(queryNeeds(query)));

      // Hosts before metrics, so host series are emitted carrying their host's resource id.
      const hostIds = new Map<string, string>();
      const hosts: ResourceRecord[] = [];
      if (nodeOn && present([['node_cpu_seconds_total', 'node_uname_info', 'node_memory_MemTotal_bytes']]))
        hosts.push(...(await listHosts(provider, client, selector, end, focusTime(context.now), hostIds, context)));
      const hostOf = (labels: Record<string, string>): string | undefined => {
        const instance = labels.instance;
        if (instance === undefined) return undefined;
        return hostIds.get(`${labels.job ?? ''}\u0000${instance}`) ?? hostIds.get(addressOf(instance));
      };

      const inventory = createGpuInventory();
      let failed = 0;
      let skipped = 0;
      let stored = 0;
      let fatal: CollectorError | undefined;
      const runOne = async (query: RuleQuery): Promise<void> => {
        try {
          const answer = await run(query.expression);
          logNotes(answer, query.expression);
          const mapped = samplesFromAnswer(provider, query, answer.data);
          skipped += mapped.skipped;
          if (query.rule.exporter === 'dcgm' && query.rule.kind === 'gauge')
            for (const labels of seriesLabels(answer.data)) inventory.add(labels);
          if (hostIds.size > 0)
            for (const sample of mapped.samples) sample.resource_id ??= hostOf(sample.labels) ?? null;
          stored += mapped.samples.length;
          if (mapped.samples.length > 0) await context.emit.metrics(mapped.samples);
        } catch (thrown) {
          const error = toCollectorError(thrown, { provider, url: client.url });
          if (FATAL.has(error.code)) {
            fatal ??= error;
            return;
          }
          failed += 1;
          context.emit.partial(
            new CollectorError(error.code, `${query.rule.name}: ${error.message}`, error.context, {
              cause: error,
              kind: error.kind,
            }),
          );
        }
      };
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < queries.length && fatal === undefined && !context.signal.aborted) {
          const query = queries[next]!;
          next += 1;
          await runOne(query);
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, queries.length) }, worker));
      if (fatal) throw fatal;
      if (skipped > 0) {
        context.emit.dropped('non_finite_values', skipped);
        context.log.debug({ skipped }, `${provider}: skipped ${skipped} NaN/Inf points from Prometheus`);
      }
      if (queries.length > 0 && failed === queries.length)
        throw new CollectorError('UPSTREAM_ERROR', `${provider}: every Prometheus query failed at ${client.url}`, {
          provider,
          url: client.url,
        });
      const where = `Prometheus ${client.url}${match ? ` (${match})` : ''}`;
      if (names !== undefined && names.size > 0 && stored === 0 && hosts.length === 0) {
        const enabled = [
          ...sets.map((set) => set.key),
          ...(config.metrics.length > 0 ? [`metrics: ${config.metrics.join(', ')}`] : []),
        ].join(', ');
        const detected = queries.filter((query) => query.rule.promql === undefined).length;
        context.emit.partial(
          new CollectorError(
            'NO_MATCHING_METRICS',
            detected === 0
              ? `${provider}: ${where} has ${names.size} metric names, none matched an enabled metric set (${enabled})`
              : `${provider}: ${where} has series for ${detected} queries of the enabled metric sets (${enabled}), but they answered no samples in the window`,
            { provider, url: client.url },
          ),
        );
      }
      if (names !== undefined)
        for (const set of expectedSets(selection))
          if (![...names].some((name) => name.startsWith(set.prefix)))
            context.emit.partial(
              new CollectorError(
                'NO_MATCHING_METRICS',
                `${provider}: ${set.key} is true, but ${where} has no ${set.title} series (${set.prefix}*)`,
                { provider, url: client.url },
              ),
            );
      const resources = [...hosts, ...inventory.resources(provider, focusTime(context.now))];
      if (resources.length > 0) await context.emit.resources(resources);
    },
    async shutdown(): Promise<void> {
      // Clients belong to the runtime's context; nothing to release.
    },
  };
}

/**
 * Host rows from node_exporter's series at `end` (one query each for uname, OS, CPU count and memory), keyed
 * in `hostIds` by job + instance and by address; a failed query leaves its facts out.
 */
async function listHosts(
  provider: string,
  client: PrometheusClient,
  selector: string | undefined,
  end: Date,
  lastSeenAt: string,
  hostIds: Map<string, string>,
  context: CollectContext,
): Promise<ResourceRecord[]> {
  const byTarget = new Map<string, HostFacts>();
  const factsOf = (labels: Record<string, string>): HostFacts => {
    const key = `${labels.job ?? ''}\u0000${labels.instance ?? ''}`;
    let facts = byTarget.get(key);
    if (facts === undefined) byTarget.set(key, (facts = createHostFacts(labels.instance, labels.job)));
    return facts;
  };
  const queries: Array<[string, (labels: Record<string, string>, value: number) => void]> = [
    ['node_uname_info', (labels, value) => noteHostFact(factsOf(labels), 'node_uname_info', labels, value)],
    ['node_os_info', (labels, value) => noteHostFact(factsOf(labels), 'node_os_info', labels, value)],
    [
      'node_memory_MemTotal_bytes',
      (labels, value) => noteHostFact(factsOf(labels), 'node_memory_MemTotal_bytes', labels, value),
    ],
    [
      'count without (cpu, mode) (node_cpu_seconds_total{mode="idle"})',
      (labels, value) => {
        factsOf(labels).cpuCount = value;
      },
    ],
  ];
  for (const [expression, note] of queries) {
    const merged = mergeSelector(expression, selector);
    try {
      const answer = await client.query(merged, end);
      if (answer.data.resultType !== 'vector') continue;
      for (const item of answer.data.result) note(item.metric, promValue(item.value[1]));
    } catch (thrown) {
      const error = toCollectorError(thrown, { provider, url: client.url });
      if (FATAL.has(error.code)) throw error;
      context.log.warn({ provider, code: error.code }, `${provider}: host inventory query failed: ${error.message}`);
    }
  }
  const rows: ResourceRecord[] = [];
  const seen = new Set<string>();
  for (const [key, facts] of byTarget) {
    const row = hostResource(provider, facts, lastSeenAt);
    if (!row) continue;
    hostIds.set(key, row.resource_id);
    if (facts.instance !== undefined) hostIds.set(addressOf(facts.instance), row.resource_id);
    if (seen.has(row.resource_id)) continue;
    seen.add(row.resource_id);
    rows.push(row);
  }
  return rows;
}
