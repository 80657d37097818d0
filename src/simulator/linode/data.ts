// Deterministic Linode account data shaped as the Linode API v4 documents it: types (GPU plans, region prices),
// 30 instances (two pages at page_size 25), the account, three monthly invoices with items, and the uninvoiced
// month to date. Money is generated in integer cents so totals are exact; one invoice's tax is rounded on the
// subtotal rather than per item, so its items miss its total by a cent (the adapter reconciles that).

import { seededRandom } from '../random.ts';
import type {
  LinodeWireAccount,
  LinodeWireInstance,
  LinodeWireInvoice,
  LinodeWireInvoiceItem,
  LinodeWireType,
} from './wire.ts';

/** Everything the Linode simulator serves. */
export interface LinodeDataset {
  types: LinodeWireType[];
  instances: LinodeWireInstance[];
  account: LinodeWireAccount;
  invoices: LinodeWireInvoice[];
  invoiceItems: Map<number, LinodeWireInvoiceItem[]>;
}

/** [id, label, class, vcpus, memory MB, gpus, hourly, monthly, region prices [id, hourly, monthly][]]. */
type TypeRow = [string, string, string, number, number, number, number, number, Array<[string, number, number]>];

// Labels, classes and the RTX6000 / nanode prices are linodego's recorded ExampleListTypes_all fixture; the
// RTX4000 Ada prices are the public pricing page's; the $0-base GPU type is the UNVERIFIED catalog-snapshot case.
const TYPES: TypeRow[] = [
  [
    'g6-nanode-1',
    'Nanode 1GB',
    'nanode',
    1,
    1024,
    0,
    0.0075,
    5,
    [
      ['id-cgk', 0.009, 6],
      ['br-gru', 0.0105, 7],
    ],
  ],
  [
    'g6-standard-2',
    'Linode 4GB',
    'standard',
    2,
    4096,
    0,
    0.036,
    24,
    [
      ['id-cgk', 0.043, 28.8],
      ['br-gru', 0.05, 33.6],
    ],
  ],
  ['g6-dedicated-4', 'Dedicated 8GB', 'dedicated', 4, 8192, 0, 0.108, 72, []],
  ['g1-gpu-rtx6000-1', 'Dedicated 32GB + RTX6000 GPU x1', 'gpu', 8, 32768, 1, 1.5, 1000, []],
  ['g1-gpu-rtx6000-2', 'Dedicated 64GB + RTX6000 GPU x2', 'gpu', 16, 65536, 2, 3, 2000, []],
  ['g1-gpu-rtx6000-4', 'Dedicated 128GB + RTX6000 GPU x4', 'gpu', 24, 131072, 4, 6, 4000, []],
  ['g2-gpu-rtx4000a1-s', 'RTX4000 Ada x1 Small', 'gpu', 4, 16384, 1, 0.52, 350, []],
  ['g2-gpu-rtx4000a4-m', 'RTX4000 Ada x4 Medium', 'gpu', 24, 98304, 4, 2.08, 1392, []],
  ['g2-gpu-rtx4000a2-s', 'RTX4000 Ada x2 Small', 'gpu', 8, 32768, 2, 0, 0, [['us-ord', 1.04, 700]]],
];

/** [label, type, region, status]: the GPU machines first, then the web fleet. */
const GPU_INSTANCES: Array<[string, string, string, string]> = [
  ['gpu-train-1', 'g1-gpu-rtx6000-4', 'us-east', 'running'],
  ['gpu-train-2', 'g1-gpu-rtx6000-2', 'us-east', 'running'],
  ['gpu-solo', 'g1-gpu-rtx6000-1', 'ap-west', 'offline'],
  ['gpu-infer-1', 'g2-gpu-rtx4000a1-s', 'us-ord', 'running'],
  ['gpu-infer-4', 'g2-gpu-rtx4000a4-m', 'de-fra-2', 'running'],
  // Two instances share a label: their invoice items cannot be told apart.
  ['gpu-twin', 'g2-gpu-rtx4000a1-s', 'us-sea', 'running'],
  ['gpu-twin', 'g2-gpu-rtx4000a1-s', 'us-sea', 'running'],
  ['gpu-regional', 'g2-gpu-rtx4000a2-s', 'us-ord', 'running'],
  ['web-jakarta', 'g6-standard-2', 'id-cgk', 'running'],
];

const FIRST_ID = 41_000_100;
const HOURS_IN = (start: Date, end: Date): number => Math.round((end.getTime() - start.getTime()) / 3_600_000);

/** `2026-07-01T00:00:00`: Linode's zone-less UTC timestamp. */
export function linodeTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** Hourly price in 1e-4 USD (exact for every price above), region exception first. */
function hourlyUnits(type: LinodeWireType, region: string): number {
  const price = type.region_prices.find((item) => item.id === region) ?? type.price;
  return Math.round(price.hourly * 10_000);
}

function monthlyCents(type: LinodeWireType, region: string): number {
  const price = type.region_prices.find((item) => item.id === region) ?? type.price;
  return Math.round(price.monthly * 100);
}

const money = (cents: number): number => cents / 100;

