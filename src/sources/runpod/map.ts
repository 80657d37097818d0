// Pure mapping from RunPod payloads to the collector's model: pods as inventory, per-pod billing buckets and
// the account's other resource families as FOCUS rows, GraphQL `myself` as the account row. No I/O.

import {
  addDecimals,
  checkUpstreamDecimal,
  compareDecimals,
  normalizeDecimal,
  subtractDecimals,
  upstreamDecimal,
} from '../../core/decimal.ts';
import { gpuModelColumns } from '../../core/gpu-catalog.ts';
import { focusTime, type CostRecord, type ResourceRecord } from '../../core/model.ts';
import { startOfNextUtcMonth, startOfUtcMonth } from '../../core/window.ts';
import { accountResource } from '../_common/account-resource.ts';

// The RunPod REST v2 and GraphQL payloads read here, as documented (see README.md for the sources).

/** One item of `GET /v2/pods` (`{"pods":[…]}`, no pagination). */
export interface RunpodPod {
  id: string;
  name?: string;
  image?: string;
  status?: string;
  /** GPU pods only: GPU type id (e.g. `NVIDIA H100 80GB HBM3`) and count. */
  gpu?: { id: string; count?: number };
  /** CPU pods only. */
  cpu?: { id: string; vcpuCount?: number; memory?: number };
  cloud?: string;
  dataCenterId?: string | null;
  /** Current USD per hour for the whole pod (0 when EXITED or TERMINATED). */
  cost?: number;
  createdAt?: string;
  startedAt?: string | null;
  runtime?: {
    uptime?: number;
    ports?: Array<{ private?: number; public?: number | null; type?: string; ip?: string | null }>;
  } | null;
  ssh?: { direct?: { host?: string; port?: number } | null; proxy?: { host?: string } | null };
  locked?: boolean;
}

/** A billing time bucket [startTime, endTime). */
export interface RunpodBucket {
  startTime: string;
  endTime: string;
}

/** One record of `GET /v2/billing/pods`: one pod, one bucket. */
export interface RunpodPodBillingRecord extends RunpodBucket {
  podId: string;
  totalAmount: number;
  gpuAmount?: number;
  cpuAmount?: number;
  diskAmount?: number;
}

/** One record of `GET /v2/billing`: every resource family, one bucket. */
export interface RunpodBillingRecord extends RunpodBucket {
  totalAmount: number;
  [amount: string]: number | string;
}

/** `GET /v2/billing` and `GET /v2/billing/pods` responses. */
export interface RunpodBillingResponse<R> {
  records: R[];
  metadata?: {
    recordCount?: number;
    uniquePodCount?: number;
    totals?: Record<string, number>;
    query?: Record<string, string>;
  };
}

/** GraphQL `myself` fields the collector reads. */
export interface RunpodMyself {
  id?: string;
  email?: string;
  clientBalance?: number;
  currentSpendPerHr?: number;
  spendLimit?: number;
}

const GB = 1024 ** 3;

/** Significant digits that always single out a float32 (FLT_DECIMAL_DIG); 6 always survive the round trip. */
const FLOAT32_MAX_DIGITS = 9;

/**
 * A JSON number the spec types as float32 (`format: float`), as an exact decimal string: the shortest decimal that
 * is the same float32, so a widened 0.3499999940395355 is "0.35". The digits come from `toPrecision` (exact
 * decimal rounding of the value, no arithmetic on it); a value that is no float32 at all is taken as written.
 */
export function moneyFromFloat32(value: number): string {
  if (Math.fround(value) !== value) return normalizeDecimal(value);
  for (let digits = 1; digits <= FLOAT32_MAX_DIGITS; digits += 1) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return normalizeDecimal(text);
  }
  return normalizeDecimal(value);
}

/** The pod's public address: a runtime port's IP, else the direct SSH host (what DCGM targets are labelled with). */
export function podAddress(pod: RunpodPod): string | null {
  const port = pod.runtime?.ports?.find((item) => item.ip);
  return port?.ip ?? pod.ssh?.direct?.host ?? null;
}

