// The Paperspace adapter factory (`api: {adapter: paperspace}` in a generic provider block).

import type { SourceFactory } from '../../core/source.ts';
import { paperspaceConfigSchema } from './config.ts';
import { createPaperspaceSource } from './source.ts';

/** Paperspace (DigitalOcean): machines, derived cost. */
export const paperspaceFactory: SourceFactory<typeof paperspaceConfigSchema.shape> = {
  type: 'paperspace',
  role: 'adapter',
  description:
    'Paperspace API v1: machines (accelerators, state, region, usage rate); cost derived from usageRate × running time (per-second)',
  collects: ['inventory', 'cost', 'gpu'],
  configSchema: paperspaceConfigSchema,
  // Limits are undocumented and no rate-limit headers are sent: pace conservatively.
  defaultRateLimit: 2,
  create: ({ provider, config }) => createPaperspaceSource(provider, config),
};
