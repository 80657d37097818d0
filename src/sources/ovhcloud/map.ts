// OVHcloud API payloads -> inventory rows and FOCUS cost rows. Pure.

import { addDecimals, decimalFromMinorUnits, normalizeDecimal, subtractDecimals } from '../../core/decimal.ts';
import { gpuModelColumns } from '../../core/gpu-catalog.ts';
import { focusTime, type ChargeCategory, type CostRecord, type ResourceRecord } from '../../core/model.ts';
import { startOfNextUtcMonth, startOfUtcMonth } from '../../core/window.ts';

/** `order.Price` (me.json): `priceInUcents` is the value in 10^-8 units of `currencyCode`. */
export interface OvhPrice {
  currencyCode: string;
  value: number;
  priceInUcents?: number | null;
  text?: string;
}

/** `cloud.instance.Instance`, an element of `GET /cloud/project/{sn}/instance`. */
export interface OvhInstance {
  id: string;
  name: string;
  status: string;
  region: string;
  flavorId: string;
  imageId?: string | null;
  planCode?: string | null;
  created?: string;
  monthlyBilling?: { since: string; status: string } | null;
  ipAddresses?: Array<{ ip: string; type: string; version: number; networkId?: string }>;
}

/** `cloud.flavor.Flavor`, an element of `GET /cloud/project/{sn}/flavor`: no GPU field. */
export interface OvhFlavor {
  id: string;
  name: string;
  type?: string;
  region?: string;
  vcpus?: number;
  /** GiB. */
  ram?: number;
  disk?: number;
  osType?: string;
  planCodes?: { hourly?: string | null; monthly?: string | null; license?: string | null };
}

/** `cloud.billingView.Quantity`. */
export interface OvhQuantity {
  unit: string;
  value: number;
}

/** One element of an hourly or monthly usage list (instance, volume, storage, snapshot, bandwidth...). */
export interface OvhUsageItem {
  reference?: string;
  region?: string;
  type?: string;
  totalPrice: number;
  quantity?: OvhQuantity;
  details?: Array<{
    instanceId?: string;
    resourceId?: string;
    activation?: string;
    quantity?: OvhQuantity;
    totalPrice: number;
  }>;
}

/** `cloud.usage.UsageCurrent` / `UsageHistoryDetail`: amounts are plain numbers in the account currency. */
export interface OvhUsage {
  id?: string;
  period: { from: string; to: string };
  lastUpdate?: string;
  hourlyUsage?: Record<string, OvhUsageItem[] | unknown> | null;
  monthlyUsage?: Record<string, OvhUsageItem[] | unknown> | null;
  resourcesUsage?: Array<{
    type: string;
    totalPrice: number;
    resources?: Array<{
      region?: string;
      components?: Array<{ name: string; quantity?: OvhQuantity; totalPrice: number }>;
    }>;
  }> | null;
}

/** `cloud.usage.UsageHistory`: one element of `GET /cloud/project/{sn}/usage/history`. */
export interface OvhUsageHistory {
  id: string;
  period: { from: string; to: string };
  lastUpdate?: string;
}

/** `billing.Bill` (me.json). `pdfUrl`, `url` and `password` are bearer links: never copied into rows. */
export interface OvhBill {
  billId: string;
  date: string;
  category?: string;
  orderId?: number;
  priceWithoutTax: OvhPrice;
  tax: OvhPrice;
  priceWithTax: OvhPrice;
  pdfUrl?: string;
  url?: string;
  password?: string;
}

/** `billing.BillDetail` (me.json). `domain` is the billed service: the project ID for Public Cloud. */
export interface OvhBillDetail {
  billDetailId: string;
  description: string;
  domain: string;
  periodStart?: string | null;
  periodEnd?: string | null;
  quantity: string;
  unitPrice?: { currencyCode: string; value: number; text?: string };
  totalPrice: OvhPrice;
}

