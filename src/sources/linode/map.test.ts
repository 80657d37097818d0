// Pure mapping tests from recorded Linode payloads in testdata/ and data-driven cases.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { addDecimals } from '../../core/decimal.ts';
import {
  costRowsFromInvoice,
  factsFromType,
  gpuNameFromTypeLabel,
  hourlyPriceIn,
  matchItem,
  parseLinodeTime,
  resourceFromInstance,
  type BilledResource,
  type LinodeInvoice,
  type LinodeInvoiceItem,
  type LinodePage,
  type LinodeType,
} from './map.ts';

const read = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`testdata/${path}`, import.meta.url), 'utf8')) as T;
const SEEN = '2026-07-15T10:30:00Z';

const LABEL_CASES: Array<[label: string, gpu: string | null]> = [
  ['Dedicated 32GB + RTX6000 GPU x1', 'RTX6000'],
  ['Dedicated 128GB + RTX6000 GPU x4', 'RTX6000'],
  ['RTX4000 Ada x1 Small', 'RTX4000 Ada'],
  ['RTX4000 Ada x4 Medium', 'RTX4000 Ada'],
  ['Nanode 1GB', null],
  ['Dedicated 8GB', null],
];
for (const [label, gpu] of LABEL_CASES)
  test(`GPU name in type label "${label}"`, () => assert.equal(gpuNameFromTypeLabel(label), gpu));

const TIME_CASES: Array<[text: string | null, iso: string | null]> = [
  ['2026-08-01T04:12:10', '2026-08-01T04:12:10.000Z'],
  ['2026-08-01T04:12:10Z', '2026-08-01T04:12:10.000Z'],
  ['2026-08-01T06:12:10+02:00', '2026-08-01T04:12:10.000Z'],
  ['not a time', null],
  [null, null],
];
for (const [text, iso] of TIME_CASES)
  test(`Linode time ${JSON.stringify(text)} is UTC`, () =>
    assert.equal(parseLinodeTime(text)?.toISOString() ?? null, iso));

const types = new Map(
  read<LinodePage<LinodeType>>('types/types.json').data.map((type) => [type.id, factsFromType(type)]),
);
const PRICE_CASES: Array<[type: string, region: string, hourly: string | null]> = [
  ['g6-nanode-1', 'us-east', '0.0075'],
  ['g6-nanode-1', 'id-cgk', '0.009'],
  ['g6-nanode-1', 'br-gru', '0.0105'],
  ['g1-gpu-rtx6000-4', 'us-east', '6'],
  ['g2-gpu-rtx4000a2-s', 'us-ord', '1.04'],
  // $0 base price and no region exception: unknown, not free.
  ['g2-gpu-rtx4000a2-s', 'us-sea', null],
];
for (const [type, region, hourly] of PRICE_CASES)
  test(`hourly price of ${type} in ${region}`, () => assert.equal(hourlyPriceIn(types.get(type), region), hourly));

const GPU_CASES: Array<[type: string, model: string | null, raw: string | null, count: number | null]> = [
  ['g6-nanode-1', null, null, null],
  ['g1-gpu-rtx6000-1', 'QUADRO-RTX-6000', 'RTX6000', 1],
  ['g1-gpu-rtx6000-4', 'QUADRO-RTX-6000', 'RTX6000', 4],
  ['g2-gpu-rtx4000a4-m', 'RTX-4000-ADA', 'RTX4000 Ada', 4],
];
for (const [type, model, raw, count] of GPU_CASES)
  test(`GPU facts of ${type} through the GPU catalog`, () => {
    const row = resourceFromInstance(
      { id: 1, label: 'x', type, region: 'us-east', ipv4: ['192.168.1.2', '172.105.1.2'] },
      types.get(type),
      'linode',
      SEEN,
    );
    assert.deepEqual([row.gpu_model, row.gpu_model_raw, row.gpu_count], [model, raw, count]);
    assert.equal(row.tags?.ip, '172.105.1.2');
  });

const one = (id: string, name: string): BilledResource => ({
  resource_id: id,
  resource_name: name,
  region_id: 'us-east',
  instance_type: 'g6-nanode-1',
  gpu_model: null,
  gpu_count: null,
});
const index = {
  byLabel: new Map([
    ['web-1', [one('11', 'web-1')]],
    ['twin', [one('12', 'twin'), one('13', 'twin')]],
  ]),
  byId: new Map([['123', one('123', 'db')]]),
};
const MATCH_CASES: Array<[label: string, match: string | undefined, id: string | undefined]> = [
  ['Linode 123', 'id', '123'],
  ['Linode 4GB - web-1', 'label', '11'],
  ['web-1', 'label', '11'],
  ['Dedicated 8GB - twin', 'ambiguous_label', undefined],
  ['Backup Service - nobody', undefined, undefined],
  ['Linode 999', undefined, undefined],
];
for (const [label, match, id] of MATCH_CASES)
  test(`invoice item "${label}" matches ${match ?? 'nothing'}`, () => {
    const result = matchItem(label, index);
    assert.equal(result.match, match);
    assert.equal(result.resource?.resource_id, id);
  });

test("linodego's recorded invoice: rows add up to its total, the uncovered part as one adjustment", () => {
  const invoice = read<LinodeInvoice>('invoice/invoice.json');
  const items = read<LinodePage<LinodeInvoiceItem>>('invoice/items.json').data;
  const rows = costRowsFromInvoice(invoice, items, {
    provider: 'linode',
    accountName: null,
    collectedAt: SEEN,
    resources: index,
  });
  assert.deepEqual(
    rows.map((row) => [row.charge_category, row.billed_cost, row.resource_id]),
    [
      ['Usage', '20.2', '123'],
      ['Tax', '1.25', '123'],
      ['Adjustment', '111.05', null],
    ],
  );
  assert.equal(addDecimals(...rows.map((row) => row.billed_cost)), '132.5');
  assert.equal(rows[0]?.list_cost, '20.2');
  assert.equal(rows[0]?.charge_period_start, '2018-01-01T00:01:01Z');
  assert.equal(rows[0]?.billing_period_start, '2018-01-01T00:00:00Z');
});
