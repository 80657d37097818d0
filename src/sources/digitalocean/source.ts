// Collects DigitalOcean: sizes (prices, GPU facts), Droplets and GPU Droplets (two lists: a plain list leaves GPU
// Droplets out), the balance and billing history, closed invoices' items and the month-to-date preview as FOCUS
// rows. Each part fails alone (partial run) except a rejected token (HTTP 401), which fails the run.

import { addDecimals } from '../../core/decimal.ts';
import { CollectorError } from '../../core/errors.ts';
import { focusTime } from '../../core/model.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import { startOfUtcMonth, type TimeWindow } from '../../core/window.ts';
import { PartRunner, REJECTED_KEY_IS_FATAL } from '../_common/part-runner.ts';
import { createDigitaloceanClient, type DigitaloceanClient } from './client.ts';
import type { DigitaloceanConfig } from './config.ts';
import {
  billedDroplet,
  billingPeriod,
  costRowsFromInvoiceItems,
  invoiceRemainderRow,
  latestEntry,
  resourceFromAccount,
  resourceFromDroplet,
  upstreamMoney,
  type BilledDroplet,
  type DoBalance,
  type DoBillingHistoryEntry,
  type DoDroplet,
  type DoInvoiceItem,
  type DoInvoiceSummary,
  type DoSize,
  type InvoiceSource,
} from './map.ts';

/** What one run learns and shares between its parts. */
interface RunState {
  context: CollectContext;
  client: DigitaloceanClient;
  seenAt: string;
  sizes: Map<string, DoSize>;
  droplets: Map<string, BilledDroplet>;
}

/** A named part of a run that may fail alone. */
type Part = [name: string, collect: (run: RunState) => Promise<void>];

/** Creates the DigitalOcean source for one provider block. */
export function createDigitaloceanSource(provider: string, config: DigitaloceanConfig): Source {
  return {
    async collect(context: CollectContext): Promise<void> {
      const run: RunState = {
        context,
        client: createDigitaloceanClient(context.http, provider, config),
        seenAt: focusTime(context.now),
        sizes: new Map(),
        droplets: new Map(),
      };
      const parts: Part[] = [
        ['sizes', collectSizes],
        ['droplets', collectDroplets],
        ['account', collectAccount],
        // Between cost intervals the runtime asks for no billing calls.
        ...(context.collectCosts ? [['invoices', collectInvoices] satisfies Part] : []),
      ];
      await new PartRunner(context, { isFatal: REJECTED_KEY_IS_FATAL }).runAll(parts, run);
    },
    async shutdown(): Promise<void> {
      // Nothing to release: the HTTP client belongs to the runtime.
    },
  };
}

async function collectSizes(run: RunState): Promise<void> {
  for await (const page of run.client.pages<{ sizes?: DoSize[] }>('/sizes'))
    for (const size of page.sizes ?? []) run.sizes.set(size.slug, size);
}

/** Both lists: "By default, only non-GPU Droplets are returned"; `type=gpus` lists the GPU ones. */
async function collectDroplets(run: RunState): Promise<void> {
  const { context } = run;
  for (const listedAs of ['droplets', 'gpus'] as const) {
    const query = listedAs === 'gpus' ? { type: 'gpus' } : {};
    for await (const page of run.client.pages<{ droplets?: DoDroplet[] }>('/droplets', query)) {
      const rows = (page.droplets ?? [])
        .filter((droplet) => !run.droplets.has(String(droplet.id)))
        .map((droplet) => resourceFromDroplet(droplet, run.sizes, listedAs, context.provider, run.seenAt));
      for (const row of rows) run.droplets.set(row.resource_id, billedDroplet(row));
      if (rows.length > 0) await context.emit.resources(rows);
    }
  }
}