/** GPUs per flavor family and the flavor RAM (GiB) of one GPU: `t1-90` = 2 × V100, `h100-760` = 2 × H100. */
export const GPU_FLAVOR_FAMILIES: ReadonlyArray<{ prefix: string; gpu: string; ramPerGpu: number }> = [
  { prefix: 't1-le-', gpu: 'Tesla V100 16GB', ramPerGpu: 45 },
  { prefix: 't1-', gpu: 'Tesla V100 16GB', ramPerGpu: 45 },
  { prefix: 't2-le-', gpu: 'Tesla V100S 32GB', ramPerGpu: 45 },
  { prefix: 't2-', gpu: 'Tesla V100S 32GB', ramPerGpu: 45 },
  { prefix: 'a10-', gpu: 'A10', ramPerGpu: 45 },
  { prefix: 'l4-', gpu: 'L4', ramPerGpu: 90 },
  { prefix: 'l40s-', gpu: 'L40S', ramPerGpu: 90 },
  { prefix: 'a100-', gpu: 'A100 80GB', ramPerGpu: 180 },
  { prefix: 'h100-', gpu: 'H100 80GB', ramPerGpu: 380 },
  { prefix: 'rtx5000-', gpu: 'Quadro RTX 5000', ramPerGpu: 28 },
];

/** GPU model (catalog id), raw name and count of a flavor name; nulls for a flavor without GPUs. */
export function gpuOfFlavor(name: string | null | undefined): {
  model: string | null;
  raw: string | null;
  count: number | null;
} {
  const lower = (name ?? '').toLowerCase();
  const family = GPU_FLAVOR_FAMILIES.find((candidate) => lower.startsWith(candidate.prefix));
  const suffix = family ? Number(/^(\d+)/.exec(lower.slice(family.prefix.length))?.[1]) : NaN;
  if (!family || !Number.isFinite(suffix) || suffix <= 0) return { model: null, raw: null, count: null };
  const count = Math.max(1, Math.round(suffix / family.ramPerGpu));
  const { gpu_model, gpu_model_raw } = gpuModelColumns(family.gpu);
  return { model: gpu_model, raw: gpu_model_raw, count };
}

/**
 * The calendar month (`YYYY-MM`) a provider timestamp names, read from its text: OVH writes local times with their
 * offset (`2026-06-01T00:00:00+02:00`), which is the start of June although it is 31 May in UTC.
 */
export function monthOf(text: string): string {
  return /^\d{4}-\d{2}/.exec(text)?.[0] ?? new Date(text).toISOString().slice(0, 7);
}

function monthStart(text: string): Date {
  const [year, month] = monthOf(text).split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 1));
}

/** An `order.Price` as an exact decimal: `priceInUcents` (10^-8 units) when present, else `value`. */
export function decimalOfPrice(price: OvhPrice): string {
  const ucents = price.priceInUcents;
  return typeof ucents === 'number' && Number.isSafeInteger(ucents)
    ? decimalFromMinorUnits(ucents, 8)
    : normalizeDecimal(price.value);
}

/** Tags of an instance: its addresses (`ip` = first public IPv4) and name as hostname, for the DCGM join. */
export function instanceTags(instance: OvhInstance): Record<string, string> {
  const tags: Record<string, string> = { hostname: instance.name };
  const addresses = instance.ipAddresses ?? [];
  const pick = (type: string, version: number) =>
    addresses.find((item) => item.type === type && item.version === version)?.ip;
  const publicV4 = pick('public', 4);
  const privateV4 = pick('private', 4);
  const publicV6 = pick('public', 6);
  if (publicV4 ?? privateV4) tags.ip = (publicV4 ?? privateV4) as string;
  if (privateV4) tags.private_ip = privateV4;
  if (publicV6) tags.ipv6 = publicV6;
  tags.billing = instance.monthlyBilling ? 'monthly' : 'hourly';
  if (instance.planCode) tags.plan_code = instance.planCode;
  return tags;
}

/** One inventory row per instance, GPU facts from its flavor (looked up by flavorId). */
export function resourceFromInstance(
  instance: OvhInstance,
  flavor: OvhFlavor | undefined,
  provider: string,
  projectId: string,
  seenAt: string,
): ResourceRecord {
  const gpu = gpuOfFlavor(flavor?.name);
  return {
    provider,
    resource_id: instance.id,
    resource_name: instance.name,
    resource_type: 'instance',
    region_id: instance.region,
    status: instance.status,
    instance_type: flavor?.name ?? instance.flavorId,
    gpu_model: gpu.model,
    gpu_model_raw: gpu.raw,
    gpu_count: gpu.count,
    vcpus: flavor?.vcpus ?? null,
    memory_bytes: flavor?.ram === undefined ? null : flavor.ram * 1024 ** 3,
    // Flavors carry plan codes, not prices; the cost rows below carry what OVHcloud charged.
    price_per_hour: null,
    currency: null,
    tags: { ...instanceTags(instance), project_id: projectId },
    ...(instance.created ? { first_seen_at: focusTime(new Date(instance.created)) } : {}),
    last_seen_at: seenAt,
  };
}

