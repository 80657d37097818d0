// Collects CoreWeave GPU nodes and GPU pods from the cluster's Kubernetes API, and prices node-hours from the
// configured rate card through the derived-cost engine (x_cost_source = rate_card).

import { CollectorError, toCollectorError } from '../../core/errors.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import { COREWEAVE_BILLING_RULE, createDerivedCostTracker, withOverrides } from '../_common/derived-cost/index.ts';
import { createCoreweaveClient } from './client.ts';
import type { CoreweaveConfig } from './config.ts';
import {
  gpuOfNode,
  instanceTypeOfNode,
  observationFromNode,
  resourceFromNode,
  resourceFromPod,
  type KubePod,
  type NodeGpu,
} from './map.ts';

/** Creates the CoreWeave source for one provider key. */
export function createCoreweaveSource(provider: string, config: CoreweaveConfig): Source {
  const rule = withOverrides(COREWEAVE_BILLING_RULE, config);
  const { rate_card: rateCard, currency } = config;
  return {
    async collect(context: CollectContext): Promise<void> {
      const client = createCoreweaveClient(context, provider, config);
      const tracker = createDerivedCostTracker(context, rule, {
        provider,
        providerName: 'CoreWeave',
        serviceName: 'CoreWeave Kubernetes Service',
        billingAccountId: client.clusterName,
        billingAccountName: null,
        currency,
        costSource: 'rate_card',
      });
      const nodeGpus = new Map<string, NodeGpu>();
      const unpriced = new Set<string>();
      // Nodes are the cost basis: any failure here fails the run (restarts on 410 are inside listPages).
      for await (const page of client.nodePages()) {
        await context.emit.resources(
          page.items.map((node) => resourceFromNode(node, provider, context.now, rateCard, currency)),
        );
        await tracker.observe(page.items.map((node) => observationFromNode(node, rateCard)));
        for (const node of page.items) {
          const gpu = gpuOfNode(node);
          nodeGpus.set(node.metadata.name, { model: gpu.model, raw: gpu.raw });
          const type = instanceTypeOfNode(node);
          if (gpu.count && (type === null || rateCard[type] === undefined))
            unpriced.add(type ?? '(no instance-type label)');
        }
      }
      if (unpriced.size > 0)
        context.log.warn(
          { provider, instanceTypes: [...unpriced] },
          `${provider}: GPU nodes of instance types missing from api.rate_card get no cost rows`,
        );
      await tracker.finish({ listingComplete: true });
      // Pods add GPU allocation to the inventory; losing them (e.g. RBAC without pods) makes the run partial.
      try {
        for await (const page of client.podPages()) {
          const rows = page.items
            .map((pod: KubePod) => resourceFromPod(pod, provider, context.now, nodeGpus))
            .filter((row) => row !== null);
          if (rows.length > 0) await context.emit.resources(rows);
        }
      } catch (error) {
        const classified = toCollectorError(error, { provider });
        if (classified.code === 'CANCELLED') throw classified;
        context.emit.partial(classified instanceof CollectorError ? classified : toCollectorError(classified));
      }
    },
    async shutdown(): Promise<void> {},
  };
}
