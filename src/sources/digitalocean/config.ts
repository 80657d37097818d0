// Configuration of the DigitalOcean adapter: the keys of a provider's `api:` block beyond adapter.

import * as s from '../../core/config/schema.ts';

/** DigitalOcean's documented API base, version path included. */
export const DIGITALOCEAN_DEFAULT_BASE_URL = 'https://api.digitalocean.com/v2';

/** The DigitalOcean adapter's `api:` keys: base_url with the documented default, api_key required. */
export const digitaloceanConfigSchema = s.object({
  base_url: s.url({ doc: 'DigitalOcean API base URL, version path included', default: DIGITALOCEAN_DEFAULT_BASE_URL }),
  api_key: s.string({
    doc: 'DigitalOcean personal access token, read-only (custom scopes droplet:read, sizes:read, billing:read)',
    secret: true,
    required: true,
    nonEmpty: true,
  }),
  per_page: s.number({
    doc: 'items per page on every list call (DigitalOcean allows 1..200, default 20)',
    default: 200,
    min: 1,
    max: 200,
    integer: true,
  }),
});

/** The validated `api:` block the factory receives (adapter and the common keys included). */
export type DigitaloceanConfig = s.Infer<typeof digitaloceanConfigSchema.shape>;
