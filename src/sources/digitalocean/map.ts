// Pure mapping from DigitalOcean API v2 payloads to the collector's model: GPU facts from sizes (through the GPU
// catalog), Droplet inventory rows, the account row, and FOCUS cost rows from invoice items that add up to each
// invoice's total. No I/O; tested from recorded payloads in testdata/.

import {
  compareDecimals,
  divideDecimals,
  normalizeDecimal,
  roundDecimal,
  subtractDecimals,
} from '../../core/decimal.ts';
import { CollectorError } from '../../core/errors.ts';
import { canonicalGpu, gpuModelColumns } from '../../core/gpu-catalog.ts';
import { focusTime, type ChargeCategory, type CostRecord, type ResourceRecord } from '../../core/model.ts';
import { accountResource } from '../_common/account-resource.ts';

// The DigitalOcean API v2 payloads read here (digitalocean/openapi, see README.md for each source).

/** `links` of a paged list: `pages` holds only the links that apply; may be `{}`. */
export interface DoLinks {
  pages?: { first?: string; prev?: string; next?: string; last?: string };
}

/** `gpu_info` of a size or Droplet: `model` like `nvidia_h100`, `vram.amount` in `vram.unit` (gib). */
export interface DoGpuInfo {
  count?: number;
  model?: string;
  vram?: { amount?: number; unit?: string };
}

/** One size of `GET /sizes` (also embedded in each Droplet): prices are USD floats. */
export interface DoSize {
  slug: string;
  memory?: number;
  vcpus?: number;
  price_monthly?: number;
  price_hourly?: number;
  description?: string;
  gpu_info?: DoGpuInfo | null;
}

/** One IPv4 interface of a Droplet. */
export interface DoNetworkV4 {
  ip_address?: string;
  type?: string;
}

/** One Droplet of `GET /droplets` or `GET /droplets?type=gpus`. */
export interface DoDroplet {
  id: number | string;
  name?: string;
  memory?: number;
  vcpus?: number;
  status?: string;
  created_at?: string;
  size_slug?: string;
  size?: DoSize | null;
  networks?: { v4?: DoNetworkV4[]; v6?: Array<{ ip_address?: string; type?: string }> };
  region?: { slug?: string; name?: string } | null;
  tags?: string[];
  vpc_uuid?: string;
  gpu_info?: DoGpuInfo | null;
}

/** `GET /customers/my/balance`: decimal strings. */
export interface DoBalance {
  month_to_date_balance?: string;
  account_balance?: string;
  month_to_date_usage?: string;
  generated_at?: string;
}

/** One entry of `GET /customers/my/billing_history`. */
export interface DoBillingHistoryEntry {
  description?: string;
  amount?: string;
  invoice_id?: string;
  invoice_uuid?: string;
  date?: string;
  type?: string;
}

/** One invoice of `GET /customers/my/invoices`, or its `invoice_preview` (month to date). */
export interface DoInvoiceSummary {
  invoice_uuid: string;
  invoice_id?: string;
  amount: string;
  /** `YYYY-MM`. */
  invoice_period: string;
  updated_at?: string;
}

/** One item of `GET /customers/my/invoices/{uuid}`: the only per-resource cost breakdown. */
export interface DoInvoiceItem {
  product?: string;
  resource_uuid?: string;
  resource_id?: string;
  group_description?: string;
  description?: string;
  amount: string;
  duration?: string;
  duration_unit?: string;
  start_time?: string;
  end_time?: string;
  project_name?: string;
  category?: string;
}

/** What the catalog makes of a size's `gpu_info`. */
export interface GpuFacts {
  gpu_model: string | null;
  gpu_model_raw: string | null;
  gpu_count: number | null;
  /** One card's VRAM in GB as the catalog matched it, or null. */
  vram_per_gpu_gb: number | null;
}

const NO_GPU: GpuFacts = { gpu_model: null, gpu_model_raw: null, gpu_count: null, vram_per_gpu_gb: null };

/**
 * GPU facts of a `gpu_info`. `vram.amount` is read as one card's VRAM and, failing a catalog match, as the
 * machine's total over `count` cards: the spec's one example (1 × H100, 80 gib) cannot tell the two apart.
 */
export function gpuFactsFromInfo(info: DoGpuInfo | null | undefined): GpuFacts {
  const raw = info?.model?.trim();
  if (!info || !raw) return NO_GPU;
  const count = typeof info.count === 'number' && info.count > 0 ? info.count : 1;
  const amount = info.vram?.amount;
  const candidates = typeof amount === 'number' && amount > 0 ? [amount, ...(count > 1 ? [amount / count] : [])] : [];
  for (const memoryGb of candidates) {
    const model = canonicalGpu(raw, { memoryGb });
    if (model) return { gpu_model: model.id, gpu_model_raw: raw, gpu_count: count, vram_per_gpu_gb: memoryGb };
  }
  return { ...gpuModelColumns(raw), gpu_count: count, vram_per_gpu_gb: null };
}

