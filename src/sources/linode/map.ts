// Pure mapping from Linode API v4 payloads to the collector's model: GPU facts and region prices from types,
// inventory rows, and FOCUS cost rows from invoice items (matched to instances by label) and the uninvoiced
// month to date. No I/O; tested from recorded payloads.

import {
  addDecimals,
  compareDecimals,
  multiplyDecimals,
  normalizeDecimal,
  subtractDecimals,
} from '../../core/decimal.ts';
import { gpuModelColumns } from '../../core/gpu-catalog.ts';
import { focusTime, type CostRecord, type ResourceRecord } from '../../core/model.ts';
import { startOfNextUtcMonth, startOfUtcMonth } from '../../core/window.ts';
import { accountResource } from '../_common/account-resource.ts';

// The Linode API v4 payloads read here, as documented (see README.md for the sources).

/** Every list: `{data, page, pages, results}`. */
export interface LinodePage<T> {
  data: T[];
  page: number;
  pages: number;
  results?: number;
}

/** A price and its region exceptions. */
export interface LinodePrice {
  hourly: number | null;
  monthly: number | null;
}

/** One item of `GET /linode/types`. */
export interface LinodeType {
  id: string;
  label?: string;
  class?: string;
  vcpus?: number;
  memory?: number;
  gpus?: number;
  price?: LinodePrice | null;
  region_prices?: Array<LinodePrice & { id: string }> | null;
}

/** One item of `GET /linode/instances`. */
export interface LinodeInstance {
  id: number;
  label?: string;
  status?: string;
  type?: string | null;
  region?: string;
  ipv4?: string[];
  ipv6?: string | null;
  image?: string | null;
  created?: string;
  tags?: string[];
  specs?: { vcpus?: number; memory?: number; gpus?: number };
  lke_cluster_id?: number | null;
}

/** `GET /account`: `balance` is due now (negative = credit); `balance_uninvoiced` is accrued, not yet invoiced. */
export interface LinodeAccount {
  email?: string;
  company?: string;
  euuid?: string;
  balance?: number;
  balance_uninvoiced?: number;
  billing_source?: string;
}

/** One item of `GET /account/invoices`. */
export interface LinodeInvoice {
  id: number;
  date: string;
  label?: string;
  subtotal?: number;
  tax?: number;
  total: number;
}

/** One item of `GET /account/invoices/{id}/items`: no resource id, only a label. */
export interface LinodeInvoiceItem {
  label: string;
  type?: string;
  unit_price?: string | null;
  quantity?: number | null;
  amount: number;
  tax?: number | null;
  total?: number | null;
  region?: string | null;
  from?: string | null;
  to?: string | null;
}

/** Linode sends `2026-07-01T04:12:10` with no zone; it is UTC (linodego `parseabletime`). Null when unparseable. */
export function parseLinodeTime(text: string | null | undefined): Date | null {
  if (!text) return null;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** What a type tells about the machines on it. */
export interface TypeFacts {
  id: string;
  label: string | null;
  gpu_model: string | null;
  gpu_model_raw: string | null;
  gpu_count: number | null;
  /** Hourly USD by region id (region exceptions), and the base price for every other region; null = unknown. */
  hourlyByRegion: ReadonlyMap<string, string>;
  baseHourly: string | null;
}

/**
 * The GPU name in a type label: `Dedicated 32GB + RTX6000 GPU x1` -> `RTX6000`, `RTX4000 Ada x2 Small` ->
 * `RTX4000 Ada`. The API has no GPU model field; the label is the only place it shows.
 */
export function gpuNameFromTypeLabel(label: string | undefined): string | null {
  const match = /(?:^|\+\s*)([^+]*?)\s+(?:GPU\s+)?x\d+\b/i.exec(label ?? '');
  return match?.[1]?.trim() || null;
}

/** A JSON price as an exact decimal; 0 is "unknown" (some GPU types list $0 base and price per region only). */
function knownPrice(value: number | null | undefined): string | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? normalizeDecimal(value) : null;
}

