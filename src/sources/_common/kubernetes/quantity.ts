// Kubernetes resource quantities ("8", "191450m", "2085478656Ki", "1.5Gi") to numbers.

const SUFFIXES: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The numeric value of a quantity string, or null when absent or unreadable. */
export function parseQuantity(text: string | undefined | null): number | null {
  if (text === undefined || text === null) return null;
  const match = /^\s*([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*([a-zA-Z]{0,2})\s*$/.exec(text);
  const multiplier = match ? SUFFIXES[match[2] ?? ''] : undefined;
  return match && multiplier !== undefined ? Number(match[1]) * multiplier : null;
}
