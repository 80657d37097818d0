// Cost Explorer: one GetCostAndUsage request sequence per account for the whole window (DAILY, four metrics,
// grouped by SERVICE and REGION or LINKED_ACCOUNT). Every page is billed $0.01, so nothing is split further:
// the number of calls is the number of pages CE needs.

import { CollectorError } from '../../core/errors.ts';
import type { CollectContext } from '../../core/source.ts';
import { isoDate } from '../../core/window.ts';
import { focusTime } from '../../core/model.ts';
import type { AwsAccount } from './accounts.ts';
import { awsCall, type AwsClientPool } from './client.ts';
import type { AwsConfig } from './config.ts';
import { accountNamesFromCostExplorer, COST_METRICS, costRecordsFromCostExplorer } from './map.ts';

/** Upper bound on pages per window: a guard against a token that never ends. */
const MAX_PAGES = 10_000;

/** Collects the cost window of one account, streaming each page to the emitter. Returns the pages read. */
export async function collectCosts(context: CollectContext, pool: AwsClientPool, account: AwsAccount, config: AwsConfig): Promise<number> {
  const window = context.costWindow;
  const start = isoDate(window.start);
  const end = isoDate(window.end);
  if (start >= end) return 0;
  const client = pool.costExplorer(account.credentials);
  const accountNames = new Map<string, string>();
  const collectedAt = focusTime(context.now);
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await awsCall(context, 'ce:GetCostAndUsage', (abortSignal) =>
      client.send(new pool.sdk.ce.GetCostAndUsageCommand({
        TimePeriod: { Start: start, End: end },
        Granularity: 'DAILY',
        Metrics: [...COST_METRICS],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }, { Type: 'DIMENSION', Key: config.group_by }],
        ...(token === undefined ? {} : { NextPageToken: token }),
      }), { abortSignal }));
    pages += 1;
    for (const [id, name] of accountNamesFromCostExplorer(page)) accountNames.set(id, name);
    // A day's groups may be split across pages: each group is its own row, so a split day needs no
    // buffering; rows are upserted on their natural key.
    await context.emit.costs(costRecordsFromCostExplorer(page, {
      provider: context.provider,
      billingAccountId: account.accountId,
      billingAccountName: account.name,
      secondDimension: config.group_by,
      accountNames,
      collectedAt,
    }));
    token = page.NextPageToken === '' ? undefined : page.NextPageToken;
    if (pages >= MAX_PAGES && token !== undefined) {
      throw new CollectorError('UPSTREAM_ERROR', `${context.provider}: ce:GetCostAndUsage returned more than ${MAX_PAGES} pages for ${start}..${end}`, { provider: context.provider, operation: 'ce:GetCostAndUsage' });
    }
  } while (token !== undefined);
  return pages;
}
