// Reads the rate-limit headers providers send (RateLimit-*, X-RateLimit-*) into a pause.

/** Milliseconds to pause before the next call when the server says no requests remain; else undefined. */
export function rateLimitPauseMs(headers: Record<string, string>, now: number = Date.now()): number | undefined {
  const structured = structuredRateLimit(headers.ratelimit);
  if (structured !== undefined) return structured;
  const remaining =
    headers['ratelimit-remaining'] ?? headers['x-ratelimit-remaining'] ?? headers['x-rate-limit-remaining'];
  if (remaining === undefined || Number(remaining) > 0) return undefined;
  const reset = headers['ratelimit-reset'] ?? headers['x-ratelimit-reset'] ?? headers['x-rate-limit-reset'];
  if (reset === undefined) return undefined;
  const value = Number(reset);
  if (!Number.isFinite(value)) {
    const date = Date.parse(reset);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
  }
  // Epoch seconds (DigitalOcean, Linode, Hetzner) or delta seconds (IETF draft): tell them apart by size.
  return value > 1_000_000_000 ? Math.max(0, value * 1000 - now) : value * 1000;
}

/**
 * The IETF structured form (draft-ietf-httpapi-ratelimit-headers-08+), e.g. `"minute";r=0;t=12` (RunPod):
 * r = remaining quota units, t = seconds until it resets. Several policies may be listed; the longest
 * pause among exhausted ones wins.
 */
function structuredRateLimit(value: string | undefined): number | undefined {
  if (value === undefined || !value.includes('r=')) return undefined;
  let pause: number | undefined;
  for (const item of value.split(',')) {
    const remaining = /;\s*r=(\d+)/.exec(item)?.[1];
    const reset = /;\s*t=(\d+)/.exec(item)?.[1];
    if (remaining === undefined || reset === undefined || Number(remaining) > 0) continue;
    pause = Math.max(pause ?? 0, Number(reset) * 1000);
  }
  return pause;
}
