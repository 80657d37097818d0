// Collection windows for cost sources: the first run backfills history, later runs re-collect a trailing
// restatement window plus month-to-date, because providers restate recent billing.

/** A half-open UTC time range [start, end). */
export interface TimeWindow {
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;

/** Midnight UTC of the day holding `date`. */
export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Midnight UTC of the first day of the month holding `date`. */
export function startOfUtcMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

/** Midnight UTC of the first day of the next month. */
export function startOfNextUtcMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}

/**
 * The cost window for a run at `now`. Without a previous successful cost collection it reaches back
 * `historyMs` (whole days); otherwise back to the earlier of (last success - restatement) and the start of
 * the month, so month-to-date is always complete. The end is the start of tomorrow (today is partial).
 */
export function costWindow(
  now: Date,
  lastSuccessEnd: Date | undefined,
  historyMs: number,
  restatementMs: number,
): TimeWindow {
  const end = new Date(startOfUtcDay(now).getTime() + DAY_MS);
  if (lastSuccessEnd === undefined) {
    return { start: startOfUtcDay(new Date(now.getTime() - historyMs)), end };
  }
  const restated = startOfUtcDay(new Date(Math.min(lastSuccessEnd.getTime(), now.getTime()) - restatementMs));
  const monthStart = startOfUtcMonth(now);
  const start = restated < monthStart ? restated : monthStart;
  return { start, end };
}

/** Splits a window into consecutive UTC days. */
export function utcDays(window: TimeWindow): TimeWindow[] {
  const days: TimeWindow[] = [];
  for (let day = startOfUtcDay(window.start); day < window.end; day = new Date(day.getTime() + DAY_MS)) {
    days.push({ start: day, end: new Date(day.getTime() + DAY_MS) });
  }
  return days;
}

/** ISO date `YYYY-MM-DD` of a UTC instant. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
