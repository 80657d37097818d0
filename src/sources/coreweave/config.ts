// Keys of the CoreWeave `api:` block: how to reach the cluster's Kubernetes API, and the rate card.

import * as s from '../../core/config/schema.ts';
import { billingOverrideShape } from '../_common/derived-cost/index.ts';

/** CoreWeave adapter configuration schema. */
export const coreweaveConfigSchema = s.object(
  {
    base_url: s.url({ doc: "the cluster's Kubernetes API server (with api.api_key), when no kubeconfig is given" }),
    api_key: s.string({ doc: 'a ServiceAccount token sent as a bearer token (with api.base_url)', secret: true }),
    kubeconfig: s.string({
      doc: 'path to the kubeconfig CoreWeave issued for the cluster (else api.base_url + api.api_key as a bearer token)',
    }),
    context: s.string({ doc: 'kubeconfig context to use (defaults to current-context)' }),
    ca_file: s.string({ doc: 'PEM file of the API server CA (with api.base_url)' }),
    insecure_skip_verify: s.boolean({ doc: 'skip TLS verification of the API server (testing only)', default: false }),
    rate_card: s.record(
      s.string({ pattern: /^\d+(\.\d+)?$/, patternHint: 'an hourly price as a decimal string, e.g. "49.24"' }),
      { doc: 'hourly price per node instance type (node.kubernetes.io/instance-type), e.g. gd-8xh100ib-i128: "49.24"' },
    ),
    currency: s.string({
      doc: 'currency of the rate card',
      default: 'USD',
      pattern: /^[A-Z]{3}$/,
      patternHint: 'an ISO 4217 code',
    }),
    page_size: s.number({ doc: 'items per list page (`limit`)', default: 500, min: 1, max: 5000, integer: true }),
    ...billingOverrideShape,
  },
  {
    check(config, path, context) {
      if (config.kubeconfig !== undefined || config.base_url !== undefined) return;
      const message =
        "is required: set api.kubeconfig (the file CoreWeave issued), or api.base_url (the cluster's API server) with api.api_key";
      context.problems.push({ path: `${path}.kubeconfig`, message });
    },
  },
);

/** The validated `api:` block as the factory receives it. */
export type CoreweaveConfig = s.Infer<typeof coreweaveConfigSchema.shape>;