/** GPU facts and prices of a type. */
export function factsFromType(type: LinodeType): TypeFacts {
  const gpus = typeof type.gpus === 'number' && type.gpus > 0 ? type.gpus : null;
  const raw = gpus === null ? null : (gpuNameFromTypeLabel(type.label) ?? type.label ?? null);
  const hourlyByRegion = new Map<string, string>();
  for (const exception of type.region_prices ?? []) {
    const price = knownPrice(exception.hourly);
    if (price !== null) hourlyByRegion.set(exception.id, price);
  }
  return {
    id: type.id,
    label: type.label ?? null,
    ...(raw === null ? { gpu_model: null, gpu_model_raw: null } : gpuModelColumns(raw)),
    gpu_count: gpus,
    hourlyByRegion,
    baseHourly: knownPrice(type.price?.hourly),
  };
}

/** The hourly price of a type in a region: the region's exception when listed, else the base price. */
export function hourlyPriceIn(facts: TypeFacts | undefined, region: string | undefined): string | null {
  if (!facts) return null;
  return (region ? facts.hourlyByRegion.get(region) : undefined) ?? facts.baseHourly;
}

const MB = 1024 * 1024;

/** One inventory row for an instance, its GPU facts and region price joined from its type. */
export function resourceFromInstance(
  instance: LinodeInstance,
  type: TypeFacts | undefined,
  provider: string,
  seenAt: string,
): ResourceRecord {
  const price = hourlyPriceIn(type, instance.region);
  const specGpus = instance.specs?.gpus;
  const gpuCount = typeof specGpus === 'number' && specGpus > 0 ? specGpus : (type?.gpu_count ?? null);
  const tags: Record<string, string> = {};
  const ip = instance.ipv4?.find((address) => !isPrivateIpv4(address)) ?? instance.ipv4?.[0];
  if (ip) tags.ip = ip;
  const privateIp = instance.ipv4?.find(isPrivateIpv4);
  if (privateIp) tags.private_ip = privateIp;
  if (instance.ipv6) tags.ipv6 = instance.ipv6.replace(/\/\d+$/, '');
  // Linode sets no hostname field; the label is what Cloud Manager and most images use as the hostname.
  if (instance.label) tags.hostname = instance.label;
  if (instance.image) tags.image = instance.image;
  if (instance.lke_cluster_id) tags.lke_cluster_id = String(instance.lke_cluster_id);
  if (type?.label) tags.type_label = type.label;
  if (type?.gpu_model_raw) tags.gpu_model_inferred_from = 'type_label';
  for (const tag of instance.tags ?? []) tags[`tag:${tag}`] = 'true';
  const created = parseLinodeTime(instance.created);
  return {
    provider,
    resource_id: String(instance.id),
    resource_name: instance.label || null,
    resource_type: 'instance',
    region_id: instance.region ?? null,
    status: instance.status ?? null,
    instance_type: instance.type ?? null,
    gpu_model: gpuCount === null ? null : (type?.gpu_model ?? null),
    gpu_model_raw: gpuCount === null ? null : (type?.gpu_model_raw ?? null),
    gpu_count: gpuCount,
    vcpus: instance.specs?.vcpus ?? null,
    memory_bytes: typeof instance.specs?.memory === 'number' ? instance.specs.memory * MB : null,
    price_per_hour: price,
    currency: price === null ? null : 'USD',
    tags,
    first_seen_at: created ? focusTime(created) : null,
    last_seen_at: seenAt,
  };
}

function isPrivateIpv4(address: string): boolean {
  return /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(address);
}

