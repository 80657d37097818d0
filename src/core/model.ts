// The data model: one contract for every sink, the HTTP API and downstream consumers.
// Cost rows carry FOCUS 1.2 columns in snake_case; money and quantities are exact decimal strings.

import type { RunOwner } from './run-owner.ts';

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
  /** The billed resource's GPU model: its canonical id (src/core/gpu-catalog.ts), or the raw name when unknown. */
  x_gpu_model: string | null;
  /** GPUs of the billed resource; a fraction for a share of one GPU (0.05 = a 4 GB slice of an 80 GB card). */
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
  /** Canonical GPU model id (`H100-SXM5-80GB`, src/core/gpu-catalog.ts); the raw name when the catalog lacks it. */
  gpu_model: string | null;
  /** The GPU name exactly as the provider reported it; null when it named none. Absent means null. */
  gpu_model_raw?: string | null;
  /** GPUs this row describes; a fraction for a share of one GPU (0.05 = a 4 GB slice of an 80 GB card). */
  gpu_count: number | null;
  vcpus: number | null;
  memory_bytes: number | null;
  /** Exact decimal string. */
  price_per_hour: string | null;
  currency: string | null;
  tags: Record<string, string> | null;
  /**
   * The resource (same provider) that contains the same hardware: a DCGM GPU's host or instance, a pod's node.
   * A row whose parent states a GPU count describes GPUs the parent already counts (src/core/gpu-count.ts).
   * Absent means null.
   */
  parent_resource_id?: string | null;
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
  /** What storage could not answer during the run and is done once it does (see DeferredWork). */
  deferred?: DeferredWork[];
  /** The process that ran it: a run left `running` is marked interrupted only once that process is gone. */
  owner?: RunOwner;
  /** What the sources dropped instead of storing, by reason (absent when nothing was). */
  dropped?: DroppedCounts;
}

/**
 * Why collected data was dropped: `non_finite_values` are NaN and ±Inf values (and DCGM's blank sentinels),
 * which no sink stores as data; `invalid_lines` are exposition lines that do not parse.
 */
export type DropReason = 'non_finite_values' | 'invalid_lines';

/** Counts of dropped data by reason. */
export type DroppedCounts = Partial<Record<DropReason, number>>;

/**
 * Work a run left for when storage answers again (it was unreachable and had no copy of what the run needed):
 * `cost_checkpoint` / `metrics_checkpoint`: the window came from a safe default and the checkpoint was not
 * advanced, so the next run re-collects from the stored one (idempotently); `source_state`: state could not
 * be read, so the run's state writes only create missing keys and the costs derived from it were not written.
 */
export type DeferredWork = 'cost_checkpoint' | 'metrics_checkpoint' | 'source_state';

/** Formats a Date as FOCUS Date/Time: UTC, second precision, `Z`. */
export function focusTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
