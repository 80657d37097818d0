// The GCP dedicated collector: Compute Engine inventory and Cloud Monitoring over REST with a bearer token (no SDK).

import type { SourceFactory } from '../../core/source.ts';
import { gcpConfigSchema } from './config.ts';
import { createGcpSource } from './source.ts';

/** Registered in src/sources/index.ts as type `gcp`, role `dedicated`. */
export const gcpFactory: SourceFactory<typeof gcpConfigSchema.shape> = {
  type: 'gcp',
  role: 'dedicated',
  description:
    'Google Cloud: Compute Engine inventory with GPU model and count, Cloud Monitoring metrics (billing export: not yet)',
  collects: ['inventory', 'metrics', 'gpu'],
  configSchema: gcpConfigSchema,
  envOverrides: { PROJECT_IDS: 'project_ids', ACCESS_TOKEN: 'access_token', CREDENTIALS_FILE: 'credentials_file' },
  // Compute read requests: a per-project per-minute quota (UNVERIFIED figure); a modest pace stays well under it.
  defaultRateLimit: 10,
  // No SDK is loaded (plain REST through the runtime's HTTP client): no worker thread needed.
  create: ({ config }) => createGcpSource(config),
};
