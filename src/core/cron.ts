// A small cron parser for provider schedules: five fields (minute hour day-of-month month day-of-week),
// evaluated in UTC. Supports `*`, lists, ranges, steps, month and weekday names and @hourly-style macros.

import { CollectorError } from './errors.ts';

/** A parsed cron expression. */
export interface CronSchedule {
  /** The expression as written. */
  readonly source: string;
  /** The first matching minute strictly after `after` (UTC). */
  next(after: Date): Date;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Offset of names[0] (months start at 1). */
  nameBase?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];

// Any real schedule matches within this many years (Feb 29 on a given weekday recurs within 28).
const SEARCH_YEARS = 30;

/** Parses a cron expression; throws CONFIG_INVALID naming the bad field and why. */
export function parseCron(expression: string): CronSchedule {
  const trimmed = expression.trim();
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5)
    throw new CollectorError(
      'CONFIG_INVALID',
      `cron ${JSON.stringify(expression)}: expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`,
    );
  const sets = parts.map((part, index) => parseField(part, FIELDS[index] as FieldSpec, expression));
  const [minutes, hours, days, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (weekdays.has(7)) weekdays.add(0);
  const dayRestricted = parts[2] !== '*' && !parts[2]?.startsWith('*/');
  const weekdayRestricted = parts[4] !== '*' && !parts[4]?.startsWith('*/');
  const dayMatches = (date: Date): boolean => {
    const byDay = days.has(date.getUTCDate());
    const byWeekday = weekdays.has(date.getUTCDay());
    // Classic cron: when both day fields are restricted, either one matching is enough.
    if (dayRestricted && weekdayRestricted) return byDay || byWeekday;
    return byDay && byWeekday;
  };
  return {
    source: expression,
    next(after: Date): Date {
      const candidate = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
      const limit = after.getTime() + SEARCH_YEARS * 366 * 86_400_000;
      while (candidate.getTime() <= limit) {
        if (!months.has(candidate.getUTCMonth() + 1)) {
          candidate.setUTCMonth(candidate.getUTCMonth() + 1, 1);
          candidate.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(candidate)) {
          candidate.setUTCDate(candidate.getUTCDate() + 1);
          candidate.setUTCHours(0, 0, 0, 0);
        } else if (!hours.has(candidate.getUTCHours())) {
          candidate.setUTCHours(candidate.getUTCHours() + 1, 0, 0, 0);
        } else if (!minutes.has(candidate.getUTCMinutes())) {
          candidate.setUTCMinutes(candidate.getUTCMinutes() + 1, 0, 0);
        } else {
          return candidate;
        }
      }
      throw new CollectorError(
        'CONFIG_INVALID',
        `cron ${JSON.stringify(expression)} never matches (e.g. day 31 of a 30-day month)`,
      );
    },
  };
}

/** Whether `expression` parses and matches at least once; returns the problem otherwise. */
export function cronProblem(expression: string): string | undefined {
  try {
    parseCron(expression).next(new Date(Date.UTC(2000, 0, 1)));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function parseField(text: string, spec: FieldSpec, expression: string): Set<number> {
  const values = new Set<number>();
  const fail = (why: string): never => {
    throw new CollectorError(
      'CONFIG_INVALID',
      `cron ${JSON.stringify(expression)}: ${spec.name} field ${JSON.stringify(text)} ${why}`,
    );
  };
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined) fail('has more than one "/"');
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0)
        fail(`has an invalid step ${JSON.stringify(stepText)} (a positive integer)`);
      step = Number(stepText);
    }
    let low: number;
    let high: number;
    if (range === '*') {
      low = spec.min;
      high = spec.name === 'day of week' ? 6 : spec.max;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2 || bounds.some((bound) => bound === '')) fail(`is not a number, name, range or "*"`);
      low = valueOf(bounds[0] as string, spec, fail);
      high = bounds.length === 2 ? valueOf(bounds[1] as string, spec, fail) : stepText === undefined ? low : spec.max;
      if (low > high) fail(`has a range that runs backwards (${low} > ${high})`);
    }
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

function valueOf(text: string, spec: FieldSpec, fail: (why: string) => never): number {
  const lower = text.toLowerCase();
  const nameIndex = spec.names?.indexOf(lower) ?? -1;
  if (nameIndex >= 0) return nameIndex + (spec.nameBase ?? 0);
  if (!/^\d+$/.test(text)) return fail(`has ${JSON.stringify(text)}, not a number${spec.names ? ' or a name' : ''}`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) return fail(`has ${value}, outside ${spec.min}-${spec.max}`);
  return value;
}
