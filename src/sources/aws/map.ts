// Pure mapping from AWS API payloads (as the SDK v3 returns them) to the collector's model.
// No I/O here: tests feed recorded payloads from testdata/.

import { compareDecimals, upstreamDecimal } from '../../core/decimal.ts';
import type { ChargeCategory, CostRecord, MetricSample, ResourceRecord } from '../../core/model.ts';
import { gpuModelColumns } from '../../core/gpu-catalog.ts';
import { focusTime } from '../../core/model.ts';
import type { CloudWatchMetricSpec, GpuMetricSpec } from './metric-catalog.ts';
import { serviceCategoryOf } from './service-category.ts';

// ---- Cost Explorer -------------------------------------------------------------------------------

/** A Cost Explorer amount: a decimal string (plain or E-notation) and its unit. */
export interface CostExplorerAmount {
  Amount?: string;
  Unit?: string;
}

/** One page of GetCostAndUsage output (the fields we read). */
export interface CostExplorerPage {
  ResultsByTime?: Array<{
    TimePeriod?: { Start?: string; End?: string };
    Groups?: Array<{ Keys?: string[]; Metrics?: Record<string, CostExplorerAmount> }>;
    Estimated?: boolean;
  }>;
  DimensionValueAttributes?: Array<{ Value?: string; Attributes?: Record<string, string> }>;
  NextPageToken?: string;
}

/** The Cost Explorer metrics requested, and which FOCUS column each feeds (see README). */
export const COST_METRICS = ['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost', 'UsageQuantity'] as const;

/** What a cost page is mapped with. */
export interface CostMappingContext {
  /** Provider config key. */
  provider: string;
  /** Account whose Cost Explorer was queried (the payer when grouping by LINKED_ACCOUNT). */
  billingAccountId: string;
  billingAccountName: string | null;
  /** Second group-by dimension beside SERVICE. */
  secondDimension: 'REGION' | 'LINKED_ACCOUNT';
  /** LINKED_ACCOUNT id -> name (from DimensionValueAttributes of earlier pages). */
  accountNames: ReadonlyMap<string, string>;
  collectedAt: string;
}

/** Account names carried by a page (DimensionValueAttributes, when grouped by LINKED_ACCOUNT). */
export function accountNamesFromCostExplorer(page: CostExplorerPage): Map<string, string> {
  const names = new Map<string, string>();
  for (const attribute of page.DimensionValueAttributes ?? []) {
    const name = attribute.Attributes?.description;
    if (attribute.Value && name) names.set(attribute.Value, name);
  }
  return names;
}

/** One group of a page: what an unusable amount's error names (provider, metric, service, day). */
interface AmountSource {
  provider: string;
  service: string;
  day: string;
}

function amountOf(metrics: Record<string, CostExplorerAmount> | undefined, metric: string, at: AmountSource): string {
  const amount = metrics?.[metric]?.Amount;
  if (amount === undefined || amount === '') return '0';
  return upstreamDecimal(amount, { provider: at.provider, field: `${metric}.Amount of ${at.service} on ${at.day}` });
}

/**
 * Cost Explorer bills Savings Plans fees (recurring and upfront) under SERVICE values of their own, such as
 * "Savings Plans for AWS Compute usage": the usage they cover is billed under the services that ran it.
 */
const SAVINGS_PLANS_FEES = /^Savings Plans\b/i;

function chargeCategoryOf(service: string, billed: string): ChargeCategory {
  if (service === 'Tax') return 'Tax';
  if (SAVINGS_PLANS_FEES.test(service)) return 'Purchase';
  if (compareDecimals(billed, '0') < 0) return 'Credit';
  return 'Usage';
}

function regionOf(value: string): string | null {
  return value === '' || value === 'NoRegion' ? null : value;
}

function utcDate(isoDay: string): Date {
  return new Date(`${isoDay}T00:00:00Z`);
}

