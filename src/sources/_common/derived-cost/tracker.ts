// The stateful side of the engine: remembers every instance's status history in the source's durable state
// across runs, then emits the derived cost rows of the run's cost window.

import type { CollectContext } from '../../../core/source.ts';
import type { CostRecord } from '../../../core/model.ts';
import type { BillingRule } from './billing-rule.ts';
import { billedSessions, dailyCharges } from './charges.ts';
import { isGone, markGone, observe, type InstanceHistory, type Observation } from './history.ts';
import { costRowsFromCharges, type DerivedCostLabels } from './rows.ts';

const INDEX_KEY = 'derived-cost:instances';
const RETAIN_MS = 400 * 86_400_000;
const BATCH_ROWS = 500;

/** Records observations page by page, then derives and emits costs. One tracker per run. */
export interface DerivedCostTracker {
  /** Folds one page of observations into the durable history. */
  observe(observations: readonly Observation[]): Promise<void>;
  /**
   * Ends the run: when `listingComplete`, instances not seen this run are marked gone; then every known
   * instance's charges in the cost window are emitted and the window is declared complete.
   */
  finish(options: { listingComplete: boolean }): Promise<{ instances: number; rows: number }>;
}

/** Key of one instance's history in the source state. */
export function historyKey(id: string): string {
  return `derived-cost:instance:${id}`;
}

/** Creates a tracker bound to one run's context. */
export function createDerivedCostTracker(
  context: CollectContext,
  rule: BillingRule,
  labels: DerivedCostLabels,
): DerivedCostTracker {
  const seen = new Set<string>();
  return {
    async observe(observations) {
      for (const observation of observations) {
        const key = historyKey(observation.id);
        const previous = await context.state.get<InstanceHistory>(key);
        await context.state.set(key, observe(previous, observation, context.now));
        seen.add(observation.id);
      }
    },
    async finish({ listingComplete }) {
      const known = new Set([...((await context.state.get<string[]>(INDEX_KEY)) ?? []), ...seen]);
      const retained: string[] = [];
      let batch: CostRecord[] = [];
      let rows = 0;
      for (const id of known) {
        let history = await context.state.get<InstanceHistory>(historyKey(id));
        if (history === undefined) continue;
        if (listingComplete && !seen.has(id) && !isGone(history)) {
          history = markGone(history);
          await context.state.set(historyKey(id), history);
        }
        if (context.now.getTime() - Date.parse(history.last_seen) > RETAIN_MS) continue;
        retained.push(id);
        const sessions = billedSessions(history, rule, context.now.getTime());
        const window = {
          start: context.costWindow.start,
          end: new Date(Math.min(context.costWindow.end.getTime(), context.now.getTime() + 1)),
        };
        batch.push(
          ...costRowsFromCharges(
            history,
            dailyCharges(sessions, rule, window, history.monthly_price),
            rule,
            labels,
            context.now,
          ),
        );
        if (batch.length >= BATCH_ROWS) {
          await context.emit.costs(batch);
          rows += batch.length;
          batch = [];
        }
      }
      if (batch.length > 0) await context.emit.costs(batch);
      rows += batch.length;
      await context.state.set(INDEX_KEY, retained);
      await context.emit.costWindowComplete(context.costWindow, labels.costSource);
      return { instances: retained.length, rows };
    },
  };
}
