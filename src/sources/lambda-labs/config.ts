// Keys of the Lambda `api:` block beyond the common adapter/base_url/api_key.

import * as s from '../../core/config/schema.ts';
import { billingOverrideShape, type BillingOverrides } from '../_common/derived-cost/index.ts';

/** The documented API base, version path included. */
export const LAMBDA_DEFAULT_BASE_URL = 'https://cloud.lambda.ai/api/v1';

/** Lambda adapter configuration schema (only billing-rule overrides; the price comes from the API). */
export const lambdaConfigSchema = s.object({ ...billingOverrideShape });

/** The validated `api:` block as the factory receives it. */
export interface LambdaConfig extends BillingOverrides {
  base_url?: string | undefined;
  api_key?: string | undefined;
}
