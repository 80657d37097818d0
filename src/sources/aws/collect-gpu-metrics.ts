// CloudWatch agent GPU metrics of one region through Metrics Insights (the agent's dimension set varies, so
// MetricStat, which needs the exact set, does not fit). One Insights query per GetMetricData request (a
// CloudWatch limit). Each series is labelled `i-…/gpuN` with dynamic labels and read only by that label; the
// group CloudWatch names Other (metrics without `InstanceId` or `index`) is dropped.

import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { CollectorError } from '../../core/errors.ts';
import type { CollectContext } from '../../core/source.ts';
import type { TimeWindow } from '../../core/window.ts';
import type { AwsAccount } from './accounts.ts';
import type { AwsClientPool } from './client.ts';
import { pagedMetricData } from './metric-data.ts';
import { GPU_METRICS } from './metric-catalog.ts';
import { insightsName } from './metrics-insights.ts';
import { gpuSeriesLabel, gpuSeriesOf, samplesFromGpuInsights } from './map.ts';

/** A GPU instance metrics are queried for. */
export interface GpuInstance {
  instanceId: string;
  gpuCount: number;
}

/** One planned Metrics Insights query (per metric). */
export interface GpuQueryPlan {
  /** The query without the metric: `FROM … [WHERE …] GROUP BY …`. */
  clauses: string;
  label: string;
  /** What the plan is, for messages: `all GPUs`, `GPU index 3`. */
  scope: string;
}

/** The queries covering every GPU of `instances`. */
export function planGpuQueries(instances: readonly GpuInstance[]): GpuQueryPlan[] {
  if (instances.length === 0) return [];
  return [
    {
      clauses: `FROM CWAgent GROUP BY ${insightsName('InstanceId')}, ${insightsName('index')}`,
      label: gpuSeriesLabel(),
      scope: 'all GPUs',
    },
  ];
}

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
      let unexpanded = 0;
      await pagedMetricData(context, pool, client, { queries, window: request.window }, async (page) => {
        const results = page.MetricDataResults ?? [];
        unexpanded += results.filter((result) => (result.Label ?? '').includes('${')).length;
        const samples = results
          .filter((result) => wanted.has(gpuSeriesOf(result.Label)?.instanceId ?? ''))
          .flatMap((result) => samplesFromGpuInsights(result, spec, series));
        if (samples.length > 0) await context.emit.metrics(samples);
      });
      if (unexpanded > 0) {
        context.emit.partial(
          new CollectorError(
            'UPSTREAM_ERROR',
            `${context.provider}: account ${account.accountId} ${region}: CloudWatch did not expand the dynamic label of the ${spec.metricName} query (${plan.scope}); ${unexpanded} series could not be attributed to a GPU and were dropped`,
            { provider: context.provider, operation: 'cloudwatch:GetMetricData' },
          ),
        );
      }
    }
  }
}
