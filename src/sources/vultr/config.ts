// Configuration of the Vultr adapter: the keys of a provider's `api:` block beyond adapter/base_url/api_key.

import * as s from '../../core/config/schema.ts';

/** Vultr's documented API base, version path included. */
export const VULTR_DEFAULT_BASE_URL = 'https://api.vultr.com/v2';

/** The Vultr adapter's `api:` keys (base_url and api_key restated here to give them a default and make the key required). */
export const vultrConfigSchema = s.object({
  base_url: s.url({ doc: "Vultr API base URL, version path included", default: VULTR_DEFAULT_BASE_URL }),
  api_key: s.string({ doc: 'Vultr personal access token (Account > API); needs the billing and subscriptions_view ACLs', secret: true, required: true, nonEmpty: true }),
  per_page: s.number({ doc: 'items per page on every list call (Vultr allows up to 500)', default: 100, min: 1, max: 500, integer: true }),
});

/** The validated `api:` block the factory receives. */
export interface VultrConfig {
  base_url: string;
  api_key: string;
  per_page: number;
}

/** Reads the validated block (already checked by the loader) into a typed config. */
export function vultrConfigFrom(raw: Record<string, unknown>): VultrConfig {
  return {
    base_url: typeof raw.base_url === 'string' ? raw.base_url.replace(/\/+$/, '') : VULTR_DEFAULT_BASE_URL,
    api_key: typeof raw.api_key === 'string' ? raw.api_key : '',
    per_page: typeof raw.per_page === 'number' ? raw.per_page : 100,
  };
}
