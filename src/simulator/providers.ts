// THE list of simulated providers, used by the demo, tests and benchmarks.

import type { SimulatedProvider } from './provider.ts';
import { simulatedAws } from './aws/provider.ts';
import { gcpSimulation } from './gcp/index.ts';
import { coreweaveSimulation } from './coreweave/index.ts';
import { lambdaLabsSimulation } from './lambda-labs/index.ts';
import { hetznerSimulation } from './hetzner/index.ts';
import { paperspaceSimulation } from './paperspace/index.ts';
import { vultrSimulatedProvider } from './vultr/server.ts';
import { runpodSimulatedProvider } from './runpod/server.ts';
import { linodeSimulatedProvider } from './linode/server.ts';
import { ovhcloudSimulation } from './ovhcloud/index.ts';
import { digitaloceanSimulatedProvider } from './digitalocean/server.ts';
import { exporterHostProvider } from './exporter-host/provider.ts';
import { prometheusHostProvider } from './prometheus/provider.ts';

/** Every simulated provider, by name. */
export const SIMULATED_PROVIDERS: readonly SimulatedProvider[] = [
  simulatedAws,
  gcpSimulation,
  lambdaLabsSimulation,
  coreweaveSimulation,
  paperspaceSimulation,
  exporterHostProvider,
  prometheusHostProvider,
  vultrSimulatedProvider,
  runpodSimulatedProvider,
  hetznerSimulation,
  linodeSimulatedProvider,
  ovhcloudSimulation,
  digitaloceanSimulatedProvider,
];

/** Finds a simulated provider by name. */
export function simulatedProvider(name: string): SimulatedProvider | undefined {
  return SIMULATED_PROVIDERS.find((provider) => provider.name === name);
}
