// CloudWatch GetMetricData: every EC2/RDS series of a region in batches of up to 500 queries per call, over
// the metrics window shifted behind CloudWatch's publication delay; NextToken followed. GPU metrics of the
// CloudWatch agent (Metrics Insights) only where GPUs run: collect-gpu-metrics.ts.

import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { CollectContext } from '../../core/source.ts';
import type { TimeWindow } from '../../core/window.ts';
import type { AwsAccount } from './accounts.ts';
import type { AwsClientPool } from './client.ts';
import type { AwsConfig } from './config.ts';
import type { MonitoredDatabase, MonitoredInstance } from './collect-inventory.ts';
import { collectGpuMetrics } from './collect-gpu-metrics.ts';
import { pagedMetricData } from './metric-data.ts';
import { EC2_METRICS, RDS_METRICS, type CloudWatchMetricSpec } from './metric-catalog.ts';
import { samplesFromMetricData } from './map.ts';

/** GetMetricData accepts at most 500 queries per request. */
export const QUERIES_PER_REQUEST = 500;

/**
 * The window to query: the run's metrics window moved back by the publication delay and aligned to whole
 * periods, so consecutive runs tile without gaps or half-filled buckets. Undefined when empty.
 */
export function cloudWatchWindow(window: TimeWindow, periodMs: number, delayMs: number): TimeWindow | undefined {
  const align = (time: number): number => Math.floor((time - delayMs) / periodMs) * periodMs;
  const start = align(window.start.getTime());
  const end = align(window.end.getTime());
  return start < end ? { start: new Date(start), end: new Date(end) } : undefined;
}

interface PlannedQuery {
  spec: CloudWatchMetricSpec;
  dimensionValue: string;
  resourceId: string;
}

/** Collects EC2, RDS and GPU metrics of one region. */
export async function collectMetrics(
  context: CollectContext,
  pool: AwsClientPool,
  account: AwsAccount,
  region: string,
  config: AwsConfig,
  targets: { instances: MonitoredInstance[]; databases: MonitoredDatabase[] },
): Promise<void> {
  const window = cloudWatchWindow(context.metricsWindow, config.metrics_period, config.metrics_delay);
  if (window === undefined) return;
  const planned: PlannedQuery[] = [
    ...targets.instances.flatMap((instance) =>
      EC2_METRICS.map((spec) => ({ spec, dimensionValue: instance.instanceId, resourceId: instance.instanceId })),
    ),
    ...targets.databases.flatMap((db) =>
      RDS_METRICS.map((spec) => ({ spec, dimensionValue: db.identifier, resourceId: db.resourceId })),
    ),
  ];
  const periodSeconds = Math.round(config.metrics_period / 1000);
  const client = pool.cloudWatch(account.credentials, region);
  const series = { provider: context.provider, accountId: account.accountId, region };
  for (let offset = 0; offset < planned.length; offset += QUERIES_PER_REQUEST) {
    const batch = planned.slice(offset, offset + QUERIES_PER_REQUEST);
    const queries: MetricDataQuery[] = batch.map((query, index) => ({
      Id: `q${index}`,
      MetricStat: {
        Metric: {
          Namespace: query.spec.namespace,
          MetricName: query.spec.metricName,
          Dimensions: [{ Name: query.spec.dimension, Value: query.dimensionValue }],
        },
        Period: periodSeconds,
        Stat: query.spec.stat,
      },
      ReturnData: true,
    }));
    await pagedMetricData(context, pool, client, { queries, window }, async (page) => {
      const samples = (page.MetricDataResults ?? []).flatMap((result) => {
        const query = batch[Number((result.Id ?? '').slice(1))];
        return query
          ? samplesFromMetricData(result, query.spec, { ...series, resourceId: query.resourceId }, periodSeconds)
          : [];
      });
      if (samples.length > 0) await context.emit.metrics(samples);
    });
  }
  const gpuInstances = targets.instances.filter((instance) => instance.gpuCount > 0);
  if (config.gpu_metrics && gpuInstances.length > 0)
    await collectGpuMetrics(context, pool, account, region, { window, periodSeconds, instances: gpuInstances });
}
