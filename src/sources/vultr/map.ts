// Pure mapping from Vultr API payloads to the collector's model: GPU facts from plans, inventory rows,
// FOCUS cost rows from invoice items and pending charges. No I/O; tested from recorded payloads.

import { addDecimals, compareDecimals, divideDecimals, multiplyDecimals, upstreamDecimal } from '../../core/decimal.ts';
import { gpuModelColumns } from '../../core/gpu-catalog.ts';
import { focusTime, type CostRecord, type ResourceRecord } from '../../core/model.ts';
import { startOfNextUtcMonth, startOfUtcMonth } from '../../core/window.ts';
import { accountResource } from '../_common/account-resource.ts';

// The Vultr API v2 payloads read here, as documented (see README.md for the sources).

/** `meta` of every paginated list: `links.next` is the cursor of the next page, '' on the last. */
export interface VultrMeta {
  total?: number;
  links?: { next?: string; prev?: string };
}

/** One item of `GET /instances`. There are no GPU fields: the plan carries them. */
export interface VultrInstance {
  id: string;
  plan: string;
  region?: string;
  status?: string;
  power_status?: string;
  server_status?: string;
  vcpu_count?: number;
  /** MB. */
  ram?: number;
  date_created?: string;
  label?: string;
  hostname?: string;
  main_ip?: string;
  v6_main_ip?: string;
  internal_ip?: string;
  os?: string;
  tags?: string[];
}

/** One item of `GET /bare-metals`; `ram` is a string such as "2097152 MB". */
export interface VultrBareMetal {
  id: string;
  plan: string;
  region?: string;
  status?: string;
  cpu_count?: number;
  ram?: string;
  date_created?: string;
  label?: string;
  main_ip?: string;
  v6_main_ip?: string;
  os?: string;
  tags?: string[];
}

/** One item of `GET /plans` (cloud GPU plans have type `vcg`, `gpu_type` and `gpu_vram_gb`). */
export interface VultrPlan {
  id: string;
  type?: string;
  vcpu_count?: number;
  ram?: number;
  monthly_cost?: number;
  /** Seen in live responses, not in govultr: optional. */
  hourly_cost?: number;
  gpu_type?: string;
  gpu_vram_gb?: number;
}

/** One item of `GET /plans-metal`; the GPU shows only in the id (`vbm-112c-2048gb-8-h100-gpu`). */
export interface VultrMetalPlan {
  id: string;
  type?: string;
  cpu_count?: number;
  ram?: number;
  monthly_cost?: number;
  hourly_cost?: number;
}

/** `GET /account` -> `account`. A negative balance is a credit. */
export interface VultrAccount {
  name?: string;
  email?: string;
  balance?: number;
  pending_charges?: number;
  last_payment_date?: string;
  last_payment_amount?: number;
}

/** One item of `GET /billing/history`. */
export interface VultrBillingHistoryEntry {
  id: number | string;
  date: string;
  type: string;
  description?: string;
  amount: number;
  balance?: number;
}

/** One item of `GET /billing/invoices`. */
export interface VultrInvoice {
  id: number | string;
  date: string;
  description?: string;
  amount: number;
  balance?: number;
}

/** One line of `GET /billing/invoices/{id}/items` and of `GET /billing/pending-charges`. */
export interface VultrInvoiceItem {
  description: string;
  product?: string;
  start_date: string;
  end_date: string;
  units?: number;
  unit_type?: string;
  unit_price?: number;
  total: number;
}

/** What a plan tells about the machines on it. */
export interface PlanFacts {
  /** Canonical GPU model id (the raw name when the catalog lacks it). */
  gpu_model: string | null;
  /** The name as Vultr gives it, `NVIDIA A100` from `NVIDIA_A100`. */
  gpu_model_raw: string | null;
  /** Cards on the plan; the share of one card on a fractional plan (0.05 for 4 GB of an 80 GB A100). */
  gpu_count: number | null;
  /** Share of one card for fractional cloud GPU plans (e.g. 0.5 for 40 GB of an 80 GB A100), else null. */
  gpu_fraction: string | null;
  /** USD per hour, exact decimal; null when the plan has no price. */
  price_per_hour: string | null;
  /** Tags naming the GPU facts that are guesses and what they were guessed from (see `GpuInference`). */
  inferred: Readonly<Partial<Record<InferenceTag, GpuInference>>>;
}

