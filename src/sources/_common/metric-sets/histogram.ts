// histogram_quantile over classic buckets, as Prometheus computes it (promql/quantile.go bucketQuantile),
// so the scrape path and the API path agree.

/** One cumulative bucket. */
export interface Bucket {
  upperBound: number;
  count: number;
}

/** The q-quantile of cumulative buckets by linear interpolation; NaN without observations or a +Inf bucket. */
export function histogramQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const buckets = [...input].sort((a, b) => a.upperBound - b.upperBound);
  if (buckets.length < 2 || buckets.at(-1)!.upperBound !== Infinity) return NaN;
  // Bucket counts must not decrease (they can when scrapes race); Prometheus clamps them the same way.
  for (let index = 1; index < buckets.length; index += 1) {
    if (buckets[index]!.count < buckets[index - 1]!.count)
      buckets[index] = { ...buckets[index]!, count: buckets[index - 1]!.count };
  }
  const observations = buckets.at(-1)!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let found = buckets.findIndex((bucket) => bucket.count >= rank);
  if (found < 0) found = buckets.length - 1;
  if (found === buckets.length - 1) return buckets[buckets.length - 2]!.upperBound;
  if (found === 0 && buckets[0]!.upperBound <= 0) return buckets[0]!.upperBound;
  let start = 0;
  const end = buckets[found]!.upperBound;
  let count = buckets[found]!.count;
  if (found > 0) {
    start = buckets[found - 1]!.upperBound;
    count -= buckets[found - 1]!.count;
    rank -= buckets[found - 1]!.count;
  }
  return start + (end - start) * (rank / count);
}
