// Pure mapping tests from recorded Vultr payloads in testdata/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { addDecimals } from '../../core/decimal.ts';
import {
  costRowsFromBillingLines,
  factsFromMetalPlan,
  factsFromPlan,
  labelFromDescription,
  resourceFromBareMetal,
  resourceFromInstance,
  serviceCategoryFor,
  type PlanFacts,
} from './map.ts';
import type {
  VultrBareMetal,
  VultrInstance,
  VultrInvoice,
  VultrInvoiceItem,
  VultrMetalPlan,
  VultrPlan,
} from './map.ts';

const read = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`testdata/${path}`, import.meta.url), 'utf8')) as T;
const SEEN = '2026-07-15T10:30:00Z';

test('gpu-inventory: GPU model, count and hourly price for every instance and bare-metal server', () => {
  const plans = new Map<string, PlanFacts>();
  for (const plan of read<{ plans: VultrPlan[] }>('gpu-inventory/plans.json').plans)
    plans.set(plan.id, factsFromPlan(plan, 'vultr'));
  for (const plan of read<{ plans_metal: VultrMetalPlan[] }>('gpu-inventory/plans-metal.json').plans_metal)
    plans.set(plan.id, factsFromMetalPlan(plan, 'vultr'));
  const rows = [
    ...read<{ instances: VultrInstance[] }>('gpu-inventory/instances.json').instances.map((item) =>
      resourceFromInstance(item, plans.get(item.plan), 'vultr', SEEN),
    ),
    ...read<{ bare_metals: VultrBareMetal[] }>('gpu-inventory/bare-metals.json').bare_metals.map((item) =>
      resourceFromBareMetal(item, plans.get(item.plan), 'vultr', SEEN),
    ),
  ];
  const expected = read<Record<string, Record<string, unknown>>>('gpu-inventory/expected.json');
  assert.deepEqual(rows.map((row) => row.resource_name).sort(), Object.keys(expected).sort());
  for (const row of rows) {
    const want = expected[row.resource_name ?? ''] ?? {};
    for (const [key, value] of Object.entries(want)) {
      const actual = key === 'gpu_fraction' ? row.tags?.gpu_fraction : (row as unknown as Record<string, unknown>)[key];
      assert.deepEqual(actual, value, `${row.resource_name}.${key}`);
    }
    assert.equal(row.tags?.ip, row.tags?.main_ip);
  }
});

// docs.vultr.com "How Am I Billed for My Servers?" (2025-09-15): GPU instances bill up to 730 hours a month, every
// other server type (Cloud Compute, Optimized Cloud Compute, Bare Metal) up to 672.
const HOURLY_PRICE_CASES: Array<[name: string, facts: PlanFacts, pricePerHour: string]> = [
  [
    'Cloud GPU plan, monthly / 730',
    factsFromPlan(
      { id: 'vcg-a100-48c-480g-320vram', type: 'vcg', monthly_cost: 7000, gpu_type: 'NVIDIA_A100' },
      'vultr',
    ),
    '9.589041',
  ],
  [
    'Optimized Cloud Compute plan, monthly / 672',
    factsFromPlan({ id: 'vhf-4c-16gb', type: 'vhf', monthly_cost: 96 }, 'vultr'),
    '0.142857',
  ],
  [
    'GPU bare metal, monthly / 672 (bare metal is not a GPU instance)',
    factsFromMetalPlan({ id: 'vbm-256c-2048gb-8-mi300x-gpu', type: 'NVMe', monthly_cost: 13724.16 }, 'vultr'),
    '20.422857',
  ],
  [
    'single-GPU bare metal, monthly / 672',
    factsFromMetalPlan({ id: 'vbm-64c-2048gb-l40-gpu', type: 'NVMe', monthly_cost: 4964.4 }, 'vultr'),
    '7.3875',
  ],
  [
    'CPU bare metal, monthly / 672',
    factsFromMetalPlan({ id: 'vbm-4c-32gb', type: 'SSD', monthly_cost: 120 }, 'vultr'),
    '0.178571',
  ],
  [
    'hourly_cost wins when given',
    factsFromMetalPlan({ id: 'vbm-112c-2048gb-8-h100-gpu', monthly_cost: 15792, hourly_cost: 23.5 }, 'vultr'),
    '23.5',
  ],
];

for (const [name, facts, pricePerHour] of HOURLY_PRICE_CASES) {
  test(`hourly price: ${name}`, () => {
    assert.equal(facts.price_per_hour, pricePerHour);
  });
}

