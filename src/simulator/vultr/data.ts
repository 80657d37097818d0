// Deterministic Vultr account data shaped as the Vultr API v2 documents it: plans, instances, bare metal,
// account, billing history, monthly invoices with items, and month-to-date pending charges.
// Money is generated in integer cents so every invoice total equals the sum of its items exactly.

import { seededRandom } from '../random.ts';
import type {
  VultrWireAccount,
  VultrWireBareMetal,
  VultrWireHistoryEntry,
  VultrWireInstance,
  VultrWireInvoice,
  VultrWireInvoiceItem,
  VultrWireMetalPlan,
  VultrWirePlan,
} from './wire.ts';

/** Everything the Vultr simulator serves. */
export interface VultrDataset {
  plans: VultrWirePlan[];
  metalPlans: VultrWireMetalPlan[];
  instances: VultrWireInstance[];
  bareMetals: VultrWireBareMetal[];
  account: VultrWireAccount;
  history: VultrWireHistoryEntry[];
  invoices: VultrWireInvoice[];
  invoiceItems: Map<string, VultrWireInvoiceItem[]>;
  pendingCharges: VultrWireInvoiceItem[];
}

const PLANS: VultrWirePlan[] = [
  { id: 'vc2-1c-1gb', type: 'vc2', vcpu_count: 1, ram: 1024, monthly_cost: 5, hourly_cost: 0.007 },
  { id: 'vc2-2c-4gb', type: 'vc2', vcpu_count: 2, ram: 4096, monthly_cost: 20, hourly_cost: 0.03 },
  { id: 'vhf-4c-16gb', type: 'vhf', vcpu_count: 4, ram: 16384, monthly_cost: 96 },
  {
    id: 'vcg-a100-1c-6g-4vram',
    type: 'vcg',
    vcpu_count: 1,
    ram: 6144,
    monthly_cost: 90,
    hourly_cost: 0.123,
    gpu_vram_gb: 4,
    gpu_type: 'NVIDIA_A100',
  },
  {
    id: 'vcg-a100-12c-120g-80vram',
    type: 'vcg',
    vcpu_count: 12,
    ram: 122880,
    monthly_cost: 1750,
    hourly_cost: 2.397,
    gpu_vram_gb: 80,
    gpu_type: 'NVIDIA_A100',
  },
  {
    id: 'vcg-a100-48c-480g-320vram',
    type: 'vcg',
    vcpu_count: 48,
    ram: 491520,
    monthly_cost: 7000,
    gpu_vram_gb: 320,
    gpu_type: 'NVIDIA_A100',
  },
  {
    id: 'vcg-h100-184c-1800g-640vram',
    type: 'vcg',
    vcpu_count: 184,
    ram: 1843200,
    monthly_cost: 17520,
    hourly_cost: 23.92,
    gpu_vram_gb: 640,
    gpu_type: 'NVIDIA_H100',
  },
  {
    id: 'vcg-l40s-16c-180g-48vram',
    type: 'vcg',
    vcpu_count: 16,
    ram: 184320,
    monthly_cost: 1226.4,
    hourly_cost: 1.671,
    gpu_vram_gb: 48,
    gpu_type: 'NVIDIA_L40S',
  },
  {
    id: 'vcg-a16-6c-64g-16vram',
    type: 'vcg',
    vcpu_count: 6,
    ram: 65536,
    monthly_cost: 346.75,
    gpu_vram_gb: 16,
    gpu_type: 'NVIDIA_A16',
  },
];

const METAL_PLANS: VultrWireMetalPlan[] = [
  { id: 'vbm-4c-32gb', type: 'SSD', cpu_count: 4, ram: 32768, monthly_cost: 120 },
  {
    id: 'vbm-112c-2048gb-8-h100-gpu',
    type: 'NVMe',
    cpu_count: 112,
    ram: 2097152,
    monthly_cost: 15792,
    hourly_cost: 23.5,
  },
  { id: 'vbm-256c-2048gb-8-mi300x-gpu', type: 'NVMe', cpu_count: 256, ram: 2097152, monthly_cost: 13724.16 },
  { id: 'vbm-64c-2048gb-l40-gpu', type: 'NVMe', cpu_count: 64, ram: 2097152, monthly_cost: 4964.4 },
];

const REGIONS = ['ewr', 'ord', 'lax', 'ams', 'fra', 'sjc'];

