// Configuration of the Vultr adapter: the keys of a provider's `api:` block beyond adapter/base_url/api_key.

import * as s from '../../core/config/schema.ts';

/** Vultr's documented API base, version path included. */
export const VULTR_DEFAULT_BASE_URL = 'https://api.vultr.com/v2';

/** The Vultr adapter's `api:` keys: base_url with Vultr's documented default, api_key required. */
export const vultrConfigSchema = s.object({
  base_url: s.url({ doc: 'Vultr API base URL, version path included', default: VULTR_DEFAULT_BASE_URL }),
  api_key: s.string({
    doc: 'Vultr personal access token (Account > API); needs the billing and subscriptions_view ACLs',
    secret: true,
    required: true,
    nonEmpty: true,
  }),
  per_page: s.number({
    doc: 'items per page on every list call (Vultr allows up to 500)',
    default: 100,
    min: 1,
    max: 500,
    integer: true,
  }),
});

/** The validated `api:` block the factory receives (adapter and the common keys included). */
export type VultrConfig = s.Infer<typeof vultrConfigSchema.shape>;
