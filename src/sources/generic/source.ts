// The generic collector: one provider = its metrics paths (Prometheus API, direct scrape) plus an optional
// billing/inventory API adapter. One part failing makes the run partial; all failing makes it failed.
// With a `rate_card` (On-Premises, no billing API) the GPUs and hosts the metrics paths see are priced from it.

import { CollectorError, toCollectorError } from '../../core/errors.ts';
import type { CollectContext, CollectedStream, Emitter, Source } from '../../core/source.ts';
import type { MetricSample, ResourceRecord } from '../../core/model.ts';
import type { OnPremRateCard } from '../../core/config/app-schema.ts';
import { createJoinIndex, type JoinIndex } from './join.ts';
import { createRateCardTracker, type RateCardTracker } from '../_common/rate-card/index.ts';

/** A named part of a generic provider. */
export interface GenericPart {
  /** `prometheus`, `scrape` or the adapter type; used in error messages. */
  name: string;
  /** Adapters run first so metrics can be joined to their inventory. */
  role: 'adapter' | 'metrics';
  source: Source;
  /** What the part collects (its factory's `collects`): its failures hold back only these streams' checkpoints. */
  streams?: readonly CollectedStream[];
}

/** Provider-level options of a generic provider. */
export interface GenericOptions {
  /** Prices what the metrics paths see (x_cost_source rate_card); src/sources/_common/rate-card/. */
  rateCard?: OnPremRateCard | undefined;
  /** FOCUS ProviderName of rate-card rows (the provider's display name). */
  providerName?: string | undefined;
}

/** Composes the parts of a generic provider into one source. */
export function createGenericSource(provider: string, parts: GenericPart[], options: GenericOptions = {}): Source {
  const ordered = [...parts].sort((a, b) => (a.role === b.role ? 0 : a.role === 'adapter' ? -1 : 1));
  const { rateCard } = options;
  return {
    async collect(context: CollectContext): Promise<void> {
      const joins = createJoinIndex();
      const failures: CollectorError[] = [];
      const labels = { provider, providerName: options.providerName ?? provider, billingAccountId: provider };
      const meter = rateCard === undefined ? undefined : createRateCardTracker(context, rateCard, labels);
      for (const part of ordered) {
        if (context.signal.aborted) break;
        const scoped = part.streams === undefined ? context.emit : scopedEmitter(context.emit, part.streams);
        const emit = part.role === 'adapter' ? recordingEmitter(scoped, joins) : joiningEmitter(scoped, joins, meter);
        try {
          await part.source.collect({ ...context, emit });
        } catch (thrown) {
          const error = toCollectorError(thrown, { provider });
          failures.push(error);
          if (ordered.length > 1)
            context.emit.partial(
              new CollectorError(error.code, `${part.name}: ${error.message}`, error.context, {
                cause: error,
                kind: error.kind,
              }),
              part.streams,
            );
        }
      }
      // Rate-card rows are replayed from durable state, so they are emitted even when this run's metrics failed.
      if (meter !== undefined && !context.signal.aborted) {
        try {
          await meter.finish();
        } catch (thrown) {
          context.emit.partial(toCollectorError(thrown, { provider }));
        }
      }
      if (failures.length === ordered.length && failures[0]) {
        throw failures.length === 1
          ? failures[0]
          : new CollectorError(
              failures[0].code,
              `every source of ${provider} failed: ${failures.map((failure) => failure.message).join('; ')}`,
              { provider },
              { cause: failures[0] },
            );
      }
    },
    async shutdown(): Promise<void> {
      await Promise.allSettled(ordered.map((part) => part.source.shutdown()));
    },
  };
}

/** Tags the part's partial failures with the streams it collects. */
function scopedEmitter(emit: Emitter, streams: readonly CollectedStream[]): Emitter {
  return { ...emit, partial: (error, own) => emit.partial(error, own ?? streams) };
}

function recordingEmitter(emit: Emitter, joins: JoinIndex): Emitter {
  return {
    ...emit,
    resources: async (rows: ResourceRecord[]) => {
      for (const row of rows) joins.add(row);
      await emit.resources(rows);
    },
  };
}

function joiningEmitter(emit: Emitter, joins: JoinIndex, meter: RateCardTracker | undefined): Emitter {
  return {
    ...emit,
    metrics: async (samples: MetricSample[]) => {
      if (joins.size > 0) for (const sample of samples) joins.resolve(sample);
      await emit.metrics(samples);
      await meter?.samples(samples);
    },
    resources: async (rows: ResourceRecord[]) => {
      if (joins.size > 0) for (const row of rows) joins.resolveGpu(row);
      await emit.resources(rows);
      await meter?.resources(rows);
    },
  };
}