/** FOCUS cost rows from one GetCostAndUsage page (DAILY, grouped by SERVICE and one more dimension). */
export function costRecordsFromCostExplorer(page: CostExplorerPage, context: CostMappingContext): CostRecord[] {
  const rows: CostRecord[] = [];
  for (const result of page.ResultsByTime ?? []) {
    const start = result.TimePeriod?.Start;
    const end = result.TimePeriod?.End;
    if (!start || !end) continue;
    const periodStart = utcDate(start);
    const billingStart = new Date(Date.UTC(periodStart.getUTCFullYear(), periodStart.getUTCMonth(), 1));
    const billingEnd = new Date(Date.UTC(periodStart.getUTCFullYear(), periodStart.getUTCMonth() + 1, 1));
    for (const group of result.Groups ?? []) {
      const service = group.Keys?.[0] ?? '';
      const second = group.Keys?.[1] ?? '';
      const at = { provider: context.provider, service, day: start };
      const billed = amountOf(group.Metrics, 'UnblendedCost', at);
      const usage = group.Metrics?.UsageQuantity;
      // UsageQuantity summed across a service's usage types has unit "N/A": a meaningless number then.
      const usageUnit = usage?.Unit && usage.Unit !== 'N/A' ? usage.Unit : null;
      const quantity = usageUnit === null ? null : amountOf(group.Metrics, 'UsageQuantity', at);
      const category = chargeCategoryOf(service, billed);
      const subAccountId = context.secondDimension === 'LINKED_ACCOUNT' ? second : context.billingAccountId;
      rows.push({
        billed_cost: billed,
        effective_cost: amountOf(group.Metrics, 'AmortizedCost', at),
        list_cost: billed,
        contracted_cost: amountOf(group.Metrics, 'NetUnblendedCost', at),
        billing_account_id: context.billingAccountId,
        billing_account_name: context.billingAccountName,
        billing_currency: group.Metrics?.UnblendedCost?.Unit ?? 'USD',
        billing_period_start: focusTime(billingStart),
        billing_period_end: focusTime(billingEnd),
        charge_period_start: focusTime(periodStart),
        charge_period_end: focusTime(utcDate(end)),
        charge_category: category,
        charge_class: null,
        charge_description: `${service}${context.secondDimension === 'REGION' && regionOf(second) ? ` in ${second}` : ''}${result.Estimated ? ' (estimated)' : ''}`,
        invoice_issuer_name: 'AWS',
        provider_name: 'AWS',
        publisher_name: 'AWS',
        pricing_quantity: category === 'Usage' ? quantity : null,
        pricing_unit: category === 'Usage' ? usageUnit : null,
        service_category: serviceCategoryOf(service),
        service_name: service,
        resource_id: null,
        resource_name: null,
        resource_type: null,
        region_id: context.secondDimension === 'REGION' ? regionOf(second) : null,
        sub_account_id: subAccountId,
        sku_id: null,
        consumed_quantity: category === 'Usage' ? quantity : null,
        consumed_unit: category === 'Usage' ? usageUnit : null,
        tags:
          context.secondDimension === 'LINKED_ACCOUNT' && context.accountNames.has(second)
            ? { 'aws:account-name': context.accountNames.get(second) ?? '' }
            : null,
        provider: context.provider,
        x_cost_source: 'billing_api',
        x_gpu_model: null,
        x_gpu_count: null,
        x_collected_at: context.collectedAt,
        x_row_key: '',
      });
    }
  }
  return rows;
}

// ---- EC2, S3, RDS inventory -----------------------------------------------------------------------

/** An AWS tag list entry. */
export interface AwsTag {
  Key?: string;
  Value?: string;
}

/** One EC2 instance of DescribeInstances output (the fields we read). */
export interface Ec2Instance {
  InstanceId?: string;
  InstanceType?: string;
  State?: { Name?: string };
  Placement?: { AvailabilityZone?: string };
  InstanceLifecycle?: string;
  Tags?: AwsTag[];
}

/** One entry of DescribeInstanceTypes output (the fields we read). */
export interface Ec2InstanceTypeInfo {
  InstanceType?: string;
  VCpuInfo?: { DefaultVCpus?: number };
  MemoryInfo?: { SizeInMiB?: number };
  GpuInfo?: {
    Gpus?: Array<{ Name?: string; Manufacturer?: string; Count?: number; MemoryInfo?: { SizeInMiB?: number } }>;
    TotalGpuMemoryInMiB?: number;
  };
}

/** What an instance type brings: CPUs, memory and GPUs. */
export interface InstanceTypeDetails {
  vcpus: number | null;
  memoryBytes: number | null;
  /** Catalog id (`A100-SXM4-40GB` for p4d's `NVIDIA A100`), else the name as AWS reports it. */
  gpuModel: string | null;
  /** `<manufacturer> <name>` as AWS reports them, e.g. `NVIDIA A100`. */
  gpuModelRaw: string | null;
  gpuCount: number | null;
  gpuMemoryBytes: number | null;
}

const MIB = 1_048_576;

