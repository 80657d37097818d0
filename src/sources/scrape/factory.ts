// Registers the direct-scrape metrics path of the generic collector.

import type { SourceFactory } from '../../core/source.ts';
import { scrapeConfigSchema } from './config.ts';
import { createScrapeSource } from './source.ts';

/** `scrape`: scrapes exporter /metrics pages (DCGM, node_exporter, vLLM) directly, no Prometheus needed. */
export const scrapeFactory: SourceFactory<typeof scrapeConfigSchema.shape> = {
  type: 'scrape',
  role: 'metrics',
  description:
    'direct scrape of exporter /metrics (OpenMetrics or text 0.0.4): DCGM GPU, node_exporter, vLLM metrics, GPU inventory',
  collects: ['metrics', 'gpu', 'inventory'],
  configSchema: scrapeConfigSchema,
  create: ({ provider, config }) => createScrapeSource(provider, config),
};
