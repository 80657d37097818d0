// The stateful side of the rate card: folds each run's GPU and host samples and inventory rows into meters kept
// in the source's durable state, and on cost runs emits every metered day of the cost window.

import type { OnPremRateCard } from '../../../core/config/app-schema.ts';
import type { CostRecord, MetricSample, ResourceRecord } from '../../../core/model.ts';
import type { CollectContext } from '../../../core/source.ts';
import {
  emptyMeter,
  foldResource,
  foldSample,
  meterOfResource,
  meterOfSample,
  pruneMeter,
  dayOf,
  type MeterState,
} from './meter.ts';
import { gpuHourPrice, rateCardRows, type RateCardLabels } from './rows.ts';

const INDEX_KEY = 'rate-card:meters';
const RETAIN_MS = 400 * 86_400_000;
const BATCH_ROWS = 500;

/** Key of one meter in the source state. */
export function meterKey(id: string): string {
  return `rate-card:meter:${id}`;
}

/** Observes one run's samples and inventory, then prices them. One per run. */
export interface RateCardTracker {
  /** Folds a batch of samples (sorted by time per meter first). */
  samples(samples: readonly MetricSample[]): Promise<void>;
  /** Folds a batch of inventory rows. */
  resources(rows: readonly ResourceRecord[]): Promise<void>;
  /**
   * Writes the meters back; when the run collects costs, emits every metered day in the cost window and declares
   * the window complete for `rate_card` (rows are replayed from state each time, so a re-run restates, never adds).
   */
  finish(): Promise<{ meters: number; rows: number }>;
}

/** Creates a tracker bound to one run's context. */
export function createRateCardTracker(
  context: CollectContext,
  card: OnPremRateCard,
  labels: RateCardLabels,
): RateCardTracker {
  const loaded = new Map<string, MeterState>();
  const meter = async (id: string, kind: MeterState['kind']): Promise<MeterState> => {
    let found = loaded.get(id);
    if (found === undefined) {
      found = (await context.state.get<MeterState>(meterKey(id))) ?? emptyMeter(id, kind);
      loaded.set(id, found);
    }
    return found;
  };
  return {
    async samples(samples) {
      const ordered = samples
        .map((sample) => ({ sample, target: meterOfSample(sample), ts: Date.parse(sample.ts) }))
        .filter((entry) => entry.target !== null)
        .sort((a, b) => a.ts - b.ts);
      for (const { sample, target } of ordered)
        if (target !== null) foldSample(await meter(target.id, target.kind), sample, card.energy.max_gap);
    },
    async resources(rows) {
      for (const row of rows) {
        const target = meterOfResource(row);
        if (target !== null) foldResource(await meter(target.id, target.kind), row);
      }
    },
    async finish() {
      const index = new Set([...((await context.state.get<string[]>(INDEX_KEY)) ?? []), ...loaded.keys()]);
      const oldest = dayOf(context.now.getTime() - RETAIN_MS);
      const retained: string[] = [];
      const unpriced = new Set<string>();
      let batch: CostRecord[] = [];
      let rows = 0;
      for (const id of index) {
        const state = loaded.get(id) ?? (await context.state.get<MeterState>(meterKey(id)));
        if (state === undefined) continue;
        pruneMeter(state, oldest);
        if (loaded.has(id)) await context.state.set(meterKey(id), state);
        if (Object.keys(state.hours).length === 0) continue;
        retained.push(id);
        if (!context.collectCosts) continue;
        if (state.kind === 'gpu' && gpuHourPrice(card, state.gpuModel) === null) unpriced.add(state.gpuModel ?? '?');
        batch.push(...rateCardRows(state, card, labels, context.costWindow, context.now));
        if (batch.length >= BATCH_ROWS) {
          await context.emit.costs(batch);
          rows += batch.length;
          batch = [];
        }
      }
      await context.state.set(INDEX_KEY, retained);
      if (!context.collectCosts) return { meters: retained.length, rows };
      if (batch.length > 0) await context.emit.costs(batch);
      rows += batch.length;
      if (unpriced.size > 0)
        context.log.warn(
          { provider: labels.provider, gpuModels: [...unpriced] },
          `${labels.provider}: GPU models missing from rate_card.gpu_hour (and no default) get no GPU-hour rows`,
        );
      await context.emit.costWindowComplete(context.costWindow, 'rate_card');
      return { meters: retained.length, rows };
    },
  };
}
