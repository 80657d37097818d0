// Pure mapping tests over the DigitalOcean spec's own example payloads (testdata/) and tables of cases.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exactCents, exactSum } from '../../../test/support/exact-money.ts';
import {
  costRowsFromInvoiceItems,
  gpuFactsFromInfo,
  hourlyPrice,
  invoiceRemainderRow,
  resourceFromDroplet,
  serviceCategoryFor,
  type DoDroplet,
  type DoGpuInfo,
  type DoInvoiceItem,
  type DoInvoiceSummary,
  type DoSize,
  type InvoiceSource,
} from './map.ts';

const testdata = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`./testdata/${path}`, import.meta.url), 'utf8'));
const SEEN = '2026-07-15T10:30:00Z';

test('the spec GPU Droplet example maps to its recorded row', () => {
  const { droplets } = testdata('spec-gpu-droplet/droplets.json') as { droplets: DoDroplet[] };
  const rows = droplets.map((droplet) => resourceFromDroplet(droplet, new Map(), 'gpus', 'digitalocean', SEEN));
  assert.deepEqual(rows, testdata('spec-gpu-droplet/expected.json'));
});

const gpuCases: Array<[name: string, info: DoGpuInfo | undefined, model: string | null, count: number | null]> = [
  ['no gpu_info', undefined, null, null],
  ['H100, 80 gib for one card', { count: 1, model: 'nvidia_h100', vram: { amount: 80, unit: 'gib' } }, 'H100-80GB', 1],
  ['8 × H100, 640 gib for the machine', { count: 8, model: 'nvidia_h100', vram: { amount: 640 } }, 'H100-80GB', 8],
  ['8 × H100, 80 gib a card', { count: 8, model: 'nvidia_h100', vram: { amount: 80 } }, 'H100-80GB', 8],
  ['8 × MI300X, 192 a card', { count: 8, model: 'amd_mi300x', vram: { amount: 192 } }, 'MI300X', 8],
  ['H200', { count: 1, model: 'nvidia_h200', vram: { amount: 141 } }, 'H200-SXM-141GB', 1],
  ['L40S', { count: 1, model: 'nvidia_l40s', vram: { amount: 48 } }, 'L40S', 1],
  ['RTX 4000 Ada', { count: 1, model: 'nvidia_rtx_4000_ada', vram: { amount: 20 } }, 'RTX-4000-ADA', 1],
  ['unknown card keeps the raw name', { count: 2, model: 'vendor_x9' }, 'vendor_x9', 2],
];
for (const [name, info, model, count] of gpuCases)
  test(`GPU facts: ${name}`, () => {
    const facts = gpuFactsFromInfo(info);
    assert.equal(facts.gpu_model, model);
    assert.equal(facts.gpu_count, count);
    assert.equal(facts.gpu_model_raw, info?.model ?? null);
  });

const priceCases: Array<[name: string, size: DoSize | undefined, expected: string | null]> = [
  ['float32 artefact of $0.00744', { slug: 's-1vcpu-1gb', price_hourly: 0.00743999984115362 }, '0.00744'],
  ['GPU hourly', { slug: 'gpu-h100x1-80gb', price_hourly: 6.74, price_monthly: 4529.3 }, '6.74'],
  ['monthly only: over 672 h', { slug: 'x', price_monthly: 4529.28 }, '6.74'],
  ['no price', { slug: 'x' }, null],
  ['no size', undefined, null],
];
for (const [name, size, expected] of priceCases)
  test(`hourly price: ${name}`, () => assert.equal(hourlyPrice(size), expected));

const categoryCases: Array<[string, string]> = [
  ['Droplets', 'Compute'],
  ['GPU Droplets', 'Compute'],
  ['Kubernetes Clusters', 'Compute'],
  ['Spaces Subscription', 'Storage'],
  ['Volumes', 'Storage'],
  ['Load Balancers', 'Networking'],
  ['Managed Databases', 'Databases'],
  ['Credits', 'Other'],
];
for (const [product, category] of categoryCases)
  test(`service category: ${product}`, () => assert.equal(serviceCategoryFor(product), category));

test('the spec invoice example: rows per item, and a remainder row makes them add up to the invoice total', () => {
  const { invoices } = testdata('spec-invoice/invoices.json') as { invoices: DoInvoiceSummary[] };
  const { invoice_items: items } = testdata('spec-invoice/items.json') as { invoice_items: DoInvoiceItem[] };
  const invoice = invoices[0] as DoInvoiceSummary;
  const source: InvoiceSource = {
    provider: 'digitalocean',
    invoice,
    state: 'invoiced',
    collectedAt: SEEN,
    droplets: new Map(),
  };
  const rows = costRowsFromInvoiceItems(items, 0, source);
  assert.deepEqual(
    rows.map((row) => [row.billed_cost, row.service_name, row.resource_id, row.pricing_quantity, row.x_row_key]),
    [
      [
        '12.34',
        'Kubernetes Clusters',
        '711157cb-37c8-4817-b371-44fa3504a39c',
        '744',
        `invoice:${invoice.invoice_uuid}:0`,
      ],
      ['34.45', 'Spaces Subscription', null, '744', `invoice:${invoice.invoice_uuid}:1`],
    ],
  );
  assert.equal(rows[0]?.billing_period_start, '2019-12-01T00:00:00Z');
  assert.equal(rows[0]?.charge_period_start, '2020-01-01T00:00:00Z');
  assert.equal(rows[0]?.resource_name, 'my-doks-cluster');
  const remainder = invoiceRemainderRow(exactSum(rows.map((row) => row.billed_cost)), source);
  assert.equal(remainder?.billed_cost, '-34.45');
  assert.equal(remainder?.charge_category, 'Adjustment');
  assert.equal(
    exactCents(exactSum([...rows, remainder].map((row) => row?.billed_cost ?? '0'))),
    exactCents(invoice.amount),
  );
  assert.equal(invoiceRemainderRow('12.340', { ...source, invoice: { ...invoice, amount: '12.34' } }), null);
});

test('a non-number amount is named as the provider error it is', () => {
  const source: InvoiceSource = {
    provider: 'digitalocean',
    invoice: { invoice_uuid: 'u', amount: '1', invoice_period: '2026-06' },
    state: 'invoiced',
    collectedAt: SEEN,
    droplets: new Map(),
  };
  assert.throws(() => costRowsFromInvoiceItems([{ amount: 'n/a' }], 0, source), { code: 'UPSTREAM_ERROR' });
});
