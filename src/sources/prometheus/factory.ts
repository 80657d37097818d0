// Registers the Prometheus HTTP API metrics path of the generic collector.

import type { SourceFactory } from '../../core/source.ts';
import { prometheusConfigSchema } from './config.ts';
import { createPrometheusSource } from './source.ts';

/** `prometheus`: reads DCGM, node_exporter, vLLM and custom metrics through a Prometheus HTTP API. */
export const prometheusFactory: SourceFactory<typeof prometheusConfigSchema.shape> = {
  type: 'prometheus',
  role: 'metrics',
  description: 'Prometheus HTTP API: DCGM GPU, node_exporter, vLLM and custom PromQL metrics, GPU inventory',
  collects: ['metrics', 'gpu', 'inventory'],
  configSchema: prometheusConfigSchema,
  create: ({ provider, config }) => createPrometheusSource(provider, config),
};
