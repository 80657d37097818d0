// The GCP collector: Compute Engine inventory per configured project, each project a part (one failing is
// partial, the rest goes on). Costs (BigQuery billing export) and Cloud Monitoring metrics are not in this
// build: a cost run says so in the log and the README lists it under "Not yet"; nothing pretends to be a cost.

import type { CollectContext, Source } from '../../core/source.ts';
import { PartRunner } from '../_common/part-runner.ts';
import { createTokenSource } from './auth.ts';
import { COMPUTE_ENDPOINT, createComputeClient } from './client.ts';
import type { GcpConfig } from './config.ts';
import { instancesOfPage, resourceFromInstance } from './map.ts';

/** Creates the GCP source for one provider block. */
export function createGcpSource(config: GcpConfig, env: Record<string, string | undefined> = process.env): Source {
  return {
    async collect(context: CollectContext): Promise<void> {
      const token = createTokenSource(context.provider, config, env);
      const compute = createComputeClient(context.http, {
        provider: context.provider,
        endpoint: config.endpoints.compute ?? COMPUTE_ENDPOINT,
        maxResults: config.max_results,
        token,
      });
      if (context.collectCosts) {
        context.log.warn(
          { provider: context.provider, billing_export_table: config.billing_export_table ?? null },
          'GCP costs are not collected yet: the BigQuery billing export reader is not in this build',
        );
      }
      const parts = new PartRunner(context);
      for (const projectId of config.project_ids) {
        await parts.run(`project ${projectId} compute instances`, async () => {
          const seenAt = context.now.toISOString();
          for await (const page of compute.aggregatedInstances(projectId)) {
            const { instances, warnings } = instancesOfPage(page);
            for (const warning of warnings)
              if (warning.code !== 'NO_RESULTS_ON_PAGE')
                context.log.warn({ provider: context.provider, projectId, ...warning }, 'aggregatedList scope warning');
            if (page.unreachables?.length)
              context.log.warn(
                { provider: context.provider, projectId, unreachables: page.unreachables },
                'unreachable zones',
              );
            const rows = instances.map((instance) =>
              resourceFromInstance(instance, { provider: context.provider, projectId, seenAt }),
            );
            if (rows.length > 0) await context.emit.resources(rows);
          }
        });
      }
      parts.throwIfNothingWorked();
    },
    async shutdown(): Promise<void> {},
  };
}
