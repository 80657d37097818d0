// Cost Explorer: one GetCostAndUsage request sequence per account for the whole window (DAILY, four metrics,
// grouped by SERVICE and REGION or LINKED_ACCOUNT). Every page is billed $0.01, so nothing is split further:
// the number of calls is the number of pages CE needs. With `resource_costs`, the EC2 compute rows of the
// last 14 days are held back (a few hundred at most) and replaced by per-resource rows plus a residual row
// each, which add up exactly to the row they replace (see collect-resource-costs.ts).

import { CollectorError, toCollectorError } from '../../core/errors.ts';
import type { CostRecord } from '../../core/model.ts';
import type { CollectContext } from '../../core/source.ts';
import { isoDate } from '../../core/window.ts';
import { focusTime } from '../../core/model.ts';
import type { AwsAccount } from './accounts.ts';
import { awsCall, type AwsClientPool } from './client.ts';
import type { AwsConfig } from './config.ts';
import {
  collectResourceCosts,
  explainResourceCostFailure,
  inDayRange,
  resourceCostDays,
  type DayRange,
} from './collect-resource-costs.ts';
import { accountNamesFromCostExplorer, COST_METRICS, costRecordsFromCostExplorer } from './map.ts';
import {
  RESOURCE_COST_SERVICE,
  residualCostRecord,
  splitKeyOf,
  type KnownInstance,
  type ResourceCostTotals,
} from './map-resource-costs.ts';

/** Upper bound on pages per window: a guard against a token that never ends. */
const MAX_PAGES = 10_000;

/**
 * Windows starting more than this many months back start on the 1st of their month: Cost Explorer rejects
 * "data beyond the past 14 months" otherwise (README, Simulator); one month below 14 is margin, as the exact
 * boundary is not documented.
 */
export const FIRST_OF_MONTH_AFTER_MONTHS = 13;

/**
 * The `TimePeriod.Start` to ask for: the window's first day, moved back to the 1st of its month when it lies
 * more than 13 months before `now`. The extra days are real rows, upserted like any other.
 */
export function costExplorerStart(windowStart: Date, now: Date): string {
  const horizon = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - FIRST_OF_MONTH_AFTER_MONTHS, now.getUTCDate());
  if (windowStart.getTime() >= horizon) return isoDate(windowStart);
  return isoDate(new Date(Date.UTC(windowStart.getUTCFullYear(), windowStart.getUTCMonth(), 1)));
}

/**
 * Collects the cost window of one account, streaming each page to the emitter. Returns the pages read.
 * `instances` (this run's EC2 inventory) gives resource-level rows their GPU model and count.
 */
export async function collectCosts(
  context: CollectContext,
  pool: AwsClientPool,
  account: AwsAccount,
  config: AwsConfig,
  instances: ReadonlyMap<string, KnownInstance> = new Map(),
): Promise<number> {
  const window = context.costWindow;
  const start = costExplorerStart(window.start, context.now);
  const end = isoDate(window.end);
  if (start >= end) return 0;
  const client = pool.costExplorer(account.credentials);
  const accountNames = new Map<string, string>();
  const collectedAt = focusTime(context.now);
  const resourceDays = config.resource_costs ? resourceCostDays(window, context.now) : undefined;
  // EC2 compute rows of the days resource-level data covers, by splitKeyOf: replaced by resource + residual rows.
  const heldBack = new Map<string, CostRecord>();
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await awsCall(context, 'ce:GetCostAndUsage', (abortSignal) =>
      client.send(
        new pool.sdk.ce.GetCostAndUsageCommand({
          TimePeriod: { Start: start, End: end },
          Granularity: 'DAILY',
          Metrics: [...COST_METRICS],
          GroupBy: [
            { Type: 'DIMENSION', Key: 'SERVICE' },
            { Type: 'DIMENSION', Key: config.group_by },
          ],
          ...(token === undefined ? {} : { NextPageToken: token }),
        }),
        { abortSignal },
      ),
    );
    pages += 1;
    for (const [id, name] of accountNamesFromCostExplorer(page)) accountNames.set(id, name);
    // A day's groups may be split across pages: each group is its own row, so a split day needs no
    // buffering; rows are upserted on their natural key.
    const rows = costRecordsFromCostExplorer(page, {
      provider: context.provider,
      billingAccountId: account.accountId,
      billingAccountName: account.name,
      secondDimension: config.group_by,
      accountNames,
      collectedAt,
    });
    await context.emit.costs(
      resourceDays === undefined
        ? rows
        : rows.filter((row) => {
            if (row.service_name !== RESOURCE_COST_SERVICE || !inDayRange(row.charge_period_start, resourceDays))
              return true;
            heldBack.set(splitKeyOf(row, config.group_by), row);
            return false;
          }),
    );
    token = page.NextPageToken === '' ? undefined : page.NextPageToken;
    if (pages >= MAX_PAGES && token !== undefined) {
      throw new CollectorError(
        'UPSTREAM_ERROR',
        `${context.provider}: ce:GetCostAndUsage returned more than ${MAX_PAGES} pages for ${start}..${end}`,
        { provider: context.provider, operation: 'ce:GetCostAndUsage' },
      );
    }
  } while (token !== undefined);
  // No EC2 compute cost in those days: nothing to split, and a request saved ($0.01).
  if (resourceDays !== undefined && heldBack.size > 0)
    await splitByResource(context, pool, account, config, {
      days: resourceDays,
      heldBack,
      instances,
      accountNames,
      collectedAt,
    });
  return pages;
}

/**
 * Reads the resource-level slice, then emits one residual row per held-back service-level row (service total
 * minus the resource rows emitted for it). A failed read becomes a partial; the residuals then carry whatever
 * was not emitted per resource, so the day's total is exact either way and nothing is counted twice.
 */
async function splitByResource(
  context: CollectContext,
  pool: AwsClientPool,
  account: AwsAccount,
  config: AwsConfig,
  split: {
    days: DayRange;
    heldBack: Map<string, CostRecord>;
    instances: ReadonlyMap<string, KnownInstance>;
    accountNames: Map<string, string>;
    collectedAt: string;
  },
): Promise<void> {
  const totals = new Map<string, ResourceCostTotals>();
  let failure: CollectorError | undefined;
  try {
    const pages = await collectResourceCosts(context, pool, account, config, {
      days: split.days,
      instances: split.instances,
      accountNames: split.accountNames,
      collectedAt: split.collectedAt,
      totals,
    });
    context.log.debug(
      { provider: context.provider, account: account.accountId, pages, days: split.days },
      'Cost Explorer resource-level slice collected',
    );
  } catch (thrown) {
    failure = toCollectorError(thrown, { provider: context.provider });
  }
  const residuals = [...split.heldBack].map(([key, row]) => residualCostRecord(row, totals.get(key)));
  for (const [key, sums] of totals) if (!split.heldBack.has(key)) residuals.push(residualCostRecord(undefined, sums));
  if (residuals.length > 0) await context.emit.costs(residuals);
  if (failure === undefined) return;
  if (failure.code === 'CANCELLED' || context.signal.aborted) throw failure;
  context.emit.partial(explainResourceCostFailure(failure, account, split.days, context.provider));
}
