// The scrape component's own keys: none. Its settings are the generic provider block's keys
// (scrape_targets, scrape_auth, dcgm, node_exporter, vllm, metrics; see genericShape in src/core/config/app-schema.ts).

import * as s from '../../core/config/schema.ts';
import { genericShape } from '../../core/config/app-schema.ts';

/** The generic provider keys this metrics path reads (they live in the provider block, not a sub-block). */
export const scrapeConfigSchema = s.object(genericShape);
