// The GCP collector: per configured project, Compute Engine inventory and Cloud Monitoring metrics, each a part
// (one failing is partial, the rest goes on). Costs (BigQuery billing export) are not in this build: a cost run
// says so in the log and the README lists it under "Not yet"; nothing pretends to be a cost.

import type { CollectContext, Source } from '../../core/source.ts';
import { PartRunner } from '../_common/part-runner.ts';
import { createTokenSource, type TokenSource } from './auth.ts';
import { COMPUTE_ENDPOINT, createComputeClient } from './client.ts';
import type { GcpConfig } from './config.ts';
import { instancesOfPage, resourceFromInstance } from './map.ts';
import { samplesFromTimeSeries } from './map-metrics.ts';
import { MONITORING_METRICS } from './metric-catalog.ts';
import { createMonitoringClient, MONITORING_ENDPOINT } from './monitoring-client.ts';

/** Creates the GCP source for one provider block. */
export function createGcpSource(config: GcpConfig, env: Record<string, string | undefined> = process.env): Source {
  return {
    async collect(context: CollectContext): Promise<void> {
      const token = createTokenSource(context.provider, config, env);
      if (context.collectCosts) {
        context.log.warn(
          { provider: context.provider, billing_export_table: config.billing_export_table ?? null },
          'GCP costs are not collected yet: the BigQuery billing export reader is not in this build',
        );
      }
      const parts = new PartRunner(context);
      for (const projectId of config.project_ids) {
        if (config.inventory)
          await parts.run(`project ${projectId} compute instances`, () =>
            collectInstances(context, config, token, projectId),
          );
        if (config.metrics)
          await parts.run(`project ${projectId} monitoring`, () => collectMetrics(context, config, token, projectId));
      }
      parts.throwIfNothingWorked();
    },
    async shutdown(): Promise<void> {},
  };
}

async function collectInstances(
  context: CollectContext,
  config: GcpConfig,
  token: TokenSource,
  projectId: string,
): Promise<void> {
  const compute = createComputeClient(context.http, {
    provider: context.provider,
    endpoint: config.endpoints.compute ?? COMPUTE_ENDPOINT,
    maxResults: config.max_results,
    token,
  });
  const seenAt = context.now.toISOString();
  for await (const page of compute.aggregatedInstances(projectId)) {
    const { instances, warnings } = instancesOfPage(page);
    for (const warning of warnings)
      if (warning.code !== 'NO_RESULTS_ON_PAGE')
        context.log.warn({ provider: context.provider, projectId, ...warning }, 'aggregatedList scope warning');
    if (page.unreachables?.length)
      context.log.warn({ provider: context.provider, projectId, unreachables: page.unreachables }, 'unreachable zones');
    const rows = instances.map((instance) =>
      resourceFromInstance(instance, { provider: context.provider, projectId, seenAt }),
    );
    if (rows.length > 0) await context.emit.resources(rows);
  }
}

/** One timeSeries.list per metric type (the filter names exactly one), pages emitted as they arrive. */
async function collectMetrics(
  context: CollectContext,
  config: GcpConfig,
  token: TokenSource,
  projectId: string,
): Promise<void> {
  const end = new Date(Math.min(context.metricsWindow.end.getTime(), context.now.getTime() - config.metrics_delay));
  const start = new Date(Math.min(context.metricsWindow.start.getTime(), end.getTime() - config.metrics_period));
  const monitoring = createMonitoringClient(context.http, {
    provider: context.provider,
    endpoint: config.endpoints.monitoring ?? MONITORING_ENDPOINT,
    periodSeconds: Math.round(config.metrics_period / 1000),
    pageSize: 1000,
    token,
  });
  for (const spec of MONITORING_METRICS) {
    for await (const page of monitoring.timeSeries(projectId, spec, { start, end })) {
      const samples = (page.timeSeries ?? []).flatMap((series) =>
        samplesFromTimeSeries(series, spec, { provider: context.provider, projectId }),
      );
      if (samples.length > 0) await context.emit.metrics(samples);
    }
  }
}
