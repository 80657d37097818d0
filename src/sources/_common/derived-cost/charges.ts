// The pure heart of the engine: status history -> billed running sessions -> one charge per UTC day, following
// a billing rule (rounding increment, minimum, monthly cap, billed states). Money stays in decimal strings.

import {
  addDecimals,
  compareDecimals,
  divideDecimals,
  multiplyDecimals,
  subtractDecimals,
} from '../../../core/decimal.ts';
import { startOfUtcDay, startOfUtcMonth, type TimeWindow } from '../../../core/window.ts';
import { INCREMENT_MS, type BillingRule } from './billing-rule.ts';
import type { InstanceHistory } from './history.ts';

/** A stretch of billed time at one hourly price. */
export interface Segment {
  startMs: number;
  endMs: number;
  hourlyPrice: string;
}

/** Consecutive billed segments; a closed session is rounded up to the rule's increment, an open one is not yet. */
export interface Session {
  segments: Segment[];
  closed: boolean;
}

/** The charge of one instance for one UTC day. */
export interface DayCharge {
  dayStart: Date;
  dayEnd: Date;
  /** Billed milliseconds in the day (rounding included). */
  billedMs: number;
  /** Billed hours, decimal string (6 places, telescoped so a month's days sum to its total). */
  quantityHours: string;
  /** Cost, decimal string (10 places, telescoped; capped by the monthly price where the rule has one). */
  amount: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const COST_PLACES = 10;
const QUANTITY_PLACES = 6;

/** Splits a history into billed sessions up to `untilMs` (now). */
export function billedSessions(history: InstanceHistory, rule: BillingRule, untilMs: number): Session[] {
  const billed = new Set(rule.billedStates);
  const changes = history.changes.filter((change) => Date.parse(change.at) < untilMs);
  const sessions: Session[] = [];
  let current: Session | undefined;
  changes.forEach((change, index) => {
    const next = changes[index + 1];
    const startMs = Date.parse(change.at);
    const endMs = next === undefined ? untilMs : Date.parse(next.at);
    if (billed.has(change.status) && change.hourly_price !== null) {
      current ??= { segments: [], closed: false };
      if (endMs > startMs) current.segments.push({ startMs, endMs, hourlyPrice: change.hourly_price });
      return;
    }
    // A non-billed status (stopped, terminated, gone, price unknown) closes the running session.
    if (current !== undefined && current.segments.length > 0) sessions.push({ ...current, closed: true });
    current = undefined;
  });
  if (current !== undefined && current.segments.length > 0) sessions.push(current);
  return sessions;
}

/** Milliseconds added to a closed session by rounding up to the increment and applying the minimum. */
export function roundingExtraMs(actualMs: number, rule: BillingRule): number {
  const increment = INCREMENT_MS[rule.increment];
  const rounded = Math.ceil(actualMs / increment) * increment;
  return Math.max(rounded, rule.minimumSeconds * 1000) - actualMs;
}

interface DayAccumulator {
  billedMs: number;
  /** Σ price × ms (exact decimal). */
  priceMs: string;
  /** The latest hourly price billed this day (for a cap expressed in hours). */
  latestPrice: string | undefined;
}

/**
 * Charges per UTC day inside `window`. Days are computed from the start of the window's first month so a
 * monthly cap counts what the month billed before the window. `monthlyPrice` overrides the rule's cap hours.
 */
export function dailyCharges(
  sessions: readonly Session[],
  rule: BillingRule,
  window: TimeWindow,
  monthlyPrice: string | null = null,
): DayCharge[] {
  const fromMs = startOfUtcMonth(window.start).getTime();
  const toMs = window.end.getTime();
  const days = new Map<number, DayAccumulator>();
  const add = (dayMs: number, ms: number, price: string): void => {
    if (ms <= 0 || dayMs < fromMs || dayMs >= toMs) return;
    const day = days.get(dayMs) ?? { billedMs: 0, priceMs: '0', latestPrice: undefined };
    day.billedMs += ms;
    day.priceMs = addDecimals(day.priceMs, multiplyDecimals(price, String(ms)));
    day.latestPrice = price;
    days.set(dayMs, day);
  };
  for (const session of sessions) {
    for (const segment of session.segments) {
      for (let dayMs = startOfUtcDay(new Date(segment.startMs)).getTime(); dayMs < segment.endMs; dayMs += DAY_MS) {
        add(dayMs, Math.min(segment.endMs, dayMs + DAY_MS) - Math.max(segment.startMs, dayMs), segment.hourlyPrice);
      }
    }
    const last = session.segments.at(-1);
    if (session.closed && last !== undefined) {
      const actualMs = session.segments.reduce((total, segment) => total + segment.endMs - segment.startMs, 0);
      // Rounding is charged on the day the session ended, at its last price.
      add(startOfUtcDay(new Date(last.endMs - 1)).getTime(), roundingExtraMs(actualMs, rule), last.hourlyPrice);
    }
  }
  return telescope(
    [...days.entries()].sort(([a], [b]) => a - b),
    rule,
    window,
    monthlyPrice,
  );
}

function telescope(
  days: Array<[number, DayAccumulator]>,
  rule: BillingRule,
  window: TimeWindow,
  monthlyPrice: string | null,
): DayCharge[] {
  const charges: DayCharge[] = [];
  let month = -1;
  let cumulativePriceMs = '0';
  let cumulativeMs = 0;
  let previousCost = '0';
  let previousHours = '0';
  let cap: string | undefined;
  for (const [dayMs, day] of days) {
    const dayMonth = startOfUtcMonth(new Date(dayMs)).getTime();
    if (dayMonth !== month) {
      month = dayMonth;
      cumulativePriceMs = '0';
      cumulativeMs = 0;
      previousCost = '0';
      previousHours = '0';
    }
    cumulativePriceMs = addDecimals(cumulativePriceMs, day.priceMs);
    cumulativeMs += day.billedMs;
    if (monthlyPrice !== null) cap = monthlyPrice;
    else if (rule.monthlyCapHours !== undefined && day.latestPrice !== undefined)
      cap = multiplyDecimals(day.latestPrice, String(rule.monthlyCapHours));
    let cost = divideDecimals(cumulativePriceMs, String(HOUR_MS), COST_PLACES);
    if (cap !== undefined && compareDecimals(cost, cap) > 0) cost = cap;
    const hours = divideDecimals(String(cumulativeMs), String(HOUR_MS), QUANTITY_PLACES);
    const charge: DayCharge = {
      dayStart: new Date(dayMs),
      dayEnd: new Date(dayMs + DAY_MS),
      billedMs: day.billedMs,
      quantityHours: subtractDecimals(hours, previousHours),
      amount: subtractDecimals(cost, previousCost),
    };
    previousCost = cost;
    previousHours = hours;
    if (dayMs >= startOfUtcDay(window.start).getTime() && dayMs < window.end.getTime()) charges.push(charge);
  }
  return charges;
}