/** What an instance contributes to its cost rows. */
export interface BilledInstance {
  name: string;
  gpuModel: string | null;
  gpuCount: number | null;
}

/** Where a usage document comes from. */
export interface UsageSource {
  provider: string;
  projectId: string;
  /** The account currency (`GET /me` `currency.code`): usage amounts are plain numbers. */
  currency: string;
  collectedAt: string;
  /** `current` or the history entry's id: part of every row key. */
  usageId: string;
  instances: ReadonlyMap<string, BilledInstance>;
}

const SERVICE_OF_KIND: Record<string, [service: string, category: string]> = {
  instance: ['Public Cloud Instances', 'Compute'],
  instanceOption: ['Public Cloud Instances', 'Compute'],
  instanceBandwidth: ['Public Cloud Network', 'Networking'],
  volume: ['Public Cloud Block Storage', 'Storage'],
  snapshot: ['Public Cloud Block Storage', 'Storage'],
  storage: ['Public Cloud Object Storage', 'Storage'],
  managedKubernetesService: ['Managed Kubernetes Service', 'Compute'],
  certification: ['Public Cloud', 'Other'],
  savingsPlan: ['Savings Plans', 'Compute'],
};

/**
 * FOCUS rows of a project usage document: one per instance detail (hourly and monthly), one per other item, one
 * per resourcesUsage component. When an item's details do not add up to its totalPrice the difference is a row of
 * its own, so the rows of an item always sum to what OVHcloud reported for it.
 */
