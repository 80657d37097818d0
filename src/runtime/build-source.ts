// Builds the Source for one configured provider from the registry: a dedicated collector, or the
// generic collector composed of its metrics paths and optional API adapter.

import type { ProviderConfig } from '../core/config/types.ts';
import { CollectorError } from '../core/errors.ts';
import type { CollectedStream, Collects, Source } from '../core/source.ts';
import { createGenericSource, type GenericPart } from '../sources/generic/source.ts';
import type { Registry } from '../core/registry.ts';
import { createWorkerSource } from './worker-source/index.ts';

/** Creates the provider's source (in a worker thread per run for factories that ask to be isolated). Does no I/O. */
export function buildSource(provider: ProviderConfig, registry: Registry): Source {
  if (provider.collector_type === 'dedicated') {
    const type = provider.type ?? provider.name;
    const factory = registry.get(type);
    if (!factory || factory.role !== 'dedicated')
      throw new CollectorError(
        'NOT_IMPLEMENTED',
        `${provider.name}: no dedicated collector ${JSON.stringify(type)} is registered`,
        { provider: provider.name },
      );
    const settings = { provider: provider.name, config: provider.dedicated ?? {} };
    if (factory.isolate && !process.env.OPTIINFRA_NO_ISOLATE) {
      return createWorkerSource(factory.isolate.module, factory.isolate.export, settings, {
        http: { timeoutMs: provider.timing.timeout, maxResponseBytes: provider.timing.max_response_bytes },
      });
    }
    return factory.create(settings);
  }
  const generic = provider.generic;
  if (!generic)
    throw new CollectorError('CONFIG_INVALID', `${provider.name}: a generic provider without its settings`, {
      provider: provider.name,
    });
  const parts: GenericPart[] = [];
  if (provider.api) {
    const factory = registry.get(provider.api.adapter);
    if (!factory)
      throw new CollectorError(
        'NOT_IMPLEMENTED',
        `${provider.name}: no API adapter ${JSON.stringify(provider.api.adapter)} is registered`,
        { provider: provider.name },
      );
    parts.push({
      name: `api:${factory.type}`,
      role: 'adapter',
      source: factory.create({ provider: provider.name, config: { ...provider.api } }),
      streams: streamsOf(factory.collects),
    });
  }
  const metricsPaths = [
    ['prometheus', generic.prometheus_url !== undefined],
    ['scrape', generic.scrape_targets.length > 0],
  ] as const;
  for (const [type, present] of metricsPaths) {
    if (!present) continue;
    const factory = registry.get(type);
    if (!factory)
      throw new CollectorError('NOT_IMPLEMENTED', `${provider.name}: the ${type} metrics source is not registered`, {
        provider: provider.name,
      });
    parts.push({
      name: type,
      role: 'metrics',
      source: factory.create({ provider: provider.name, config: { ...generic } }),
      streams: streamsOf(factory.collects),
    });
  }
  if (parts.length === 0)
    throw new CollectorError(
      'CONFIG_INVALID',
      `${provider.name}: no source configured (prometheus_url, scrape_targets or api)`,
      { provider: provider.name },
    );
  return createGenericSource(provider.name, parts, {
    rateCard: generic.rate_card,
    providerName: provider.display_name,
  });
}

/** The checkpointed streams a component collects (`gpu` is GPU inventory or metrics, both listed on their own). */
function streamsOf(collects: readonly Collects[]): CollectedStream[] {
  return collects.filter((item): item is CollectedStream => item !== 'gpu');
}
