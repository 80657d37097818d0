// Deterministic DigitalOcean account data shaped as the API v2 documents it: sizes (with GPU sizes), Droplets and
// GPU Droplets, balance, billing history, three closed monthly invoices with items and the month-to-date preview.
// Money is computed in integer units of 0.00001 USD and billed in cents, so totals are exact.

import type {
  DoWireBalance,
  DoWireBillingHistoryEntry,
  DoWireDroplet,
  DoWireGpuInfo,
  DoWireInvoiceItem,
  DoWireInvoiceListItem,
  DoWireSize,
} from './wire.ts';

/** Everything the DigitalOcean simulator serves. */
export interface DoDataset {
  sizes: DoWireSize[];
  /** Non-GPU Droplets: what a plain `GET /v2/droplets` lists. */
  droplets: DoWireDroplet[];
  /** GPU Droplets: listed only with `type=gpus`. */
  gpuDroplets: DoWireDroplet[];
  balance: DoWireBalance;
  history: DoWireBillingHistoryEntry[];
  /** Closed invoices, newest first. */
  invoices: DoWireInvoiceListItem[];
  preview: DoWireInvoiceListItem;
  /** Items by invoice UUID; the preview's under its UUID and under `preview`. */
  invoiceItems: Map<string, DoWireInvoiceItem[]>;
  /** Invoices whose total is more than their items (tax not itemised), by UUID: the difference in cents. */
  unitemisedCents: Map<string, number>;
}

const gpu = (model: string, count: number, vram: number): DoWireGpuInfo => ({
  count,
  model,
  vram: { amount: vram, unit: 'gib' },
});
const REGIONS = ['nyc3', 'tor1', 'ams3', 'sfo3'];

/**
 * Sizes. `s-1vcpu-1gb` is the spec's own example (price_hourly 0.00743999984115362: a float32 artefact);
 * `gpu-h100x1-80gb` is the spec's GPU Droplet example (6.74/h). GPU sizes' `gpu_info.vram.amount` is per card
 * on some and the whole machine's on others (`gpu-h100x8-640gb` says 640): which the API means is UNVERIFIED.
 */
const SIZES: DoWireSize[] = [
  size('s-1vcpu-1gb', 1024, 1, 25, 1, 5.0, 0.00743999984115362, 'Basic'),
  size('s-2vcpu-4gb', 4096, 2, 80, 4, 24.0, 0.03571, 'Basic'),
  size('c-4', 8192, 4, 50, 5, 84.0, 0.125, 'CPU-Optimized'),
  size('gpu-h100x1-80gb', 245760, 20, 720, 15, 4529.28, 6.74, 'H100 GPU - 1X', gpu('nvidia_h100', 1, 80)),
  size('gpu-h100x8-640gb', 1966080, 160, 2046, 60, 16074.24, 23.92, 'H100 GPU - 8X', gpu('nvidia_h100', 8, 640)),
  size('gpu-mi300x8-1536gb', 1966080, 160, 2046, 60, 10698.24, 15.92, 'MI300X GPU - 8X', gpu('amd_mi300x', 8, 192)),
  size('gpu-l40sx1-48gb', 65536, 8, 500, 10, 1055.04, 1.57, 'L40S GPU - 1X', gpu('nvidia_l40s', 1, 48)),
  size('gpu-4000adax1-20gb', 32768, 8, 500, 10, 510.72, 0.76, 'RTX 4000 Ada - 1X', gpu('nvidia_rtx_4000_ada', 1, 20)),
];

function size(
  slug: string,
  memory: number,
  vcpus: number,
  disk: number,
  transfer: number,
  priceMonthly: number,
  priceHourly: number,
  description: string,
  gpuInfo?: DoWireGpuInfo,
): DoWireSize {
  return {
    slug,
    memory,
    vcpus,
    disk,
    transfer,
    price_monthly: priceMonthly,
    price_hourly: priceHourly,
    regions: [...REGIONS],
    available: true,
    description,
    ...(gpuInfo ? { gpu_info: gpuInfo } : {}),
  };
}