/**
 * Where a GPU fact was inferred from: `plan_id` (parsed from a bare-metal plan id, which Vultr says not to rely
 * on), `gpu_vram_gb` (the plan's VRAM ÷ one card's VRAM) or `default` (one card assumed: nothing to count from).
 */
export type GpuInference = 'plan_id' | 'gpu_vram_gb' | 'default';
/** The row tags that carry a `GpuInference`. */
export type InferenceTag = 'gpu_model_inferred_from' | 'gpu_count_inferred_from';
const INFERENCE_TAGS: readonly InferenceTag[] = ['gpu_model_inferred_from', 'gpu_count_inferred_from'];

/** The inference tags among a row's tags, for the cost rows of the resource. */
export function inferenceTags(tags: Readonly<Record<string, string>> | null | undefined): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of INFERENCE_TAGS) if (tags?.[key]) picked[key] = tags[key];
  return picked;
}

/**
 * VRAM of one card in GB, to turn a plan's `gpu_vram_gb` into a card count (Vultr gives no count) and to tell the
 * catalog which variant of the card Vultr sells (an A100 is the 80 GB one).
 */
const CARD_VRAM_GB: Readonly<Record<string, number>> = {
  A16: 16,
  A40: 48,
  A100: 80,
  A6000: 48,
  L40: 48,
  L40S: 48,
  H100: 80,
  H200: 141,
  GH200: 96,
  B200: 180,
  MI300X: 192,
  MI325X: 256,
  MI355X: 288,
};

/**
 * Vultr bills hourly up to a monthly cap: 730 hours for GPU *instances* (Cloud GPU plans), 672 for every other
 * server type, bare metal with GPUs included (docs.vultr.com "How Am I Billed for My Servers?").
 */
export type MonthlyCap = 'cloud_gpu' | 'other_server';
const MONTHLY_CAP_HOURS: Readonly<Record<MonthlyCap, string>> = { cloud_gpu: '730', other_server: '672' };

/** `NVIDIA_A100` -> `NVIDIA A100`. */
export function gpuModelName(vultrGpuType: string): string {
  return vultrGpuType.trim().replace(/_/g, ' ');
}

function vendorFor(model: string): string {
  return /^MI\d/i.test(model) ? 'AMD' : 'NVIDIA';
}

/** Hourly price: the plan's `hourly_cost` when given, else `monthly_cost` over the monthly cap hours. */
export function hourlyPrice(
  plan: { id: string; monthly_cost?: number; hourly_cost?: number },
  cap: MonthlyCap,
  provider: string,
): string | null {
  const { monthly_cost: monthly, hourly_cost: hourly } = plan;
  if (typeof hourly === 'number' && hourly > 0)
    return upstreamDecimal(hourly, { provider, field: `plan ${plan.id} hourly_cost` });
  if (typeof monthly !== 'number') return null;
  const price = upstreamDecimal(monthly, { provider, field: `plan ${plan.id} monthly_cost` });
  return divideDecimals(price, MONTHLY_CAP_HOURS[cap], 6);
}

/** GPU facts of a cloud plan: `gpu_type` names the card, `gpu_vram_gb` ÷ one card's VRAM gives the count. */
export function factsFromPlan(plan: VultrPlan, provider: string): PlanFacts {
  if (!plan.gpu_type)
    return {
      gpu_model: null,
      gpu_model_raw: null,
      gpu_count: null,
      gpu_fraction: null,
      price_per_hour: hourlyPrice(plan, 'other_server', provider),
      inferred: {},
    };
  const model = gpuModelName(plan.gpu_type);
  const cardKey = model.split(' ').pop()?.toUpperCase() ?? '';
  const cardVram = CARD_VRAM_GB[cardKey];
  const vram = plan.gpu_vram_gb;
  let count = 1;
  let fraction: string | null = null;
  let countFrom: GpuInference = 'default';
  if (cardVram !== undefined && typeof vram === 'number' && vram > 0) {
    countFrom = 'gpu_vram_gb';
    if (vram >= cardVram) count = Math.max(1, Math.round(vram / cardVram));
    else fraction = divideDecimals(String(vram), String(cardVram), 4);
  }
  return {
    ...gpuModelColumns(model, { memoryGb: cardVram ?? null }),
    gpu_count: fraction === null ? count : Number(fraction),
    gpu_fraction: fraction,
    price_per_hour: hourlyPrice(plan, 'cloud_gpu', provider),
    inferred: { gpu_count_inferred_from: countFrom },
  };
}

