// The prometheus component's own keys: none. Its settings are the generic provider block's keys
// (prometheus_url, prometheus_selector, prometheus_auth, dcgm, node_exporter, vllm, queries, metrics;
// see genericShape in src/core/config/app-schema.ts).

import * as s from '../../core/config/schema.ts';

/** Empty: the keys live in the generic provider block. */
export const prometheusConfigSchema = s.object({});