/** [name, size, status, created offset in days from 6 months back, project]. */
type DropletPlan = [name: string, slug: string, status: DoWireDroplet['status'], createdDay: number, project: string];
const PLAIN: DropletPlan[] = [
  ['web-01', 's-1vcpu-1gb', 'active', 0, 'web'],
  ['web-02', 's-2vcpu-4gb', 'active', 1, 'web'],
  ['web-03', 's-2vcpu-4gb', 'off', 2, 'web'],
  ['batch-04', 'c-4', 'active', 3, 'batch'],
  ['db-05', 's-2vcpu-4gb', 'active', 4, 'web'],
];
const GPUS: DropletPlan[] = [
  ['train-h100x8-01', 'gpu-h100x8-640gb', 'active', 5, 'ml'],
  ['infer-h100-02', 'gpu-h100x1-80gb', 'active', 6, 'ml'],
  ['train-mi300x-03', 'gpu-mi300x8-1536gb', 'active', 7, 'ml'],
  // Created in the last closed month, mid-month: its first invoice line is partial.
  ['infer-l40s-04', 'gpu-l40sx1-48gb', 'active', 160, 'ml'],
  ['dev-ada-05', 'gpu-4000adax1-20gb', 'off', 8, 'ml'],
];

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function dollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

function uuid(prefix: number, index: number): string {
  return `${prefix.toString(16).padStart(8, '0')}-0ea7-4206-8ceb-${String(index).padStart(12, '0')}`;
}