// Vultr's OpenAPI intro: "Do not rely on the OS or Plan IDs listed in this guide". Facts parsed from a plan id, and
// card counts worked out from VRAM, are guesses: each row says which of its GPU facts were inferred, and from what.
test('gpu-inventory: GPU facts parsed from plan ids or worked out from VRAM are marked inferred on the row', () => {
  const plans = new Map<string, PlanFacts>();
  for (const plan of read<{ plans: VultrPlan[] }>('gpu-inventory/plans.json').plans)
    plans.set(plan.id, factsFromPlan(plan, 'vultr'));
  for (const plan of read<{ plans_metal: VultrMetalPlan[] }>('gpu-inventory/plans-metal.json').plans_metal)
    plans.set(plan.id, factsFromMetalPlan(plan, 'vultr'));
  const rows = [
    ...read<{ instances: VultrInstance[] }>('gpu-inventory/instances.json').instances.map((item) =>
      resourceFromInstance(item, plans.get(item.plan), 'vultr', SEEN),
    ),
    ...read<{ bare_metals: VultrBareMetal[] }>('gpu-inventory/bare-metals.json').bare_metals.map((item) =>
      resourceFromBareMetal(item, plans.get(item.plan), 'vultr', SEEN),
    ),
  ];
  const inferred = Object.fromEntries(
    rows.map((row) => [
      row.resource_name,
      [row.tags?.gpu_model_inferred_from ?? null, row.tags?.gpu_count_inferred_from ?? null],
    ]),
  );
  assert.deepEqual(inferred, {
    // Cloud GPU plans name the card (`gpu_type`); the count is VRAM ÷ one card's VRAM.
    'gpu-01': [null, 'gpu_vram_gb'],
    'gpu-02': [null, 'gpu_vram_gb'],
    'gpu-03': [null, 'gpu_vram_gb'],
    'gpu-04': [null, 'gpu_vram_gb'],
    'gpu-05': [null, 'gpu_vram_gb'],
    'gpu-06': [null, 'gpu_vram_gb'],
    'web-09': [null, null],
    // Bare-metal plans have no GPU field: card and count come from the id.
    'metal-01': ['plan_id', 'plan_id'],
    'metal-02': ['plan_id', 'plan_id'],
    'metal-03': ['plan_id', 'plan_id'],
    'metal-04': [null, null],
  });
});

const INFERRED_COUNT_CASES: Array<[name: string, plan: VultrPlan, countFrom: string | undefined]> = [
  ['card of known VRAM', { id: 'vcg-h100', type: 'vcg', gpu_type: 'NVIDIA_H100', gpu_vram_gb: 160 }, 'gpu_vram_gb'],
  [
    'card of unknown VRAM: one card assumed',
    { id: 'vcg-x', type: 'vcg', gpu_type: 'NVIDIA_X9', gpu_vram_gb: 96 },
    'default',
  ],
  ['no gpu_vram_gb: one card assumed', { id: 'vcg-a40', type: 'vcg', gpu_type: 'NVIDIA_A40' }, 'default'],
  ['no GPU', { id: 'vc2-1c-1gb', type: 'vc2' }, undefined],
];

for (const [name, plan, countFrom] of INFERRED_COUNT_CASES) {
  test(`inferred GPU count: ${name}`, () => {
    const row = resourceFromInstance(
      { id: 'i', plan: plan.id, label: 'x' },
      factsFromPlan(plan, 'vultr'),
      'vultr',
      SEEN,
    );
    assert.equal(row.tags?.gpu_count_inferred_from, countFrom);
    assert.equal(row.tags?.gpu_model_inferred_from, undefined, 'gpu_type names the card');
  });
}

