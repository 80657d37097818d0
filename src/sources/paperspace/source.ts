// Collects Paperspace machines page by page (inventory) and derives their cost from usageRate × running time.

import { toCollectorError } from '../../core/errors.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import { createDerivedCostTracker, PAPERSPACE_BILLING_RULE, withOverrides } from '../_common/derived-cost/index.ts';
import { createPaperspaceClient } from './client.ts';
import type { PaperspaceConfig } from './config.ts';
import { observationFromMachine, resourceFromMachine } from './map.ts';

/** Creates the Paperspace source for one provider key. */
export function createPaperspaceSource(provider: string, config: PaperspaceConfig): Source {
  const rule = withOverrides(PAPERSPACE_BILLING_RULE, config);
  return {
    async collect(context: CollectContext): Promise<void> {
      const client = createPaperspaceClient(context.http, provider, config);
      const tracker = createDerivedCostTracker(context, rule, {
        provider,
        providerName: 'Paperspace',
        serviceName: 'Paperspace Machines',
        billingAccountId: provider,
        billingAccountName: null,
        currency: 'USD',
        costSource: 'derived',
      });
      let listingComplete = true;
      let pages = 0;
      try {
        for await (const page of client.machinePages()) {
          pages += 1;
          await context.emit.resources(
            page.items.map((machine) => resourceFromMachine(machine, provider, context.now)),
          );
          await tracker.observe(page.items.map((machine) => observationFromMachine(machine, provider)));
        }
      } catch (error) {
        // The first page failing fails the run; a later page failing keeps what was listed (partial).
        if (pages === 0) throw error;
        listingComplete = false;
        context.emit.partial(toCollectorError(error, { provider }));
      }
      await tracker.finish({ listingComplete });
    },
    async shutdown(): Promise<void> {},
  };
}