/**
 * Hourly price of a size, exact: `price_hourly` rounded to 6 places (the API sends floats such as
 * 0.00743999984115362 for $0.00744), else `price_monthly` over 672 hours (the ratio in the spec's examples).
 */
export function hourlyPrice(size: DoSize | null | undefined): string | null {
  if (typeof size?.price_hourly === 'number' && size.price_hourly > 0)
    return roundDecimal(normalizeDecimal(size.price_hourly), 6);
  if (typeof size?.price_monthly === 'number' && size.price_monthly > 0)
    return divideDecimals(normalizeDecimal(size.price_monthly), '672', 6);
  return null;
}

/** The inventory facts a cost line needs about the Droplet it bills. */
export interface BilledDroplet {
  resource_id: string;
  resource_name: string | null;
  region_id: string | null;
  size_slug: string | null;
  gpu_model: string | null;
  gpu_count: number | null;
}

/** What a Droplet row's cost lines repeat. */
export function billedDroplet(row: ResourceRecord): BilledDroplet {
  return {
    resource_id: row.resource_id,
    resource_name: row.resource_name,
    region_id: row.region_id,
    size_slug: row.instance_type,
    gpu_model: row.gpu_model,
    gpu_count: row.gpu_count,
  };
}

const MB = 1024 * 1024;

/**
 * One inventory row per Droplet. GPU facts come from the Droplet's `gpu_info`, else its embedded size's, else the
 * `/sizes` entry of its `size_slug`. `listedAs` says which list named it (`gpus` for `type=gpus`).
 */
export function resourceFromDroplet(
  droplet: DoDroplet,
  sizes: ReadonlyMap<string, DoSize>,
  listedAs: 'droplets' | 'gpus',
  provider: string,
  seenAt: string,
): ResourceRecord {
  const slug = droplet.size_slug ?? droplet.size?.slug ?? null;
  const catalogSize = slug ? sizes.get(slug) : undefined;
  const info = droplet.gpu_info ?? droplet.size?.gpu_info ?? catalogSize?.gpu_info;
  const gpuFrom = droplet.gpu_info ? 'droplet' : droplet.size?.gpu_info ? 'droplet_size' : info ? 'sizes' : null;
  const gpu = gpuFactsFromInfo(info);
  const price = hourlyPrice(droplet.size?.price_hourly !== undefined ? droplet.size : (catalogSize ?? droplet.size));
  const v4 = droplet.networks?.v4 ?? [];
  const publicIp = v4.find((network) => network.type === 'public')?.ip_address;
  const privateIp = v4.find((network) => network.type === 'private')?.ip_address;
  const publicIpv6 = droplet.networks?.v6?.find((network) => network.type === 'public')?.ip_address;
  const tags: Record<string, string> = {};
  const put = (key: string, value: string | undefined | null): void => {
    if (value) tags[key] = value;
  };
  // `ip` is what the generic join matches exporter targets by: the public address, else the VPC one.
  put('ip', publicIp ?? privateIp);
  put('public_ip', publicIp);
  put('private_ip', privateIp);
  put('public_ipv6', publicIpv6);
  // A Droplet's name is its hostname (DigitalOcean sets the OS hostname from it).
  put('hostname', droplet.name);
  put('vpc_uuid', droplet.vpc_uuid);
  put('droplet_list', listedAs);
  put('gpu_info_from', gpuFrom);
  if (gpu.vram_per_gpu_gb !== null) put('gpu_vram_gb', String(gpu.vram_per_gpu_gb));
  if (typeof droplet.size?.price_monthly === 'number')
    put('price_monthly', normalizeDecimal(droplet.size.price_monthly));
  for (const tag of droplet.tags ?? []) tags[`tag:${tag}`] = 'true';
  return {
    provider,
    resource_id: String(droplet.id),
    resource_name: droplet.name ?? null,
    resource_type: 'instance',
    region_id: droplet.region?.slug ?? null,
    status: droplet.status ?? null,
    instance_type: slug,
    gpu_model: gpu.gpu_model,
    gpu_model_raw: gpu.gpu_model_raw,
    gpu_count: gpu.gpu_count,
    vcpus: droplet.vcpus ?? catalogSize?.vcpus ?? null,
    memory_bytes: typeof droplet.memory === 'number' ? droplet.memory * MB : null,
    price_per_hour: price,
    currency: price === null ? null : 'USD',
    tags,
    first_seen_at: droplet.created_at ? focusTime(new Date(droplet.created_at)) : null,
    last_seen_at: seenAt,
  };
}

