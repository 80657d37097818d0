// The OVHcloud adapter factory (`api: {adapter: ovhcloud}` in a generic provider block).

import type { SourceFactory } from '../../core/source.ts';
import { ovhConfigSchema } from './config.ts';
import { createOvhSource } from './source.ts';

/** OVHcloud API v1: Public Cloud instances and flavors (GPU model, count), project usage, bills and details. */
export const ovhcloudFactory: SourceFactory<typeof ovhConfigSchema.shape> = {
  type: 'ovhcloud',
  role: 'adapter',
  description:
    'OVHcloud API (AK/AS/CK-signed): Public Cloud instances and flavors with GPU model and count, project usage ' +
    '(current, history) and /me/bill invoices with details as FOCUS rows',
  collects: ['cost', 'inventory', 'gpu'],
  configSchema: ovhConfigSchema,
  envOverrides: {
    ENDPOINT: 'api.endpoint',
    APPLICATION_KEY: 'api.application_key',
    APPLICATION_SECRET: 'api.application_secret',
    CONSUMER_KEY: 'api.consumer_key',
    PROJECT_ID: 'api.project_id',
  },
  // No documented limit; a maintainer said under 60 requests/min per consumer key is fine (python-ovh#81).
  defaultRateLimit: 1,
  create: ({ provider, config }) => createOvhSource(provider, config),
};
