// Deterministic OVHcloud data: a Public Cloud project with GPU instances, three months of usage history, the
// running month's usage, and bills for two of those months (the third is not billed yet). Money is generated in
// integer cents, so every total is the exact sum of its parts.

import { seededRandom } from '../random.ts';
import type {
  WireBill,
  WireBillDetail,
  WireFlavor,
  WireHourlyItem,
  WireInstance,
  WireMonthlyItem,
  WirePrice,
  WireUsage,
  WireUsageHistory,
} from './wire.ts';

/** Everything the simulator serves. */
export interface OvhDataset {
  projectId: string;
  currency: string;
  flavors: WireFlavor[];
  instances: WireInstance[];
  current: WireUsage;
  history: WireUsageHistory[];
  historyDetails: Map<string, WireUsage>;
  bills: WireBill[];
  billDetails: Map<string, WireBillDetail[]>;
  /** Flavor name -> [GPU model (catalog id), count], what the flavor denotes (for assertions). */
  expectedGpus: Map<string, [string | null, number | null]>;
}

const FLAVORS: Array<[name: string, vcpus: number, ram: number, gpu: string | null, count: number | null]> = [
  ['h100-380', 30, 380, 'H100-80GB', 1],
  ['h100-1520', 120, 1520, 'H100-80GB', 4],
  ['l40s-180', 30, 180, 'L40S', 2],
  ['a100-720', 90, 720, 'A100-80GB', 4],
  ['t1-90', 16, 90, 'V100-16GB', 2],
  ['l4-90', 22, 90, 'L4', 1],
  ['b3-8', 2, 8, null, null],
];

const cents = (value: number): number => Math.round(value) / 100;

/** An `order.Price` of integer cents. */
export function wirePrice(centsAmount: number, currency: string): WirePrice {
  const value = cents(centsAmount);
  return { currencyCode: currency, value, priceInUcents: centsAmount * 1_000_000, text: `${value.toFixed(2)} €` };
}

/** OVH writes Paris time with its offset: the first of a month at local midnight. */
function parisMonthStart(year: number, month: number): string {
  const date = new Date(Date.UTC(year, month, 1));
  return `${date.toISOString().slice(0, 10)}T00:00:00+02:00`;
}