/** Builds the dataset for `seed`, with invoices for the three months before `now`'s month. */
export function linodeDataset(seed: number, now: Date): LinodeDataset {
  const random = seededRandom(seed);
  const types: LinodeWireType[] = TYPES.map(([id, label, klass, vcpus, memory, gpus, hourly, monthly, regional]) => ({
    id,
    label,
    class: klass,
    disk: memory * 20,
    memory,
    transfer: 1000 * Math.max(1, vcpus),
    vcpus,
    gpus,
    network_out: 1000 * Math.min(10, vcpus + 1),
    price: { hourly, monthly },
    region_prices: regional.map(([region, h, m]) => ({ id: region, hourly: h, monthly: m })),
    addons: { backups: { price: { hourly: 0.003, monthly: 2 }, region_prices: [] } },
    successor: null,
    accelerated_devices: 0,
  }));
  const typeById = new Map(types.map((type) => [type.id, type]));
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const created = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 4, 3, 9, 15, 0));
  const rows: Array<[string, string, string, string]> = [...GPU_INSTANCES];
  for (let index = rows.length; index < 30; index++)
    rows.push([`web-${index}`, index % 3 === 0 ? 'g6-standard-2' : 'g6-nanode-1', 'us-east', 'running']);
  const instances: LinodeWireInstance[] = rows.map(([label, typeId, region, status], index) => {
    const type = typeById.get(typeId) as LinodeWireType;
    return {
      id: FIRST_ID + index,
      label,
      status,
      type: typeId,
      region,
      image: 'linode/ubuntu24.04',
      group: '',
      ipv4: [`172.105.${10 + index}.${20 + Math.floor(random() * 200)}`, `192.168.${index}.10`],
      ipv6: `2600:3c00::f03c:95ff:fe${(index + 16).toString(16)}:1/128`,
      hypervisor: 'kvm',
      created: linodeTime(created),
      updated: linodeTime(created),
      tags: label.startsWith('gpu') ? ['ml'] : [],
      specs: {
        disk: type.disk,
        memory: type.memory,
        vcpus: type.vcpus,
        transfer: type.transfer,
        gpus: type.gpus,
        accelerated_devices: 0,
      },
      lke_cluster_id: null,
    };
  });

  const invoices: LinodeWireInvoice[] = [];
  const invoiceItems = new Map<number, LinodeWireInvoiceItem[]>();
  for (let back = 3; back >= 1; back--) {
    const start = new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() - back, 1));
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    const hours = HOURS_IN(start, end);
    // Tax: none on the oldest invoice, 6% per item on the others.
    const rate = back === 3 ? 0 : 0.06;
    const items: LinodeWireInvoiceItem[] = instances.map((instance, index) => {
      const type = typeById.get(instance.type) as LinodeWireType;
      const used = index % 7 === 5 ? Math.floor(hours / 3) : hours;
      const amount = Math.min(
        Math.round((used * hourlyUnits(type, instance.region)) / 100),
        monthlyCents(type, instance.region),
      );
      const tax = Math.round(amount * rate);
      // Item labels are UNVERIFIED: "<type label> - <instance label>" here, and linodego's fixture form
      // "Linode <id>" for one instance.
      const label = index === 9 ? `Linode ${instance.id}` : `${type.label} - ${instance.label}`;
      return {
        label,
        type: 'hourly',
        unit_price: String(hourlyUnits(type, instance.region) / 10_000),
        quantity: used,
        amount: money(amount),
        tax: money(tax),
        total: money(amount + tax),
        region: instance.region,
        from: linodeTime(start),
        to: linodeTime(new Date(start.getTime() + used * 3_600_000 - 1000)),
      };
    });
    items.push(
      {
        label: 'Backup Service - gpu-train-1',
        type: 'misc',
        unit_price: '2',
        quantity: 1,
        amount: 2,
        tax: money(Math.round(200 * rate)),
        total: money(200 + Math.round(200 * rate)),
        region: 'us-east',
        from: linodeTime(start),
        to: linodeTime(new Date(end.getTime() - 1000)),
      },
      {
        label: 'Promotional credit',
        type: 'misc',
        unit_price: '-25',
        quantity: 1,
        amount: -25,
        tax: 0,
        total: -25,
        region: null,
        from: linodeTime(start),
        to: linodeTime(new Date(end.getTime() - 1000)),
      },
    );
    const cents = (value: number): number => Math.round(value * 100);
    const subtotal = items.reduce((sum, item) => sum + cents(item.amount), 0);
    const itemTax = items.reduce((sum, item) => sum + cents(item.tax), 0);
    // The last invoice's tax, rounded on the subtotal, is a cent above its items' tax.
    const tax = back === 1 ? itemTax + 1 : itemTax;
    const id = 9_100_000 + back;
    invoices.push({
      id,
      date: linodeTime(new Date(end.getTime() + 252_000)),
      label: 'Invoice',
      subtotal: money(subtotal),
      tax: money(tax),
      total: money(subtotal + tax),
      tax_summary: tax === 0 ? [] : [{ tax: money(tax), name: 'PA STATE TAX' }],
      billing_source: 'akamai',
    });
    invoiceItems.set(id, items);
  }
  // Newest first, as the account's invoice list is read.
  invoices.reverse();

  const hoursThisMonth = HOURS_IN(monthStart, now);
  const uninvoiced = instances.reduce((sum, instance) => {
    const type = typeById.get(instance.type) as LinodeWireType;
    return sum + Math.round((hoursThisMonth * hourlyUnits(type, instance.region)) / 100);
  }, 0);
  const account: LinodeWireAccount = {
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ops@example.com',
    company: 'Example ML Co',
    euuid: 'E1AF5EEC-526F-487D-B317EBEB34C87D71',
    balance: -12.5,
    balance_uninvoiced: money(uninvoiced),
    billing_source: 'akamai',
    active_since: linodeTime(created),
    capabilities: ['Linodes', 'GPU Linodes'],
  };
  return { types, instances, account, invoices, invoiceItems };
}
