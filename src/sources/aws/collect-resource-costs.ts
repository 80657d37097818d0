// Cost Explorer GetCostAndUsageWithResources: per-instance EC2 compute costs of the last 14 days (the API's
// limit; it needs the account's opt-in). One request sequence per account for the whole slice, DAILY,
// filtered on SERVICE = EC2 compute (mandatory), grouped by RESOURCE_ID and the service-level rows' second
// dimension, so each resource row nests in exactly one service-level row. Each page is emitted as it comes;
// only the per-(day, region) sums are kept, for the residual rows (collect-costs.ts).

import { CollectorError } from '../../core/errors.ts';
import type { CollectContext } from '../../core/source.ts';
import { isoDate, type TimeWindow } from '../../core/window.ts';
import type { AwsAccount } from './accounts.ts';
import { awsCall, type AwsClientPool } from './client.ts';
import type { AwsConfig } from './config.ts';
import { accountNamesFromCostExplorer, COST_METRICS } from './map.ts';
import {
  addResourceCostTotals,
  costRecordsFromResourceCosts,
  RESOURCE_COST_SERVICE,
  type KnownInstance,
  type ResourceCostTotals,
} from './map-resource-costs.ts';

/** Resource-level data reaches this many days back, today included. */
export const RESOURCE_COST_DAYS = 14;

const OPERATION = 'ce:GetCostAndUsageWithResources';
const MAX_PAGES = 10_000;
const DAY_MS = 86_400_000;

/** A range of whole UTC days, `YYYY-MM-DD`, end exclusive. */
export interface DayRange {
  start: string;
  end: string;
}

/**
 * The days of the cost window resource-level data covers: the last 14 days counting today (the API rejects
 * a start earlier than 14 days ago; one day of margin keeps a clock skew from failing the whole request).
 */
export function resourceCostDays(window: TimeWindow, now: Date): DayRange | undefined {
  const oldest = isoDate(new Date(now.getTime() - (RESOURCE_COST_DAYS - 1) * DAY_MS));
  const tomorrow = isoDate(new Date(now.getTime() + DAY_MS));
  const windowStart = isoDate(window.start);
  const windowEnd = isoDate(window.end);
  const start = windowStart > oldest ? windowStart : oldest;
  const end = windowEnd < tomorrow ? windowEnd : tomorrow;
  return start < end ? { start, end } : undefined;
}

/** Whether a charge day (`YYYY-MM-DDT00:00:00Z`) lies in the range. */
export function inDayRange(chargePeriodStart: string, range: DayRange): boolean {
  const day = chargePeriodStart.slice(0, 10);
  return day >= range.start && day < range.end;
}

/** What the resource-level read needs besides the account. */
export interface ResourceCostRead {
  days: DayRange;
  instances: ReadonlyMap<string, KnownInstance>;
  accountNames: Map<string, string>;
  collectedAt: string;
  /** Sums of the rows emitted, per splitKeyOf; filled page by page so a failure midway leaves them exact. */
  totals: Map<string, ResourceCostTotals>;
}

/** Reads the slice, emitting each page's resource rows; returns the pages read. Throws classified errors. */
export async function collectResourceCosts(
  context: CollectContext,
  pool: AwsClientPool,
  account: AwsAccount,
  config: AwsConfig,
  read: ResourceCostRead,
): Promise<number> {
  const client = pool.costExplorer(account.credentials);
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await awsCall(context, OPERATION, (abortSignal) =>
      client.send(
        new pool.sdk.ce.GetCostAndUsageWithResourcesCommand({
          TimePeriod: { Start: read.days.start, End: read.days.end },
          Granularity: 'DAILY',
          Filter: { Dimensions: { Key: 'SERVICE', Values: [RESOURCE_COST_SERVICE] } },
          Metrics: [...COST_METRICS],
          GroupBy: [
            { Type: 'DIMENSION', Key: 'RESOURCE_ID' },
            { Type: 'DIMENSION', Key: config.group_by },
          ],
          ...(token === undefined ? {} : { NextPageToken: token }),
        }),
        { abortSignal },
      ),
    );
    pages += 1;
    for (const [id, name] of accountNamesFromCostExplorer(page)) read.accountNames.set(id, name);
    const rows = costRecordsFromResourceCosts(page, {
      provider: context.provider,
      billingAccountId: account.accountId,
      billingAccountName: account.name,
      secondDimension: config.group_by,
      accountNames: read.accountNames,
      collectedAt: read.collectedAt,
      instances: read.instances,
    });
    if (rows.length > 0) await context.emit.costs(rows);
    addResourceCostTotals(read.totals, rows, config.group_by);
    token = page.NextPageToken === '' ? undefined : page.NextPageToken;
    if (pages >= MAX_PAGES && token !== undefined) {
      throw new CollectorError(
        'UPSTREAM_ERROR',
        `${context.provider}: ${OPERATION} returned more than ${MAX_PAGES} pages for ${read.days.start}..${read.days.end}`,
        { provider: context.provider, operation: OPERATION },
      );
    }
  } while (token !== undefined);
  return pages;
}

/**
 * The 14-day limit's answer, "Start date is more than 14 days ago for hourly granularity ..." (sent for DAILY
 * requests too; README, Simulator): it speaks of granularity but says nothing about the opt-in.
 */
function isPastFourteenDays(message: string): boolean {
  return /more than 14 days ago|only 14 days|max supported days/i.test(message);
}

/** SDK error names / messages meaning the account has not opted in to resource-level data. */
function isNotOptedIn(cause: unknown): boolean {
  const error = (cause ?? {}) as { name?: string; message?: string };
  if (error.name === 'DataUnavailableException') return true;
  const message = error.message ?? '';
  if (isPastFourteenDays(message)) return false;
  const mentionsOptIn = /resource[- ]level|opt(ed)?[- ]?in|not enabled/i.test(message);
  return (error.name === 'ValidationException' || error.name === 'AccessDeniedException') && mentionsOptIn;
}

/**
 * Explains a failed resource-level read for the run's partials. An account that has not opted in gets a
 * message naming the setting; either way the service-level EC2 rows were kept, so nothing is lost.
 */
export function explainResourceCostFailure(
  error: CollectorError,
  account: AwsAccount,
  days: DayRange,
  provider: string,
): CollectorError {
  const kept = `the service-level EC2 rows were kept for ${days.start}..${days.end}`;
  if (isNotOptedIn(error.cause)) {
    const cause = (error.cause ?? {}) as { name?: string; message?: string };
    return new CollectorError(
      'BAD_REQUEST',
      `${provider}: account ${account.accountId} resource costs: ${OPERATION} answered ${cause.name ?? 'an error'} (${cause.message ?? ''}): resource-level data is not enabled for this account. ` +
        `Turn on "Resource-level data at daily granularity" for ${RESOURCE_COST_SERVICE} in Billing and Cost Management > Cost Management preferences (from the management account), or set resource_costs: false; ${kept}`,
      { ...error.context, provider, operation: OPERATION },
      { cause: error, kind: 'permanent' },
    );
  }
  // Our days are the last 14 by this machine's clock: Cost Explorer's being ahead is the likely cause.
  const hint = isPastFourteenDays((error.cause as { message?: string } | undefined)?.message ?? '')
    ? ` (resource-level data reaches 14 days back by Cost Explorer's clock; this machine's clock may be behind)`
    : '';
  return new CollectorError(
    error.code,
    `${provider}: account ${account.accountId} resource costs: ${error.message}${hint}; ${kept}`,
    { ...error.context, provider },
    { cause: error, kind: error.kind },
  );
}