/** GPU facts of a bare-metal plan, parsed from its id: `vbm-112c-2048gb-8-h100-gpu` is 8 × H100 (count 1 when absent). */
export function factsFromMetalPlan(plan: VultrMetalPlan, provider: string): PlanFacts {
  const parts = plan.id.toLowerCase().split('-');
  const isGpu = parts.at(-1) === 'gpu' && parts.length >= 3;
  if (!isGpu)
    return {
      gpu_model: null,
      gpu_model_raw: null,
      gpu_count: null,
      gpu_fraction: null,
      price_per_hour: hourlyPrice(plan, 'other_server', provider),
      inferred: {},
    };
  const card = (parts.at(-2) ?? '').toUpperCase();
  const countText = parts.at(-3) ?? '';
  const count = /^\d+$/.test(countText) ? Number(countText) : 1;
  return {
    ...gpuModelColumns(`${vendorFor(card)} ${card}`, { memoryGb: CARD_VRAM_GB[card] ?? null }),
    gpu_count: count,
    gpu_fraction: null,
    price_per_hour: hourlyPrice(plan, 'other_server', provider),
    inferred: { gpu_model_inferred_from: 'plan_id', gpu_count_inferred_from: 'plan_id' },
  };
}

/** The inventory facts a cost line needs about the resource it bills. */
export interface BilledResource {
  resource_id: string;
  resource_name: string | null;
  resource_type: string;
  region_id: string | null;
  plan: string;
  gpu_model: string | null;
  gpu_count: number | null;
  /** The resource's inference tags (`inferenceTags`), repeated on its cost rows. */
  inferred: Readonly<Record<string, string>>;
}

const MB = 1024 * 1024;

function hostTags(fields: Record<string, string | undefined>, vultrTags: string[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields))
    if (value && value !== '0.0.0.0' && value !== '::') tags[key] = value;
  for (const tag of vultrTags ?? []) tags[`tag:${tag}`] = 'true';
  return tags;
}

/** Vultr's status plus power state: a stopped instance still bills, so say so. */
function instanceStatus(status: string | undefined, power: string | undefined): string | null {
  if (power === 'stopped') return 'stopped';
  return status ?? power ?? null;
}

/** One inventory row for a cloud instance, its GPU facts joined from the plan. */
export function resourceFromInstance(
  instance: VultrInstance,
  plan: PlanFacts | undefined,
  provider: string,
  seenAt: string,
): ResourceRecord {
  return {
    provider,
    resource_id: instance.id,
    resource_name: instance.label || instance.hostname || null,
    resource_type: 'instance',
    region_id: instance.region ?? null,
    status: instanceStatus(instance.status, instance.power_status),
    instance_type: instance.plan,
    gpu_model: plan?.gpu_model ?? null,
    gpu_model_raw: plan?.gpu_model_raw ?? null,
    gpu_count: plan?.gpu_count ?? null,
    vcpus: instance.vcpu_count ?? null,
    memory_bytes: typeof instance.ram === 'number' ? instance.ram * MB : null,
    price_per_hour: plan?.price_per_hour ?? null,
    currency: plan?.price_per_hour ? 'USD' : null,
    tags: {
      ...hostTags(
        {
          ip: instance.main_ip,
          main_ip: instance.main_ip,
          v6_main_ip: instance.v6_main_ip,
          internal_ip: instance.internal_ip,
          hostname: instance.hostname,
          os: instance.os,
          plan: instance.plan,
          server_status: instance.server_status,
        },
        instance.tags,
      ),
      ...(plan?.gpu_fraction ? { gpu_fraction: plan.gpu_fraction } : {}),
      ...plan?.inferred,
    },
    first_seen_at: instance.date_created ? focusTime(new Date(instance.date_created)) : null,
    last_seen_at: seenAt,
  };
}

