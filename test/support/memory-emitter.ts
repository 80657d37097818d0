// An Emitter that keeps everything in memory: for tests and for sources' own unit tests.

import type { CollectorError } from '../../src/core/errors.ts';
import type { CostRecord, CostSource, DroppedCounts, MetricSample, ResourceRecord } from '../../src/core/model.ts';
import type { Emitter } from '../../src/core/source.ts';
import type { TimeWindow } from '../../src/core/window.ts';

/** What a MemoryEmitter has received. */
export interface MemoryEmitter extends Emitter {
  readonly costRows: CostRecord[];
  readonly resourceRows: ResourceRecord[];
  readonly samples: MetricSample[];
  readonly partials: CollectorError[];
  readonly calls: Record<string, number>;
  readonly droppedCounts: DroppedCounts;
  readonly completedWindows: Array<{ window: TimeWindow; costSource: CostSource }>;
}

/** Creates an empty in-memory emitter. */
export function createMemoryEmitter(): MemoryEmitter {
  const emitter: MemoryEmitter = {
    costRows: [],
    resourceRows: [],
    samples: [],
    partials: [],
    calls: {},
    droppedCounts: {},
    completedWindows: [],
    costs: async (rows) => {
      emitter.costRows.push(...rows);
    },
    resources: async (rows) => {
      emitter.resourceRows.push(...rows);
    },
    metrics: async (samples) => {
      emitter.samples.push(...samples);
    },
    costWindowComplete: async (window, costSource) => {
      emitter.completedWindows.push({ window, costSource });
    },
    partial: (error) => {
      emitter.partials.push(error);
    },
    dropped: (reason, count) => {
      emitter.droppedCounts[reason] = (emitter.droppedCounts[reason] ?? 0) + count;
    },
    countCall: (operation, count = 1) => {
      emitter.calls[operation] = (emitter.calls[operation] ?? 0) + count;
    },
  };
  return emitter;
}
