// The RunPod adapter factory: a generic provider's `api:` block with `adapter: runpod`.

import type { SourceFactory } from '../../core/source.ts';
import { runpodConfigSchema } from './config.ts';
import { createRunpodSource } from './source.ts';

/** RunPod: pods from REST v2, billing buckets from REST v2, balance and spend rate from GraphQL. */
export const runpodFactory: SourceFactory<typeof runpodConfigSchema.shape> = {
  type: 'runpod',
  role: 'adapter',
  description: 'RunPod REST v2 pods and billing buckets as FOCUS rows, balance and spend rate from GraphQL',
  collects: ['cost', 'inventory', 'gpu'],
  configSchema: runpodConfigSchema,
  envOverrides: { GRAPHQL_URL: 'api.graphql_url' },
  // REST v2 documents per-user windows (example policy: 60 per minute) in structured `RateLimit` headers;
  // one request per second stays inside the minute window, and 429s carry Retry-After.
  defaultRateLimit: 1,
  create: ({ provider, config }) => createRunpodSource(provider, config),
};
