// Collects Lambda instances (inventory) and derives their cost from price_cents_per_hour × observed runtime.

import { CollectorError, toSourceError } from '../../core/errors.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import { createDerivedCostTracker, LAMBDA_BILLING_RULE, withOverrides } from '../_common/derived-cost/index.ts';
import { createLambdaClient } from './client.ts';
import type { LambdaConfig } from './config.ts';
import {
  observationFromInstance,
  priceListFromInstanceTypes,
  resourceFromInstance,
  type LambdaInstanceType,
} from './map.ts';

/** Creates the Lambda source for one provider key. */
export function createLambdaSource(provider: string, config: LambdaConfig): Source {
  const rule = withOverrides(LAMBDA_BILLING_RULE, config);
  return {
    async collect(context: CollectContext): Promise<void> {
      const client = createLambdaClient(context.http, provider, config);
      let priceList = new Map<string, LambdaInstanceType>();
      try {
        priceList = priceListFromInstanceTypes(await client.listInstanceTypes());
      } catch (error) {
        // The price list only fills gaps; instances carry their own price. Auth failures still fail the run.
        if (error instanceof CollectorError && error.code === 'AUTH_FAILED') throw error;
        context.emit.partial(toSourceError(error, { provider }));
      }
      const instances = await client.listInstances();
      await context.emit.resources(
        instances.map((instance) => resourceFromInstance(instance, provider, context.now, priceList)),
      );
      const tracker = createDerivedCostTracker(context, rule, {
        provider,
        providerName: 'Lambda',
        serviceName: 'Lambda On-Demand Cloud',
        billingAccountId: provider,
        billingAccountName: null,
        currency: 'USD',
        costSource: 'derived',
      });
      await tracker.observe(instances.map((instance) => observationFromInstance(instance, provider, priceList)));
      await tracker.finish({ listingComplete: true });
    },
    async shutdown(): Promise<void> {},
  };
}