/** Details of an instance type from DescribeInstanceTypes. */
export function instanceTypeDetails(info: Ec2InstanceTypeInfo): InstanceTypeDetails {
  const gpus = info.GpuInfo?.Gpus ?? [];
  const first = gpus[0];
  const gpuCount = gpus.reduce((sum, gpu) => sum + (gpu.Count ?? 0), 0);
  // The name lacks the variant (`A100`: 40 or 80 GB, SXM4 or PCIe); the instance type and the MiB per GPU say it.
  const { gpu_model, gpu_model_raw } = gpuModelColumns(
    first?.Name ? [first.Manufacturer, first.Name].filter(Boolean).join(' ') : null,
    {
      instanceType: info.InstanceType ?? null,
      memoryBytes: first?.MemoryInfo?.SizeInMiB === undefined ? null : first.MemoryInfo.SizeInMiB * MIB,
    },
  );
  return {
    vcpus: info.VCpuInfo?.DefaultVCpus ?? null,
    memoryBytes: info.MemoryInfo?.SizeInMiB === undefined ? null : info.MemoryInfo.SizeInMiB * MIB,
    gpuModel: gpu_model,
    gpuModelRaw: gpu_model_raw,
    gpuCount: gpuCount > 0 ? gpuCount : null,
    gpuMemoryBytes: info.GpuInfo?.TotalGpuMemoryInMiB === undefined ? null : info.GpuInfo.TotalGpuMemoryInMiB * MIB,
  };
}

/** Where an inventory row was seen. */
export interface InventoryContext {
  provider: string;
  accountId: string;
  region: string;
  seenAt: string;
}

function tagsOf(tags: AwsTag[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) result[tag.Key] = tag.Value ?? '';
  return result;
}

/** An inventory row for an EC2 instance; lifecycle, zone and account go into `aws:` tags. */
export function resourceFromInstance(
  instance: Ec2Instance,
  details: InstanceTypeDetails | undefined,
  context: InventoryContext,
): ResourceRecord {
  const tags = tagsOf(instance.Tags);
  tags['aws:account-id'] = context.accountId;
  tags['aws:instance-lifecycle'] = instance.InstanceLifecycle ?? 'on-demand';
  if (instance.Placement?.AvailabilityZone) tags['aws:availability-zone'] = instance.Placement.AvailabilityZone;
  return {
    provider: context.provider,
    resource_id: instance.InstanceId ?? '',
    resource_name: tagsOf(instance.Tags).Name ?? null,
    resource_type: 'instance',
    region_id: context.region,
    status: instance.State?.Name ?? null,
    instance_type: instance.InstanceType ?? null,
    gpu_model: details?.gpuModel ?? null,
    gpu_model_raw: details?.gpuModelRaw ?? null,
    gpu_count: details?.gpuCount ?? null,
    vcpus: details?.vcpus ?? null,
    memory_bytes: details?.memoryBytes ?? null,
    price_per_hour: null,
    currency: null,
    tags,
    last_seen_at: context.seenAt,
  };
}

/** An inventory row for an S3 bucket (id = bucket ARN). */
export function resourceFromBucket(
  bucket: { Name?: string; CreationDate?: Date },
  context: InventoryContext,
): ResourceRecord {
  return {
    provider: context.provider,
    resource_id: `arn:aws:s3:::${bucket.Name ?? ''}`,
    resource_name: bucket.Name ?? null,
    resource_type: 'bucket',
    region_id: context.region,
    status: 'available',
    instance_type: null,
    gpu_model: null,
    gpu_count: null,
    vcpus: null,
    memory_bytes: null,
    price_per_hour: null,
    currency: null,
    tags: { 'aws:account-id': context.accountId },
    ...(bucket.CreationDate ? { first_seen_at: focusTime(bucket.CreationDate) } : {}),
    last_seen_at: context.seenAt,
  };
}

