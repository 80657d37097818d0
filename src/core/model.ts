// The data model: one contract for every sink, the HTTP API and downstream consumers.
// Cost rows carry FOCUS 1.2 columns in snake_case; money and quantities are exact decimal strings.

/** FOCUS ChargeCategory values. */
export type ChargeCategory = 'Usage' | 'Purchase' | 'Tax' | 'Credit' | 'Adjustment';

/** Where a cost row's amount came from. */
export type CostSource = 'billing_api' | 'derived' | 'rate_card';

/** One FOCUS 1.2 cost row plus our `x_` extensions. Timestamps are UTC ISO-8601 (`YYYY-MM-DDTHH:mm:ssZ`). */
export interface CostRecord {
  billed_cost: string;
  effective_cost: string;
  list_cost: string;
  contracted_cost: string;
  billing_account_id: string;
  billing_account_name: string | null;
  billing_currency: string;
  billing_period_start: string;
  billing_period_end: string;
  charge_period_start: string;
  charge_period_end: string;
  charge_category: ChargeCategory;
  charge_class: 'Correction' | null;
  charge_description: string | null;
  invoice_issuer_name: string;
  provider_name: string;
  publisher_name: string;
  pricing_quantity: string | null;
  pricing_unit: string | null;
  service_category: string;
  service_name: string;
  resource_id: string | null;
  resource_name: string | null;
  resource_type: string | null;
  region_id: string | null;
  sub_account_id: string | null;
  sku_id: string | null;
  consumed_quantity: string | null;
  consumed_unit: string | null;
  tags: Record<string, string> | null;
  /** The configuration key of the provider, e.g. `runpod`. */
  provider: string;
  x_cost_source: CostSource;
  x_gpu_model: string | null;
  x_gpu_count: number | null;
  x_collected_at: string;
  /**
   * Source-chosen discriminator for rows whose FOCUS identity columns coincide (e.g. two invoice items
   * for the same resource and day). Part of the natural key; empty when not needed.
   */
  x_row_key: string;
  /**
   * The collection run that last wrote the row, set by the runtime (sources leave it out): restatement pruning keeps
   * exactly this run's rows of a complete window, whatever the clocks said when earlier rows were written.
   */
  x_run_id?: string | null;
}

/** FOCUS ServiceCategory values (fixed list). */
export const SERVICE_CATEGORIES = [
  'AI and Machine Learning',
  'Analytics',
  'Business Applications',
  'Compute',
  'Databases',
  'Developer Tools',
  'Multicloud',
  'Identity',
  'Integration',
  'Internet of Things',
  'Management and Governance',
  'Media',
  'Migration',
  'Mobile',
  'Networking',
  'Security',
  'Storage',
  'Web',
  'Other',
] as const;

/** Kinds of inventory rows. */
export type ResourceType =
  | 'instance'
  | 'bare_metal'
  | 'gpu'
  | 'gpu_node'
  | 'node'
  | 'pod'
  | 'container'
  | 'bucket'
  | 'database'
  | 'volume'
  | 'cluster'
  | 'account';

/** One inventory row: an instance, a GPU, a pod, a container, a bucket... */
export interface ResourceRecord {
  provider: string;
  resource_id: string;
  resource_name: string | null;
  resource_type: ResourceType | string;
  region_id: string | null;
  status: string | null;
  instance_type: string | null;
  gpu_model: string | null;
  gpu_count: number | null;
  vcpus: number | null;
  memory_bytes: number | null;
  /** Exact decimal string. */
  price_per_hour: string | null;
  currency: string | null;
  tags: Record<string, string> | null;
  /** Set by the sink on first insert; sources may pass the provider's creation time. */
  first_seen_at?: string | null;
  last_seen_at: string;
}

/** What a metric sample measures. */
export type MetricCategory = 'performance' | 'resource' | 'gpu' | 'application';

/** One metric sample: OpenTelemetry semantic-convention name where one exists, with its UCUM unit. */
export interface MetricSample {
  /** UTC ISO-8601 timestamp with milliseconds. */
  ts: string;
  provider: string;
  name: string;
  category: MetricCategory;
  value: number;
  unit: string;
  resource_id: string | null;
  labels: Record<string, string>;
}

/** Outcome of one provider's collection. */
export type RunStatus = 'ok' | 'partial' | 'failed';

/** One row of `collection_runs`. */
export interface CollectionRun {
  id: string;
  provider: string;
  started_at: string;
  finished_at: string | null;
  status: RunStatus | 'running';
  costs: number;
  resources: number;
  metrics: number;
  /** Redacted first error message, `CODE: message`. */
  error: string | null;
  /** Redacted details: every error with its code, API call counts, window collected. */
  details: RunDetails;
}

/** Structured details of a run, stored as JSON. */
export interface RunDetails {
  errors: Array<{ code: string; message: string }>;
  /** Calls per API operation, e.g. `{"ce:GetCostAndUsage": 2}`; Cost Explorer bills per call. */
  calls: Record<string, number>;
  window?: { start: string; end: string };
}

/** Formats a Date as FOCUS Date/Time: UTC, second precision, `Z`. */
export function focusTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
