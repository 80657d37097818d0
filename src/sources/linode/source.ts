// Collects Linode: types (GPU facts, region prices), instances joined to them, the account (balance, uninvoiced
// total), invoices and their items as FOCUS rows. Each part fails alone (partial run) except a rejected token
// (HTTP 401), which fails the run.

import { focusTime } from '../../core/model.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import { startOfUtcMonth, type TimeWindow } from '../../core/window.ts';
import { PartRunner, REJECTED_KEY_IS_FATAL } from '../_common/part-runner.ts';
import { createLinodeClient, type LinodeClient } from './client.ts';
import type { LinodeConfig } from './config.ts';
import {
  costRowFromUninvoiced,
  costRowsFromInvoice,
  factsFromType,
  parseLinodeTime,
  resourceFromAccount,
  resourceFromInstance,
  type BilledResource,
  type LinodeAccount,
  type LinodeInstance,
  type LinodeInvoice,
  type LinodeInvoiceItem,
  type LinodeType,
  type TypeFacts,
} from './map.ts';

/** What one run learns and shares between its parts. */
interface RunState {
  context: CollectContext;
  client: LinodeClient;
  seenAt: string;
  types: Map<string, TypeFacts>;
  byLabel: Map<string, BilledResource[]>;
  byId: Map<string, BilledResource>;
  account: LinodeAccount | null;
  lastInvoice: LinodeInvoice | undefined;
}

/** A named part of a run that may fail alone. */
type Part = [name: string, collect: (run: RunState) => Promise<void>];

/** Creates the Linode source for one provider block. */
export function createLinodeSource(provider: string, config: LinodeConfig): Source {
  return {
    async collect(context: CollectContext): Promise<void> {
      const run: RunState = {
        context,
        client: createLinodeClient(context.http, provider, config),
        seenAt: focusTime(context.now),
        types: new Map(),
        byLabel: new Map(),
        byId: new Map(),
        account: null,
        lastInvoice: undefined,
      };
      const parts: Part[] = [
        ['types', collectTypes],
        ['instances', collectInstances],
        // Between cost intervals the runtime asks for no billing calls.
        ...(context.collectCosts ? [['invoices', collectInvoices] satisfies Part] : []),
        ['account', collectAccount],
      ];
      await new PartRunner(context, { isFatal: REJECTED_KEY_IS_FATAL }).runAll(parts, run);
    },
    async shutdown(): Promise<void> {
      // Nothing to release: the HTTP client belongs to the runtime.
    },
  };
}

async function collectTypes(run: RunState): Promise<void> {
  for await (const page of run.client.pages<LinodeType>('/linode/types'))
    for (const type of page) run.types.set(type.id, factsFromType(type));
}

async function collectInstances(run: RunState): Promise<void> {
  const { context } = run;
  for await (const page of run.client.pages<LinodeInstance>('/linode/instances')) {
    const rows = page.map((instance) =>
      resourceFromInstance(instance, run.types.get(instance.type ?? ''), context.provider, run.seenAt),
    );
    for (const row of rows) {
      const billed: BilledResource = {
        resource_id: row.resource_id,
        resource_name: row.resource_name,
        region_id: row.region_id,
        instance_type: row.instance_type ?? null,
        gpu_model: row.gpu_model,
        gpu_count: row.gpu_count,
      };
      run.byId.set(row.resource_id, billed);
      if (!row.resource_name) continue;
      const holders = run.byLabel.get(row.resource_name);
      if (holders) holders.push(billed);
      else run.byLabel.set(row.resource_name, [billed]);
    }
    await context.emit.resources(rows);
  }
}

/** The account row; runs after the invoices so it can name the newest one without listing them twice. */
async function collectAccount(run: RunState): Promise<void> {
  const { context } = run;
  run.account ??= await run.client.get<LinodeAccount>('/account');
  await context.emit.resources([resourceFromAccount(run.account, run.lastInvoice, context.provider, run.seenAt)]);
}

const timeOf = (text: string): number => parseLinodeTime(text)?.getTime() ?? 0;

/**
 * Linode invoices monthly (dated the 1st, for the month before), so the window is widened to whole months and
 * every invoice dated inside it is re-emitted whole: its rows reconcile to its total. The uninvoiced month to
 * date is one pending row, replaced by the invoice's rows once the month is invoiced.
 */
async function collectInvoices(run: RunState): Promise<void> {
  const { context } = run;
  const account = await run.client.get<LinodeAccount>('/account');
  run.account = account;
  const window: TimeWindow = { start: startOfUtcMonth(context.costWindow.start), end: context.costWindow.end };
  const source = {
    provider: context.provider,
    accountName: account.company || account.email || null,
    collectedAt: focusTime(context.now),
    resources: { byLabel: run.byLabel, byId: run.byId },
  };
  for await (const invoices of run.client.pages<LinodeInvoice>('/account/invoices')) {
    for (const invoice of invoices) {
      if (run.lastInvoice === undefined || timeOf(invoice.date) > timeOf(run.lastInvoice.date))
        run.lastInvoice = invoice;
      // Dated after the month it bills: an invoice dated before the window holds no line inside it.
      if (timeOf(invoice.date) < window.start.getTime()) continue;
      const items: LinodeInvoiceItem[] = [];
      for await (const page of run.client.pages<LinodeInvoiceItem>(`/account/invoices/${invoice.id}/items`))
        items.push(...page);
      const rows = costRowsFromInvoice(invoice, items, source);
      if (rows.length > 0) await context.emit.costs(rows);
    }
  }
  const pending = costRowFromUninvoiced(account, context.now, context.provider, focusTime(context.now));
  if (pending) await context.emit.costs([pending]);
  await context.emit.costWindowComplete(window, 'billing_api');
}
