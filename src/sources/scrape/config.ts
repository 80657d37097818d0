// The scrape component's own keys: none. Its settings are the generic provider block's keys
// (scrape_targets, scrape_auth, dcgm, node_exporter, vllm, metrics; see genericShape in src/core/config/app-schema.ts).

import * as s from '../../core/config/schema.ts';

/** Empty: the keys live in the generic provider block. */
export const scrapeConfigSchema = s.object({});
