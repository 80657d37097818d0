// CloudWatch agent GPU metrics of one region through Metrics Insights (the agent's dimension set varies, so
// MetricStat, which needs the exact set, does not fit). One Insights query per GetMetricData request (a
// CloudWatch limit). A query returns at most 500 series, and without ORDER BY which 500 is arbitrary: when the
// region's GPUs could come near that, each metric is queried once per GPU index (`WHERE "index" = 'N'`, one
// series per instance), and a cap still hit is reported as partial. Each series is labelled `i-…/gpuN` with
// dynamic labels and read only by that label; the group CloudWatch names Other is dropped.

import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { CollectorError } from '../../core/errors.ts';
import type { CollectContext } from '../../core/source.ts';
import type { TimeWindow } from '../../core/window.ts';
import type { AwsAccount } from './accounts.ts';
import type { AwsClientPool } from './client.ts';
import { pagedMetricData } from './metric-data.ts';
import { GPU_METRICS } from './metric-catalog.ts';
import { insightsName, insightsValue } from './metrics-insights.ts';
import { gpuSeriesLabel, gpuSeriesOf, samplesFromGpuInsights } from './map.ts';

/** A GPU instance metrics are queried for. */
export interface GpuInstance {
  instanceId: string;
  gpuCount: number;
}

/** A Metrics Insights query returns at most this many time series. */
export const MAX_SERIES_PER_QUERY = 500;

/**
 * Series one query is planned for at most: headroom below the cap for GPU instances the inventory did not see
 * (terminated within the window) and the Other groups.
 */
export const PLANNED_SERIES_PER_QUERY = 450;

/** One planned Metrics Insights query (per metric). */
export interface GpuQueryPlan {
  /** The query without the metric: `FROM … [WHERE …] GROUP BY …`. */
  clauses: string;
  label: string;
  /** What the plan covers, for messages: `all GPUs`, `GPU index 3`. */
  scope: string;
  /** Series expected from the inventory (Other groups included). */
  expectedSeries: number;
}

/**
 * The queries covering every GPU of `instances`: one `GROUP BY InstanceId, "index"` when all series fit well
 * under the cap, else one query per GPU index. With the agent's aggregated metrics each instance adds an Other
 * group to the first form; the per-index form leaves them out (they have no `index`).
 */
export function planGpuQueries(instances: readonly GpuInstance[]): GpuQueryPlan[] {
  const gpus = instances.filter((instance) => instance.gpuCount > 0);
  const allSeries = gpus.reduce((sum, instance) => sum + instance.gpuCount + 1, 0);
  if (gpus.length === 0) return [];
  if (allSeries <= PLANNED_SERIES_PER_QUERY) {
    return [
      {
        clauses: `FROM CWAgent GROUP BY ${insightsName('InstanceId')}, ${insightsName('index')}`,
        label: gpuSeriesLabel(),
        scope: 'all GPUs',
        expectedSeries: allSeries,
      },
    ];
  }
  const maxGpus = Math.max(...gpus.map((instance) => instance.gpuCount));
  return Array.from({ length: maxGpus }, (_, index) => ({
    clauses: `FROM CWAgent WHERE ${insightsName('index')} = ${insightsValue(String(index))} GROUP BY ${insightsName('InstanceId')}`,
    label: gpuSeriesLabel(String(index)),
    scope: `GPU index ${index}`,
    expectedSeries: gpus.filter((instance) => instance.gpuCount > index).length,
  }));
}

/** CloudWatch's operation messages saying a query's results were cut (series cap, metrics processed). */
const CAP_MESSAGES = new Set(['MaxQueryResultsExceeded', 'MaxMatchingResultsExceeded']);

/** Collects the agent's GPU metrics of `instances` (one region), emitting samples page by page. */
export async function collectGpuMetrics(
  context: CollectContext,
  pool: AwsClientPool,
  account: AwsAccount,
  region: string,
  request: { window: TimeWindow; periodSeconds: number; instances: readonly GpuInstance[] },
): Promise<void> {
  const client = pool.cloudWatch(account.credentials, region);
  const series = { provider: context.provider, accountId: account.accountId, region };
  const wanted = new Set(request.instances.map((instance) => instance.instanceId));
  const plans = planGpuQueries(request.instances);
  const capped: string[] = [];
  let unexpanded = 0;
  for (const spec of GPU_METRICS) {
    for (const plan of plans) {
      const queries: MetricDataQuery[] = [
        {
          Id: 'gpu',
          Expression: `SELECT AVG(${insightsName(spec.metricName)}) ${plan.clauses}`,
          Label: plan.label,
          Period: request.periodSeconds,
          ReturnData: true,
        },
      ];
      const labels = new Set<string>();
      const messages = new Set<string>();
      await pagedMetricData(context, pool, client, { queries, window: request.window }, async (page) => {
        const results = page.MetricDataResults ?? [];
        for (const message of [...(page.Messages ?? []), ...results.flatMap((result) => result.Messages ?? [])])
          if (message.Code !== undefined) messages.add(message.Code);
        for (const result of results) labels.add(result.Label ?? '');
        unexpanded += results.filter((result) => (result.Label ?? '').includes('${')).length;
        const samples = results
          .filter((result) => wanted.has(gpuSeriesOf(result.Label)?.instanceId ?? ''))
          .flatMap((result) => samplesFromGpuInsights(result, spec, series));
        if (samples.length > 0) await context.emit.metrics(samples);
      });
      // A series split across pages comes back under the same label: count labels, not results.
      const cut = [...messages].filter((code) => CAP_MESSAGES.has(code));
      if (labels.size >= MAX_SERIES_PER_QUERY || cut.length > 0)
        capped.push(
          `${spec.metricName} (${plan.scope}: ${labels.size} series${cut.length > 0 ? `, ${cut.join(', ')}` : ''})`,
        );
    }
  }
  const where = `${context.provider}: account ${account.accountId} ${region}`;
  if (capped.length > 0) {
    context.emit.partial(
      new CollectorError(
        'UPSTREAM_ERROR',
        `${where}: Metrics Insights returns at most ${MAX_SERIES_PER_QUERY} series per query, and which ones is arbitrary: some GPU series may be missing from ${capped.join('; ')}`,
        { provider: context.provider, operation: 'cloudwatch:GetMetricData' },
      ),
    );
  }
  if (unexpanded > 0) {
    context.emit.partial(
      new CollectorError(
        'UPSTREAM_ERROR',
        `${where}: CloudWatch did not expand the dynamic labels of the GPU queries; ${unexpanded} series could not be attributed to a GPU and were dropped`,
        { provider: context.provider, operation: 'cloudwatch:GetMetricData' },
      ),
    );
  }
}
