// The Hetzner Cloud adapter factory (`api: {adapter: hetzner}` in a generic provider block).

import type { SourceFactory } from '../../core/source.ts';
import { hetznerConfigSchema } from './config.ts';
import { createHetznerSource } from './source.ts';

/** Hetzner Cloud: servers, server types, primary IPs, volumes and the price list; derived cost. */
export const hetznerFactory: SourceFactory<typeof hetznerConfigSchema.shape> = {
  type: 'hetzner',
  role: 'adapter',
  description:
    'Hetzner Cloud API: servers, server types, primary IPs, volumes, per-location prices; cost derived hourly, capped monthly',
  collects: ['inventory', 'cost'],
  configSchema: hetznerConfigSchema,
  // 3600 requests per hour and project, refilled one per second; the client also pauses on RateLimit-* headers.
  defaultRateLimit: 1,
  create: ({ provider, config }) => createHetznerSource(provider, config),
};
