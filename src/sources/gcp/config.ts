// The keys of a `providers.gcp` block. Validated whole by the loader; unknown keys are rejected.

import * as s from '../../core/config/schema.ts';
import type { ParseContext } from '../../core/config/schema.ts';

/** A project ID: 6–30 lowercase letters, digits and hyphens, starting with a letter (Resource Manager rules). */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** `project.dataset.table` of the billing export (the project part may contain hyphens and a domain prefix). */
const EXPORT_TABLE = /^[a-z0-9][a-z0-9:.-]*[a-z0-9]\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/;

/** Private or simulator endpoints of the three APIs. */
export const endpointsSchema = s.object({
  bigquery: s.url({ doc: 'BigQuery API root (default https://bigquery.googleapis.com)' }),
  monitoring: s.url({ doc: 'Cloud Monitoring API root (default https://monitoring.googleapis.com)' }),
  compute: s.url({ doc: 'Compute Engine API root (default https://compute.googleapis.com)' }),
});

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** http is allowed for a loopback simulator only: a bearer token must not cross a network in clear text. */
function checkEndpoints(endpoints: s.Infer<typeof endpointsSchema.shape>, path: string, context: ParseContext): void {
  for (const [key, value] of Object.entries(endpoints)) {
    if (value === undefined) continue;
    const url = new URL(value);
    if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
      context.problems.push({
        path: `${path}.endpoints.${key}`,
        message: `http is allowed on loopback only (127.0.0.1, localhost, [::1]); use https for ${url.hostname}`,
      });
    }
  }
}

/** The GCP provider's configuration schema. */
export const gcpConfigSchema = s.object(
  {
    project_ids: s.list(
      s.string({ pattern: PROJECT_ID, patternHint: 'a project ID like ml-prod-4821 (6-30 of a-z, 0-9, -)' }),
      { doc: 'projects whose Compute inventory (and later Monitoring metrics) is collected' },
    ),
    billing_export_table: s.string({
      doc: 'project.dataset.table of the Cloud Billing export to BigQuery (cost collection: not in this build yet)',
      pattern: EXPORT_TABLE,
      patternHint: 'project.dataset.gcp_billing_export_resource_v1_XXXXXX_XXXXXX_XXXXXX',
    }),
    billing_project_id: s.string({
      doc: "project the BigQuery query job runs in (default: the export table's project)",
      pattern: PROJECT_ID,
      patternHint: 'a project ID like billing-admin',
    }),
    credentials_file: s.string({
      doc: 'service-account key JSON (default: GOOGLE_APPLICATION_CREDENTIALS); signs self-signed JWTs, no token exchange',
    }),
    access_token: s.string({
      doc: 'a short-lived OAuth access token instead (e.g. `gcloud auth print-access-token`)',
      secret: true,
    }),
    endpoints: endpointsSchema,
    inventory: s.boolean({ doc: 'collect Compute Engine instances (instances.aggregatedList)', default: true }),
    metrics: s.boolean({
      doc: 'collect Cloud Monitoring metrics: CPU, network, disk, Ops Agent GPU (timeSeries.list)',
      default: true,
    }),
    metrics_period: s.duration({
      doc: 'Cloud Monitoring alignment period (aggregation.alignmentPeriod, at least 60s)',
      default: 300_000,
      min: 60_000,
    }),
    metrics_delay: s.duration({
      doc: 'how far the metrics window ends behind now (Monitoring publishes a few minutes late)',
      default: 240_000,
    }),
    max_results: s.number({
      doc: 'instances per aggregatedList page (maxResults, 1 to 500)',
      default: 500,
      min: 1,
      max: 500,
      integer: true,
    }),
  },
  {
    check(value, path, context) {
      // "is required" problems are ignored while the provider is disabled, like missing credentials.
      if (value.project_ids.length === 0)
        context.problems.push({ path: `${path}.project_ids`, message: 'is required: name at least one project ID' });
      if (value.access_token !== undefined && value.credentials_file !== undefined)
        context.problems.push({
          path: `${path}.access_token`,
          message: 'set access_token or credentials_file, not both',
        });
      checkEndpoints(value.endpoints, path, context);
    },
  },
);

/** The parsed GCP configuration. */
export type GcpConfig = s.Infer<typeof gcpConfigSchema.shape>;
