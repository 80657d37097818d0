// The Lambda Labs adapter factory (`api: {adapter: lambda_labs}` in a generic provider block).

import type { SourceFactory } from '../../core/source.ts';
import { lambdaConfigSchema } from './config.ts';
import { createLambdaSource } from './source.ts';

/** Lambda Cloud: instances, instance types, derived cost. */
export const lambdaLabsFactory: SourceFactory<typeof lambdaConfigSchema.shape> = {
  type: 'lambda_labs',
  role: 'adapter',
  description:
    'Lambda Cloud API: instances and instance types; cost derived from price_cents_per_hour × runtime (per-minute)',
  collects: ['inventory', 'cost', 'gpu'],
  configSchema: lambdaConfigSchema,
  // The API documents "generally one request per second" and no rate-limit headers.
  defaultRateLimit: 1,
  create: ({ provider, config }) => createLambdaSource(provider, config),
};