export function costRowsFromUsage(usage: OvhUsage, source: UsageSource): CostRecord[] {
  const rows: CostRecord[] = [];
  const start = new Date(usage.period.from);
  const end = new Date(usage.period.to);
  const month = monthStart(usage.period.from);
  const base = (kind: string, billing: 'hourly' | 'monthly' | 'resources') => {
    const [service, category] = SERVICE_OF_KIND[kind] ?? ['Public Cloud', 'Other'];
    return { kind, billing, service, category };
  };
  const push = (
    meta: ReturnType<typeof base>,
    key: string,
    amount: string,
    fields: Partial<CostRecord> & { description: string },
  ): void => {
    const { description, ...rest } = fields;
    rows.push(
      usageRow(source, month, start, end, amount, {
        charge_description: description,
        service_name: meta.service,
        service_category: meta.category,
        x_row_key: `usage:${source.usageId}:${meta.billing}:${meta.kind}:${key}`,
        tags: { project_id: source.projectId, usage_id: source.usageId, billing: meta.billing, usage_kind: meta.kind },
        ...rest,
      }),
    );
  };
  for (const billing of ['hourly', 'monthly'] as const) {
    const view = billing === 'hourly' ? usage.hourlyUsage : usage.monthlyUsage;
    for (const [kind, items] of Object.entries(view ?? {})) {
      if (!Array.isArray(items)) continue;
      const meta = base(kind, billing);
      (items as OvhUsageItem[]).forEach((item, index) => {
        const itemKey = `${item.reference ?? item.type ?? kind}:${item.region ?? ''}:${index}`;
        const total = normalizeDecimal(item.totalPrice);
        const region = item.region ?? null;
        const sku = item.reference ?? item.type ?? null;
        const details = item.details ?? [];
        let detailed = '0';
        details.forEach((detail, detailIndex) => {
          const resourceId = detail.instanceId ?? detail.resourceId ?? null;
          const instance = resourceId === null ? undefined : source.instances.get(resourceId);
          const amount = normalizeDecimal(detail.totalPrice);
          detailed = addDecimals(detailed, amount);
          const quantity = detail.quantity ?? (billing === 'monthly' ? { value: 1, unit: 'Month' } : undefined);
          const gpu = kind === 'instance' || kind === 'instanceOption' ? gpuOfFlavor(item.reference) : null;
          push(meta, `${itemKey}:${resourceId ?? detailIndex}`, amount, {
            description: `${kind} ${sku ?? ''} (${billing})`.replace(/\s+/g, ' '),
            resource_id: resourceId,
            resource_name: instance?.name ?? null,
            resource_type: kind === 'instance' ? 'instance' : kind,
            region_id: region,
            sku_id: sku,
            ...quantityColumns(quantity),
            x_gpu_model: instance?.gpuModel ?? gpu?.model ?? null,
            x_gpu_count: instance?.gpuCount ?? gpu?.count ?? null,
          });
        });
        const rest = details.length === 0 ? total : subtractDecimals(total, detailed);
        if (details.length === 0 || rest !== '0') {
          push(meta, details.length === 0 ? itemKey : `${itemKey}:unallocated`, rest, {
            description:
              details.length === 0
                ? `${kind} ${sku ?? ''} (${billing})`.replace(/\s+/g, ' ')
                : `${kind} ${sku ?? ''} (${billing}): total not allocated to a resource`.replace(/\s+/g, ' '),
            region_id: region,
            sku_id: sku,
            ...(details.length === 0 ? quantityColumns(item.quantity) : {}),
          });
        }
      });
    }
  }
  (usage.resourcesUsage ?? []).forEach((typed, typeIndex) => {
    const meta = base(typed.type, 'resources');
    let detailed = '0';
    (typed.resources ?? []).forEach((resource, resourceIndex) =>
      (resource.components ?? []).forEach((component, componentIndex) => {
        const amount = normalizeDecimal(component.totalPrice);
        detailed = addDecimals(detailed, amount);
        push(meta, `${typeIndex}:${resourceIndex}:${componentIndex}:${component.name}`, amount, {
          description: `${typed.type} ${component.name}`,
          region_id: resource.region ?? null,
          sku_id: component.name,
          ...quantityColumns(component.quantity),
        });
      }),
    );
    const rest = subtractDecimals(normalizeDecimal(typed.totalPrice), detailed);
    if (rest !== '0') push(meta, `${typeIndex}:unallocated`, rest, { description: `${typed.type}: not itemised` });
  });
  return rows;
}

function quantityColumns(quantity: OvhQuantity | undefined): Partial<CostRecord> {
  if (!quantity) return {};
  const value = normalizeDecimal(quantity.value);
  return {
    pricing_quantity: value,
    pricing_unit: quantity.unit,
    consumed_quantity: value,
    consumed_unit: quantity.unit,
  };
}

function usageRow(
  source: UsageSource,
  month: Date,
  start: Date,
  end: Date,
  amount: string,
  fields: Partial<CostRecord> & Pick<CostRecord, 'service_name' | 'service_category' | 'x_row_key'>,
): CostRecord {
  return {
    billed_cost: amount,
    effective_cost: amount,
    list_cost: amount,
    contracted_cost: amount,
    billing_account_id: source.projectId,
    billing_account_name: null,
    billing_currency: source.currency,
    billing_period_start: focusTime(month),
    billing_period_end: focusTime(startOfNextUtcMonth(month)),
    charge_period_start: focusTime(start),
    charge_period_end: focusTime(end),
    charge_category: chargeCategoryOf(amount),
    charge_class: null,
    charge_description: null,
    invoice_issuer_name: 'OVHcloud',
    provider_name: 'OVHcloud',
    publisher_name: 'OVHcloud',
    pricing_quantity: null,
    pricing_unit: null,
    resource_id: null,
    resource_name: null,
    resource_type: null,
    region_id: null,
    sub_account_id: source.projectId,
    sku_id: null,
    consumed_quantity: null,
    consumed_unit: null,
    tags: null,
    provider: source.provider,
    x_cost_source: 'billing_api',
    x_gpu_model: null,
    x_gpu_count: null,
    x_collected_at: source.collectedAt,
    ...fields,
  };
}

function chargeCategoryOf(amount: string): ChargeCategory {
  return amount.startsWith('-') ? 'Credit' : 'Usage';
}

