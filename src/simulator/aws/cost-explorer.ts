// Simulated Cost Explorer GetCostAndUsage (awsJson1_1): DAILY results grouped by up to two dimensions,
// paginated a few groups at a time so one day's groups are split across pages, amounts as CE writes them
// (ten decimals, some in E-notation).

import type { SimResponse } from '../server.ts';
import { dailyGroups, nextPageToken, pageOffset } from './daily-groups.ts';
import { sumOfPlain } from './money.ts';
import { awsError, jsonResponse } from './wire.ts';
import {
  costLinesOf,
  daysBetween,
  isSimMetric,
  METRIC_PLACES,
  SIM_ACCOUNTS,
  unitHash,
  visibleAccounts,
  type SimCostLine,
} from './world.ts';

const DIMENSIONS: Readonly<Record<string, (line: SimCostLine) => string>> = {
  SERVICE: (line) => line.service,
  REGION: (line) => line.region,
  LINKED_ACCOUNT: (line) => line.account,
};

/** Options of the simulated Cost Explorer. */
export interface CostExplorerOptions {
  seed: number;
  /** Groups per page; small so pages split days. */
  groupsPerPage: number;
  /** The simulator's clock: which periods are estimated, how far back is "the past 14 months". */
  now: Date;
}

/** Cost Explorer's default history: the current month and the previous 13, "the past 14 months". */
export const HISTORY_MONTHS = 14;

/** The day `months` calendar months before `day` (`YYYY-MM-DD`, UTC), clamped to the month's last day. */
export function monthsBefore(day: string, months: number): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return target.toISOString().slice(0, 10);
}

interface GetCostAndUsageRequest {
  TimePeriod?: { Start?: string; End?: string };
  Granularity?: string;
  Metrics?: string[];
  GroupBy?: Array<{ Type?: string; Key?: string }>;
  NextPageToken?: string;
}

/** Renders a plain decimal with CE's ten fractional digits. */
export function ceAmount(plain: string): string {
  const [whole, fraction = ''] = plain.split('.');
  return `${whole}.${fraction.padEnd(10, '0')}`;
}

/** Renders a plain decimal in E-notation (`123.45` -> `1.2345E2`), which CE also emits. */
export function eNotation(plain: string): string {
  const negative = plain.startsWith('-');
  const [whole = '', fraction = ''] = (negative ? plain.slice(1) : plain).split('.');
  const significantWhole = whole.replace(/^0+/, '');
  const digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return '0';
  const exponent =
    significantWhole.length > 0
      ? significantWhole.length - 1
      : -(fraction.length - fraction.replace(/^0+/, '').length + 1);
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${negative ? '-' : ''}${mantissa}E${exponent}`;
}

/** Whether `text` is a valid `YYYY-MM-DD` day. */
export function isoDay(text: string | undefined): boolean {
  return text !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

/** Handles AWSInsightsIndexService.GetCostAndUsage for a caller account. */
export function getCostAndUsage(raw: unknown, callerAccount: string, options: CostExplorerOptions): SimResponse {
  const request = (raw ?? {}) as GetCostAndUsageRequest;
  const start = request.TimePeriod?.Start;
  const end = request.TimePeriod?.End;
  if (!isoDay(start) || !isoDay(end) || (start ?? '') >= (end ?? ''))
    return awsError('json1_1', 400, 'ValidationException', 'Start date must be before end date (YYYY-MM-DD)');
  const today = options.now.toISOString().slice(0, 10);
  // Reported by users of the real API (see README); the exact boundary is UNVERIFIED.
  if ((start ?? '') < monthsBefore(today, HISTORY_MONTHS) && !(start ?? '').endsWith('-01'))
    return awsError(
      'json1_1',
      400,
      'ValidationException',
      'To retrieve data beyond the past 14 months, your start date needs to be the first day of the month.',
    );
  if (request.Granularity !== 'DAILY')
    return awsError('json1_1', 400, 'ValidationException', 'the simulator serves DAILY granularity only');
  const metrics = request.Metrics ?? [];
  if (metrics.length === 0 || !metrics.every(isSimMetric))
    return awsError('json1_1', 400, 'ValidationException', `unsupported metrics ${JSON.stringify(metrics)}`);
  const groupBy = request.GroupBy ?? [];
  if (
    groupBy.length > 2 ||
    groupBy.some((group) => group.Type !== 'DIMENSION' || !Object.hasOwn(DIMENSIONS, group.Key ?? ''))
  ) {
    return awsError(
      'json1_1',
      400,
      'ValidationException',
      'GroupBy takes at most two DIMENSION keys (SERVICE, REGION, LINKED_ACCOUNT)',
    );
  }
  const fingerprint = JSON.stringify([start, end, request.Granularity, metrics, groupBy]);
  const offset = pageOffset(request.NextPageToken, fingerprint);
  if (typeof offset !== 'number') return offset;
  const visible = new Set(visibleAccounts(callerAccount));
  // Every (day, group) pair in order; a page takes `groupsPerPage` of them, so days straddle pages.
  const items = dailyGroups(
    daysBetween(start ?? '', end ?? ''),
    (day) => costLinesOf(options.seed, day),
    visible,
    (line) => groupBy.map((group) => DIMENSIONS[group.Key ?? '']?.(line) ?? ''),
  );
  const pageItems = items.slice(offset, offset + options.groupsPerPage);
  const metricValues = (day: string, keys: string[], lines: SimCostLine[]) =>
    Object.fromEntries(
      metrics.map((metric) => {
        const sum = sumOfPlain(
          lines.map((line) => line.amounts[metric]),
          METRIC_PLACES[metric],
        );
        const units = new Set(lines.map((line) => line.unit));
        const unit = metric === 'UsageQuantity' ? (units.size === 1 ? ([...units][0] ?? 'N/A') : 'N/A') : 'USD';
        // About one amount in seven is written in E-notation, as Cost Explorer sometimes does.
        const amount =
          unitHash(options.seed, 'enotation', day, metric, ...keys) < 0.15 ? eNotation(sum) : ceAmount(sum);
        return [metric, { Amount: amount, Unit: unit }];
      }),
    );
  const results: Array<Record<string, unknown>> = [];
  for (const item of pageItems) {
    let result = results.at(-1);
    if (result === undefined || (result.TimePeriod as { Start: string }).Start !== item.day) {
      const next = new Date(Date.parse(`${item.day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      result = { TimePeriod: { Start: item.day, End: next }, Total: {}, Groups: [], Estimated: item.day >= today };
      results.push(result);
    }
    (result.Groups as unknown[]).push({ Keys: item.keys, Metrics: metricValues(item.day, item.keys, item.lines) });
  }
  const nextOffset = offset + pageItems.length;
  const linkedIndex = groupBy.findIndex((group) => group.Key === 'LINKED_ACCOUNT');
  const accountsOnPage = linkedIndex < 0 ? [] : [...new Set(pageItems.map((item) => item.keys[linkedIndex] ?? ''))];
  return jsonResponse('1.1', {
    GroupDefinitions: groupBy,
    ResultsByTime: results,
    DimensionValueAttributes: accountsOnPage.map((id) => ({
      Value: id,
      Attributes: { description: SIM_ACCOUNTS.find((account) => account.id === id)?.name ?? id },
    })),
    ...nextPageToken(nextOffset, items.length, fingerprint),
  });
}