/** S3 GetBucketLocation's LocationConstraint to a region code (empty means us-east-1, `EU` is eu-west-1). */
export function regionFromLocationConstraint(constraint: string | undefined): string {
  if (constraint === undefined || constraint === '') return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

/** One DB instance of RDS DescribeDBInstances output (the fields we read). */
export interface RdsDbInstance {
  DBInstanceIdentifier?: string;
  DBInstanceClass?: string;
  Engine?: string;
  DBInstanceStatus?: string;
  DBInstanceArn?: string;
  AllocatedStorage?: number;
  InstanceCreateTime?: Date;
  TagList?: AwsTag[];
}

/** An inventory row for an RDS instance (id = its ARN). */
export function resourceFromDbInstance(db: RdsDbInstance, context: InventoryContext): ResourceRecord {
  const tags = tagsOf(db.TagList);
  tags['aws:account-id'] = context.accountId;
  if (db.Engine) tags['aws:rds-engine'] = db.Engine;
  if (db.AllocatedStorage !== undefined) tags['aws:allocated-storage-gib'] = String(db.AllocatedStorage);
  return {
    provider: context.provider,
    resource_id: db.DBInstanceArn ?? db.DBInstanceIdentifier ?? '',
    resource_name: db.DBInstanceIdentifier ?? null,
    resource_type: 'database',
    region_id: context.region,
    status: db.DBInstanceStatus ?? null,
    instance_type: db.DBInstanceClass ?? null,
    gpu_model: null,
    gpu_count: null,
    vcpus: null,
    memory_bytes: null,
    price_per_hour: null,
    currency: null,
    tags,
    ...(db.InstanceCreateTime ? { first_seen_at: focusTime(db.InstanceCreateTime) } : {}),
    last_seen_at: context.seenAt,
  };
}

// ---- CloudWatch ------------------------------------------------------------------------------------

/** One MetricDataResult of GetMetricData output (the fields we read). */
export interface MetricDataResult {
  Id?: string;
  Label?: string;
  Timestamps?: Date[];
  Values?: number[];
  StatusCode?: string;
  Messages?: Array<{ Code?: string; Value?: string }>;
}

/** Where a series belongs. */
export interface SeriesContext {
  provider: string;
  accountId: string;
  region: string;
  /** The resource the series is about (instance ID, DB instance ARN). */
  resourceId: string;
}

function samplesOf(
  result: MetricDataResult,
  spec: { name: string; unit: string; scale: number; divisor?: number; labels: Readonly<Record<string, string>> },
  category: MetricSample['category'],
  sourceMetric: string,
  series: SeriesContext,
  extraLabels: Record<string, string>,
): MetricSample[] {
  const timestamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  const samples: MetricSample[] = [];
  for (let index = 0; index < timestamps.length && index < values.length; index += 1) {
    const value = values[index];
    const timestamp = timestamps[index];
    if (value === undefined || timestamp === undefined || !Number.isFinite(value)) continue;
    samples.push({
      ts: timestamp.toISOString(),
      provider: series.provider,
      name: spec.name,
      category,
      value: (value * spec.scale) / (spec.divisor ?? 1),
      unit: spec.unit,
      resource_id: series.resourceId,
      labels: {
        ...spec.labels,
        ...extraLabels,
        source_metric: sourceMetric,
        'cloud.region': series.region,
        'cloud.account.id': series.accountId,
      },
    });
  }
  return samples;
}

/** Samples of one MetricStat query result; per-period sums become per-second rates. */
export function samplesFromMetricData(
  result: MetricDataResult,
  spec: CloudWatchMetricSpec,
  series: SeriesContext,
  periodSeconds: number,
): MetricSample[] {
  return samplesOf(
    result,
    { ...spec, divisor: spec.perSecond === true ? periodSeconds : 1 },
    spec.category,
    `${spec.namespace}/${spec.metricName}`,
    series,
    {},
  );
}

/**
 * The label the collector asks CloudWatch to give each GPU series (MetricDataQuery `Label`, dynamic labels
 * `${PROP('Dim.<name>')}`): `i-0abc/gpu3`. CloudWatch's default label for a Metrics Insights series is not
 * documented, so GPU identity is read only from this label.
 */
export function gpuSeriesLabel(gpuIndex?: string): string {
  const dimension = (name: string): string => `\${PROP('Dim.${name}')}`;
  return `${dimension('InstanceId')}/gpu${gpuIndex ?? dimension('index')}`;
}

const GPU_SERIES_LABEL = /^(i-[0-9a-f]{8,17})\/gpu(\d{1,3})$/;

/**
 * The instance and GPU index of a series labelled by gpuSeriesLabel; undefined for anything else: the group
 * CloudWatch names Other (metrics without an `InstanceId` or `index` dimension, e.g. the agent's aggregated
 * ones), an unexpanded or default label.
 */
export function gpuSeriesOf(label: string | undefined): { instanceId: string; gpuIndex: string } | undefined {
  const match = GPU_SERIES_LABEL.exec(label ?? '');
  return match ? { instanceId: match[1] ?? '', gpuIndex: match[2] ?? '' } : undefined;
}

/** Samples of one GPU series of a Metrics Insights query labelled by gpuSeriesLabel (none for other series). */
export function samplesFromGpuInsights(
  result: MetricDataResult,
  spec: GpuMetricSpec,
  context: Omit<SeriesContext, 'resourceId'>,
): MetricSample[] {
  const series = gpuSeriesOf(result.Label);
  if (series === undefined) return [];
  // `gpu` is the index label the DCGM metric set uses too.
  const labels = { gpu: series.gpuIndex, 'hw.id': `${series.instanceId}/gpu${series.gpuIndex}` };
  return samplesOf(
    result,
    { ...spec, labels: spec.labels },
    'gpu',
    `CWAgent/${spec.metricName}`,
    { ...context, resourceId: series.instanceId },
    labels,
  );
}
