// Pure mapping tests from recorded RunPod payloads in testdata/ (the REST v2 OpenAPI examples, a multi-GPU
// pod list, the runpodctl `myself` example).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { addDecimals } from '../../core/decimal.ts';
import {
  costRowsFromAccountBilling,
  costRowsFromPodBilling,
  moneyFromFloat32,
  resourceFromMyself,
  resourceFromPod,
} from './map.ts';
import type {
  RunpodBillingRecord,
  RunpodBillingResponse,
  RunpodMyself,
  RunpodPod,
  RunpodPodBillingRecord,
} from './map.ts';
import { billingChunks } from './source.ts';

const read = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`testdata/${path}`, import.meta.url), 'utf8')) as T;
const SEEN = '2026-07-15T10:30:00Z';

test('openapi-pods: the documented pod maps to one RTX 4090 at 0.44 USD/h with its public IP and uptime', () => {
  const [pod] = read<{ pods: RunpodPod[] }>('openapi-pods.json').pods;
  const row = resourceFromPod(pod as RunpodPod, 'runpod', SEEN);
  assert.equal(row.gpu_model, 'RTX-4090');
  assert.equal(row.gpu_model_raw, 'NVIDIA GeForce RTX 4090');
  assert.equal(row.gpu_count, 1);
  assert.equal(row.price_per_hour, '0.44');
  assert.equal(row.status, 'RUNNING');
  assert.equal(row.region_id, 'US-KS-2');
  assert.equal(row.tags?.ip, '195.26.233.3');
  assert.equal(row.tags?.uptime_seconds, '3600');
  assert.equal(row.first_seen_at, '2026-06-01T12:00:00Z');
});

// REST v2 `Pod.cost` is `{"type":"number","format":"float"}`: a float32, ~7 significant digits. Widened to a
// double on the wire it reads 0.3499999940395355 for 0.35. The price is the shortest decimal that is the same
// float32 (never more than 9 digits), so cents survive where a blunt 7-digit rounding would lose them.
const FLOAT32_CASES: Array<[wire: number, price: string]> = [
  [0.3499999940395355, '0.35'],
  [Math.fround(0.44), '0.44'],
  [Math.fround(3.78), '3.78'],
  [Math.fround(21.52), '21.52'],
  [Math.fround(49.24), '49.24'],
  [Math.fround(1234.56), '1234.56'],
  [Math.fround(12345.67), '12345.67'],
  // Seven significant digits would print 123456.8; the float32 is 123456.78125, nearest 123456.78.
  [Math.fround(123456.78), '123456.78'],
  [Math.fround(0.0149), '0.0149'],
  [Math.fround(0.001), '0.001'],
  [Math.fround(100), '100'],
  [0, '0'],
  // Not a float32 at all (the server sent the shortest text already): taken as written.
  [0.35, '0.35'],
  [0.1 + 0.2, '0.30000000000000004'],
];

for (const [wire, price] of FLOAT32_CASES) {
  test(`float32 money: ${JSON.stringify(wire)} is ${price}`, () => {
    assert.equal(moneyFromFloat32(wire), price);
  });
}

test('pods: a float32 cost on the wire becomes the price it stands for', () => {
  const row = resourceFromPod(
    { id: 'p', gpu: { id: 'NVIDIA L40S', count: 1 }, cost: 0.3499999940395355 },
    'runpod',
    SEEN,
  );
  assert.equal(row.price_per_hour, '0.35');
});

test('multi-gpu-pods: GPU type and count are right for every pod', () => {
  const rows = read<{ pods: RunpodPod[] }>('multi-gpu-pods.json').pods.map((pod) =>
    resourceFromPod(pod, 'runpod', SEEN),
  );
  const facts = Object.fromEntries(
    rows.map((row) => [row.resource_name, [row.gpu_model, row.gpu_model_raw, row.gpu_count]]),
  );
  assert.deepEqual(facts, {
    'h100-train': ['H100-SXM5-80GB', 'NVIDIA H100 80GB HBM3', 8],
    'a100-finetune': ['A100-SXM4-80GB', 'NVIDIA A100-SXM4-80GB', 2],
    'rtx-dev': ['RTX-4090', 'NVIDIA GeForce RTX 4090', 1],
    'l40s-infer': ['L40S', 'NVIDIA L40S', 4],
    'cpu-etl': [null, null, null],
    'h100-stopped': ['H100-SXM5-80GB', 'NVIDIA H100 80GB HBM3', 1],
  });
});

