// The Prometheus HTTP API path is exercised against the real thing: Debian's `prometheus` scraping a simulated
// exporter host (8 GPUs under DCGM, node_exporter, vLLM). A simulator of PromQL written from our own reading
// could not catch a misreading of it; the real server's answers (envelopes, vectors and matrices, errors) can.

import type { SimulatedProvider } from '../provider.ts';
import { startExporterHost } from '../exporter-host/server.ts';
import { findBinary, promQuery, startPrometheus, waitFor } from './real-prometheus.ts';

/** `prometheus_host`: a GPU host scraped by a real Prometheus, collected through its HTTP API. */
export const prometheusHostProvider: SimulatedProvider = {
  name: 'prometheus_host',
  description: "a GPU host (DCGM, node_exporter, vLLM) scraped every second by Debian's real Prometheus, read through its API",
  async start({ seed }) {
    const binary = findBinary('prometheus');
    if (binary === undefined) {
      throw new Error("prometheus_host needs Debian's `prometheus` binary (apt-get install prometheus); it is not on PATH");
    }
    const host = await startExporterHost({ seed: seed ?? 1 });
    const target = new URL(host.metricsUrl);
    try {
      const prometheus = await startPrometheus(binary, [{ job: 'gpu', targets: [target.host], metricsPath: target.pathname }]);
      try {
        // Ready once the first scrape landed, so a collection right after start sees the host's series.
        await waitFor('Prometheus to scrape the exporter host', async () => ((await promQuery(prometheus.url, 'up{job="gpu"} == 1')).length > 0 ? true : undefined), 30_000, prometheus.log);
      } catch (error) {
        await prometheus.stop();
        throw error;
      }
      return {
        servers: [host.server],
        providerBlock: {
          enabled: true,
          collector_type: 'generic',
          display_name: 'GPU host behind Prometheus',
          prometheus_url: prometheus.url,
          prometheus_selector: 'job="gpu"',
          dcgm: true,
          node_exporter: true,
          vllm: true,
        },
        close: async () => {
          await prometheus.stop();
          await host.close();
        },
      };
    } catch (error) {
      await host.close();
      throw error;
    }
  },
};
