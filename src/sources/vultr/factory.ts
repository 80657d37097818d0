// The Vultr adapter factory: a generic provider's `api:` block with `adapter: vultr`.

import type { SourceFactory } from '../../core/source.ts';
import { vultrConfigSchema } from './config.ts';
import { createVultrSource } from './source.ts';

/** Vultr API v2: instances, bare metal, plans, account, billing history, invoices and pending charges. */
export const vultrFactory: SourceFactory<typeof vultrConfigSchema.shape> = {
  type: 'vultr',
  role: 'adapter',
  description:
    'Vultr API v2: instances and bare metal with GPU model, count and price; invoices and pending charges as FOCUS rows',
  collects: ['cost', 'inventory', 'gpu'],
  configSchema: vultrConfigSchema,
  // Vultr answers 429 above 30 requests per second per source IP and sends no rate-limit headers.
  defaultRateLimit: 30,
  create: ({ provider, config }) => createVultrSource(provider, config),
};