test('openapi-billing-pods: one exact row per pod bucket, joined to the pod for its GPU facts', () => {
  const body = read<RunpodBillingResponse<RunpodPodBillingRecord>>('openapi-billing-pods.json');
  const [pod] = read<{ pods: RunpodPod[] }>('openapi-pods.json').pods;
  const rows = costRowsFromPodBilling(body.records, {
    provider: 'runpod',
    collectedAt: SEEN,
    podsById: new Map([[pod?.id ?? '', pod as RunpodPod]]),
  });
  assert.equal(rows.length, 1);
  const [row] = rows;
  assert.equal(row?.billed_cost, '12.34');
  assert.equal(row?.resource_id, '7h9k2m4n6p');
  assert.equal(row?.resource_name, 'pytorch-training');
  assert.equal(row?.x_gpu_model, 'RTX-4090');
  assert.equal(row?.charge_period_start, '2026-06-01T00:00:00Z');
  assert.equal(row?.charge_period_end, '2026-06-02T00:00:00Z');
  assert.equal(row?.billing_period_start, '2026-06-01T00:00:00Z');
  assert.equal(row?.billing_period_end, '2026-07-01T00:00:00Z');
  assert.deepEqual(row?.tags, { gpu_amount: '11.1', cpu_amount: '0', disk_amount: '1.24' });
  assert.equal(addDecimals(...rows.map((item) => item.billed_cost)), String(body.metadata?.totals?.totalAmount));
});

test('openapi-billing: non-pod families become rows that, with the pod amounts, add up to the bucket total', () => {
  const body = read<RunpodBillingResponse<RunpodBillingRecord>>('openapi-billing.json');
  const rows = costRowsFromAccountBilling(body.records, { provider: 'runpod', collectedAt: SEEN, podsById: new Map() });
  const record = body.records[0] as RunpodBillingRecord;
  const podPart = addDecimals(String(record.podGpuAmount), String(record.podCpuAmount), String(record.podDiskAmount));
  assert.equal(addDecimals(podPart, ...rows.map((row) => row.billed_cost)), '42.34');
  assert.deepEqual(rows.map((row) => row.x_row_key).sort(), [
    'clusterDiskAmount',
    'clusterGpuAmount',
    'clusterNetworkingAmount',
    'endpointAmount',
    'serverlessDiskAmount',
    'serverlessFeeAmount',
    'serverlessGpuAmount',
    'storageHighPerformanceAmount',
  ]);
  assert.equal(rows.find((row) => row.x_row_key === 'storageHighPerformanceAmount')?.service_category, 'Storage');
  assert.ok(rows.every((row) => row.resource_id === null && row.x_cost_source === 'billing_api'));
});

test('a bucket total no field explains still reconciles through an otherAmount row', () => {
  const rows = costRowsFromAccountBilling(
    [
      {
        startTime: '2026-06-01T00:00:00Z',
        endTime: '2026-06-02T00:00:00Z',
        totalAmount: 10.05,
        podGpuAmount: 7,
        newThingAmount: 1,
      },
    ],
    { provider: 'runpod', collectedAt: SEEN, podsById: new Map() },
  );
  assert.deepEqual(
    rows.map((row) => [row.x_row_key, row.billed_cost]),
    [
      ['newThingAmount', '1'],
      ['otherAmount', '2.05'],
    ],
  );
});

test('myself: balance, spend limit, and the spend rate as the account price per hour', () => {
  const row = resourceFromMyself(read<{ data: { myself: RunpodMyself } }>('myself.json').data.myself, 'runpod', SEEN);
  assert.equal(row.tags?.balance, '435.85');
  assert.equal(row.price_per_hour, '0.001');
  assert.equal(row.resource_type, 'account');
});

test('billing windows are read in chunks of at most 31 days', () => {
  const chunks = billingChunks({ start: new Date('2026-04-16T00:00:00Z'), end: new Date('2026-07-16T00:00:00Z') });
  assert.deepEqual(
    chunks.map((chunk) => chunk.start.toISOString().slice(0, 10)),
    ['2026-04-16', '2026-05-17', '2026-06-17'],
  );
  assert.equal(chunks.at(-1)?.end.toISOString(), '2026-07-16T00:00:00.000Z');
});