/** Where a bill's rows come from. */
export interface BillSource {
  provider: string;
  collectedAt: string;
  instances: ReadonlyMap<string, BilledInstance>;
}

/**
 * FOCUS rows of one bill: one per detail (in the detail's own currency), a Tax row for `tax`, and, when the details
 * do not add up to `priceWithoutTax`, a row for the difference, so a bill's rows always sum to `priceWithTax`.
 */
export function costRowsFromBill(bill: OvhBill, details: readonly OvhBillDetail[], source: BillSource): CostRecord[] {
  const billDate = new Date(bill.date);
  const currency = bill.priceWithTax.currencyCode;
  const tags = (extra: Record<string, string>) => ({ bill_id: bill.billId, invoice_id: bill.billId, ...extra });
  const row = (amount: string, start: Date, end: Date, fields: Partial<CostRecord>): CostRecord => ({
    billed_cost: amount,
    effective_cost: amount,
    list_cost: amount,
    contracted_cost: amount,
    billing_account_id: source.provider,
    billing_account_name: null,
    billing_currency: currency,
    billing_period_start: focusTime(startOfUtcMonth(start)),
    billing_period_end: focusTime(startOfNextUtcMonth(start)),
    charge_period_start: focusTime(start),
    charge_period_end: focusTime(end),
    charge_category: chargeCategoryOf(amount),
    charge_class: null,
    charge_description: null,
    invoice_issuer_name: 'OVHcloud',
    provider_name: 'OVHcloud',
    publisher_name: 'OVHcloud',
    pricing_quantity: null,
    pricing_unit: null,
    service_category: 'Other',
    service_name: 'OVHcloud',
    resource_id: null,
    resource_name: null,
    resource_type: null,
    region_id: null,
    sub_account_id: null,
    sku_id: null,
    consumed_quantity: null,
    consumed_unit: null,
    tags: tags({}),
    provider: source.provider,
    x_cost_source: 'billing_api',
    x_gpu_model: null,
    x_gpu_count: null,
    x_collected_at: source.collectedAt,
    x_row_key: `bill:${bill.billId}`,
    ...fields,
  });
  const rows: CostRecord[] = [];
  let detailed = '0';
  for (const detail of details) {
    const amount = decimalOfPrice(detail.totalPrice);
    detailed = addDecimals(detailed, amount);
    const start = detail.periodStart ? new Date(detail.periodStart) : billDate;
    // periodEnd is the last day billed (a date): the FOCUS end is exclusive.
    const end = detail.periodEnd ? endOfDay(new Date(detail.periodEnd)) : billDate;
    const cloud = /cloud|instance|project/i.test(detail.description);
    rows.push(
      row(amount, start, end < start ? start : end, {
        billing_currency: detail.totalPrice.currencyCode,
        charge_description: detail.description,
        service_name: cloud ? 'Public Cloud' : 'OVHcloud',
        service_category: cloud ? 'Compute' : 'Other',
        sub_account_id: detail.domain || null,
        resource_id: detail.domain || null,
        pricing_quantity: isPlainNumber(detail.quantity) ? normalizeDecimal(detail.quantity) : null,
        tags: tags({ bill_detail_id: detail.billDetailId, domain: detail.domain }),
        x_row_key: `bill:${bill.billId}:detail:${detail.billDetailId}`,
      }),
    );
  }
  const withoutTax = decimalOfPrice(bill.priceWithoutTax);
  const rest = subtractDecimals(withoutTax, detailed);
  if (rest !== '0') {
    rows.push(
      row(rest, billDate, billDate, {
        charge_category: 'Adjustment',
        charge_description: `bill ${bill.billId}: difference between priceWithoutTax and its details`,
        x_row_key: `bill:${bill.billId}:unitemised`,
      }),
    );
  }
  const tax = decimalOfPrice(bill.tax);
  if (tax !== '0') {
    rows.push(
      row(tax, billDate, billDate, {
        billing_currency: bill.tax.currencyCode,
        charge_category: 'Tax',
        charge_description: `bill ${bill.billId}: tax`,
        x_row_key: `bill:${bill.billId}:tax`,
      }),
    );
  }
  return rows;
}

function endOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1));
}

function isPlainNumber(text: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(text.trim());
}
