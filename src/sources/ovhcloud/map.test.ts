import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { addDecimals } from '../../core/decimal.ts';
import {
  costRowsFromBill,
  costRowsFromUsage,
  decimalOfPrice,
  gpuOfFlavor,
  monthOf,
  type OvhBill,
  type OvhBillDetail,
  type OvhUsage,
} from './map.ts';

const read = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8')) as T;
const sum = (values: readonly string[]): string => addDecimals('0', ...values);

// Flavor name -> [catalog id, raw name, count]. Count = flavor RAM / RAM of one GPU of the family.
const FLAVORS: Array<[string, string | null, string | null, number | null]> = [
  ['t1-45', 'V100-16GB', 'Tesla V100 16GB', 1],
  ['t1-180', 'V100-16GB', 'Tesla V100 16GB', 4],
  ['t1-le-90', 'V100-16GB', 'Tesla V100 16GB', 2],
  ['t2-90', 'Tesla V100S 32GB', 'Tesla V100S 32GB', 2],
  ['a10-90', 'A10', 'A10', 2],
  ['l4-360', 'L4', 'L4', 4],
  ['l40s-90', 'L40S', 'L40S', 1],
  ['a100-180', 'A100-80GB', 'A100 80GB', 1],
  ['a100-720', 'A100-80GB', 'A100 80GB', 4],
  ['h100-380', 'H100-80GB', 'H100 80GB', 1],
  ['h100-1520', 'H100-80GB', 'H100 80GB', 4],
  ['rtx5000-84', 'QUADRO-RTX-5000', 'Quadro RTX 5000', 3],
  ['b3-8', null, null, null],
  ['win-b3-16', null, null, null],
  ['', null, null, null],
];

for (const [name, model, raw, count] of FLAVORS) {
  test(`gpuOfFlavor: ${JSON.stringify(name)}`, () => {
    assert.deepEqual(gpuOfFlavor(name), { model, raw, count });
  });
}

test('decimalOfPrice: priceInUcents (1e-8 units) wins over the float value', () => {
  assert.equal(decimalOfPrice({ currencyCode: 'EUR', value: 0.1, priceInUcents: 10_000_000 }), '0.1');
  assert.equal(decimalOfPrice({ currencyCode: 'EUR', value: 1214.81, priceInUcents: 121_481_000_000 }), '1214.81');
  assert.equal(decimalOfPrice({ currencyCode: 'EUR', value: 0.00012345 }), '0.00012345');
});

test('monthOf: a local month start with its offset stays in its own month', () => {
  assert.equal(monthOf('2026-06-01T00:00:00+02:00'), '2026-06');
  assert.equal(monthOf('2026-05-01'), '2026-05');
});

test('usage: one row per instance detail, the unallocated remainder, other items and components; total exact', () => {
  const usage = read<OvhUsage>('usage-current.json');
  const instances = new Map([['i-3', { name: 'train-0', gpuModel: 'H100-80GB', gpuCount: 4 }]]);
  const rows = costRowsFromUsage(usage, {
    provider: 'ovhcloud',
    projectId: 'p1',
    currency: 'EUR',
    collectedAt: '2026-06-15T08:00:00Z',
    usageId: 'current',
    instances,
  });
  // 84.1 + 0.29 + 5830.5 + 12.3
  assert.equal(sum(rows.map((row) => row.billed_cost)), '5927.19');
  assert.deepEqual(
    rows.map((row) => [row.resource_id, row.billed_cost, row.pricing_quantity, row.x_gpu_count]),
    [
      ['i-1', '56.07', '20', 2],
      ['i-2', '28.02', '10', 2],
      [null, '0.01', null, null],
      [null, '0.29', '7200', null],
      ['i-3', '5830.5', '1', 4],
      [null, '12.3', '341', null],
    ],
  );
  assert.equal(rows[4]?.resource_name, 'train-0');
  assert.equal(rows[0]?.billing_period_start, '2026-06-01T00:00:00Z');
  assert.equal(rows[0]?.charge_period_start, '2026-05-31T22:00:00Z');
  assert.equal(new Set(rows.map((row) => row.x_row_key)).size, rows.length);
});

test('bill: details, the unitemised difference and the tax sum to priceWithTax; no bearer link copied', () => {
  const { bill, details } = read<{ bill: OvhBill; details: OvhBillDetail[] }>('bill.json');
  const rows = costRowsFromBill(bill, details, {
    provider: 'ovhcloud',
    collectedAt: '2026-06-15T08:00:00Z',
    instances: new Map(),
  });
  assert.equal(sum(rows.map((row) => row.billed_cost)), '1214.81');
  assert.deepEqual(
    rows.map((row) => [row.charge_category, row.billed_cost]),
    [
      ['Usage', '1003.35'],
      ['Adjustment', '8.99'],
      ['Tax', '202.47'],
    ],
  );
  assert.equal(rows[0]?.charge_period_end, '2026-06-01T00:00:00Z');
  assert.equal(rows[0]?.sub_account_id, 'a3f5c2d1e4b64f0a9c8d7e6f5a4b3c21');
  assert.ok(!JSON.stringify(rows).includes('recorded-pass'));
});
