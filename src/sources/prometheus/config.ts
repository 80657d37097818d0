// The prometheus component's own keys: none. Its settings are the generic provider block's keys
// (prometheus_url, prometheus_selector, prometheus_auth, dcgm, node_exporter, vllm, queries, metrics;
// see genericShape in src/core/config/app-schema.ts).

import * as s from '../../core/config/schema.ts';
import { genericShape } from '../../core/config/app-schema.ts';

/** The generic provider keys this metrics path reads (they live in the provider block, not a sub-block). */
export const prometheusConfigSchema = s.object(genericShape);
