// Test fixtures for service mode: a small JSON API adapter (`sim_json`) with its simulated upstream, so the
// scheduler, the API and the fault tests always have one JSON provider even before others are registered,
// and helpers that build a validated configuration from provider blocks.

import { stringify } from 'yaml';
import * as s from '../src/core/config/schema.ts';
import { loadConfigText } from '../src/core/config/load.ts';
import type { AppConfig } from '../src/core/config/types.ts';
import { CollectorError } from '../src/core/errors.ts';
import type { CostRecord } from '../src/core/model.ts';
import { focusTime } from '../src/core/model.ts';
import type { SourceFactory } from '../src/core/source.ts';
import { createRegistry, type Registry } from '../src/core/registry.ts';
import { startSimServer, type SimRequest } from '../src/simulator/server.ts';
import type { SimulatedProvider } from '../src/simulator/provider.ts';
import { parseJsonBody } from '../src/core/http.ts';
import { SOURCE_FACTORIES } from '../src/sources/index.ts';
import { startOfUtcDay } from '../src/core/window.ts';

/** The API key the sim_json upstream accepts (a seeded secret: it must never leak). */
export const SIM_JSON_API_KEY = 'simjson-SECRET-7f3c9a1e5b';

interface SimInstance {
  id: string;
  name: string;
  load: number;
}

/** A JSON API adapter: instances (inventory + one sample each) and, on cost runs, daily charges. */
export const simJsonFactory: SourceFactory = {
  type: 'sim_json',
  role: 'adapter',
  description: 'test adapter for a JSON API',
  collects: ['inventory', 'metrics', 'cost'],
  configSchema: s.object({ api_key: s.string({ secret: true, required: true, nonEmpty: true }) }),
  create: ({ provider, config }) => ({
    async collect(context) {
      const base = String(config.base_url);
      const headers = { authorization: `Bearer ${String(config.api_key)}` };
      const instances = await context.http.request(
        { url: `${base}/v1/instances`, headers, operation: 'instances' },
        (response) => parseJsonBody<{ instances: SimInstance[] }>(response, provider).instances,
      );
      if (!Array.isArray(instances))
        throw new CollectorError('RESPONSE_MALFORMED', `${provider}: /v1/instances has no instances list`, {
          provider,
        });
      const seen = focusTime(context.now);
      await context.emit.resources(
        instances.map((instance) => ({
          provider,
          resource_id: instance.id,
          resource_name: instance.name,
          resource_type: 'instance',
          region_id: 'sim-1',
          status: 'running',
          instance_type: null,
          gpu_model: null,
          gpu_count: null,
          vcpus: null,
          memory_bytes: null,
          price_per_hour: '0.1',
          currency: 'USD',
          tags: null,
          last_seen_at: seen,
        })),
      );
      await context.emit.metrics(
        instances.map((instance) => ({
          ts: context.now.toISOString(),
          provider,
          name: 'sim.instance.load',
          category: 'resource',
          value: instance.load,
          unit: '1',
          resource_id: instance.id,
          labels: { instance: instance.name },
        })),
      );
      if (!context.collectCosts) return;
      const charges = await context.http.request(
        { url: `${base}/v1/charges`, headers, operation: 'charges' },
        (response) =>
          parseJsonBody<{ charges: Array<{ instance: string; amount: string }> }>(response, provider).charges,
      );
      const day = startOfUtcDay(context.now);
      await context.emit.costs(charges.map((charge) => simCostRow(provider, charge.instance, charge.amount, day)));
      await context.emit.costWindowComplete(context.costWindow, 'billing_api');
    },
    async shutdown() {},
  }),
};

function simCostRow(provider: string, resourceId: string, amount: string, day: Date): CostRecord {
  const start = focusTime(day);
  const end = focusTime(new Date(day.getTime() + 86_400_000));
  const month = focusTime(new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1)));
  const nextMonth = focusTime(new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1)));
  return {
    billed_cost: amount,
    effective_cost: amount,
    list_cost: amount,
    contracted_cost: amount,
    billing_account_id: 'acct-1',
    billing_account_name: null,
    billing_currency: 'USD',
    billing_period_start: month,
    billing_period_end: nextMonth,
    charge_period_start: start,
    charge_period_end: end,
    charge_category: 'Usage',
    charge_class: null,
    charge_description: null,
    invoice_issuer_name: 'Sim',
    provider_name: 'Sim',
    publisher_name: 'Sim',
    pricing_quantity: null,
    pricing_unit: null,
    service_category: 'Compute',
    service_name: 'Sim Compute',
    resource_id: resourceId,
    resource_name: null,
    resource_type: 'instance',
    region_id: 'sim-1',
    sub_account_id: null,
    sku_id: null,
    consumed_quantity: null,
    consumed_unit: null,
    tags: null,
    provider,
    x_cost_source: 'billing_api',
    x_gpu_model: null,
    x_gpu_count: null,
    x_collected_at: start,
    x_row_key: '',
  };
}

/** Instances and charges the sim_json upstream serves (amounts chosen so float sums would be inexact). */
export const SIM_JSON_INSTANCES: SimInstance[] = [
  { id: 'i-1', name: 'alpha', load: 0.25 },
  { id: 'i-2', name: 'beta "quoted"\\path', load: 0.5 },
  { id: 'i-3', name: 'gamma', load: 0.75 },
];
export const SIM_JSON_CHARGES = [
  { instance: 'i-1', amount: '0.1' },
  { instance: 'i-2', amount: '0.2' },
  { instance: 'i-3', amount: '1234567890.123456789' },
];

/** The sim_json upstream as a SimulatedProvider (bearer auth, fault switches from the framework). */
export const simJsonProvider: SimulatedProvider = {
  name: 'sim_json',
  description: 'a small JSON billing/inventory API',
  async start() {
    const guard = (request: SimRequest) =>
      request.headers.authorization === `Bearer ${SIM_JSON_API_KEY}`
        ? undefined
        : { status: 401, body: { error: 'invalid API key' } };
    const server = await startSimServer({
      name: 'sim_json',
      guard,
      routes: [
        { method: 'GET', path: '/v1/instances', handle: () => ({ body: { instances: SIM_JSON_INSTANCES } }) },
        { method: 'GET', path: '/v1/charges', handle: () => ({ body: { charges: SIM_JSON_CHARGES } }) },
      ],
    });
    return {
      servers: [server],
      providerBlock: {
        enabled: true,
        collector_type: 'generic',
        api: { adapter: 'sim_json', base_url: server.url, api_key: SIM_JSON_API_KEY },
      },
      close: () => server.close(),
    };
  },
};

/** The registry with every registered factory plus sim_json. */
export function testRegistry(): Registry {
  return createRegistry([...SOURCE_FACTORIES, simJsonFactory]);
}

/** Validates a configuration document (as JSON) and returns it; throws listing the problems. */
export function configFrom(document: Record<string, unknown>, registry: Registry = testRegistry()): AppConfig {
  const result = loadConfigText(stringify(document), registry, {});
  if (!result.config)
    throw new Error(
      `test configuration invalid:\n${result.problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n')}`,
    );
  return result.config;
}