/** The latest entry of a type in the billing history (entries carry their own dates; order is not documented). */
export function latestEntry(
  entries: readonly DoBillingHistoryEntry[],
  type: string,
  current?: DoBillingHistoryEntry,
): DoBillingHistoryEntry | undefined {
  let latest = current;
  for (const entry of entries)
    if (entry.type === type && entry.date && (!latest?.date || Date.parse(entry.date) > Date.parse(latest.date)))
      latest = entry;
  return latest;
}

/** The account row: balances (strings as given), the preview's month to date, the last invoice and payment. */
export function resourceFromAccount(
  balance: DoBalance | undefined,
  lastInvoice: DoBillingHistoryEntry | undefined,
  lastPayment: DoBillingHistoryEntry | undefined,
  provider: string,
  seenAt: string,
): ResourceRecord {
  const tags: Record<string, string> = {};
  const money = (key: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') tags[key] = upstreamMoney(value, key);
  };
  money('month_to_date_balance', balance?.month_to_date_balance);
  money('account_balance', balance?.account_balance);
  money('month_to_date_usage', balance?.month_to_date_usage);
  if (balance?.generated_at) tags.balance_generated_at = balance.generated_at;
  if (lastInvoice?.date) tags.last_invoice_date = lastInvoice.date;
  money('last_invoice_amount', lastInvoice?.amount);
  if (lastInvoice?.invoice_uuid) tags.last_invoice_uuid = lastInvoice.invoice_uuid;
  if (lastPayment?.date) tags.last_payment_date = lastPayment.date;
  money('last_payment_amount', lastPayment?.amount);
  return accountResource(provider, null, tags, seenAt);
}

/** An exact decimal from a provider money string; a non-number is the provider's error, named. */
export function upstreamMoney(value: string | number, where: string): string {
  try {
    return normalizeDecimal(typeof value === 'string' ? value.trim() : value);
  } catch {
    throw new CollectorError('UPSTREAM_ERROR', `DigitalOcean sent ${JSON.stringify(value)} as ${where}, not a number`);
  }
}

/** FOCUS ServiceCategory of a DigitalOcean product name. */
export function serviceCategoryFor(product: string): string {
  const name = product.toLowerCase();
  if (/gradient|genai|inference|agent|model/.test(name)) return 'AI and Machine Learning';
  if (/database|opensearch|valkey|redis|kafka|mongo|postgres|mysql/.test(name)) return 'Databases';
  if (/space|volume|snapshot|backup|storage|registry|image/.test(name)) return 'Storage';
  if (/load balancer|ip|bandwidth|transfer|nat|vpn|cdn|dns|network|firewall/.test(name)) return 'Networking';
  if (/droplet|kubernetes|gpu|function|app platform|apps|compute/.test(name)) return 'Compute';
  return 'Other';
}

/** `2026-06` -> [2026-06-01T00:00:00Z, 2026-07-01T00:00:00Z). */
export function billingPeriod(invoicePeriod: string): { start: Date; end: Date } {
  const match = /^(\d{4})-(\d{2})$/.exec(invoicePeriod.trim());
  if (!match)
    throw new CollectorError('UPSTREAM_ERROR', `DigitalOcean sent invoice_period ${JSON.stringify(invoicePeriod)}`);
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  return { start: new Date(Date.UTC(year, month, 1)), end: new Date(Date.UTC(year, month + 1, 1)) };
}

/** The invoice a batch of items belongs to. */
export interface InvoiceSource {
  provider: string;
  invoice: DoInvoiceSummary;
  /** `invoiced` for a closed invoice, `preview` for the month to date. */
  state: 'invoiced' | 'preview';
  collectedAt: string;
  /** Droplets by id (and by UUID when known), to give a line its size, region and GPU facts. */
  droplets: ReadonlyMap<string, BilledDroplet>;
}

function chargeCategory(product: string, amount: string): ChargeCategory {
  if (/\btax|vat|gst\b/i.test(product)) return 'Tax';
  if (compareDecimals(amount, '0') < 0) return 'Credit';
  return 'Usage';
}

function parsedTime(value: string | undefined, fallback: Date): string {
  const parsed = value ? Date.parse(value) : Number.NaN;
  return focusTime(Number.isNaN(parsed) ? fallback : new Date(parsed));
}

function rowKeyPrefix(source: InvoiceSource): string {
  return source.state === 'invoiced'
    ? `invoice:${source.invoice.invoice_uuid}`
    : `preview:${source.invoice.invoice_period}`;
}

