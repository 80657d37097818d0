import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OnPremRateCard } from '../../../core/config/app-schema.ts';
import type { MetricSample, ResourceRecord } from '../../../core/model.ts';
import { emptyMeter, foldResource, foldSample, type MeterState } from './meter.ts';
import { rateCardRows } from './rows.ts';

// Expected amounts are computed here with BigInt mantissas (value = mantissa / 10^scale), not the product's decimals.
function exact(mantissa: bigint, scale: number): string {
  const digits = mantissa.toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

const CARD: OnPremRateCard = {
  currency: 'USD',
  gpu_hour: { 'H100-SXM5-80GB': '2.10', 'A100-SXM4-80GB': '1.20', default: '0.90' },
  host_hour: '0.35',
  energy: { price_per_kwh: '0.14', pue: 1.35, max_gap: 900_000 },
};
const GPU = 'GPU-0001';
const HOST = 'host:node-a';

const power = (ts: string, watts: number): MetricSample => ({
  ts,
  provider: 'onprem',
  name: 'hw.power',
  category: 'gpu',
  value: watts,
  unit: 'W',
  resource_id: GPU,
  labels: { 'hw.type': 'gpu' },
});
const energy = (ts: string, joules: number): MetricSample => ({ ...power(ts, joules), name: 'hw.energy', unit: 'J' });
const hostSample = (ts: string): MetricSample => ({
  ts,
  provider: 'onprem',
  name: 'system.cpu.utilization',
  category: 'resource',
  value: 0.5,
  unit: '1',
  resource_id: HOST,
  labels: {},
});
const gpuRow = (model: string | null, lastSeen: string): ResourceRecord => ({
  provider: 'onprem',
  resource_id: GPU,
  resource_name: 'node-a/gpu0',
  resource_type: 'gpu',
  region_id: null,
  status: 'running',
  instance_type: null,
  gpu_model: model,
  gpu_count: 1,
  vcpus: null,
  memory_bytes: null,
  price_per_hour: null,
  currency: null,
  tags: null,
  last_seen_at: lastSeen,
});

interface Case {
  name: string;
  card?: Partial<OnPremRateCard>;
  model?: string | null;
  samples: MetricSample[];
  /** Folded twice when true: re-collecting a window must change nothing. */
  twice?: boolean;
  /** Expected rows: [resource_id, day, x_row_key, billed_cost, pricing_quantity]. */
  rows: Array<[string, string, string, string, string]>;
}

const D = '2026-03-01';
const cases: Case[] = [
  {
    name: 'GPU seen in two hours: 2 h × 2.10',
    model: 'H100-SXM5-80GB',
    samples: [power(`${D}T10:00:00Z`, 0), power(`${D}T10:30:00Z`, 0), power(`${D}T11:40:00Z`, 0)],
    // 10:00→10:30 and 10:30→11:40 are both longer than max_gap (15 min): no energy row at all.
    rows: [[GPU, D, 'gpu-hours', exact(2n * 210n, 2), '2']],
  },
  {
    name: 'trapezoid over two 5-minute intervals, PUE and price exact',
    model: 'H100-SXM5-80GB',
    samples: [power(`${D}T00:00:00Z`, 300), power(`${D}T00:05:00Z`, 300), power(`${D}T00:10:00Z`, 600)],
    // 300 W × 300 s + 450 W × 300 s = 225000 J = 0.0625 kWh (62500 µkWh); × 1.35 = 84375 µkWh; × 0.14
    rows: [
      [GPU, D, 'gpu-hours', exact(210n, 2), '1'],
      [GPU, D, 'energy', exact(((62500n * 135n) / 100n) * 14n, 8), exact((62500n * 135n) / 100n, 6)],
    ],
  },
  {
    name: 'a gap longer than max_gap adds no energy',
    model: 'A100-SXM4-80GB',
    samples: [power(`${D}T00:00:00Z`, 400), power(`${D}T00:30:00Z`, 400)],
    rows: [[GPU, D, 'gpu-hours', exact(120n, 2), '1']],
  },
  {
    name: 'an interval across midnight is split between the two days',
    model: 'A100-SXM4-80GB',
    samples: [power('2026-03-01T23:55:00Z', 400), power('2026-03-02T00:05:00Z', 400)],
    // 400 W × 300 s = 120000 J = 1/30 kWh = 0.033333 (6 places) each day; × 1.35 = 0.045 (0.04499955 -> 0.045000)
    rows: [
      [GPU, '2026-03-01', 'gpu-hours', exact(120n, 2), '1'],
      [GPU, '2026-03-01', 'energy', exact(45000n * 14n, 8), exact(45000n, 6)],
      [GPU, '2026-03-02', 'gpu-hours', exact(120n, 2), '1'],
      [GPU, '2026-03-02', 'energy', exact(45000n * 14n, 8), exact(45000n, 6)],
    ],
  },
  {
    name: 'the energy counter wins over power on its day; a reset counts the new value',
    model: 'H100-SXM5-80GB',
    samples: [
      energy(`${D}T01:00:00Z`, 1_000_000),
      power(`${D}T01:00:00Z`, 9999),
      energy(`${D}T01:05:00Z`, 2_800_000),
      power(`${D}T01:05:00Z`, 9999),
      energy(`${D}T01:10:00Z`, 1_800_000),
    ],
    // 1.8 MJ + 1.8 MJ (after the reset) = 3.6 MJ = 1 kWh; × 1.35 = 1.35 kWh; × 0.14 = 0.189
    rows: [
      [GPU, D, 'gpu-hours', exact(210n, 2), '1'],
      [GPU, D, 'energy', exact(135n * 14n, 4), '1.35'],
    ],
  },
  {
    name: 're-collecting the same window adds nothing',
    model: 'H100-SXM5-80GB',
    twice: true,
    samples: [power(`${D}T00:00:00Z`, 300), power(`${D}T00:05:00Z`, 300), power(`${D}T00:10:00Z`, 600)],
    rows: [
      [GPU, D, 'gpu-hours', exact(210n, 2), '1'],
      [GPU, D, 'energy', exact(((62500n * 135n) / 100n) * 14n, 8), exact((62500n * 135n) / 100n, 6)],
    ],
  },
  {
    name: 'a model without its own price takes default',
    model: 'L4',
    samples: [power(`${D}T05:00:00Z`, 0)],
    rows: [[GPU, D, 'gpu-hours', exact(90n, 2), '1']],
  },
  {
    name: 'no price for the model and no default: no GPU-hour row',
    model: 'L4',
    card: { gpu_hour: { 'H100-SXM5-80GB': '2.10' } },
    samples: [power(`${D}T05:00:00Z`, 0)],
    rows: [],
  },
  {
    name: 'host seen in three hours: 3 × 0.35',
    samples: [hostSample(`${D}T07:59:59Z`), hostSample(`${D}T08:00:00Z`), hostSample(`${D}T09:10:00Z`)],
    rows: [[HOST, D, 'host-hours', exact(3n * 35n, 2), '3']],
  },
];

for (const testCase of cases) {
  test(`rate card: ${testCase.name}`, () => {
    const card = { ...CARD, ...testCase.card };
    const isHost = testCase.samples.every((sample) => sample.resource_id === HOST);
    const meter: MeterState = emptyMeter(isHost ? HOST : GPU, isHost ? 'host' : 'gpu');
    if (!isHost) foldResource(meter, gpuRow(testCase.model ?? null, testCase.samples[0]?.ts ?? ''));
    for (let pass = 0; pass < (testCase.twice ? 2 : 1); pass += 1)
      for (const sample of testCase.samples) foldSample(meter, sample, card.energy.max_gap);
    const window = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-03T00:00:00Z') };
    const rows = rateCardRows(
      meter,
      card,
      { provider: 'onprem', providerName: 'On-Premises', billingAccountId: 'onprem' },
      window,
      new Date('2026-03-03T00:00:00Z'),
    );
    const actual = rows.map((row) => [
      row.resource_id,
      row.charge_period_start.slice(0, 10),
      row.x_row_key,
      row.billed_cost,
      row.pricing_quantity,
    ]);
    assert.deepEqual(actual, testCase.rows);
    for (const row of rows) {
      assert.equal(row.x_cost_source, 'rate_card');
      assert.equal(row.x_gpu_model, isHost ? null : (testCase.model ?? null));
    }
  });
}

test('rate card: rows outside the cost window are not emitted', () => {
  const meter = emptyMeter(HOST, 'host');
  foldSample(meter, hostSample('2026-02-28T12:00:00Z'), 900_000);
  foldSample(meter, hostSample('2026-03-01T12:00:00Z'), 900_000);
  const window = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-02T00:00:00Z') };
  const rows = rateCardRows(
    meter,
    CARD,
    { provider: 'p', providerName: 'P', billingAccountId: 'p' },
    window,
    new Date(),
  );
  assert.deepEqual(
    rows.map((row) => row.charge_period_start),
    ['2026-03-01T00:00:00Z'],
  );
});