test('billing-lines: invoice items become exact FOCUS rows that sum to the invoice total', () => {
  const recorded = read<{ invoice_id: string; invoice: VultrInvoice; invoice_items: VultrInvoiceItem[] }>(
    'billing-lines/invoice-items.json',
  );
  const resourcesByLabel = new Map([
    [
      'gpu-01',
      [
        {
          resource_id: 'cb676a46',
          resource_name: 'gpu-01',
          resource_type: 'instance',
          region_id: 'ewr',
          plan: 'vcg-h100-184c-1800g-640vram',
          gpu_model: 'H100-80GB',
          gpu_count: 8,
          inferred: { gpu_count_inferred_from: 'gpu_vram_gb' },
        },
      ],
    ],
  ]);
  const rows = costRowsFromBillingLines(recorded.invoice_items, {
    provider: 'vultr',
    kind: 'invoice',
    invoiceId: recorded.invoice_id,
    accountName: 'Demo',
    collectedAt: SEEN,
    resourcesByLabel,
  });
  assert.equal(addDecimals(...rows.map((row) => row.billed_cost)), '64837.25');
  assert.equal(String(recorded.invoice.amount), '64837.25');
  const first = rows[0];
  assert.equal(first?.resource_id, 'cb676a46');
  assert.equal(first?.x_gpu_count, 8);
  assert.equal(first?.tags?.gpu_count_inferred_from, 'gpu_vram_gb', 'the count is as inferred on the cost row');
  assert.equal(first?.billed_cost, '17222.4');
  assert.equal(first?.pricing_quantity, '720');
  assert.equal(first?.pricing_unit, 'Hours');
  assert.equal(first?.charge_period_start, '2026-06-01T00:00:00Z');
  assert.equal(first?.billing_period_end, '2026-07-01T00:00:00Z');
  assert.equal(first?.x_row_key, `invoice:${recorded.invoice_id}:0`);
  assert.equal(first?.service_category, 'Compute');
  assert.ok(rows.every((row) => row.x_cost_source === 'billing_api' && row.tags?.invoice_id === recorded.invoice_id));
});

test('billing-lines: the documented pending-charges line (govultr) maps with the monthly cap kept in list_cost', () => {
  const { pending_charges } = read<{ pending_charges: VultrInvoiceItem[] }>('billing-lines/pending-charges.json');
  const [row] = costRowsFromBillingLines(pending_charges, {
    provider: 'vultr',
    kind: 'pending',
    accountName: null,
    collectedAt: SEEN,
    resourcesByLabel: new Map(),
  });
  assert.equal(row?.billed_cost, '10');
  assert.equal(row?.list_cost, '10.728');
  assert.equal(row?.resource_name, 'my-loadbalancer');
  assert.equal(row?.resource_id, null);
  assert.equal(row?.service_category, 'Networking');
  assert.equal(row?.charge_period_start, '2020-10-10T01:56:20Z');
  assert.equal(row?.billing_period_start, '2020-10-01T00:00:00Z');
  assert.equal(row?.tags?.billing_state, 'pending');
});

test('billing-lines: a label shared by several resources matches none of them, and the row says so', () => {
  const server = (id: string, label: string, plan: string) => ({
    resource_id: id,
    resource_name: label,
    resource_type: 'instance',
    region_id: 'ewr',
    plan,
    gpu_model: null,
    gpu_count: null,
    inferred: {},
  });
  const resourcesByLabel = new Map([
    ['web', [server('id-a', 'web', 'vc2-1c-1gb'), server('id-b', 'web', 'vc2-2c-4gb')]],
    ['db', [server('id-c', 'db', 'vhf-4c-16gb')]],
  ]);
  const line = (label: string): VultrInvoiceItem => ({
    description: `Cloud Compute (${label})`,
    product: 'Cloud Compute',
    start_date: '2026-07-01T00:00:00+00:00',
    end_date: '2026-07-15T10:00:00+00:00',
    units: 346,
    unit_type: 'hours',
    unit_price: 0.00744,
    total: 2.57,
  });
  const rows = costRowsFromBillingLines([line('web'), line('db'), line('cache')], {
    provider: 'vultr',
    kind: 'pending',
    accountName: null,
    collectedAt: SEEN,
    resourcesByLabel,
  });
  assert.deepEqual(
    rows.map((row) => [
      row.resource_name,
      row.resource_id,
      row.sku_id,
      row.tags?.resource_match ?? null,
      row.tags?.resource_candidates ?? null,
    ]),
    [
      ['web', null, null, 'ambiguous_label', 'id-a,id-b'],
      ['db', 'id-c', 'vhf-4c-16gb', 'label', null],
      ['cache', null, null, null, null],
    ],
  );
});

test('descriptions and products', () => {
  assert.equal(labelFromDescription('Cloud GPU (gpu-01)'), 'gpu-01');
  assert.equal(labelFromDescription('Bandwidth overage'), null);
  assert.equal(serviceCategoryFor('Block Storage'), 'Storage');
  assert.equal(serviceCategoryFor('Bare Metal'), 'Compute');
  assert.equal(serviceCategoryFor('Managed Database'), 'Databases');
});
