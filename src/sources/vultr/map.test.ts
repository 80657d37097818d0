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

test('billing-lines: invoice items become exact FOCUS rows that sum to the invoice total', () => {
  const recorded = read<{ invoice_id: string; invoice: VultrInvoice; invoice_items: VultrInvoiceItem[] }>(
    'billing-lines/invoice-items.json',
  );
  const resourcesByLabel = new Map([
    [
      'gpu-01',
      {
        resource_id: 'cb676a46',
        resource_name: 'gpu-01',
        resource_type: 'instance',
        region_id: 'ewr',
        plan: 'vcg-h100-184c-1800g-640vram',
        gpu_model: 'NVIDIA H100',
        gpu_count: 8,
      },
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

test('descriptions and products', () => {
  assert.equal(labelFromDescription('Cloud GPU (gpu-01)'), 'gpu-01');
  assert.equal(labelFromDescription('Bandwidth overage'), null);
  assert.equal(serviceCategoryFor('Block Storage'), 'Storage');
  assert.equal(serviceCategoryFor('Bare Metal'), 'Compute');
  assert.equal(serviceCategoryFor('Managed Database'), 'Databases');
});
