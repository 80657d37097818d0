// Collects Vultr: plans (GPU facts and prices), instances and bare metal joined to them, the account and
// billing history, invoice items and month-to-date pending charges as FOCUS rows. Each part fails alone
// (partial run) except a rejected key (HTTP 401), which fails the run.

import { focusTime, type ResourceRecord } from '../../core/model.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import { PartRunner, REJECTED_KEY_IS_FATAL } from '../_common/part-runner.ts';
import { startOfUtcMonth, type TimeWindow } from '../../core/window.ts';
import { createVultrClient, type VultrClient } from './client.ts';
import type { VultrConfig } from './config.ts';
import {
  costRowsFromBillingLines,
  factsFromMetalPlan,
  factsFromPlan,
  inferenceTags,
  resourceFromAccount,
  resourceFromBareMetal,
  resourceFromInstance,
  type BilledResource,
  type PlanFacts,
  type VultrAccount,
  type VultrBareMetal,
  type VultrBillingHistoryEntry,
  type VultrInstance,
  type VultrInvoice,
  type VultrInvoiceItem,
  type VultrMetalPlan,
  type VultrPlan,
} from './map.ts';

/** What one run learns and shares between its parts. */
interface RunState {
  context: CollectContext;
  client: VultrClient;
  seenAt: string;
  plans: Map<string, PlanFacts>;
  resourcesByLabel: Map<string, BilledResource[]>;
  accountName: string | null;
}

/** A named part of a run that may fail alone. */
type Part = [name: string, collect: (run: RunState) => Promise<void>];

/** Creates the Vultr source for one provider block. */
export function createVultrSource(provider: string, config: VultrConfig): Source {
  return {
    async collect(context: CollectContext): Promise<void> {
      const run: RunState = {
        context,
        client: createVultrClient(context.http, provider, config),
        seenAt: focusTime(context.now),
        plans: new Map(),
        resourcesByLabel: new Map(),
        accountName: null,
      };
      const parts: Part[] = [
        ['plans', collectPlans],
        ['instances', collectInstances],
        ['bare metal', collectBareMetal],
        ['account', collectAccount],
        // Between cost intervals the runtime asks for no billing calls.
        ...(context.collectCosts ? [['billing', collectBilling] satisfies Part] : []),
      ];
      await new PartRunner(context, { isFatal: REJECTED_KEY_IS_FATAL }).runAll(parts, run);
    },
    async shutdown(): Promise<void> {
      // Nothing to release: the HTTP client belongs to the runtime.
    },
  };
}

async function collectPlans(run: RunState): Promise<void> {
  // `type=all` has been seen to leave out cloud GPU plans, so ask for `vcg` as well.
  for (const type of ['all', 'vcg']) {
    for await (const page of run.client.pages<VultrPlan>('/plans', 'plans', { type })) {
      for (const plan of page) run.plans.set(plan.id, factsFromPlan(plan, run.context.provider));
    }
  }
  for await (const page of run.client.pages<VultrMetalPlan>('/plans-metal', 'plans_metal')) {
    for (const plan of page) run.plans.set(plan.id, factsFromMetalPlan(plan, run.context.provider));
  }
}

async function collectInstances(run: RunState): Promise<void> {
  const { context } = run;
  for await (const page of run.client.pages<VultrInstance>('/instances', 'instances')) {
    const rows = page.map((instance) =>
      resourceFromInstance(instance, run.plans.get(instance.plan), context.provider, run.seenAt),
    );
    for (const row of rows) remember(run, row.resource_name, billedResource(row));
    await context.emit.resources(rows);
  }
}

async function collectBareMetal(run: RunState): Promise<void> {
  const { context } = run;
  for await (const page of run.client.pages<VultrBareMetal>('/bare-metals', 'bare_metals')) {
    const rows = page.map((server) =>
      resourceFromBareMetal(server, run.plans.get(server.plan), context.provider, run.seenAt),
    );
    for (const row of rows) remember(run, row.resource_name, billedResource(row));
    await context.emit.resources(rows);
  }
}