/** `"2097152 MB"` -> bytes. */
export function bytesFromRamText(ram: string | undefined): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(MB|GB|TB)?\s*$/i.exec(ram ?? '');
  if (!match) return null;
  const unit = (match[2] ?? 'MB').toUpperCase();
  return Math.round(Number(match[1]) * (unit === 'TB' ? MB * 1024 * 1024 : unit === 'GB' ? MB * 1024 : MB));
}

/** One inventory row for a bare-metal server, its GPU facts parsed from the plan id. */
export function resourceFromBareMetal(
  server: VultrBareMetal,
  plan: PlanFacts | undefined,
  provider: string,
  seenAt: string,
): ResourceRecord {
  return {
    provider,
    resource_id: server.id,
    resource_name: server.label || null,
    resource_type: 'bare_metal',
    region_id: server.region ?? null,
    status: server.status ?? null,
    instance_type: server.plan,
    gpu_model: plan?.gpu_model ?? null,
    gpu_model_raw: plan?.gpu_model_raw ?? null,
    gpu_count: plan?.gpu_count ?? null,
    vcpus: server.cpu_count ?? null,
    memory_bytes: bytesFromRamText(server.ram),
    price_per_hour: plan?.price_per_hour ?? null,
    currency: plan?.price_per_hour ? 'USD' : null,
    tags: {
      ...hostTags(
        {
          ip: server.main_ip,
          main_ip: server.main_ip,
          v6_main_ip: server.v6_main_ip,
          os: server.os,
          plan: server.plan,
        },
        server.tags,
      ),
      ...plan?.inferred,
    },
    first_seen_at: server.date_created ? focusTime(new Date(server.date_created)) : null,
    last_seen_at: seenAt,
  };
}

/** The account as an inventory row: balance (negative = credit), month-to-date pending charges, last invoice. */
export function resourceFromAccount(
  account: VultrAccount,
  lastInvoice: VultrBillingHistoryEntry | undefined,
  provider: string,
  seenAt: string,
): ResourceRecord {
  const tags: Record<string, string> = {};
  const money = (value: number, field: string): string => upstreamDecimal(value, { provider, field });
  if (typeof account.balance === 'number') tags.balance = money(account.balance, 'account balance');
  if (typeof account.pending_charges === 'number')
    tags.pending_charges = money(account.pending_charges, 'account pending_charges');
  if (account.last_payment_date) tags.last_payment_date = account.last_payment_date;
  if (typeof account.last_payment_amount === 'number')
    tags.last_payment_amount = money(account.last_payment_amount, 'account last_payment_amount');
  if (lastInvoice) {
    tags.last_invoice_date = lastInvoice.date;
    tags.last_invoice_amount = money(lastInvoice.amount, 'last invoice amount');
  }
  return accountResource(provider, account.name || account.email || null, tags, seenAt);
}

/** The resource label in a billing line such as `Cloud GPU (gpu-train-01)`: the last parenthesised text. */
export function labelFromDescription(description: string): string | null {
  const match = /\(([^()]+)\)[^()]*$/.exec(description);
  return match?.[1]?.trim() || null;
}

/** FOCUS ServiceCategory of a Vultr product name. */
export function serviceCategoryFor(product: string): string {
  const name = product.toLowerCase();
  if (/storage|snapshot|backup|volume|registry/.test(name)) return 'Storage';
  if (/load balancer|bandwidth|reserved ip|network|dns|cdn|ip address/.test(name)) return 'Networking';
  if (/database/.test(name)) return 'Databases';
  if (/inference|serverless/.test(name)) return 'AI and Machine Learning';
  if (/compute|gpu|bare metal|instance|kubernetes|server/.test(name)) return 'Compute';
  return 'Other';
}

/** Where a batch of billing lines comes from. */
export interface BillingLineSource {
  provider: string;
  /** `invoice` lines are billed; `pending` lines are month-to-date and not yet invoiced. */
  kind: 'invoice' | 'pending';
  invoiceId?: string;
  accountName: string | null;
  collectedAt: string;
  /**
   * Inventory by label, to give a line its resource id and GPU facts. Labels are free text and may repeat: a
   * label held by several resources matches none of them (the row is tagged `resource_match=ambiguous_label`).
   */
  resourcesByLabel: ReadonlyMap<string, readonly BilledResource[]>;
}

