// The simulated `aws` provider for the demo, tests and benchmarks: one AWS simulator and the providers.yaml
// block pointing the collector at it with the payer account's fake static keys.

import type { SimulatedProvider } from '../provider.ts';
import { startAwsSimulator } from './server.ts';
import { PAYER_ACCESS_KEY, PAYER_SECRET_KEY, SIM_REGIONS } from './world.ts';

/** Registered in src/simulator/providers.ts. */
export const simulatedAws: SimulatedProvider = {
  name: 'aws',
  description:
    'AWS organization (3 accounts, 3 regions): Cost Explorer, CloudWatch, EC2 with p4d/p5/g5/g6 GPUs, S3, RDS, STS',
  async start({ seed }) {
    // Bigger Cost Explorer pages than the tests use: the demo backfills 30 days and should stay quick.
    const simulator = await startAwsSimulator({ costGroupsPerPage: 40, ...(seed === undefined ? {} : { seed }) });
    return {
      servers: [simulator.server],
      providerBlock: {
        enabled: true,
        regions: [...SIM_REGIONS],
        endpoint_url: simulator.url,
        access_key_id: PAYER_ACCESS_KEY,
        secret_access_key: PAYER_SECRET_KEY,
        // The simulated organization has opted in to resource-level data: per-instance EC2 rows, last 14 days.
        resource_costs: true,
      },
      close: () => simulator.close(),
    };
  },
};
