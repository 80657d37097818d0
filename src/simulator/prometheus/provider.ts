// The Prometheus HTTP API path is exercised against the real thing: Debian's `prometheus` scraping a simulated
// exporter host (8 GPUs under DCGM, node_exporter, vLLM). A simulator of PromQL written from our own reading
// could not catch a misreading of it; the real server's answers (envelopes, vectors and matrices, errors) can.

import type { SimulatedProvider } from '../provider.ts';
import { startExporterHost } from '../exporter-host/server.ts';
import { startSimServer, type SimResponse, type SimServer } from '../server.ts';
import { findBinary, promQuery, startPrometheus, waitFor } from './real-prometheus.ts';

/** `prometheus_host`: a GPU host scraped by a real Prometheus, collected through its HTTP API. */
export const prometheusHostProvider: SimulatedProvider = {
  name: 'prometheus_host',
  description:
    "a GPU host (DCGM, node_exporter, vLLM) scraped every second by Debian's real Prometheus, read through its API",
  async start({ seed }) {
    const binary = findBinary('prometheus');
    if (binary === undefined) {
      throw new Error(
        "prometheus_host needs Debian's `prometheus` binary (apt-get install prometheus); it is not on PATH",
      );
    }
    const host = await startExporterHost({ seed: seed ?? 1 });
    const target = new URL(host.metricsUrl);
    try {
      const prometheus = await startPrometheus(binary, [
        { job: 'gpu', targets: [target.host], metricsPath: target.pathname },
      ]);
      try {
        // Ready once the first scrape landed, so a collection right after start sees the host's series.
        await waitFor(
          'Prometheus to scrape the exporter host',
          async () => ((await promQuery(prometheus.url, 'up{job="gpu"} == 1')).length > 0 ? true : undefined),
          30_000,
          prometheus.log,
        );
      } catch (error) {
        await prometheus.stop();
        throw error;
      }
      let front: SimServer;
      try {
        front = await startFront(prometheus.url);
      } catch (error) {
        await prometheus.stop();
        throw error;
      }
      return {
        servers: [front],
        providerBlock: {
          enabled: true,
          collector_type: 'generic',
          display_name: 'GPU host behind Prometheus',
          prometheus_url: front.url,
          prometheus_selector: 'job="gpu"',
          // DCGM, node_exporter and vLLM are detected: no switches needed.
        },
        close: async () => {
          await front.close();
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

/**
 * A pass-through in front of the real Prometheus, so tests can inject faults (429, 5xx, stalls, resets) between the
 * collector and its API, and count requests, as with every other simulated upstream. Faulting the exporter host
 * instead would only change what Prometheus scrapes, seconds later.
 */
function startFront(upstream: string): Promise<SimServer> {
  return startSimServer({
    name: 'prometheus',
    routes: [
      {
        method: '*',
        path: /\/.*/,
        async handle(request): Promise<SimResponse> {
          const type = request.headers['content-type'];
          const headers: Record<string, string> = type ? { 'content-type': type } : {};
          const response = await fetch(`${upstream}${request.path}${request.url.search}`, {
            method: request.method,
            headers,
            body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
            signal: AbortSignal.timeout(30_000),
          });
          const body = Buffer.from(await response.arrayBuffer());
          const passed = response.headers.get('content-type');
          const returned: Record<string, string> = passed === null ? {} : { 'content-type': passed };
          return { status: response.status, headers: returned, body };
        },
      },
    ],
  });
}
