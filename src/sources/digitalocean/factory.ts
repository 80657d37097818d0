// The DigitalOcean adapter factory: a generic provider's `api:` block with `adapter: digitalocean`.

import type { SourceFactory } from '../../core/source.ts';
import { digitaloceanConfigSchema } from './config.ts';
import { createDigitaloceanSource } from './source.ts';

/** DigitalOcean API v2: Droplets, GPU Droplets, sizes, balance, billing history, invoices and the preview. */
export const digitaloceanFactory: SourceFactory<typeof digitaloceanConfigSchema.shape> = {
  type: 'digitalocean',
  role: 'adapter',
  description:
    'DigitalOcean API v2: Droplets and GPU Droplets with GPU model, count and price; invoice items and the ' +
    'month-to-date preview as FOCUS rows that add up to each invoice',
  collects: ['cost', 'inventory', 'gpu'],
  configSchema: digitaloceanConfigSchema,
  // 250 requests a minute per token (burst limit; 5,000 an hour): about 4 a second. ratelimit-* headers and
  // Retry-After slow the client further when the account's other users spend the quota.
  defaultRateLimit: 4,
  create: ({ provider, config }) => createDigitaloceanSource(provider, config),
};
