// The CoreWeave adapter factory (`api: {adapter: coreweave}` in a generic provider block).

import type { SourceFactory } from '../../core/source.ts';
import { coreweaveConfigSchema } from './config.ts';
import { createCoreweaveSource } from './source.ts';

/** CoreWeave: Kubernetes GPU nodes and GPU pods; rate-card cost per instance type. */
export const coreweaveFactory: SourceFactory<typeof coreweaveConfigSchema.shape> = {
  type: 'coreweave',
  role: 'adapter',
  description:
    "CoreWeave via the cluster's Kubernetes API: GPU nodes and GPU pods; node-hours priced from a configured rate card (per-minute)",
  collects: ['inventory', 'cost', 'gpu'],
  configSchema: coreweaveConfigSchema,
  // client-go's default client-side pacing (QPS 5); API Priority and Fairness answers 429 + Retry-After beyond.
  defaultRateLimit: 5,
  create: ({ provider, config }) => createCoreweaveSource(provider, config),
};
