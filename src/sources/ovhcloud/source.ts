// Collects one OVHcloud Public Cloud project: flavors (GPU facts), instances, and costs from three views that
// never overlap: invoices (`/me/bill` + details) for months already billed, project usage history for past months
// not billed yet, project usage current for the running month. Each part fails alone (partial run), except a
// rejected signature or credential, or a refused clock, which fail the run.

import { focusTime } from '../../core/model.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import { startOfUtcMonth, type TimeWindow } from '../../core/window.ts';
import { PartRunner } from '../_common/part-runner.ts';
import { createOvhClient, isFatalOvhError, type OvhClient } from './client.ts';
import type { OvhConfig } from './config.ts';
import {
  costRowsFromBill,
  costRowsFromUsage,
  monthOf,
  resourceFromInstance,
  type BilledInstance,
  type OvhBill,
  type OvhBillDetail,
  type OvhFlavor,
  type OvhInstance,
  type OvhUsage,
  type OvhUsageHistory,
} from './map.ts';

/** What one run learns and shares between its parts. */
interface RunState {
  context: CollectContext;
  client: OvhClient;
  project: string;
  seenAt: string;
  window: TimeWindow;
  flavors: Map<string, OvhFlavor>;
  instances: Map<string, BilledInstance>;
  currency: string | undefined;
  /** Months (`YYYY-MM`) of this project's usage already on a bill: usage history skips them. */
  billedMonths: Set<string>;
  currentFrom: string | undefined;
}

type Part = [name: string, collect: (run: RunState) => Promise<void>];

/** Creates the OVHcloud source for one provider block. */
export function createOvhSource(provider: string, config: OvhConfig): Source {
  return {
    async collect(context: CollectContext): Promise<void> {
      const project = config.project_id;
      const run: RunState = {
        context,
        // One client per run: the clock offset is measured once per run.
        client: createOvhClient(context.http, provider, config),
        project,
        seenAt: focusTime(context.now),
        window: { start: startOfUtcMonth(context.costWindow.start), end: context.costWindow.end },
        flavors: new Map(),
        instances: new Map(),
        currency: undefined,
        billedMonths: new Set(),
        currentFrom: undefined,
      };
      const costParts: Part[] = [
        ['account', collectAccount],
        ['bills', collectBills],
        ['usage current', collectUsageCurrent],
        ['usage history', collectUsageHistory],
      ];
      const runner = new PartRunner(context, { isFatal: isFatalOvhError });
      await runner.runAll(
        [
          ['flavors', collectFlavors],
          ['instances', collectInstances],
        ] as Part[],
        run,
      );
      if (!context.collectCosts) return;
      const failuresBefore = runner.failures.length;
      await runner.runAll(costParts, run);
      if (runner.failures.length === failuresBefore) await context.emit.costWindowComplete(run.window, 'billing_api');
    },
    async shutdown(): Promise<void> {
      // Nothing to release: the HTTP client belongs to the runtime.
    },
  };
}

const projectPath = (run: RunState, rest: string): string => `/cloud/project/${encodeURIComponent(run.project)}${rest}`;

async function collectFlavors(run: RunState): Promise<void> {
  const flavors = await run.client.get<OvhFlavor[]>(projectPath(run, '/flavor'));
  for (const flavor of flavors) run.flavors.set(flavor.id, flavor);
}

async function collectInstances(run: RunState): Promise<void> {
  const { context } = run;
  const instances = await run.client.get<OvhInstance[]>(projectPath(run, '/instance'));
  const rows = instances.map((instance) =>
    resourceFromInstance(instance, run.flavors.get(instance.flavorId), context.provider, run.project, run.seenAt),
  );
  for (const row of rows) {
    run.instances.set(row.resource_id, {
      name: row.resource_name ?? row.resource_id,
      gpuModel: row.gpu_model,
      gpuCount: row.gpu_count,
    });
  }
  await context.emit.resources(rows);
}

async function collectAccount(run: RunState): Promise<void> {
  // Usage amounts are plain numbers: the account's currency is what they are in.
  const me = await run.client.get<{ currency?: { code?: string } }>('/me');
  run.currency = me.currency?.code || undefined;
}

async function collectBills(run: RunState): Promise<void> {
  const { context, client } = run;
  // Always bounded by date: an unbounded /me/bill is every bill of the account, one call each.
  const ids = await client.get<string[]>('/me/bill', {
    'date.from': run.window.start.toISOString(),
    'date.to': run.window.end.toISOString(),
  });
  const bills = await client.details<OvhBill>(ids, (id) => `/me/bill/${encodeURIComponent(id)}`);
  for (const bill of bills) {
    const path = `/me/bill/${encodeURIComponent(bill.billId)}/details`;
    const detailIds = await client.get<string[]>(path);
    const details = await client.details<OvhBillDetail>(detailIds, (id) => `${path}/${encodeURIComponent(id)}`);
    for (const detail of details) {
      if (detail.domain === run.project && detail.periodStart) run.billedMonths.add(monthOf(detail.periodStart));
    }
    const rows = costRowsFromBill(bill, details, {
      provider: context.provider,
      collectedAt: run.seenAt,
      instances: run.instances,
    });
    if (rows.length > 0) await context.emit.costs(rows);
  }
}

function usageSource(run: RunState, usageId: string) {
  if (!run.currency) {
    throw new Error('the account currency is unknown (GET /me failed), so usage amounts cannot be stored');
  }
  return {
    provider: run.context.provider,
    projectId: run.project,
    currency: run.currency,
    collectedAt: run.seenAt,
    usageId,
    instances: run.instances,
  };
}

async function collectUsageCurrent(run: RunState): Promise<void> {
  const usage = await run.client.get<OvhUsage>(projectPath(run, '/usage/current'));
  run.currentFrom = usage.period.from;
  const rows = costRowsFromUsage(usage, usageSource(run, 'current'));
  if (rows.length > 0) await run.context.emit.costs(rows);
}

async function collectUsageHistory(run: RunState): Promise<void> {
  const { client, context } = run;
  const entries = await client.get<OvhUsageHistory[]>(projectPath(run, '/usage/history'), {
    from: run.window.start.toISOString(),
    to: run.window.end.toISOString(),
  });
  const current = run.currentFrom === undefined ? undefined : Date.parse(run.currentFrom);
  const wanted = entries.filter((entry) => {
    const from = Date.parse(entry.period.from);
    const month = monthOf(entry.period.from);
    return (
      from < run.window.end.getTime() &&
      Date.parse(entry.period.to) > run.window.start.getTime() &&
      (current === undefined || from < current) &&
      !run.billedMonths.has(month)
    );
  });
  context.log.debug(
    { provider: context.provider, entries: entries.length, unbilled: wanted.length },
    'ovhcloud usage history read',
  );
  const details = await client.details<OvhUsage>(
    wanted.map((entry) => entry.id),
    (id) => projectPath(run, `/usage/history/${encodeURIComponent(id)}`),
  );
  for (const [index, usage] of details.entries()) {
    const rows = costRowsFromUsage(usage, usageSource(run, wanted[index]?.id ?? String(index)));
    if (rows.length > 0) await context.emit.costs(rows);
  }
}