/** One inventory row per pod: GPU type and count, USD per hour for the whole pod, status, uptime. */
export function resourceFromPod(pod: RunpodPod, provider: string, seenAt: string): ResourceRecord {
  const tags: Record<string, string> = {};
  const address = podAddress(pod);
  if (address) tags.ip = address;
  if (pod.cloud) tags.cloud = pod.cloud;
  if (pod.image) tags.image = pod.image;
  if (typeof pod.runtime?.uptime === 'number') tags.uptime_seconds = String(pod.runtime.uptime);
  if (pod.startedAt) tags.started_at = focusTime(new Date(pod.startedAt));
  if (pod.gpu?.id) tags.gpu_type_id = pod.gpu.id;
  return {
    provider,
    resource_id: pod.id,
    resource_name: pod.name || null,
    resource_type: 'pod',
    region_id: pod.dataCenterId ?? null,
    status: pod.status ?? null,
    instance_type: pod.gpu?.id ?? pod.cpu?.id ?? null,
    ...gpuModelColumns(pod.gpu?.id),
    gpu_count: pod.gpu ? (pod.gpu.count ?? 1) : null,
    vcpus: pod.cpu?.vcpuCount ?? null,
    memory_bytes: typeof pod.cpu?.memory === 'number' ? pod.cpu.memory * GB : null,
    // Spec `Pod.cost`: `{"type":"number","format":"float"}`, a float32 widened on the wire.
    price_per_hour:
      typeof pod.cost === 'number'
        ? (checkUpstreamDecimal(pod.cost, { provider, field: `pod ${pod.id} cost` }), moneyFromFloat32(pod.cost))
        : null,
    currency: 'USD',
    tags,
    first_seen_at: pod.createdAt ? focusTime(new Date(pod.createdAt)) : null,
    last_seen_at: seenAt,
  };
}

/** The account as an inventory row: balance and spend limit in tags, the current spend rate as its price per hour. */
export function resourceFromMyself(myself: RunpodMyself, provider: string, seenAt: string): ResourceRecord {
  const tags: Record<string, string> = {};
  const money = (value: number, field: string): string =>
    upstreamDecimal(value, { provider, field: `myself ${field}` });
  if (typeof myself.clientBalance === 'number') tags.balance = money(myself.clientBalance, 'clientBalance');
  if (typeof myself.currentSpendPerHr === 'number')
    tags.spend_per_hour = money(myself.currentSpendPerHr, 'currentSpendPerHr');
  if (typeof myself.spendLimit === 'number') tags.spend_limit = money(myself.spendLimit, 'spendLimit');
  if (myself.id) tags.user_id = myself.id;
  const spend = tags.spend_per_hour ?? null;
  return accountResource(provider, myself.email ?? null, tags, seenAt, spend);
}

/** Shared settings of a batch of RunPod cost rows. */
export interface RunpodCostContext {
  provider: string;
  collectedAt: string;
  /** Pods known from inventory, for names, data centre and GPU facts (terminated pods are absent). */
  podsById: ReadonlyMap<string, RunpodPod>;
}

function baseRow(
  bucket: { startTime: string; endTime: string },
  amount: string,
  context: RunpodCostContext,
): Omit<CostRecord, 'service_category' | 'service_name' | 'charge_description'> {
  const start = new Date(bucket.startTime);
  return {
    billed_cost: amount,
    effective_cost: amount,
    list_cost: amount,
    contracted_cost: amount,
    billing_account_id: context.provider,
    billing_account_name: null,
    billing_currency: 'USD',
    billing_period_start: focusTime(startOfUtcMonth(start)),
    billing_period_end: focusTime(startOfNextUtcMonth(start)),
    charge_period_start: focusTime(start),
    charge_period_end: focusTime(new Date(bucket.endTime)),
    charge_category: compareDecimals(amount, '0') < 0 ? 'Credit' : 'Usage',
    charge_class: null,
    invoice_issuer_name: 'RunPod',
    provider_name: 'RunPod',
    publisher_name: 'RunPod',
    pricing_quantity: null,
    pricing_unit: null,
    resource_id: null,
    resource_name: null,
    resource_type: null,
    region_id: null,
    sub_account_id: null,
    sku_id: null,
    consumed_quantity: null,
    consumed_unit: null,
    tags: null,
    provider: context.provider,
    x_cost_source: 'billing_api',
    x_gpu_model: null,
    x_gpu_count: null,
    x_collected_at: context.collectedAt,
    x_row_key: '',
  };
}

