import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cronProblem, parseCron } from './cron.ts';

const at = (iso: string): Date => new Date(iso);
const next = (expression: string, after: string): string => parseCron(expression).next(at(after)).toISOString();

test('cron: every field kind, evaluated in UTC', () => {
  const cases: Array<[string, string, string]> = [
    ['* * * * *', '2025-03-10T10:15:30Z', '2025-03-10T10:16:00.000Z'],
    ['*/15 * * * *', '2025-03-10T10:15:00Z', '2025-03-10T10:30:00.000Z'],
    ['0 */6 * * *', '2025-03-10T10:15:00Z', '2025-03-10T12:00:00.000Z'],
    ['5,35 9-17 * * *', '2025-03-10T17:40:00Z', '2025-03-11T09:05:00.000Z'],
    ['0 0 1 * *', '2025-01-31T23:59:00Z', '2025-02-01T00:00:00.000Z'],
    ['30 2 * * mon-fri', '2025-03-08T00:00:00Z', '2025-03-10T02:30:00.000Z'], // Saturday -> Monday
    ['0 0 * * 7', '2025-03-10T00:00:00Z', '2025-03-16T00:00:00.000Z'], // 7 is Sunday
    ['0 12 * jun *', '2025-03-10T00:00:00Z', '2025-06-01T12:00:00.000Z'],
    ['0 0 29 2 *', '2025-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 0 13 * 5', '2025-03-10T00:00:00Z', '2025-03-13T00:00:00.000Z'], // day 13 OR Friday: Thursday 13th first
    ['10-50/20 * * * *', '2025-03-10T10:31:00Z', '2025-03-10T10:50:00.000Z'],
    ['@hourly', '2025-03-10T10:00:00Z', '2025-03-10T11:00:00.000Z'],
    ['@daily', '2025-12-31T23:30:00Z', '2026-01-01T00:00:00.000Z'],
  ];
  for (const [expression, after, expected] of cases)
    assert.equal(next(expression, after), expected, `${expression} after ${after}`);
});

test('cron: consecutive runs of an hourly-at-7 schedule', () => {
  const schedule = parseCron('7 * * * *');
  let time = at('2025-03-10T10:07:00Z');
  const runs: string[] = [];
  for (let index = 0; index < 3; index += 1) {
    time = schedule.next(time);
    runs.push(time.toISOString().slice(11, 16));
  }
  assert.deepEqual(runs, ['11:07', '12:07', '13:07']);
});

test('cron: invalid expressions name the field and the reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['* * * *', /expected 5 fields/],
    ['60 * * * *', /minute field "60" has 60, outside 0-59/],
    ['* 24 * * *', /hour field/],
    ['* * 0 * *', /day of month field/],
    ['* * * 13 *', /month field/],
    ['* * * * 8', /day of week field/],
    ['*/0 * * * *', /invalid step/],
    ['5-1 * * * *', /runs backwards/],
    ['* * * foo *', /not a number or a name/],
    ['0 0 31 2 *', /never matches/],
  ];
  for (const [expression, pattern] of cases) assert.match(cronProblem(expression) ?? '', pattern, expression);
  assert.equal(cronProblem('0 */4 * * *'), undefined);
});
