import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDecimals, divideDecimals } from '../../../core/decimal.ts';
import type { BillingRule } from './billing-rule.ts';
import { billedSessions, dailyCharges } from './charges.ts';
import { GONE, type InstanceHistory } from './history.ts';

const META = {
  name: 'n',
  instanceType: 't',
  region: 'r',
  gpuModel: null,
  gpuCount: null,
  resourceType: 'instance',
  tags: null,
};

function history(changes: Array<[string, string, string | null]>, monthlyPrice: string | null = null): InstanceHistory {
  return {
    id: 'i-1',
    first_seen: changes[0]?.[0] ?? '',
    last_seen: changes.at(-1)?.[0] ?? '',
    changes: changes.map(([at, status, hourly_price]) => ({ at: new Date(at).toISOString(), status, hourly_price })),
    monthly_price: monthlyPrice,
    meta: META,
  };
}

function rule(increment: BillingRule['increment'], extra: Partial<BillingRule> = {}): BillingRule {
  return { increment, minimumSeconds: 0, billedStates: ['running', 'stopped_billed'], source: 'test', ...extra };
}

interface Case {
  name: string;
  rule: BillingRule;
  changes: Array<[string, string, string | null]>;
  now: string;
  window: [string, string];
  monthlyPrice?: string;
  /** Expected [day, amount, hours] rows. */
  expected: Array<[string, string, string]>;
}

const CASES: Case[] = [
  {
    name: 'per-second: a partial hour is rounded up to the next whole second',
    rule: rule('second'),
    changes: [
      ['2026-03-02T10:00:00.000Z', 'running', '2'],
      ['2026-03-02T10:30:00.500Z', 'stopped', '2'],
    ],
    now: '2026-03-03T00:00:00Z',
    window: ['2026-03-01T00:00:00Z', '2026-03-04T00:00:00Z'],
    expected: [['2026-03-02', '1.0005555556', '0.500278']],
  },
  {
    name: 'per-minute: 61 seconds bill as two minutes',
    rule: rule('minute'),
    changes: [
      ['2026-03-02T10:00:00Z', 'running', '1.2'],
      ['2026-03-02T10:01:01Z', 'stopped', '1.2'],
    ],
    now: '2026-03-03T00:00:00Z',
    window: ['2026-03-01T00:00:00Z', '2026-03-04T00:00:00Z'],
    expected: [['2026-03-02', '0.04', '0.033333']],
  },
  {
    name: 'per-hour: 65 minutes bill as two hours',
    rule: rule('hour'),
    changes: [
      ['2026-03-02T10:00:00Z', 'running', '0.5'],
      ['2026-03-02T11:05:00Z', 'stopped', '0.5'],
    ],
    now: '2026-03-03T00:00:00Z',
    window: ['2026-03-01T00:00:00Z', '2026-03-04T00:00:00Z'],
    expected: [['2026-03-02', '1', '2']],
  },
  {
    name: 'per-minute with a 10-minute minimum: a 3-minute session bills 10 minutes',
    rule: rule('minute', { minimumSeconds: 600 }),
    changes: [
      ['2026-03-02T10:00:00Z', 'running', '6'],
      ['2026-03-02T10:03:00Z', 'stopped', '6'],
    ],
    now: '2026-03-03T00:00:00Z',
    window: ['2026-03-01T00:00:00Z', '2026-03-04T00:00:00Z'],
    expected: [['2026-03-02', '1', '0.166667']],
  },
  {
    name: 'an open (still running) session is measured to now, not rounded yet',
    rule: rule('hour'),
    changes: [['2026-03-02T10:00:00Z', 'running', '1.2']],
    now: '2026-03-02T10:30:30Z',
    window: ['2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z'],
    expected: [['2026-03-02', '0.61', '0.508333']],
  },
  {
    name: 'stopped-but-billed states bill, stopped does not',
    rule: rule('second'),
    changes: [
      ['2026-03-02T00:00:00Z', 'running', '1'],
      ['2026-03-02T06:00:00Z', 'stopped_billed', '1'],
      ['2026-03-02T12:00:00Z', 'stopped', '1'],
      ['2026-03-02T18:00:00Z', 'running', '1'],
    ],
    now: '2026-03-03T00:00:00Z',
    window: ['2026-03-01T00:00:00Z', '2026-03-04T00:00:00Z'],
    expected: [['2026-03-02', '18', '18']],
  },
  {
    name: 'launched mid-day, terminated the next day: split across both UTC days',
    rule: rule('minute'),
    changes: [
      ['2026-03-02T22:00:00Z', 'running', '2.49'],
      ['2026-03-03T02:00:00Z', GONE, null],
    ],
    now: '2026-03-04T00:00:00Z',
    window: ['2026-03-01T00:00:00Z', '2026-03-05T00:00:00Z'],
    expected: [
      ['2026-03-02', '4.98', '2'],
      ['2026-03-03', '4.98', '2'],
    ],
  },
  {
    name: 'rounding is charged on the day the session ended',
    rule: rule('minute'),
    changes: [
      ['2026-03-02T23:59:30Z', 'running', '3.6'],
      ['2026-03-03T00:00:10Z', 'stopped', '3.6'],
    ],
    now: '2026-03-04T00:00:00Z',
    window: ['2026-03-01T00:00:00Z', '2026-03-05T00:00:00Z'],
    expected: [
      ['2026-03-02', '0.03', '0.008333'],
      ['2026-03-03', '0.03', '0.008334'],
    ],
  },
  {
    name: 'window boundaries: only days inside the window are emitted',
    rule: rule('second'),
    changes: [['2026-03-01T00:00:00Z', 'running', '1']],
    now: '2026-03-06T12:00:00Z',
    window: ['2026-03-04T00:00:00Z', '2026-03-07T00:00:00Z'],
    expected: [
      ['2026-03-04', '24', '24'],
      ['2026-03-05', '24', '24'],
      ['2026-03-06', '12', '12'],
    ],
  },
  {
    name: 'a price change inside a running session bills each part at its price',
    rule: rule('second'),
    changes: [
      ['2026-03-02T00:00:00Z', 'running', '1'],
      ['2026-03-02T12:00:00Z', 'running', '2'],
      ['2026-03-03T00:00:00Z', 'stopped', '2'],
    ],
    now: '2026-03-04T00:00:00Z',
    window: ['2026-03-01T00:00:00Z', '2026-03-05T00:00:00Z'],
    expected: [['2026-03-02', '36', '24']],
  },
  {
    name: 'monthly cap (730 h): the last days of a 31-day month are free once the cap is reached',
    rule: rule('hour', { monthlyCapHours: 730 }),
    changes: [['2026-01-01T00:00:00Z', 'running', '1']],
    now: '2026-02-01T00:00:00Z',
    window: ['2026-01-29T00:00:00Z', '2026-02-01T00:00:00Z'],
    // 28 days = 672 h before the window; day 29 reaches 696, day 30 reaches 720, day 31 stops at 730.
    expected: [
      ['2026-01-29', '24', '24'],
      ['2026-01-30', '24', '24'],
      ['2026-01-31', '10', '24'],
    ],
  },
  {
    name: 'monthly cap counts the month before the window and restarts each month',
    rule: rule('second', { monthlyCapHours: 672 }),
    changes: [['2026-02-01T00:00:00Z', 'running', '0.5']],
    now: '2026-03-02T00:00:00Z',
    window: ['2026-02-28T00:00:00Z', '2026-03-02T00:00:00Z'],
    expected: [
      ['2026-02-28', '12', '24'],
      ['2026-03-01', '12', '24'],
    ],
  },
];

