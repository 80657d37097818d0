// The Prometheus API path of the generic collector: checks `up` (a down target makes the run partial with
// TARGET_DOWN), then runs every metric rule as an instant query at the window's end, or as a range query
// filling the window since the last run. Prometheus unreachable fails the run (throw); a bad query is partial.

import { CollectorError, toCollectorError, type ErrorCode } from '../../core/errors.ts';
import type { GenericConfig } from '../../core/config/types.ts';
import { focusTime } from '../../core/model.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import {
  createGpuInventory,
  httpClientFor,
  mergeSelector,
  queriesForRule,
  rulesFor,
  type RuleQuery,
} from '../_common/metric-sets/index.ts';
import { PrometheusClient, type PromAnswer } from './client.ts';
import { samplesFromAnswer, seriesLabels, stepSecondsFor } from './map.ts';

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

/** Creates the Prometheus API source for one generic provider. */
export function createPrometheusSource(
  provider: string,
  config: GenericConfig,
  options: PrometheusSourceOptions = {},
): Source {
  return {
    async collect(context: CollectContext): Promise<void> {
      if (config.prometheus_url === undefined)
        throw new CollectorError('CONFIG_INVALID', `${provider}: prometheus_url is not set`, { provider });
      const client = new PrometheusClient(
        httpClientFor(context, config.prometheus_auth),
        config.prometheus_url,
        provider,
      );
      const { start, end } = context.metricsWindow;
      const windowMs = end.getTime() - start.getTime();
      const step = stepSecondsFor(windowMs, options.minStepSeconds ?? 60);
      const useRange = windowMs > step * 1000;
      const rateWindow = `${Math.max(options.minRateWindowSeconds ?? 300, step)}s`;
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
      const upExpression = mergeSelector('up', config.prometheus_selector);
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

      const rules = rulesFor({
        dcgm: config.dcgm,
        node_exporter: config.node_exporter,
        vllm: config.vllm,
        queries: config.queries,
        metrics: config.metrics,
      });
      const queries = rules.flatMap((rule) => queriesForRule(rule, config.prometheus_selector, rateWindow));
      const inventory = createGpuInventory();
      let failed = 0;
      let skipped = 0;
      let fatal: CollectorError | undefined;
      const runOne = async (query: RuleQuery): Promise<void> => {
        try {
          const answer = await run(query.expression);
          logNotes(answer, query.expression);
          const mapped = samplesFromAnswer(provider, query, answer.data);
          skipped += mapped.skipped;
          if (query.rule.exporter === 'dcgm' && query.rule.kind === 'gauge')
            for (const labels of seriesLabels(answer.data)) inventory.add(labels);
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
      if (skipped > 0) context.log.debug({ skipped }, `${provider}: skipped ${skipped} NaN/Inf points from Prometheus`);
      if (queries.length > 0 && failed === queries.length)
        throw new CollectorError('UPSTREAM_ERROR', `${provider}: every Prometheus query failed at ${client.url}`, {
          provider,
          url: client.url,
        });
      if (inventory.size > 0) await context.emit.resources(inventory.resources(provider, focusTime(context.now)));
    },
    async shutdown(): Promise<void> {
      // Clients belong to the runtime's context; nothing to release.
    },
  };
}