/** Builds the dataset for `seed`, with the running month that of `now`. */
export function ovhDataset(seed: number, now: Date): OvhDataset {
  const random = seededRandom(seed);
  const currency = 'EUR';
  const projectId = 'a3f5c2d1e4b64f0a9c8d7e6f5a4b3c21';
  const region = 'GRA11';
  const flavors: WireFlavor[] = FLAVORS.map(([name, vcpus, ram], index) => ({
    id: `f${index}0000000-1111-4222-8333-${String(index).padStart(12, '0')}`,
    name,
    type: name.startsWith('b3') ? 'ovh.ssd.cpu' : 'ovh.ssd.gpu',
    region,
    vcpus,
    ram,
    disk: 200,
    osType: 'linux',
    available: true,
    quota: 4,
    inboundBandwidth: 10000,
    outboundBandwidth: 10000,
    planCodes: { hourly: `${name}.consumption`, monthly: `${name}.monthly.postpaid`, license: null },
    capabilities: [],
  }));
  const instances: WireInstance[] = FLAVORS.map(([name], index) => ({
    id: `0${index}c1e2d3-4b5a-4c6d-8e7f-${String(100 + index).padStart(12, '0')}`,
    name: `ovh-${name}-${index}`,
    status: index === FLAVORS.length - 1 ? 'SHUTOFF' : 'ACTIVE',
    region,
    flavorId: flavors[index]?.id ?? '',
    imageId: 'img-ubuntu-24-04',
    planCode: index === 1 ? `${name}.monthly.postpaid` : `${name}.consumption`,
    created: '2026-01-10T09:00:00+01:00',
    monthlyBilling: index === 1 ? { since: '2026-02-01T00:00:00+01:00', status: 'ok' } : null,
    ipAddresses: [
      { ip: `51.68.10.${10 + index}`, type: 'public', version: 4, networkId: 'ext-net' },
      { ip: `10.1.0.${10 + index}`, type: 'private', version: 4, networkId: 'vrack' },
    ],
    operationIds: [],
    sshKeyId: null,
    currentMonthOutgoingTraffic: null,
  }));
  const usageFor = (from: string, to: string, hours: number, id?: string): WireUsage => {
    const hourly: WireHourlyItem[] = [];
    const monthly: WireMonthlyItem[] = [];
    instances.forEach((instance, index) => {
      const flavor = FLAVORS[index]?.[0] ?? 'b3-8';
      const priceCents = Math.round((FLAVORS[index]?.[4] ?? 0.05) * (150 + Math.floor(random() * 150)));
      if (instance.monthlyBilling) {
        const total = priceCents * 500;
        monthly.push({
          reference: flavor,
          region,
          totalPrice: cents(total),
          details: [{ instanceId: instance.id, activation: instance.monthlyBilling.since, totalPrice: cents(total) }],
        });
        return;
      }
      const used = Math.max(1, Math.floor(hours * (0.5 + random() / 2)));
      const total = priceCents * used;
      hourly.push({
        reference: flavor,
        region,
        quantity: { unit: 'Hour', value: used },
        totalPrice: cents(total),
        details: [{ instanceId: instance.id, quantity: { unit: 'Hour', value: used }, totalPrice: cents(total) }],
      });
    });
    const volumeCents = 300 + Math.floor(random() * 900);
    const storageCents = 100 + Math.floor(random() * 400);
    const bandwidthCents = Math.floor(random() * 250);
    const kubeCents = 1000 + Math.floor(random() * 1000);
    return {
      ...(id ? { id } : {}),
      period: { from, to },
      lastUpdate: to,
      hourlyUsage: {
        instance: hourly,
        volume: [
          {
            region,
            type: 'high-speed',
            quantity: { unit: 'GiBh', value: 500 * hours },
            totalPrice: cents(volumeCents),
          },
        ],
        storage: [
          { region, type: 'pcs', quantity: { unit: 'GiBh', value: 80 * hours }, totalPrice: cents(storageCents) },
        ],
        instanceBandwidth: [
          { region, type: 'outgoing', quantity: { unit: 'GiB', value: 120 }, totalPrice: cents(bandwidthCents) },
        ],
      },
      monthlyUsage: { instance: monthly },
      resourcesUsage: [
        {
          type: 'managedKubernetesService',
          totalPrice: cents(kubeCents),
          resources: [
            {
              region,
              components: [
                { name: 'mks.standard.hour', quantity: { unit: 'Hour', value: hours }, totalPrice: cents(kubeCents) },
              ],
            },
          ],
        },
      ],
    };
  };
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const current = usageFor(parisMonthStart(year, month), now.toISOString().replace(/\.\d{3}Z$/, '+00:00'), 200);
  const history: WireUsageHistory[] = [];
  const historyDetails = new Map<string, WireUsage>();
  for (let back = 3; back >= 1; back--) {
    const id = `usage-${String(1000 + back)}`;
    const from = parisMonthStart(year, month - back);
    const to = parisMonthStart(year, month - back + 1);
    history.push({ id, period: { from, to }, lastUpdate: to });
    historyDetails.set(id, usageFor(from, to, 720, id));
  }
  const bills: WireBill[] = [];
  const billDetails = new Map<string, WireBillDetail[]>();
  // The two oldest history months are billed on the 2nd of the following month; the last one is not billed yet.
  for (const entry of history.slice(0, 2)) {
    const usage = historyDetails.get(entry.id) as WireUsage;
    const start = new Date(Date.parse(entry.period.from) + 86_400_000);
    const billId = `FR${String(48_000_000 + bills.length * 7 + seed)}`;
    const cloudCents = usageCents(usage);
    const vpsCents = 899;
    const detailRows: WireBillDetail[] = [
      {
        billDetailId: `${billId.slice(2)}01`,
        description: `Public Cloud project consumption ${entry.period.from.slice(0, 7)}`,
        domain: projectId,
        periodStart: entry.period.from.slice(0, 10),
        periodEnd: new Date(Date.parse(entry.period.to) - 86_400_000 + 7_200_000).toISOString().slice(0, 10),
        quantity: '1',
        unitPrice: { currencyCode: currency, value: cents(cloudCents), text: `${cents(cloudCents)} €` },
        totalPrice: wirePrice(cloudCents, currency),
      },
      {
        billDetailId: `${billId.slice(2)}02`,
        description: 'VPS Comfort 4-8-160 monthly rental',
        domain: 'vps-1a2b3c4d.vps.ovh.net',
        periodStart: entry.period.from.slice(0, 10),
        periodEnd: new Date(Date.parse(entry.period.to) - 86_400_000 + 7_200_000).toISOString().slice(0, 10),
        quantity: '1',
        unitPrice: { currencyCode: currency, value: cents(vpsCents), text: `${cents(vpsCents)} €` },
        totalPrice: wirePrice(vpsCents, currency),
      },
    ];
    const withoutTax = cloudCents + vpsCents;
    const tax = Math.round(withoutTax * 0.2);
    const date = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 2, 6, 0, 0));
    bills.push({
      billId,
      date: date.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      category: 'autorenew',
      orderId: 90_000_000 + bills.length,
      priceWithoutTax: wirePrice(withoutTax, currency),
      tax: wirePrice(tax, currency),
      priceWithTax: wirePrice(withoutTax + tax, currency),
      pdfUrl: `https://www.ovh.com/cgi-bin/order/facture.pdf?reference=${billId}&passwd=sim-secret-pass`,
      url: `https://www.ovh.com/cgi-bin/order/facture.cgi?reference=${billId}&passwd=sim-secret-pass`,
      password: 'sim-secret-pass',
    });
    billDetails.set(billId, detailRows);
  }
  const expectedGpus = new Map(
    FLAVORS.map(([name, , , gpu, count]) => [name, [gpu, count] as [string | null, number | null]]),
  );
  return {
    projectId,
    currency,
    flavors,
    instances,
    current,
    history,
    historyDetails,
    bills,
    billDetails,
    expectedGpus,
  };
}

/** Total of a usage document in integer cents (what the project was charged for the period). */
export function usageCents(usage: WireUsage): number {
  let total = 0;
  for (const list of [...Object.values(usage.hourlyUsage), ...Object.values(usage.monthlyUsage)])
    for (const item of list) total += Math.round(item.totalPrice * 100);
  for (const typed of usage.resourcesUsage) total += Math.round(typed.totalPrice * 100);
  return total;
}