/** FOCUS cost rows from invoice items or pending charges; amounts exact, one row per line. */
export function costRowsFromBillingLines(items: readonly VultrInvoiceItem[], source: BillingLineSource): CostRecord[] {
  const seenKeys = new Map<string, number>();
  return items.map((item, index) => {
    const start = new Date(item.start_date);
    const end = new Date(item.end_date);
    const label = labelFromDescription(item.description);
    const candidates = label === null ? [] : (source.resourcesByLabel.get(label) ?? []);
    // Lines name no resource id, only a label: a unique label is a match, a shared one is no match at all.
    const resource = candidates.length === 1 ? candidates[0] : undefined;
    const field = (name: string): { provider: string; field: string } => ({
      provider: source.provider,
      field: `${source.kind === 'invoice' ? 'invoice' : 'pending charges'} item ${index} ${name}`,
    });
    const billed = upstreamDecimal(item.total, field('total'));
    const quantity = typeof item.units === 'number' ? upstreamDecimal(item.units, field('units')) : null;
    const listed =
      quantity !== null && typeof item.unit_price === 'number'
        ? multiplyDecimals(quantity, upstreamDecimal(item.unit_price, field('unit_price')))
        : null;
    const product = item.product ?? 'Vultr';
    let rowKey =
      source.kind === 'invoice'
        ? `invoice:${source.invoiceId ?? ''}:${index}`
        : `pending:${product}:${item.description}`;
    const repeat = seenKeys.get(rowKey) ?? 0;
    seenKeys.set(rowKey, repeat + 1);
    if (repeat > 0) rowKey = `${rowKey}#${repeat}`;
    const negative = compareDecimals(billed, '0') < 0;
    return {
      billed_cost: billed,
      effective_cost: billed,
      // List price × units is above the bill when the monthly cap applied; never report it below the bill.
      list_cost: listed !== null && !negative && compareDecimals(listed, billed) >= 0 ? listed : billed,
      contracted_cost: billed,
      billing_account_id: source.provider,
      billing_account_name: source.accountName,
      billing_currency: 'USD',
      billing_period_start: focusTime(startOfUtcMonth(start)),
      billing_period_end: focusTime(startOfNextUtcMonth(start)),
      charge_period_start: focusTime(start),
      charge_period_end: focusTime(end),
      charge_category: negative ? 'Credit' : 'Usage',
      charge_class: null,
      charge_description: item.description,
      invoice_issuer_name: 'Vultr',
      provider_name: 'Vultr',
      publisher_name: 'Vultr',
      pricing_quantity: quantity,
      pricing_unit: item.unit_type ? capitalize(item.unit_type) : null,
      service_category: serviceCategoryFor(product),
      service_name: product,
      resource_id: resource?.resource_id ?? null,
      resource_name: resource?.resource_name ?? label,
      resource_type: resource?.resource_type ?? null,
      region_id: resource?.region_id ?? null,
      sub_account_id: null,
      sku_id: resource?.plan ?? null,
      consumed_quantity: quantity,
      consumed_unit: item.unit_type ? capitalize(item.unit_type) : null,
      tags: {
        billing_state: source.kind === 'invoice' ? 'invoiced' : 'pending',
        ...(source.invoiceId ? { invoice_id: source.invoiceId } : {}),
        ...matchTags(candidates),
        ...resource?.inferred,
      },
      provider: source.provider,
      x_cost_source: 'billing_api',
      x_gpu_model: resource?.gpu_model ?? null,
      x_gpu_count: resource?.gpu_count ?? null,
      x_collected_at: source.collectedAt,
      x_row_key: rowKey,
    } satisfies CostRecord;
  });
}

/** How a line was matched to inventory: `label` (one resource has it) or `ambiguous_label` (several have it). */
function matchTags(candidates: readonly BilledResource[]): Record<string, string> {
  if (candidates.length === 0) return {};
  if (candidates.length === 1) return { resource_match: 'label' };
  return {
    resource_match: 'ambiguous_label',
    resource_candidates: candidates.map((candidate) => candidate.resource_id).join(','),
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Sum of billed_cost over rows, exact. */
export function totalBilled(rows: readonly CostRecord[]): string {
  return rows.length === 0 ? '0' : addDecimals(...rows.map((row) => row.billed_cost));
}
