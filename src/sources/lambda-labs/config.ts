// Keys of the Lambda `api:` block beyond the common adapter/base_url/api_key.

import * as s from '../../core/config/schema.ts';
import { billingOverrideShape } from '../_common/derived-cost/index.ts';

/** The documented API base, version path included. */
export const LAMBDA_DEFAULT_BASE_URL = 'https://cloud.lambda.ai/api/v1';

/** Lambda adapter configuration schema: the API key, the base URL, and billing-rule overrides (the price comes from the API). */
export const lambdaConfigSchema = s.object({
  base_url: s.url({ doc: 'Lambda Cloud API base URL, version path included', default: LAMBDA_DEFAULT_BASE_URL }),
  api_key: s.string({
    doc: 'Lambda Cloud API key (Settings > API keys)',
    secret: true,
    required: true,
    nonEmpty: true,
  }),
  ...billingOverrideShape,
});

/** The validated `api:` block as the factory receives it. */
export type LambdaConfig = s.Infer<typeof lambdaConfigSchema.shape>;