/** An amount of a billing record (absent = 0); an unusable one names the record and field. */
const amountOf = (value: number | undefined, context: RunpodCostContext, record: string, field: string): string =>
  upstreamDecimal(value ?? 0, { provider: context.provider, field: `${record} ${field}` });

/** One FOCUS row per pod per bucket from `GET /v2/billing/pods`; the GPU/CPU/disk split goes to tags. */
export function costRowsFromPodBilling(
  records: readonly RunpodPodBillingRecord[],
  context: RunpodCostContext,
): CostRecord[] {
  return records.map((record) => {
    const pod = context.podsById.get(record.podId);
    const money = (field: 'totalAmount' | 'gpuAmount' | 'cpuAmount' | 'diskAmount'): string =>
      amountOf(record[field], context, `pod billing of ${record.podId} from ${record.startTime}`, field);
    return {
      ...baseRow(record, money('totalAmount'), context),
      charge_description: `Pod ${pod?.name ?? record.podId}`,
      service_category: 'Compute',
      service_name: 'Pods',
      resource_id: record.podId,
      resource_name: pod?.name ?? null,
      resource_type: 'pod',
      region_id: pod?.dataCenterId ?? null,
      sku_id: pod?.gpu?.id ?? pod?.cpu?.id ?? null,
      tags: {
        gpu_amount: money('gpuAmount'),
        cpu_amount: money('cpuAmount'),
        disk_amount: money('diskAmount'),
      },
      x_gpu_model: gpuModelColumns(pod?.gpu?.id).gpu_model,
      x_gpu_count: pod?.gpu ? (pod.gpu.count ?? 1) : null,
    };
  });
}

/** Service name and category of a `GET /v2/billing` amount field, by its prefix. */
export function serviceForAmountField(field: string): { service_name: string; service_category: string } {
  if (field.startsWith('serverless')) return { service_name: 'Serverless', service_category: 'Compute' };
  if (field.startsWith('storage')) return { service_name: 'Network Volumes', service_category: 'Storage' };
  if (field.startsWith('endpoint'))
    return { service_name: 'Public Endpoints', service_category: 'AI and Machine Learning' };
  if (field === 'clusterNetworkingAmount') return { service_name: 'Instant Clusters', service_category: 'Networking' };
  if (field.startsWith('cluster')) return { service_name: 'Instant Clusters', service_category: 'Compute' };
  return { service_name: 'RunPod', service_category: 'Other' };
}

/**
 * Account-level FOCUS rows from `GET /v2/billing`: one per non-pod amount field per bucket (pods come per pod
 * from `/v2/billing/pods`), plus an `otherAmount` row for any part of `totalAmount` no field explains, so the
 * rows of a bucket always add up to its total.
 */
export function costRowsFromAccountBilling(
  records: readonly RunpodBillingRecord[],
  context: RunpodCostContext,
): CostRecord[] {
  const rows: CostRecord[] = [];
  for (const record of records) {
    const amountFields = Object.entries(record).filter(
      (entry): entry is [string, number] =>
        entry[0].endsWith('Amount') && entry[0] !== 'totalAmount' && typeof entry[1] === 'number',
    );
    const money = (value: number, field: string): string =>
      amountOf(value, context, `billing from ${record.startTime}`, field);
    const amounts = amountFields.map(([field, value]): [string, string] => [field, money(value, field)]);
    const explained = amounts.length === 0 ? '0' : addDecimals(...amounts.map(([, amount]) => amount));
    const residual = subtractDecimals(money(record.totalAmount, 'totalAmount'), explained);
    const fields = amounts.filter(([field]) => !field.startsWith('pod'));
    if (compareDecimals(residual, '0') !== 0) fields.push(['otherAmount', residual]);
    for (const [field, amount] of fields) {
      if (compareDecimals(amount, '0') === 0) continue;
      rows.push({
        ...baseRow(record, amount, context),
        ...serviceForAmountField(field),
        charge_description: `RunPod ${field.replace(/Amount$/, '')}`,
        x_row_key: field,
      });
    }
  }
  return rows;
}