/** The account as an inventory row: balance (negative = credit), uninvoiced month to date, last invoice. */
export function resourceFromAccount(
  account: LinodeAccount,
  lastInvoice: LinodeInvoice | undefined,
  provider: string,
  seenAt: string,
): ResourceRecord {
  const tags: Record<string, string> = {};
  if (typeof account.balance === 'number') tags.balance = normalizeDecimal(account.balance);
  if (typeof account.balance_uninvoiced === 'number')
    tags.balance_uninvoiced = normalizeDecimal(account.balance_uninvoiced);
  if (account.billing_source) tags.billing_source = account.billing_source;
  if (lastInvoice) {
    tags.last_invoice_id = String(lastInvoice.id);
    tags.last_invoice_date = focusTime(parseLinodeTime(lastInvoice.date) ?? new Date(0));
    tags.last_invoice_total = normalizeDecimal(lastInvoice.total);
  }
  return accountResource(provider, account.company || account.email || null, tags, seenAt);
}

/** The inventory facts a cost line needs about the instance it bills. */
export interface BilledResource {
  resource_id: string;
  resource_name: string | null;
  region_id: string | null;
  instance_type: string | null;
  gpu_model: string | null;
  gpu_count: number | null;
}

/** Inventory indexes for matching invoice items, which carry a label and no id. */
export interface ResourceIndex {
  byLabel: ReadonlyMap<string, readonly BilledResource[]>;
  byId: ReadonlyMap<string, BilledResource>;
}

/**
 * The instance an item names. Item labels are free text (format UNVERIFIED): `Linode 123` names an id (linodego's
 * fixture), `<type label> - <instance label>` or the bare instance label name a label. A label several instances
 * share matches none of them and is reported as ambiguous.
 */
export function matchItem(
  label: string,
  index: ResourceIndex,
): { resource?: BilledResource; match?: 'id' | 'label' | 'ambiguous_label'; candidates: readonly BilledResource[] } {
  const byId = /^Linode (\d+)$/.exec(label.trim());
  const idMatch = byId ? index.byId.get(byId[1] ?? '') : undefined;
  if (idMatch) return { resource: idMatch, match: 'id', candidates: [idMatch] };
  const names = [label.trim()];
  const dash = label.lastIndexOf(' - ');
  if (dash >= 0) names.push(label.slice(dash + 3).trim());
  for (const name of names) {
    const candidates = index.byLabel.get(name) ?? [];
    if (candidates.length === 1) return { resource: candidates[0], match: 'label', candidates };
    if (candidates.length > 1) return { match: 'ambiguous_label', candidates };
  }
  return { candidates: [] };
}

/** FOCUS ServiceCategory and ServiceName of an item. */
export function serviceFor(item: LinodeInvoiceItem, matched: boolean): { category: string; name: string } {
  const label = item.label.toLowerCase();
  if (/backup/.test(label)) return { category: 'Storage', name: 'Backups' };
  if (/volume|block storage/.test(label)) return { category: 'Storage', name: 'Block Storage' };
  if (/object storage/.test(label)) return { category: 'Storage', name: 'Object Storage' };
  if (/nodebalancer|transfer|ip address|ipv4/.test(label)) return { category: 'Networking', name: item.label };
  if (/database/.test(label)) return { category: 'Databases', name: 'Managed Databases' };
  if (/credit|promo/.test(label)) return { category: 'Other', name: 'Credits' };
  if (matched || /^linode|gpu|dedicated|nanode|premium|kubernetes|lke/.test(label))
    return { category: 'Compute', name: 'Compute Instances' };
  return { category: 'Other', name: item.label };
}

/** Where an invoice's rows come from. */
export interface InvoiceSource {
  provider: string;
  accountName: string | null;
  collectedAt: string;
  resources: ResourceIndex;
}

/**
 * FOCUS rows for one invoice: a Usage (or Credit) row per item at its pre-tax `amount`, a Tax row per item with
 * tax, and an Adjustment row for whatever the items miss of the invoice `total` (tax rounded on the subtotal,
 * invoice-level credits), so the rows always add up to the invoice to the cent.
 */