async function collectAccount(run: RunState): Promise<void> {
  const { context } = run;
  // The balance is read every run (one call) so the account row is always there; the history only with costs.
  const balance = await run.client.get<DoBalance>('/customers/my/balance');
  let lastInvoice: DoBillingHistoryEntry | undefined;
  let lastPayment: DoBillingHistoryEntry | undefined;
  if (context.collectCosts)
    for await (const page of run.client.pages<{ billing_history?: DoBillingHistoryEntry[] }>(
      '/customers/my/billing_history',
    )) {
      lastInvoice = latestEntry(page.billing_history ?? [], 'Invoice', lastInvoice);
      lastPayment = latestEntry(page.billing_history ?? [], 'Payment', lastPayment);
    }
  await context.emit.resources([resourceFromAccount(balance, lastInvoice, lastPayment, context.provider, run.seenAt)]);
}

/**
 * Invoices are monthly, so the window is widened to whole months: every invoice of a month touched is emitted
 * again, and the current month comes from the preview (regenerated daily), which its invoice replaces once issued.
 */
async function collectInvoices(run: RunState): Promise<void> {
  const { context } = run;
  const window: TimeWindow = { start: startOfUtcMonth(context.costWindow.start), end: context.costWindow.end };
  const inWindow = (invoice: DoInvoiceSummary): boolean => {
    const { start } = billingPeriod(invoice.invoice_period);
    return start >= window.start && start < window.end;
  };
  const seen = new Set<string>();
  let preview: DoInvoiceSummary | undefined;
  type InvoicesPage = { invoices?: DoInvoiceSummary[]; invoice_preview?: DoInvoiceSummary };
  for await (const page of run.client.pages<InvoicesPage>('/customers/my/invoices')) {
    preview ??= page.invoice_preview;
    for (const invoice of page.invoices ?? []) {
      if (seen.has(invoice.invoice_uuid) || !inWindow(invoice)) continue;
      seen.add(invoice.invoice_uuid);
      await emitInvoice(run, invoice, 'invoiced', encodeURIComponent(invoice.invoice_uuid));
    }
  }
  // The preview's items are read with the documented `preview` keyword in place of the UUID.
  if (preview?.invoice_uuid && preview.amount !== undefined && inWindow(preview)) {
    try {
      await emitInvoice(run, preview, 'preview', 'preview');
    } catch (error) {
      // An API that does not know the keyword (404) still serves the preview by its UUID; rows keep their keys.
      if (!(error instanceof CollectorError && error.context.status === 404)) throw error;
      await emitInvoice(run, preview, 'preview', encodeURIComponent(preview.invoice_uuid));
    }
  }
  await context.emit.costWindowComplete(window, 'billing_api');
}

/** Streams one invoice's items page by page, then the remainder row when the items fall short of its total. */
async function emitInvoice(
  run: RunState,
  invoice: DoInvoiceSummary,
  state: InvoiceSource['state'],
  pathId: string,
): Promise<void> {
  const { context } = run;
  const source: InvoiceSource = {
    provider: context.provider,
    invoice,
    state,
    collectedAt: focusTime(context.now),
    droplets: run.droplets,
  };
  let index = 0;
  let itemsTotal = '0';
  for await (const page of run.client.pages<{ invoice_items?: DoInvoiceItem[] }>(`/customers/my/invoices/${pathId}`)) {
    const rows = costRowsFromInvoiceItems(page.invoice_items ?? [], index, source);
    index += rows.length;
    if (rows.length === 0) continue;
    itemsTotal = addDecimals(itemsTotal, ...rows.map((row) => row.billed_cost));
    await context.emit.costs(rows);
  }
  upstreamMoney(invoice.amount, `the amount of invoice ${invoice.invoice_uuid}`);
  const remainder = invoiceRemainderRow(itemsTotal, source);
  if (remainder) {
    context.log.warn(
      { provider: context.provider, invoice: invoice.invoice_uuid, remainder: remainder.billed_cost },
      'digitalocean invoice items do not add up to the invoice total: the difference is a remainder row',
    );
    await context.emit.costs([remainder]);
  }
}