/** FOCUS rows, one per invoice item, amounts exactly as billed; `firstIndex` numbers rows across pages. */
export function costRowsFromInvoiceItems(
  items: readonly DoInvoiceItem[],
  firstIndex: number,
  source: InvoiceSource,
): CostRecord[] {
  const period = billingPeriod(source.invoice.invoice_period);
  return items.map((item, offset) => {
    const billed = upstreamMoney(item.amount, `the amount of an item of invoice ${source.invoice.invoice_uuid}`);
    const product = item.product?.trim() || 'DigitalOcean';
    const resourceKey = item.resource_id || item.resource_uuid || null;
    const droplet = resourceKey ? source.droplets.get(resourceKey) : undefined;
    const quantity = item.duration && /^\d+(\.\d+)?$/.test(item.duration.trim()) ? item.duration.trim() : null;
    const unit = quantity === null ? null : item.duration_unit || null;
    const tags: Record<string, string> = { billing_state: source.state, invoice_uuid: source.invoice.invoice_uuid };
    if (source.invoice.invoice_id) tags.invoice_id = source.invoice.invoice_id;
    if (item.resource_uuid) tags.resource_uuid = item.resource_uuid;
    if (item.project_name) tags.project = item.project_name;
    if (item.group_description) tags.group_description = item.group_description;
    if (item.category) tags.category = item.category;
    return {
      billed_cost: billed,
      effective_cost: billed,
      list_cost: billed,
      contracted_cost: billed,
      billing_account_id: source.provider,
      billing_account_name: null,
      billing_currency: 'USD',
      billing_period_start: focusTime(period.start),
      billing_period_end: focusTime(period.end),
      charge_period_start: parsedTime(item.start_time, period.start),
      charge_period_end: parsedTime(item.end_time, period.end),
      charge_category: chargeCategory(product, billed),
      charge_class: null,
      charge_description: item.description || item.group_description || product,
      invoice_issuer_name: 'DigitalOcean',
      provider_name: 'DigitalOcean',
      publisher_name: 'DigitalOcean',
      pricing_quantity: quantity,
      pricing_unit: unit,
      service_category: serviceCategoryFor(product),
      service_name: product,
      resource_id: droplet?.resource_id ?? resourceKey,
      resource_name: droplet?.resource_name ?? (item.group_description || null),
      resource_type: droplet ? 'instance' : null,
      region_id: droplet?.region_id ?? null,
      sub_account_id: null,
      sku_id: droplet?.size_slug ?? null,
      consumed_quantity: quantity,
      consumed_unit: unit,
      tags,
      provider: source.provider,
      x_cost_source: 'billing_api',
      x_gpu_model: droplet?.gpu_model ?? null,
      x_gpu_count: droplet?.gpu_count ?? null,
      x_collected_at: source.collectedAt,
      x_row_key: `${rowKeyPrefix(source)}:${firstIndex + offset}`,
    } satisfies CostRecord;
  });
}

/**
 * The row that makes an invoice's rows add up to its total when its items do not (tax or credits shown only on
 * the summary); null when they already do. Charged over the whole billing period, attributed to no resource.
 */
export function invoiceRemainderRow(itemsTotal: string, source: InvoiceSource): CostRecord | null {
  const total = upstreamMoney(source.invoice.amount, `the amount of invoice ${source.invoice.invoice_uuid}`);
  const remainder = subtractDecimals(total, itemsTotal);
  if (compareDecimals(remainder, '0') === 0) return null;
  const period = billingPeriod(source.invoice.invoice_period);
  return {
    billed_cost: remainder,
    effective_cost: remainder,
    list_cost: remainder,
    contracted_cost: remainder,
    billing_account_id: source.provider,
    billing_account_name: null,
    billing_currency: 'USD',
    billing_period_start: focusTime(period.start),
    billing_period_end: focusTime(period.end),
    charge_period_start: focusTime(period.start),
    charge_period_end: focusTime(period.end),
    charge_category: 'Adjustment',
    charge_class: null,
    charge_description: `Invoice total ${total} less its items ${itemsTotal} (not itemised by the API)`,
    invoice_issuer_name: 'DigitalOcean',
    provider_name: 'DigitalOcean',
    publisher_name: 'DigitalOcean',
    pricing_quantity: null,
    pricing_unit: null,
    service_category: 'Other',
    service_name: 'Invoice remainder',
    resource_id: null,
    resource_name: null,
    resource_type: null,
    region_id: null,
    sub_account_id: null,
    sku_id: null,
    consumed_quantity: null,
    consumed_unit: null,
    tags: {
      billing_state: source.state,
      invoice_uuid: source.invoice.invoice_uuid,
      ...(source.invoice.invoice_id ? { invoice_id: source.invoice.invoice_id } : {}),
      reconciliation: 'invoice_total_minus_items',
    },
    provider: source.provider,
    x_cost_source: 'billing_api',
    x_gpu_model: null,
    x_gpu_count: null,
    x_collected_at: source.collectedAt,
    x_row_key: `${rowKeyPrefix(source)}:remainder`,
  };
}