export function costRowsFromInvoice(
  invoice: LinodeInvoice,
  items: readonly LinodeInvoiceItem[],
  source: InvoiceSource,
): CostRecord[] {
  const invoiceId = String(invoice.id);
  const invoiceDate = parseLinodeTime(invoice.date) ?? new Date(0);
  // An invoice bills the month before its date (it is issued on the 1st).
  const fallbackStart = startOfUtcMonth(new Date(invoiceDate.getTime() - 86_400_000));
  const rows: CostRecord[] = [];
  items.forEach((item, index) => {
    const from = parseLinodeTime(item.from) ?? fallbackStart;
    const to = parseLinodeTime(item.to) ?? startOfNextUtcMonth(from);
    const { resource, match, candidates } = matchItem(item.label, source.resources);
    const service = serviceFor(item, resource !== undefined);
    const amount = normalizeDecimal(item.amount);
    const quantity = typeof item.quantity === 'number' ? normalizeDecimal(item.quantity) : null;
    const listed =
      quantity !== null && item.unit_price && /^-?\d+(\.\d+)?$/.test(item.unit_price)
        ? multiplyDecimals(quantity, item.unit_price)
        : null;
    const negative = compareDecimals(amount, '0') < 0;
    const base: CostRecord = {
      billed_cost: amount,
      effective_cost: amount,
      // unit_price × quantity is above the amount when the monthly cap applied; never report it below the bill.
      list_cost: listed !== null && !negative && compareDecimals(listed, amount) >= 0 ? listed : amount,
      contracted_cost: amount,
      billing_account_id: source.provider,
      billing_account_name: source.accountName,
      billing_currency: 'USD',
      billing_period_start: focusTime(startOfUtcMonth(from)),
      billing_period_end: focusTime(startOfNextUtcMonth(from)),
      charge_period_start: focusTime(from),
      charge_period_end: focusTime(to),
      charge_category: negative ? 'Credit' : 'Usage',
      charge_class: null,
      charge_description: item.label,
      invoice_issuer_name: 'Akamai Technologies',
      provider_name: 'Linode',
      publisher_name: 'Linode',
      pricing_quantity: quantity,
      pricing_unit: item.type === 'hourly' ? 'Hours' : null,
      service_category: service.category,
      service_name: service.name,
      resource_id: resource?.resource_id ?? null,
      resource_name: resource?.resource_name ?? null,
      resource_type: resource ? 'instance' : null,
      region_id: item.region ?? resource?.region_id ?? null,
      sub_account_id: null,
      sku_id: resource?.instance_type ?? null,
      consumed_quantity: quantity,
      consumed_unit: item.type === 'hourly' ? 'Hours' : null,
      tags: {
        billing_state: 'invoiced',
        invoice_id: invoiceId,
        ...(item.type ? { item_type: item.type } : {}),
        ...(item.unit_price ? { unit_price: item.unit_price } : {}),
        ...(match ? { resource_match: match } : {}),
        ...(match === 'ambiguous_label'
          ? { resource_candidates: candidates.map((candidate) => candidate.resource_id).join(',') }
          : {}),
      },
      provider: source.provider,
      x_cost_source: 'billing_api',
      x_gpu_model: resource?.gpu_model ?? null,
      x_gpu_count: resource?.gpu_count ?? null,
      x_collected_at: source.collectedAt,
      x_row_key: `invoice:${invoiceId}:${index}`,
    };
    rows.push(base);
    const tax = typeof item.tax === 'number' && item.tax !== 0 ? normalizeDecimal(item.tax) : null;
    if (tax !== null)
      rows.push({
        ...base,
        billed_cost: tax,
        effective_cost: tax,
        list_cost: tax,
        contracted_cost: tax,
        charge_category: 'Tax',
        charge_description: `Tax: ${item.label}`,
        pricing_quantity: null,
        pricing_unit: null,
        consumed_quantity: null,
        consumed_unit: null,
        x_row_key: `invoice:${invoiceId}:${index}:tax`,
      });
  });
  const itemsTotal = rows.length === 0 ? '0' : addDecimals(...rows.map((row) => row.billed_cost));
  const difference = subtractDecimals(normalizeDecimal(invoice.total), itemsTotal);
  if (compareDecimals(difference, '0') !== 0) {
    const start = rows.length > 0 ? new Date(rows[0]?.billing_period_start ?? '') : fallbackStart;
    rows.push({
      billed_cost: difference,
      effective_cost: difference,
      list_cost: difference,
      contracted_cost: difference,
      billing_account_id: source.provider,
      billing_account_name: source.accountName,
      billing_currency: 'USD',
      billing_period_start: focusTime(startOfUtcMonth(start)),
      billing_period_end: focusTime(startOfNextUtcMonth(start)),
      charge_period_start: focusTime(startOfUtcMonth(start)),
      charge_period_end: focusTime(startOfNextUtcMonth(start)),
      charge_category: 'Adjustment',
      charge_class: null,
      charge_description: `Invoice ${invoiceId} total not covered by its items`,
      invoice_issuer_name: 'Akamai Technologies',
      provider_name: 'Linode',
      publisher_name: 'Linode',
      pricing_quantity: null,
      pricing_unit: null,
      service_category: 'Other',
      service_name: 'Invoice adjustment',
      resource_id: null,
      resource_name: null,
      resource_type: null,
      region_id: null,
      sub_account_id: null,
      sku_id: null,
      consumed_quantity: null,
      consumed_unit: null,
      tags: { billing_state: 'invoiced', invoice_id: invoiceId, reconciliation: 'invoice_total' },
      provider: source.provider,
      x_cost_source: 'billing_api',
      x_gpu_model: null,
      x_gpu_count: null,
      x_collected_at: source.collectedAt,
      x_row_key: `invoice:${invoiceId}:adjustment`,
    });
  }
  return rows;
}

