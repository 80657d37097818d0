// The AWS dedicated collector's factory: Cost Explorer, CloudWatch, EC2, S3 and RDS on the official SDK v3.

import type { SourceFactory } from '../../core/source.ts';
import { awsConfigSchema } from './config.ts';
import { createAwsSource } from './source.ts';

/** Registered in src/sources/index.ts as type `aws`, role `dedicated`. */
export const awsFactory: SourceFactory<typeof awsConfigSchema.shape> = {
  type: 'aws',
  role: 'dedicated',
  description: 'AWS: Cost Explorer costs, CloudWatch metrics (EC2, RDS, NVIDIA GPUs), EC2/S3/RDS inventory',
  collects: ['cost', 'inventory', 'metrics', 'gpu'],
  configSchema: awsConfigSchema,
  // AWS_REGIONS=us-east-1,eu-west-1 or AWS_REGIONS=all. AWS_ENDPOINT_URL(_<SERVICE>) is read by the SDK itself.
  envOverrides: { REGIONS: 'regions', GROUP_BY: 'group_by' },
  // A conservative pace under the API throttles (Cost Explorer's is the lowest); `rate_limit` overrides it.
  defaultRateLimit: 10,
  // The SDK clients cost ~95 MB that V8 never returns: each run happens in a worker thread freed afterwards.
  isolate: { module: import.meta.url, export: 'awsFactory' },
  create: ({ config }) => createAwsSource(config),
};
