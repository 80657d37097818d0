// Sanity of the times collected points carry. A source whose clock runs ahead (or the collector's own, before it
// was corrected) would otherwise store points that stay "latest" for as long as the error, so points too far ahead
// of the collector's clock are refused and the run says so.

import type { MetricSample } from './model.ts';

/** How far ahead of the collector's clock a point may be: scrape timestamps and clock drift stay well inside it. */
export const MAX_FUTURE_SKEW_MS = 10 * 60_000;

/** The points of a page within the skew, and how many (and the furthest) of them were too far ahead. */
export interface FutureCheck {
  kept: MetricSample[];
  refused: number;
  /** Epoch ms of the furthest refused point. */
  furthestMs: number;
}

/** Splits samples at `limitMs` (the collector's now plus MAX_FUTURE_SKEW_MS); keeps the page as is when all fit. */
export function refuseFuturePoints(samples: MetricSample[], limitMs: number): FutureCheck {
  // Pages share a few timestamps: parse each distinct one once.
  let lastTs = '';
  let lastMs = 0;
  let kept: MetricSample[] | undefined;
  let refused = 0;
  let furthestMs = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < samples.length; index++) {
    const sample = samples[index]!;
    if (sample.ts !== lastTs) {
      lastTs = sample.ts;
      lastMs = Date.parse(sample.ts);
    }
    if (!(lastMs > limitMs)) {
      kept?.push(sample);
      continue;
    }
    kept ??= samples.slice(0, index);
    refused += 1;
    furthestMs = Math.max(furthestMs, lastMs);
  }
  return { kept: kept ?? samples, refused, furthestMs };
}
