// Configuration of the Linode (Akamai) adapter: the keys of a provider's `api:` block.

import * as s from '../../core/config/schema.ts';

/** Linode's documented API base, version path included. */
export const LINODE_DEFAULT_BASE_URL = 'https://api.linode.com/v4';

/** The Linode adapter's `api:` keys: base_url with Linode's documented default, api_key required. */
export const linodeConfigSchema = s.object({
  base_url: s.url({ doc: 'Linode API base URL, version path included', default: LINODE_DEFAULT_BASE_URL }),
  api_key: s.string({
    doc: 'Linode personal access token with read-only scopes: Account (read only) and Linodes (read only)',
    secret: true,
    required: true,
    nonEmpty: true,
  }),
  page_size: s.number({
    doc: 'items per page on every list call (Linode allows 25 to 500)',
    default: 100,
    min: 25,
    max: 500,
    integer: true,
  }),
});

/** The validated `api:` block the factory receives (adapter and the common keys included). */
export type LinodeConfig = s.Infer<typeof linodeConfigSchema.shape>;
