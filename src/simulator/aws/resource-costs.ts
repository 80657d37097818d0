// Simulated Cost Explorer GetCostAndUsageWithResources (awsJson1_1): the EC2 compute lines GetCostAndUsage
// serves, split per running instance of the line's account and region plus a part without a resource ID,
// so the per-day EC2 totals of the two operations agree exactly. Enforces the API's constraints: the last
// 14 days only, a Filter naming SERVICE = EC2 compute, RESOURCE_ID in GroupBy, and the account's opt-in.

import type { SimResponse } from '../server.ts';
import { ceAmount, eNotation, isoDay } from './cost-explorer.ts';
import { dailyGroups, nextPageToken, pageOffset } from './daily-groups.ts';
import { minorUnitsFromPlain, plainFromMinorUnits, sumOfPlain } from './money.ts';
import { awsError, jsonResponse } from './wire.ts';
import {
  costLinesOf,
  daysBetween,
  isSimMetric,
  METRIC_PLACES,
  SIM_ACCOUNTS,
  SIM_INSTANCES,
  unitHash,
  visibleAccounts,
  type SimCostLine,
  type SimMetric as Metric,
} from './world.ts';

/** The only service resource-level data is simulated for (the one the API requires in the filter). */
export const RESOURCE_LEVEL_SERVICE = 'Amazon Elastic Compute Cloud - Compute';

/** How far back resource-level data reaches. */
export const RESOURCE_LEVEL_DAYS = 14;

/** The error codes a test can pick for an account that has not opted in (the real one is not verified). */
export type NotOptedInCode = 'DataUnavailableException' | 'ValidationException' | 'AccessDeniedException';

/** One instance's (or the unattributed) share of an EC2 compute cost line. `resourceId` '' = no resource ID. */
export interface SimResourceCostPiece {
  day: string;
  account: string;
  region: string;
  resourceId: string;
  unit: string;
  amounts: SimCostLine['amounts'];
}

/** Splits `amount` by integer weights; the last weight's share takes the rounding remainder, so parts sum exactly. */
function splitAmount(amount: string, places: number, weights: readonly number[]): string[] {
  const minor = minorUnitsFromPlain(amount, places);
  const total = BigInt(weights.reduce((sum, weight) => sum + weight, 0));
  const shares = weights.slice(0, -1).map((weight) => (minor * BigInt(weight)) / total);
  const remainder = minor - shares.reduce((sum, share) => sum + share, 0n);
  return [...shares, remainder].map((share) => plainFromMinorUnits(share, places));
}

/** The resource-level pieces of one day: each EC2 compute line split over its running instances + unattributed. */
export function resourceCostPiecesOf(seed: number, day: string): SimResourceCostPiece[] {
  const pieces: SimResourceCostPiece[] = [];
  for (const line of costLinesOf(seed, day)) {
    if (line.service !== RESOURCE_LEVEL_SERVICE) continue;
    const instances = SIM_INSTANCES.filter(
      (instance) =>
        instance.account === line.account && instance.region === line.region && instance.state === 'running',
    );
    // Weights 1..9 per instance and day; weight 1 for usage no instance is named for (SP fees, RI leftovers).
    const weights = [
      ...instances.map((instance) => 1 + Math.floor(unitHash(seed, 'resource-share', day, instance.id) * 9)),
      1,
    ];
    const splits = Object.fromEntries(
      (Object.keys(METRIC_PLACES) as Metric[]).map((metric) => [
        metric,
        splitAmount(line.amounts[metric], METRIC_PLACES[metric], weights),
      ]),
    ) as Record<Metric, string[]>;
    [...instances.map((instance) => instance.id), ''].forEach((resourceId, index) => {
      const amounts = Object.fromEntries(
        (Object.keys(METRIC_PLACES) as Metric[]).map((metric) => [metric, splits[metric][index] ?? '0']),
      ) as SimCostLine['amounts'];
      pieces.push({ day, account: line.account, region: line.region, resourceId, unit: line.unit, amounts });
    });
  }
  return pieces;
}

const DIMENSIONS: Readonly<Record<string, (piece: SimResourceCostPiece) => string>> = {
  RESOURCE_ID: (piece) => piece.resourceId,
  REGION: (piece) => piece.region,
  LINKED_ACCOUNT: (piece) => piece.account,
};

interface Expression {
  And?: Expression[];
  Dimensions?: { Key?: string; Values?: string[] };
}

interface GetCostAndUsageWithResourcesRequest {
  TimePeriod?: { Start?: string; End?: string };
  Granularity?: string;
  Filter?: Expression;
  Metrics?: string[];
  GroupBy?: Array<{ Type?: string; Key?: string }>;
  NextPageToken?: string;
}

/** Options of the simulated operation. */
export interface ResourceCostsOptions {
  seed: number;
  groupsPerPage: number;
  now: Date;
  /** Undefined when the account opted in to resource-level data; else the error code to answer with. */
  notOptedIn: NotOptedInCode | undefined;
}

