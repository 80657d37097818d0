// The exporter host as a simulated provider: one host with 8 H100s (DCGM), node_exporter and vLLM, and the
// generic provider block that scrapes it directly.

import type { SimulatedProvider } from '../provider.ts';
import { startExporterHost } from './server.ts';

/** `exporter_host`: a GPU inference host scraped directly by the generic collector. */
export const exporterHostProvider: SimulatedProvider = {
  name: 'exporter_host',
  description: 'a GPU host running dcgm-exporter (8 GPUs), node_exporter and vLLM, scraped directly',
  async start({ seed }) {
    const host = await startExporterHost({ seed: seed ?? 1 });
    return {
      servers: [host.server],
      providerBlock: {
        enabled: true,
        collector_type: 'generic',
        display_name: 'Simulated exporter host',
        scrape_targets: [host.metricsUrl],
        // DCGM, node_exporter and vLLM are detected: no switches needed.
      },
      close: () => host.close(),
    };
  },
};
