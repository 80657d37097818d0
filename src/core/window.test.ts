import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costWindow, utcDays } from './window.ts';

const DAY = 86_400_000;

test('first run backfills whole days of history up to the start of tomorrow', () => {
  const now = new Date('2026-11-26T10:30:00Z');
  const window = costWindow(now, undefined, 90 * DAY, 3 * DAY);
  assert.equal(window.start.toISOString(), '2026-08-28T00:00:00.000Z');
  assert.equal(window.end.toISOString(), '2026-11-27T00:00:00.000Z');
});

test('later runs re-collect the restatement window plus month-to-date', () => {
  const now = new Date('2026-11-26T10:30:00Z');
  const late = costWindow(now, new Date('2026-11-26T04:00:00Z'), 90 * DAY, 3 * DAY);
  assert.equal(late.start.toISOString(), '2026-11-01T00:00:00.000Z', 'month-to-date is always complete');
  const early = costWindow(new Date('2026-12-02T08:00:00Z'), new Date('2026-12-02T02:00:00Z'), 90 * DAY, 3 * DAY);
  assert.equal(early.start.toISOString(), '2026-11-29T00:00:00.000Z', 'restatement reaches into the previous month');
});

test('a long outage is backfilled from the last success, never skipped', () => {
  const window = costWindow(new Date('2026-11-26T00:00:00Z'), new Date('2026-09-10T12:00:00Z'), 90 * DAY, 3 * DAY);
  assert.equal(window.start.toISOString(), '2026-09-07T00:00:00.000Z');
});

test('utcDays splits a window into days', () => {
  const days = utcDays({ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-04T00:00:00Z') });
  assert.deepEqual(
    days.map((day) => day.start.toISOString().slice(0, 10)),
    ['2026-11-01', '2026-11-02', '2026-11-03'],
  );
});