function filtersOnEc2Compute(filter: Expression | undefined): boolean {
  if (filter === undefined) return false;
  return [filter, ...(filter.And ?? [])].some(
    (expression) =>
      expression.Dimensions?.Key === 'SERVICE' &&
      expression.Dimensions.Values?.length === 1 &&
      expression.Dimensions.Values[0] === RESOURCE_LEVEL_SERVICE,
  );
}

function notOptedInError(code: NotOptedInCode): SimResponse {
  switch (code) {
    case 'DataUnavailableException':
      return awsError('json1_1', 400, code, 'Data is not available.');
    case 'ValidationException':
      return awsError(
        'json1_1',
        400,
        code,
        'Resource-level data is not enabled for this account; enable it in Cost Management preferences.',
      );
    case 'AccessDeniedException':
      return awsError('json1_1', 400, code, 'Resource level data granularity is not opted in for this account.');
  }
}

/** Handles AWSInsightsIndexService.GetCostAndUsageWithResources for a caller account. */
export function getCostAndUsageWithResources(
  raw: unknown,
  callerAccount: string,
  options: ResourceCostsOptions,
): SimResponse {
  const request = (raw ?? {}) as GetCostAndUsageWithResourcesRequest;
  const start = request.TimePeriod?.Start ?? '';
  const end = request.TimePeriod?.End ?? '';
  if (!isoDay(start) || !isoDay(end) || start >= end)
    return awsError('json1_1', 400, 'ValidationException', 'Start date must be before end date (YYYY-MM-DD)');
  const oldest = new Date(
    Date.parse(`${options.now.toISOString().slice(0, 10)}T00:00:00Z`) - RESOURCE_LEVEL_DAYS * 86_400_000,
  )
    .toISOString()
    .slice(0, 10);
  // The text Cost Explorer answers even for DAILY requests (see README); the boundary day is UNVERIFIED.
  if (start < oldest)
    return awsError(
      'json1_1',
      400,
      'ValidationException',
      'Start date is more than 14 days ago for hourly granularity. Please adjust start date as we support only 14 days of data at hourly granularity.',
    );
  if (request.Granularity !== 'DAILY')
    return awsError('json1_1', 400, 'ValidationException', 'the simulator serves DAILY granularity only');
  if (!filtersOnEc2Compute(request.Filter))
    return awsError('json1_1', 400, 'ValidationException', `Filter must include SERVICE = ${RESOURCE_LEVEL_SERVICE}`);
  const metrics = request.Metrics ?? [];
  if (metrics.length === 0 || !metrics.every(isSimMetric))
    return awsError('json1_1', 400, 'ValidationException', `unsupported metrics ${JSON.stringify(metrics)}`);
  const groupBy = request.GroupBy ?? [];
  if (
    groupBy.length > 2 ||
    !groupBy.some((group) => group.Key === 'RESOURCE_ID') ||
    groupBy.some((group) => group.Type !== 'DIMENSION' || !Object.hasOwn(DIMENSIONS, group.Key ?? ''))
  ) {
    return awsError(
      'json1_1',
      400,
      'ValidationException',
      'GroupBy must include DIMENSION RESOURCE_ID and at most one of REGION, LINKED_ACCOUNT',
    );
  }
  if (options.notOptedIn !== undefined) return notOptedInError(options.notOptedIn);
  const fingerprint = JSON.stringify([start, end, request.Granularity, request.Filter, metrics, groupBy]);
  const offset = pageOffset(request.NextPageToken, fingerprint);
  if (typeof offset !== 'number') return offset;
  const visible = new Set(visibleAccounts(callerAccount));
  const items = dailyGroups(
    daysBetween(start, end),
    (day) => resourceCostPiecesOf(options.seed, day),
    visible,
    (piece) => groupBy.map((group) => DIMENSIONS[group.Key ?? '']?.(piece) ?? ''),
  );
  const pageItems = items.slice(offset, offset + options.groupsPerPage);
  const today = options.now.toISOString().slice(0, 10);
  const results: Array<{
    TimePeriod: { Start: string; End: string };
    Total: object;
    Groups: unknown[];
    Estimated: boolean;
  }> = [];
  for (const item of pageItems) {
    let result = results.at(-1);
    if (result === undefined || result.TimePeriod.Start !== item.day) {
      const next = new Date(Date.parse(`${item.day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      result = { TimePeriod: { Start: item.day, End: next }, Total: {}, Groups: [], Estimated: item.day >= today };
      results.push(result);
    }
    const values = Object.fromEntries(
      metrics.map((metric) => {
        const sum = sumOfPlain(
          item.lines.map((piece) => piece.amounts[metric]),
          METRIC_PLACES[metric],
        );
        const units = new Set(item.lines.map((piece) => piece.unit));
        const unit = metric === 'UsageQuantity' ? (units.size === 1 ? ([...units][0] ?? 'N/A') : 'N/A') : 'USD';
        const amount =
          unitHash(options.seed, 'resource-enotation', item.day, metric, ...item.keys) < 0.15
            ? eNotation(sum)
            : ceAmount(sum);
        return [metric, { Amount: amount, Unit: unit }];
      }),
    );
    result.Groups.push({ Keys: item.keys, Metrics: values });
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