/** Builds the dataset for `now`: the three months before `now`'s month invoiced, the current one in the preview. */
export function doDataset(now: Date): DoDataset {
  const monthStart = (offset: number): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  const origin = monthStart(-6);
  const sizeBySlug = new Map(SIZES.map((item) => [item.slug, item]));
  const droplet = (plan: DropletPlan, index: number, isGpu: boolean): DoWireDroplet => {
    const [name, slug, status, createdDay] = plan;
    const sized = sizeBySlug.get(slug) as DoWireSize;
    const id = (isGpu ? 448543583 : 3164444) + index;
    const octet = (isGpu ? 100 : 10) + index;
    // The last GPU Droplet carries no gpu_info of its own nor in its embedded size: only `/v2/sizes` has it.
    const bare = isGpu && index === GPUS.length - 1;
    const { gpu_info: gpuInfo, ...sizeWithoutGpu } = sized;
    return {
      id,
      name,
      memory: sized.memory,
      vcpus: sized.vcpus,
      disk: sized.disk,
      locked: false,
      status,
      created_at: iso(new Date(origin.getTime() + createdDay * 86_400_000)),
      features: ['droplet_agent', 'private_networking'],
      backup_ids: [],
      next_backup_window: null,
      snapshot_ids: [],
      image: { id: 166407044, name: 'Ubuntu 24.04 (LTS) x64', distribution: 'Ubuntu', slug: 'ubuntu-24-04-x64' },
      volume_ids: [],
      size: bare ? sizeWithoutGpu : sized,
      size_slug: slug,
      networks: {
        v4: [
          { ip_address: `10.128.0.${octet}`, netmask: '255.255.0.0', gateway: 'nil', type: 'private' },
          { ip_address: `192.241.165.${octet}`, netmask: '255.255.255.0', gateway: '192.241.165.1', type: 'public' },
        ],
        v6: [],
      },
      region: {
        name: REGIONS[index % REGIONS.length] as string,
        slug: REGIONS[index % REGIONS.length] as string,
        available: true,
      },
      tags: isGpu ? ['ml', `team:${index % 2 === 0 ? 'research' : 'serving'}`] : ['web', 'env:prod'],
      vpc_uuid: '760e09ef-dc84-11e8-981e-3cfdfeaae000',
      ...(isGpu && !bare && gpuInfo ? { gpu_info: gpuInfo } : {}),
    };
  };
  const droplets = PLAIN.map((plan, index) => droplet(plan, index, false));
  const gpuDroplets = GPUS.map((plan, index) => droplet(plan, index, true));
  const projectOf = new Map([...PLAIN, ...GPUS].map(([name, , , , project]) => [name, project]));

  /** One month's items from `start` to `end` (the preview: to now). Droplets bill hourly up to the monthly price. */
  const itemsFor = (start: Date, end: Date, month: number): DoWireInvoiceItem[] => {
    const items: DoWireInvoiceItem[] = [];
    for (const item of [...droplets, ...gpuDroplets]) {
      const created = new Date(item.created_at);
      if (created >= end) continue;
      const from = created > start ? created : start;
      const hours = Math.ceil((end.getTime() - from.getTime()) / 3_600_000);
      const hourly = Math.round(item.size.price_hourly * 100_000);
      const monthly = Math.round(item.size.price_monthly * 100_000);
      const cents = Math.round(Math.min(hours * hourly, monthly) / 1000);
      items.push({
        product: 'Droplets',
        resource_uuid: `ae4e${String(item.id).padStart(8, '0')}-37c8-4817-b371-44fa3504a39c`,
        resource_id: String(item.id),
        group_description: '',
        description: `${item.name} (${item.size_slug})`,
        amount: dollars(cents),
        duration: String(hours),
        duration_unit: 'Hours',
        start_time: iso(from),
        end_time: iso(end),
        project_name: projectOf.get(item.name) ?? 'default',
      });
    }
    items.push({
      product: 'Volumes',
      resource_uuid: '506f78a4-e098-11e5-ad9f-000f53306ae1',
      group_description: '',
      description: 'datasets (1000 GiB)',
      amount: month === 0 ? '50.00' : '100.00',
      duration: month === 0 ? '372' : '744',
      duration_unit: 'Hours',
      start_time: iso(start),
      end_time: iso(end),
      project_name: 'ml',
    });
    items.push({
      product: 'Spaces Subscription',
      description: 'Spaces ($5/mo 250GB storage & 1TB bandwidth)',
      amount: '5.00',
      duration: '744',
      duration_unit: 'Hours',
      start_time: iso(start),
      end_time: iso(end),
    });
    // A promotional credit on the oldest invoice: a negative line.
    if (month === -3)
      items.push({
        product: 'Credits',
        description: 'Promotional credit',
        amount: '-250.00',
        start_time: iso(start),
        end_time: iso(end),
      });
    return items;
  };
  const cents = (amount: string): number => Math.round(Number(amount) * 100);
  const sumCents = (items: DoWireInvoiceItem[]): number => items.reduce((total, item) => total + cents(item.amount), 0);

  const invoiceItems = new Map<string, DoWireInvoiceItem[]>();
  const unitemisedCents = new Map<string, number>();
  const invoices: DoWireInvoiceListItem[] = [];
  const history: DoWireBillingHistoryEntry[] = [];
  for (const month of [-1, -2, -3]) {
    const start = monthStart(month);
    const end = monthStart(month + 1);
    const items = itemsFor(start, end, month);
    const invoiceUuid = uuid(0x22737513, -month);
    // One invoice bills more than its items list (tax shown only on the summary): the spec's own example invoice
    // (12.34) does not equal its items either. Which lines a real invoice leaves out is UNVERIFIED.
    const extra = month === -2 ? 523 : 0;
    if (extra) unitemisedCents.set(invoiceUuid, extra);
    const total = sumCents(items) + extra;
    const period = `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
    const invoiceId = String(12345678 - month);
    invoices.push({ invoice_uuid: invoiceUuid, invoice_id: invoiceId, amount: dollars(total), invoice_period: period });
    invoiceItems.set(invoiceUuid, items);
    history.push({
      description: `Payment (MC ${period})`,
      amount: dollars(-total),
      date: iso(new Date(end.getTime() + 2 * 86_400_000 + 30_278_000)),
      type: 'Payment',
    });
    history.push({
      description: `Invoice for ${period}`,
      amount: dollars(total),
      invoice_id: invoiceId,
      invoice_uuid: invoiceUuid,
      date: iso(new Date(end.getTime() + 30_278_000)),
      type: 'Invoice',
    });
  }
  const current = monthStart(0);
  const previewItems = itemsFor(current, now, 0);
  const previewUuid = uuid(0x1afe95e6, 0);
  const previewTotal = sumCents(previewItems);
  const preview: DoWireInvoiceListItem = {
    invoice_uuid: previewUuid,
    invoice_id: '34567890',
    amount: dollars(previewTotal),
    invoice_period: `${current.getUTCFullYear()}-${String(current.getUTCMonth() + 1).padStart(2, '0')}`,
    updated_at: iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 6, 31, 50))),
  };
  invoiceItems.set(previewUuid, previewItems);
  invoiceItems.set('preview', previewItems);
  return {
    sizes: SIZES,
    droplets,
    gpuDroplets,
    balance: {
      month_to_date_balance: dollars(previewTotal),
      account_balance: '0.00',
      month_to_date_usage: dollars(previewTotal),
      generated_at: iso(now),
    },
    history,
    invoices,
    preview,
    invoiceItems,
    unitemisedCents,
  };
}
