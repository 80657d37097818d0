// The Linode (Akamai) adapter factory: a generic provider's `api:` block with `adapter: linode`.

import type { SourceFactory } from '../../core/source.ts';
import { linodeConfigSchema } from './config.ts';
import { createLinodeSource } from './source.ts';

/** Linode API v4: instances joined to types (GPU plans, region prices), balance, invoices and items. */
export const linodeFactory: SourceFactory<typeof linodeConfigSchema.shape> = {
  type: 'linode',
  role: 'adapter',
  description:
    'Linode (Akamai) API v4: instances with GPU model, count and region price; balance, uninvoiced total, invoices and items as FOCUS rows',
  collects: ['cost', 'inventory', 'gpu'],
  configSchema: linodeConfigSchema,
  // 200/min for paginated GETs is the tightest documented collection limit; the X-RateLimit-* headers rule.
  defaultRateLimit: 3,
  create: ({ provider, config }) => createLinodeSource(provider, config),
};
