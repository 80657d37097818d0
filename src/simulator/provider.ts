// What a simulated provider contributes: its servers and the providers.yaml block that points at them.
// `src/simulator/providers.ts` lists them; the demo, tests and benchmarks start them by name.

import type { SimServer } from './server.ts';

/** A started simulated provider. */
export interface RunningSimulation {
  servers: SimServer[];
  /** The provider block (as YAML-ready JSON) pointing the collector at these servers. */
  providerBlock: Record<string, unknown>;
  close(): Promise<void>;
}

/** A simulated provider, registered in src/simulator/providers.ts. */
export interface SimulatedProvider {
  /** Provider name in providers.yaml, e.g. `runpod`. */
  name: string;
  description: string;
  /** Starts the servers with deterministic data derived from `seed`. */
  start(options: { seed?: number }): Promise<RunningSimulation>;
}