for (const item of CASES) {
  test(`dailyCharges: ${item.name}`, () => {
    const nowMs = Date.parse(item.now);
    const sessions = billedSessions(history(item.changes), item.rule, nowMs);
    const window = { start: new Date(item.window[0]), end: new Date(Math.min(Date.parse(item.window[1]), nowMs + 1)) };
    const charges = dailyCharges(sessions, item.rule, window, item.monthlyPrice ?? null);
    assert.deepEqual(
      charges.map((charge) => [charge.dayStart.toISOString().slice(0, 10), charge.amount, charge.quantityHours]),
      item.expected,
    );
  });
}

/** Sum of one always-on month at `hourly`, given a rule and an optional explicit monthly price. */
function alwaysOnMonth(
  month: string,
  nextMonth: string,
  hourly: string,
  billing: BillingRule,
  monthlyPrice: string | null,
): string {
  const sessions = billedSessions(
    history([[`${month}T00:00:00Z`, 'running', hourly]]),
    billing,
    Date.parse(`${nextMonth}T00:00:00Z`),
  );
  const charges = dailyCharges(
    sessions,
    billing,
    { start: new Date(`${month}T00:00:00Z`), end: new Date(`${nextMonth}T00:00:00Z`) },
    monthlyPrice,
  );
  return addDecimals('0', ...charges.map((charge) => charge.amount));
}

test('a month of an always-on instance equals the monthly price (explicit monthly price, 31-day month)', () => {
  const monthly = '100';
  const hourly = divideDecimals(monthly, '730', 10);
  assert.equal(
    alwaysOnMonth('2026-01-01', '2026-02-01', hourly, rule('hour', { monthlyCapHours: 730 }), monthly),
    '100',
  );
});

test('a month of an always-on instance equals the monthly price (672-hour cap, every month length)', () => {
  for (const [month, next] of [
    ['2026-02-01', '2026-03-01'],
    ['2026-04-01', '2026-05-01'],
    ['2026-05-01', '2026-06-01'],
  ] as const) {
    assert.equal(alwaysOnMonth(month, next, '0.0075', rule('hour', { monthlyCapHours: 672 }), null), '5.04', month);
  }
});

test('without a cap, a 30-day always-on month is 720 × hourly exactly (days telescope, no drift)', () => {
  assert.equal(alwaysOnMonth('2026-04-01', '2026-05-01', '0.1369863014', rule('second'), null), '98.630137008');
});

test('per-minute: sum of days equals the single-session total to the digit', () => {
  const billing = rule('minute');
  const sessions = billedSessions(
    history([
      ['2026-03-01T07:13:11Z', 'running', '0.333'],
      ['2026-03-09T01:02:03Z', 'stopped', '0.333'],
    ]),
    billing,
    Date.parse('2026-03-10T00:00:00Z'),
  );
  const charges = dailyCharges(sessions, billing, {
    start: new Date('2026-03-01T00:00:00Z'),
    end: new Date('2026-03-10T00:00:00Z'),
  });
  const minutes = Math.ceil((Date.parse('2026-03-09T01:02:03Z') - Date.parse('2026-03-01T07:13:11Z')) / 60_000);
  assert.equal(
    addDecimals('0', ...charges.map((charge) => charge.amount)),
    divideDecimals(String(minutes * 333), '60000', 10),
  );
});