/** What a billing line needs to know about an inventory row. */
function billedResource(row: ResourceRecord): BilledResource {
  return {
    resource_id: row.resource_id,
    resource_name: row.resource_name,
    resource_type: row.resource_type,
    region_id: row.region_id,
    plan: row.instance_type ?? '',
    gpu_model: row.gpu_model,
    gpu_count: row.gpu_count,
    inferred: inferenceTags(row.tags),
  };
}

/** Indexes a resource by its label for the billing lines; a label may be held by several resources. */
function remember(run: RunState, label: string | null, resource: BilledResource): void {
  if (!label) return;
  const holders = run.resourcesByLabel.get(label);
  if (holders) holders.push(resource);
  else run.resourcesByLabel.set(label, [resource]);
}

async function collectAccount(run: RunState): Promise<void> {
  const { context } = run;
  const { account } = await run.client.get<{ account: VultrAccount }>('/account');
  run.accountName = account.name || account.email || null;
  let lastInvoice: VultrBillingHistoryEntry | undefined;
  let entries = 0;
  const history = context.collectCosts
    ? run.client.pages<VultrBillingHistoryEntry>('/billing/history', 'billing_history')
    : [];
  for await (const page of history) {
    entries += page.length;
    for (const entry of page) {
      if (
        entry.type === 'invoice' &&
        (lastInvoice === undefined || Date.parse(entry.date) > Date.parse(lastInvoice.date))
      )
        lastInvoice = entry;
    }
  }
  context.log.debug({ entries }, 'vultr billing history read');
  await context.emit.resources([resourceFromAccount(account, lastInvoice, context.provider, run.seenAt)]);
}

/**
 * Vultr invoices monthly, so the window is widened to whole months: every line of each month touched is
 * re-emitted, and last month's pending lines are replaced by its invoice lines once it is invoiced.
 */
async function collectBilling(run: RunState): Promise<void> {
  const { context } = run;
  const window: TimeWindow = { start: startOfUtcMonth(context.costWindow.start), end: context.costWindow.end };
  const inWindow = (item: VultrInvoiceItem): boolean => {
    const start = Date.parse(item.start_date);
    return start >= window.start.getTime() && start < window.end.getTime();
  };
  const shared = {
    provider: context.provider,
    accountName: run.accountName,
    collectedAt: focusTime(context.now),
    resourcesByLabel: run.resourcesByLabel,
  };
  for await (const invoices of run.client.pages<VultrInvoice>('/billing/invoices', 'billing_invoices')) {
    for (const invoice of invoices) {
      // An invoice is dated after the month it bills: older ones cannot hold lines inside the window.
      if (Date.parse(invoice.date) < window.start.getTime()) continue;
      const invoiceId = String(invoice.id);
      const lines: VultrInvoiceItem[] = [];
      for await (const items of run.client.pages<VultrInvoiceItem>(
        `/billing/invoices/${encodeURIComponent(invoiceId)}/items`,
        'invoice_items',
      ))
        lines.push(...items);
      // Rows are numbered over the whole invoice so each line keeps its key whatever the window.
      const rows = costRowsFromBillingLines(lines, { ...shared, kind: 'invoice', invoiceId }).filter((_, index) =>
        inWindow(lines[index] as VultrInvoiceItem),
      );
      if (rows.length > 0) await context.emit.costs(rows);
    }
  }
  const pending: VultrInvoiceItem[] = [];
  for await (const items of run.client.pages<VultrInvoiceItem>('/billing/pending-charges', 'pending_charges'))
    pending.push(...items);
  const pendingRows = costRowsFromBillingLines(pending, { ...shared, kind: 'pending' }).filter((_, index) =>
    inWindow(pending[index] as VultrInvoiceItem),
  );
  if (pendingRows.length > 0) await context.emit.costs(pendingRows);
  await context.emit.costWindowComplete(window, 'billing_api');
}