/**
 * Hours after which a month bills at the monthly price: 730 for GPU instances (Cloud GPU), 672 for every other
 * server type, GPU bare metal included (docs.vultr.com "How Am I Billed for My Servers?", 2025-09-15).
 */
function monthlyCapHours(product: string): number {
  return product === 'Cloud GPU' ? 730 : 672;
}

/** Hourly price in units of 0.00001 USD, so line totals are computed in integers. */
function hourlyMillicents(plan: { monthly_cost?: number; hourly_cost?: number }, capHours: number): number {
  if (plan.hourly_cost !== undefined) return Math.round(plan.hourly_cost * 100_000);
  return Math.round(((plan.monthly_cost ?? 0) * 100_000) / capHours);
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Builds the dataset for `now`: five closed months invoiced, the current month pending. */
export function vultrDataset(seed: number, now: Date): VultrDataset {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const monthStart = (offset: number): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  const created = monthStart(-6);

  const instancePlans = [
    'vcg-h100-184c-1800g-640vram',
    'vcg-a100-48c-480g-320vram',
    'vcg-a100-12c-120g-80vram',
    'vcg-a100-1c-6g-4vram',
    'vcg-l40s-16c-180g-48vram',
    'vcg-a16-6c-64g-16vram',
    'vc2-1c-1gb',
    'vc2-2c-4gb',
    'vhf-4c-16gb',
    'vcg-a100-12c-120g-80vram',
  ];
  const instances: VultrWireInstance[] = instancePlans.map((planId, index) => {
    const plan = PLANS.find((candidate) => candidate.id === planId) as VultrWirePlan;
    // Labels are free text, not unique (govultr `InstanceCreateReq.Label` is a plain string): the last instance
    // is a second A100 server given the label of the first, so billing lines cannot tell them apart.
    const label =
      index === 9 ? 'gpu-03' : `${plan.type === 'vcg' ? 'gpu' : 'web'}-${String(index + 1).padStart(2, '0')}`;
    return {
      id: `cb676a46-66fd-4dfb-b839-${String(443 + index).padStart(12, '0')}`,
      os: 'Ubuntu 24.04 LTS x64',
      ram: plan.ram,
      disk: 0,
      plan: planId,
      main_ip: `45.77.${10 + index}.${Math.floor(random() * 250) + 2}`,
      vcpu_count: plan.vcpu_count,
      region: pick(REGIONS),
      date_created: iso(new Date(created.getTime() + index * 86_400_000)),
      status: 'active',
      power_status: index === 8 ? 'stopped' : 'running',
      server_status: index === 8 ? 'none' : 'ok',
      v6_main_ip: `2001:19f0:5:${(index + 1).toString(16)}::1`,
      label,
      internal_ip: `10.1.96.${index + 3}`,
      hostname: `${label}.example.internal`,
      tags: plan.type === 'vcg' ? ['ml', `team-${index % 2 === 0 ? 'research' : 'serving'}`] : ['web'],
      features: ['ipv6'],
    };
  });

  const metalPlanIds = [
    'vbm-112c-2048gb-8-h100-gpu',
    'vbm-256c-2048gb-8-mi300x-gpu',
    'vbm-64c-2048gb-l40-gpu',
    'vbm-4c-32gb',
  ];
  const bareMetals: VultrWireBareMetal[] = metalPlanIds.map((planId, index) => {
    const plan = METAL_PLANS.find((candidate) => candidate.id === planId) as VultrWireMetalPlan;
    return {
      id: `fb0a0f4c-7f0e-45ad-8f4a-${String(900 + index).padStart(12, '0')}`,
      os: 'Ubuntu 24.04 LTS x64',
      ram: `${plan.ram} MB`,
      disk: '2x 1920GB NVMe',
      main_ip: `149.28.${20 + index}.${Math.floor(random() * 250) + 2}`,
      cpu_count: plan.cpu_count,
      region: pick(REGIONS),
      date_created: iso(new Date(created.getTime() + (index + 20) * 86_400_000)),
      status: 'active',
      plan: planId,
      v6_main_ip: '',
      label: `metal-${String(index + 1).padStart(2, '0')}`,
      tags: ['training'],
    };
  });

  /**
   * One line per server for [from, to), priced hourly and capped at the monthly price. `units` are the hours used,
   * above the cap too: govultr's pending-charges example bills 720 units for a total of one month's price.
   */
  const serverLines = (from: Date, to: Date): VultrWireInvoiceItem[] => {
    const lines: VultrWireInvoiceItem[] = [];
    const servers = [
      ...instances.map((item) => ({
        label: item.label,
        product: item.plan.startsWith('vcg') ? 'Cloud GPU' : 'Cloud Compute',
        plan: PLANS.find((p) => p.id === item.plan) as VultrWirePlan,
        created: item.date_created,
      })),
      ...bareMetals.map((item) => ({
        label: item.label,
        product: 'Bare Metal',
        plan: METAL_PLANS.find((p) => p.id === item.plan) as VultrWireMetalPlan,
        created: item.date_created,
      })),
    ];
    for (const server of servers) {
      const start = new Date(Math.max(from.getTime(), Date.parse(server.created)));
      if (start >= to) continue;
      const capHours = monthlyCapHours(server.product);
      const hours = Math.ceil((to.getTime() - start.getTime()) / 3_600_000);
      const rate = hourlyMillicents(server.plan, capHours);
      const capped = Math.min(hours, capHours);
      const total = Math.min(Math.round((capped * rate) / 1000), Math.round((server.plan.monthly_cost ?? 0) * 100));
      lines.push({
        description: `${server.product} (${server.label})`,
        product: server.product,
        start_date: iso(start),
        end_date: iso(to),
        units: hours,
        unit_type: 'hours',
        unit_price: rate / 100_000,
        total: total / 100,
      });
    }
    lines.push({
      description: 'Block Storage (vol-datasets)',
      product: 'Block Storage',
      start_date: iso(from),
      end_date: iso(to),
      units: 1,
      unit_type: 'months',
      unit_price: 25,
      total: 25,
    });
    const overageGb = Math.floor(random() * 900) + 100;
    lines.push({
      description: 'Bandwidth overage',
      product: 'Bandwidth',
      start_date: iso(from),
      end_date: iso(to),
      units: overageGb,
      unit_type: 'GB',
      unit_price: 0.01,
      total: overageGb / 100,
    });
    return lines;
  };

  const invoices: VultrWireInvoice[] = [];
  const invoiceItems = new Map<string, VultrWireInvoiceItem[]>();
  const history: VultrWireHistoryEntry[] = [];
  let balance = 0;
  for (let offset = -5; offset <= -1; offset += 1) {
    const from = monthStart(offset);
    const to = monthStart(offset + 1);
    const items = serverLines(from, to);
    if (offset === -3)
      items.push({
        description: 'Promotional credit',
        product: 'Credit',
        start_date: iso(from),
        end_date: iso(to),
        units: 1,
        unit_type: 'credit',
        unit_price: -250,
        total: -250,
      });
    const id = String(12_000_000 + (offset + 6) * 1_117);
    const amountCents = items.reduce((sum, item) => sum + Math.round(item.total * 100), 0);
    invoiceItems.set(id, items);
    invoices.push({
      id: Number(id),
      date: iso(to),
      description: 'Invoice #' + id,
      amount: amountCents / 100,
      balance: 0,
    });
    balance += amountCents;
    history.push({
      id: Number(id),
      date: iso(to),
      type: 'invoice',
      description: `Invoice #${id}`,
      amount: amountCents / 100,
      balance: balance / 100,
    });
    balance -= amountCents;
    history.push({
      id: Number(id) + 1,
      date: iso(new Date(to.getTime() + 3 * 86_400_000)),
      type: 'payment',
      description: 'Card payment',
      amount: -amountCents / 100,
      balance: balance / 100,
    });
  }
  invoices.reverse();
  history.reverse();

  const pendingCharges = serverLines(
    monthStart(0),
    new Date(Math.max(monthStart(0).getTime() + 3_600_000, Math.floor(now.getTime() / 3_600_000) * 3_600_000)),
  );
  const pendingCents = pendingCharges.reduce((sum, item) => sum + Math.round(item.total * 100), 0);
  const lastPayment = history.find((entry) => entry.type === 'payment');
  return {
    plans: PLANS,
    metalPlans: METAL_PLANS,
    instances,
    bareMetals,
    account: {
      name: 'OptiInfra Demo',
      email: 'finops@example.com',
      acls: ['manage_users', 'subscriptions_view', 'billing'],
      balance: -125.5,
      pending_charges: pendingCents / 100,
      last_payment_date: lastPayment?.date ?? '',
      last_payment_amount: lastPayment ? -lastPayment.amount : 0,
    },
    history,
    invoices,
    invoiceItems,
    pendingCharges,
  };
}
