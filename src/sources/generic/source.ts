// The generic collector: one provider = its metrics paths (Prometheus API, direct scrape) plus an optional
// billing/inventory API adapter. One part failing makes the run partial; all failing makes it failed.

import { CollectorError, toCollectorError } from '../../core/errors.ts';
import type { CollectContext, CollectedStream, Emitter, Source } from '../../core/source.ts';
import type { MetricSample, ResourceRecord } from '../../core/model.ts';
import { createJoinIndex, type JoinIndex } from './join.ts';

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

/** Composes the parts of a generic provider into one source. */
export function createGenericSource(provider: string, parts: GenericPart[]): Source {
  const ordered = [...parts].sort((a, b) => (a.role === b.role ? 0 : a.role === 'adapter' ? -1 : 1));
  return {
    async collect(context: CollectContext): Promise<void> {
      const joins = createJoinIndex();
      const failures: CollectorError[] = [];
      for (const part of ordered) {
        if (context.signal.aborted) break;
        const scoped = part.streams === undefined ? context.emit : scopedEmitter(context.emit, part.streams);
        const emit = part.role === 'adapter' ? recordingEmitter(scoped, joins) : joiningEmitter(scoped, joins);
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

function joiningEmitter(emit: Emitter, joins: JoinIndex): Emitter {
  return {
    ...emit,
    metrics: async (samples: MetricSample[]) => {
      if (joins.size > 0) for (const sample of samples) joins.resolve(sample);
      await emit.metrics(samples);
    },
    resources: async (rows: ResourceRecord[]) => {
      if (joins.size > 0) for (const row of rows) joins.resolveGpu(row);
      await emit.resources(rows);
    },
  };
}
