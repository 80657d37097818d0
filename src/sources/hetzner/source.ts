// Collects a Hetzner Cloud project: the price list, server types, servers, primary IPs and volumes (inventory), and
// derives their cost with Hetzner's billing rule (no billing API exists). Each part fails alone (partial run) except
// a rejected token (HTTP 401), which fails the run. Cost rows carry net amounts; VAT goes to tags.

import { CollectorError } from '../../core/errors.ts';
import type { CollectContext, Emitter, Source } from '../../core/source.ts';
import { PartRunner, REJECTED_KEY_IS_FATAL } from '../_common/part-runner.ts';
import {
  createDerivedCostTracker,
  HETZNER_BILLING_RULE,
  withOverrides,
  type BillingRule,
  type DerivedCostTracker,
} from '../_common/derived-cost/index.ts';
import { createHetznerClient, type HetznerClient } from './client.ts';
import type { HetznerConfig } from './config.ts';
import {
  observationFromPrimaryIp,
  observationFromServer,
  observationFromVolume,
  resourceFromPrimaryIp,
  resourceFromServer,
  resourceFromVolume,
  withVat,
  type HetznerPricing,
  type HetznerPrimaryIp,
  type HetznerServer,
  type HetznerServerType,
  type HetznerVolume,
} from './map.ts';

/** What one run learns and shares between its parts. */
interface RunState {
  context: CollectContext;
  client: HetznerClient;
  pricing: HetznerPricing | undefined;
  serverTypes: Map<string, HetznerServerType>;
  /** Derives cost only when the price list was read (it gives the currency, VAT and IP/volume prices). */
  tracker: DerivedCostTracker | undefined;
  listingsComplete: boolean;
}

type Part = [name: string, collect: (run: RunState) => Promise<void>];

/** Creates the Hetzner source for one provider key. */
export function createHetznerSource(provider: string, config: HetznerConfig): Source {
  const rule = withOverrides(HETZNER_BILLING_RULE, config);
  return {
    async collect(context: CollectContext): Promise<void> {
      const run: RunState = {
        context,
        client: createHetznerClient(context.http, provider, config),
        pricing: undefined,
        serverTypes: new Map(),
        tracker: undefined,
        listingsComplete: true,
      };
      const listing =
        (collect: (run: RunState) => Promise<void>) =>
        async (state: RunState): Promise<void> => {
          try {
            await collect(state);
          } catch (error) {
            state.listingsComplete = false;
            throw error;
          }
        };
      const parts: Part[] = [
        ['pricing', (state) => collectPricing(state, rule)],
        ['server types', collectServerTypes],
        ['servers', listing(collectServers)],
        ['primary IPs', listing(collectPrimaryIps)],
        ['volumes', listing(collectVolumes)],
        ['derived cost', finishCosts],
      ];
      await new PartRunner(context, { isFatal: REJECTED_KEY_IS_FATAL }).runAll(parts, run);
    },
    async shutdown(): Promise<void> {
      // Nothing to release: the HTTP client belongs to the runtime.
    },
  };
}

async function collectPricing(run: RunState, rule: BillingRule): Promise<void> {
  const { pricing } = await run.client.get<{ pricing: HetznerPricing }>('/pricing');
  run.pricing = pricing;
  const { context } = run;
  // Derived rows keep the net amount in billed_cost; withVat adds the VAT columns as tags.
  const emit: Emitter = {
    costs: (rows) => context.emit.costs(rows.map((row) => withVat(row, pricing.vat_rate))),
    resources: (rows) => context.emit.resources(rows),
    metrics: (samples) => context.emit.metrics(samples),
    costWindowComplete: (window, costSource) => context.emit.costWindowComplete(window, costSource),
    partial: (error, streams) => context.emit.partial(error, streams),
    countCall: (operation, count) => context.emit.countCall(operation, count),
    dropped: (reason, count) => context.emit.dropped(reason, count),
  };
  run.tracker = createDerivedCostTracker({ ...context, emit }, rule, {
    provider: context.provider,
    providerName: 'Hetzner',
    serviceName: 'Hetzner Cloud',
    billingAccountId: context.provider,
    billingAccountName: null,
    currency: pricing.currency,
    costSource: 'derived',
  });
}

async function collectServerTypes(run: RunState): Promise<void> {
  for await (const page of run.client.pages<HetznerServerType>('/server_types', 'server_types')) {
    for (const type of page) run.serverTypes.set(type.name, type);
  }
}

/** A server's type with prices: the embedded one, completed from `/server_types` when it lacks prices. */
function withTypePrices(server: HetznerServer, types: ReadonlyMap<string, HetznerServerType>): HetznerServer {
  const embedded = server.server_type;
  const listed = embedded ? types.get(embedded.name) : undefined;
  if (!embedded || embedded.prices?.length || !listed) return server;
  return { ...server, server_type: { ...listed, ...embedded, prices: listed.prices ?? [] } };
}

async function collectServers(run: RunState): Promise<void> {
  const { context } = run;
  for await (const page of run.client.pages<HetznerServer>('/servers', 'servers')) {
    const servers = page.map((server) => withTypePrices(server, run.serverTypes));
    await context.emit.resources(
      servers.map((server) =>
        resourceFromServer(server, context.provider, context.now, run.pricing?.currency ?? null, run.pricing),
      ),
    );
    await run.tracker?.observe(servers.map((server) => observationFromServer(server, run.pricing)));
  }
}

async function collectPrimaryIps(run: RunState): Promise<void> {
  const { context, pricing } = run;
  for await (const page of run.client.pages<HetznerPrimaryIp>('/primary_ips', 'primary_ips')) {
    await context.emit.resources(page.map((ip) => resourceFromPrimaryIp(ip, context.provider, context.now, pricing)));
    if (pricing) await run.tracker?.observe(page.map((ip) => observationFromPrimaryIp(ip, pricing)));
  }
}

async function collectVolumes(run: RunState): Promise<void> {
  const { context, pricing } = run;
  for await (const page of run.client.pages<HetznerVolume>('/volumes', 'volumes')) {
    await context.emit.resources(
      page.map((volume) => resourceFromVolume(volume, context.provider, context.now, pricing)),
    );
    if (pricing) await run.tracker?.observe(page.map((volume) => observationFromVolume(volume, pricing)));
  }
}

async function finishCosts(run: RunState): Promise<void> {
  if (!run.context.collectCosts) return;
  if (!run.tracker) {
    throw new CollectorError(
      'UPSTREAM_ERROR',
      `${run.context.provider}: no derived cost this run: the price list (GET /pricing) could not be read`,
      { provider: run.context.provider },
    );
  }
  // A failed listing marks nothing gone: a resource missing from a partial list may still exist (and bill).
  await run.tracker.finish({ listingComplete: run.listingsComplete });
}
