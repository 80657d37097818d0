// Money arithmetic for tests, independent of the product's src/core/decimal.ts: decimal strings to BigInt units
// and back. Tests that check the product's totals against a simulator's amounts sum with this, so a bug in the
// product's decimal code cannot cancel out on both sides of an assertion.

const PLAIN_DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** A decimal amount as an integer count of 10^-scale units plus its scale. */
interface Units {
  units: bigint;
  scale: number;
}

function parse(amount: string | number): Units {
  const text = typeof amount === 'number' ? numberText(amount) : amount.trim();
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) throw new Error(`exact-money: ${JSON.stringify(amount)} is not a plain decimal`);
  const fraction = match[3] ?? '';
  const units = BigInt(`${match[2]}${fraction}`);
  return { units: match[1] ? -units : units, scale: fraction.length };
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`exact-money: ${value} is not a finite amount`);
  const text = String(value);
  if (/e/i.test(text)) throw new Error(`exact-money: ${text} has an exponent; pass the amount as a string`);
  return text;
}

function rescale(amount: Units, scale: number): bigint {
  return amount.units * 10n ** BigInt(scale - amount.scale);
}

function format(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  const text = fraction === '' ? whole : `${whole}.${fraction}`;
  return negative && text !== '0' ? `-${text}` : text;
}

/** The exact sum of decimal amounts, with no trailing zeros ("13.50" + "0.5" -> "14"). */
export function exactSum(amounts: ReadonlyArray<string | number>): string {
  const parsed = amounts.map(parse);
  const scale = Math.max(0, ...parsed.map((amount) => amount.scale));
  return format(
    parsed.reduce((total, amount) => total + rescale(amount, scale), 0n),
    scale,
  );
}

/** An amount rounded half away from zero to whole cents, always with two decimals ("12.345" -> "12.35"). */
export function exactCents(amount: string | number): string {
  const parsed = parse(amount);
  const scale = Math.max(2, parsed.scale);
  const units = rescale(parsed, scale);
  const step = 10n ** BigInt(scale - 2);
  const magnitude = units < 0n ? -units : units;
  const cents = (magnitude + step / 2n) / step;
  const text = format(cents * (units < 0n ? -1n : 1n), 2);
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}
