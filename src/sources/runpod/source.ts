// Collects RunPod: pods (inventory), balance and spend rate (account row), and billing buckets as FOCUS rows.
// RunPod lists are not paginated; billing is windowed by time, so the cost window is read in chunks of at
// most 31 days to keep each response bounded. Each part fails alone except a rejected key (HTTP 401).

import { focusTime } from '../../core/model.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import { PartRunner, REJECTED_KEY_IS_FATAL } from '../_common/part-runner.ts';
import type { TimeWindow } from '../../core/window.ts';
import { createRunpodClient, type RunpodClient } from './client.ts';
import type { RunpodConfig } from './config.ts';
import {
  costRowsFromAccountBilling,
  costRowsFromPodBilling,
  resourceFromMyself,
  resourceFromPod,
  type RunpodBucket,
  type RunpodPod,
} from './map.ts';

const CHUNK_MS = 31 * 86_400_000;

/** What one run shares between its parts. */
interface RunState {
  context: CollectContext;
  client: RunpodClient;
  podsById: Map<string, RunpodPod>;
}

/** A named part of a run that may fail alone. */
type Part = [name: string, collect: (run: RunState) => Promise<void>];

/** Creates the RunPod source for one provider block. */
export function createRunpodSource(provider: string, config: RunpodConfig): Source {
  return {
    async collect(context: CollectContext): Promise<void> {
      const run: RunState = {
        context,
        client: createRunpodClient(context.http, provider, config),
        podsById: new Map(),
      };
      const parts: Part[] = [
        ['pods', collectPods],
        ...(config.balance ? [['balance', collectBalance] satisfies Part] : []),
        // Between cost intervals the runtime asks for no billing calls.
        ...(context.collectCosts ? [['billing', collectBilling] satisfies Part] : []),
      ];
      await new PartRunner(context, { isFatal: REJECTED_KEY_IS_FATAL }).runAll(parts, run);
    },
    async shutdown(): Promise<void> {
      // Nothing to release: the HTTP client belongs to the runtime.
    },
  };
}

async function collectPods(run: RunState): Promise<void> {
  const { context } = run;
  const pods = await run.client.pods();
  for (const pod of pods) run.podsById.set(pod.id, pod);
  const seenAt = focusTime(context.now);
  await context.emit.resources(pods.map((pod) => resourceFromPod(pod, context.provider, seenAt)));
}

async function collectBalance(run: RunState): Promise<void> {
  const { context } = run;
  const myself = await run.client.myself();
  await context.emit.resources([resourceFromMyself(myself, context.provider, focusTime(context.now))]);
}

/** Consecutive chunks of at most 31 days covering the window. */
export function billingChunks(window: TimeWindow): TimeWindow[] {
  const chunks: TimeWindow[] = [];
  for (let start = window.start.getTime(); start < window.end.getTime(); start += CHUNK_MS) {
    chunks.push({ start: new Date(start), end: new Date(Math.min(start + CHUNK_MS, window.end.getTime())) });
  }
  return chunks;
}

async function collectBilling(run: RunState): Promise<void> {
  const { context } = run;
  const costContext = { provider: context.provider, collectedAt: focusTime(context.now), podsById: run.podsById };
  for (const chunk of billingChunks(context.costWindow)) {
    // RunPod snaps the window out to bucket boundaries: keep only buckets that start inside the chunk.
    const inChunk = (bucket: RunpodBucket): boolean => {
      const start = Date.parse(bucket.startTime);
      return start >= chunk.start.getTime() && start < chunk.end.getTime();
    };
    const pods = await run.client.podBilling(chunk);
    const podRows = costRowsFromPodBilling(pods.records.filter(inChunk), costContext);
    if (podRows.length > 0) await context.emit.costs(podRows);
    const account = await run.client.accountBilling(chunk);
    const accountRows = costRowsFromAccountBilling(account.records.filter(inChunk), costContext);
    if (accountRows.length > 0) await context.emit.costs(accountRows);
  }
  await context.emit.costWindowComplete(context.costWindow, 'billing_api');
}
