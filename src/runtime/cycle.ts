// One collection cycle over many providers with a concurrency limit. One provider failing never stops
// the others: each run is isolated and recorded.

import type { AppConfig } from '../core/config/types.ts';
import { CollectorError, toCollectorError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Sink } from '../core/sink.ts';
import { buildSource } from './build-source.ts';
import type { Registry } from '../core/registry.ts';
import { createProviderRuntime, failedSummary, runProvider, type RunSummary } from './run-provider.ts';

/** Progress events for live output. */
export interface CycleProgress {
  started(provider: string): void;
  finished(summary: RunSummary): void;
}

/** Options of a cycle. */
export interface CycleOptions {
  config: AppConfig;
  registry: Registry;
  sink: Sink;
  log: Logger;
  /** Only these providers (must exist and be enabled); default every enabled provider. */
  only?: string[];
  progress?: CycleProgress;
  signal?: AbortSignal;
  now?: Date;
}

/**
 * How long after its start a run still `running` is certainly abandoned, whichever process owns it: the longest
 * run deadline, the shutdown grace and a minute for recording it (see markInterruptedRunsAtStart).
 */
export function staleRunAfterMs(config: AppConfig): number {
  const deadlines = Object.values(config.providers).map((provider) => provider.timing.run_timeout);
  return Math.max(0, ...deadlines) + (config.collection.shutdown_grace ?? 15_000) + 60_000;
}

/** The providers a cycle would run; throws USAGE for unknown or disabled names. */
export function selectProviders(config: AppConfig, only: string[] | undefined): string[] {
  if (!only || only.length === 0)
    return Object.values(config.providers)
      .filter((provider) => provider.enabled)
      .map((provider) => provider.name);
  for (const name of only) {
    const provider = config.providers[name];
    if (!provider)
      throw new CollectorError(
        'USAGE',
        `--provider ${name}: no such provider in ${config.path ?? 'the configuration'} (known: ${Object.keys(config.providers).join(', ')})`,
      );
    if (!provider.enabled)
      throw new CollectorError(
        'USAGE',
        `--provider ${name}: the provider is disabled (set providers.${name}.enabled: true or ${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ENABLED=true)`,
      );
  }
  return [...new Set(only)];
}

/** Runs every selected provider once; returns one summary per provider, in selection order. */
export async function runCycle(options: CycleOptions): Promise<RunSummary[]> {
  const names = selectProviders(options.config, options.only);
  const summaries = new Array<RunSummary>(names.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const index = next++;
      const name = names[index] as string;
      const config = options.config.providers[name];
      if (!config) continue;
      options.progress?.started(name);
      let summary: RunSummary;
      try {
        const source = buildSource(config, options.registry);
        const runtime = createProviderRuntime(config, source);
        try {
          summary = await runProvider(runtime, {
            sink: options.sink,
            log: options.log,
            ...(options.now ? { now: options.now } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
          });
        } finally {
          await source.shutdown();
        }
      } catch (thrown) {
        summary = failedSummary(name, toCollectorError(thrown, { provider: name }));
      }
      summaries[index] = summary;
      options.progress?.finished(summary);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.config.collection.concurrency, names.length) }, worker));
  return summaries;
}
