// Keys of the Paperspace `api:` block beyond the common adapter/base_url/api_key.

import * as s from '../../core/config/schema.ts';
import { billingOverrideShape, type BillingOverrides } from '../_common/derived-cost/index.ts';

/** The documented API base, version path included. */
export const PAPERSPACE_DEFAULT_BASE_URL = 'https://api.paperspace.com/v1';

/** Paperspace adapter configuration schema. */
export const paperspaceConfigSchema = s.object({
  page_size: s.number({ doc: 'machines requested per page (`limit`)', default: 100, min: 1, max: 1000, integer: true }),
  ...billingOverrideShape,
});

/** The validated `api:` block as the factory receives it. */
export interface PaperspaceConfig extends BillingOverrides {
  base_url?: string | undefined;
  api_key?: string | undefined;
  page_size?: number | undefined;
}
