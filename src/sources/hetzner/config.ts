// Keys of the Hetzner Cloud `api:` block beyond the common adapter/base_url/api_key.

import * as s from '../../core/config/schema.ts';
import { billingOverrideShape } from '../_common/derived-cost/index.ts';

/** The documented API base, version path included (hcloud-go `hcloud.Endpoint`). */
export const HETZNER_DEFAULT_BASE_URL = 'https://api.hetzner.cloud/v1';

/** Hetzner adapter configuration schema: a read-only project token, the base URL, page size, billing overrides. */
export const hetznerConfigSchema = s.object({
  base_url: s.url({ doc: 'Hetzner Cloud API base URL, version path included', default: HETZNER_DEFAULT_BASE_URL }),
  api_key: s.string({
    doc: 'Hetzner Cloud project API token (Console > project > Security > API tokens); Read is enough',
    secret: true,
    required: true,
    nonEmpty: true,
  }),
  per_page: s.number({
    doc: 'items per page on every list call (the API allows 1 to 50)',
    default: 50,
    min: 1,
    max: 50,
    integer: true,
  }),
  ...billingOverrideShape,
});

/** The validated `api:` block as the factory receives it. */
export type HetznerConfig = s.Infer<typeof hetznerConfigSchema.shape>;