/**
 * The uninvoiced month to date as one pending row (`balance_uninvoiced` has no breakdown). Its key is the month,
 * so once the month is invoiced a complete window without it prunes it in favour of the invoice's rows.
 */
export function costRowFromUninvoiced(
  account: LinodeAccount,
  now: Date,
  provider: string,
  collectedAt: string,
): CostRecord | null {
  if (typeof account.balance_uninvoiced !== 'number') return null;
  const amount = normalizeDecimal(account.balance_uninvoiced);
  const month = startOfUtcMonth(now);
  return {
    billed_cost: amount,
    effective_cost: amount,
    list_cost: amount,
    contracted_cost: amount,
    billing_account_id: provider,
    billing_account_name: account.company || account.email || null,
    billing_currency: 'USD',
    billing_period_start: focusTime(month),
    billing_period_end: focusTime(startOfNextUtcMonth(month)),
    charge_period_start: focusTime(month),
    charge_period_end: focusTime(now),
    charge_category: 'Usage',
    charge_class: null,
    charge_description: 'Uninvoiced charges, month to date (account balance_uninvoiced)',
    invoice_issuer_name: 'Akamai Technologies',
    provider_name: 'Linode',
    publisher_name: 'Linode',
    pricing_quantity: null,
    pricing_unit: null,
    service_category: 'Other',
    service_name: 'Uninvoiced usage',
    resource_id: null,
    resource_name: null,
    resource_type: null,
    region_id: null,
    sub_account_id: null,
    sku_id: null,
    consumed_quantity: null,
    consumed_unit: null,
    tags: { billing_state: 'pending' },
    provider,
    x_cost_source: 'billing_api',
    x_gpu_model: null,
    x_gpu_count: null,
    x_collected_at: collectedAt,
    x_row_key: `uninvoiced:${focusTime(month).slice(0, 7)}`,
  };
}
