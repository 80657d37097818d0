// Exact decimal arithmetic on strings (BigInt mantissa + scale): money never passes through a binary float.

/** A parsed decimal: value = mantissa / 10^scale. */
interface Scaled {
  mantissa: bigint;
  scale: number;
}

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** True when `text` is a plain or E-notation decimal number (what FOCUS calls Decimal). */
export function isDecimal(text: string): boolean {
  const match = DECIMAL_PATTERN.exec(text.trim());
  return match !== null && ((match[2] ?? '') + (match[3] ?? '')).length > 0;
}

function parse(text: string): Scaled {
  const trimmed = text.trim();
  const match = DECIMAL_PATTERN.exec(trimmed);
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (match === null || (whole + fraction).length === 0) {
    throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
  }
  const exponent = Number(match[4] ?? '0');
  let mantissa = BigInt(whole + fraction || '0');
  if (match[1] === '-') mantissa = -mantissa;
  let scale = fraction.length - exponent;
  if (scale < 0) {
    mantissa *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { mantissa, scale };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.mantissa * 10n ** BigInt(scale - value.scale);
}

function format(value: Scaled): string {
  let { mantissa, scale } = value;
  while (scale > 0 && mantissa % 10n === 0n) {
    mantissa /= 10n;
    scale -= 1;
  }
  const negative = mantissa < 0n;
  const digits = (negative ? -mantissa : mantissa).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Normalizes a decimal string: no exponent, no trailing zeros, no leading '+'. Throws on non-numbers. */
export function normalizeDecimal(text: string | number | bigint): string {
  if (typeof text === 'bigint') return text.toString();
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) throw new RangeError(`not a finite number: ${text}`);
    // Shortest round-trip text of a JSON number, so 0.1 stays "0.1" (not 0.1000000000000000055…).
    return format(parse(String(text)));
  }
  return format(parse(text));
}

/** Sum of decimals, exact. */
export function addDecimals(...values: ReadonlyArray<string>): string {
  const parsed = values.map(parse);
  const scale = Math.max(0, ...parsed.map((value) => value.scale));
  let total = 0n;
  for (const value of parsed) total += rescale(value, scale);
  return format({ mantissa: total, scale });
}

/** a - b, exact. */
export function subtractDecimals(a: string, b: string): string {
  const left = parse(a);
  const right = parse(b);
  const scale = Math.max(left.scale, right.scale);
  return format({ mantissa: rescale(left, scale) - rescale(right, scale), scale });
}

/** a × b, exact. */
export function multiplyDecimals(a: string, b: string): string {
  const left = parse(a);
  const right = parse(b);
  return format({ mantissa: left.mantissa * right.mantissa, scale: left.scale + right.scale });
}

/** Rounds half away from zero to `places` fractional digits (half-up is what invoices use). */
export function roundDecimal(value: string, places: number): string {
  const parsed = parse(value);
  if (parsed.scale <= places) return format(parsed);
  const divisor = 10n ** BigInt(parsed.scale - places);
  const negative = parsed.mantissa < 0n;
  const magnitude = negative ? -parsed.mantissa : parsed.mantissa;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return format({ mantissa: negative ? -quotient : quotient, scale: places });
}

/** a ÷ b rounded half-up to `places` fractional digits. */
export function divideDecimals(a: string, b: string, places: number): string {
  const left = parse(a);
  const right = parse(b);
  if (right.mantissa === 0n) throw new RangeError('division by zero');
  // value = (lm / 10^ls) / (rm / 10^rs); compute with places + 1 extra digits then round.
  const extra = places + 1;
  const numerator = left.mantissa * 10n ** BigInt(extra + right.scale);
  const denominator = right.mantissa * 10n ** BigInt(left.scale);
  const quotient = numerator / denominator;
  return roundDecimal(format({ mantissa: quotient, scale: extra }), places);
}

/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compareDecimals(a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  const scale = Math.max(left.scale, right.scale);
  const difference = rescale(left, scale) - rescale(right, scale);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** The smaller of two decimals. */
export function minDecimal(a: string, b: string): string {
  return compareDecimals(a, b) <= 0 ? normalizeDecimal(a) : normalizeDecimal(b);
}

/** Integer cents (or other minor units) to a decimal string: 150 with 2 places -> "1.5". */
export function decimalFromMinorUnits(minor: number | bigint | string, places = 2): string {
  const mantissa = BigInt(typeof minor === 'string' ? minor.trim() : minor);
  return format({ mantissa, scale: places });
}
