// Exact decimal arithmetic on strings (BigInt mantissa + scale): money never passes through a binary float.

import { CollectorError } from './errors.ts';

/** A parsed decimal: value = mantissa / 10^scale. */
interface Scaled {
  mantissa: bigint;
  scale: number;
}

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Bounds of any decimal this module reads. An exponent is applied by padding digits, so `1e100000000` would
 * otherwise become a 100 MB BigInt (a minute of CPU); text past these is refused before any BigInt is built.
 * Generous on purpose: sums and products of values inside the upstream bounds (below) stay far inside them.
 */
const MAX_TEXT_LENGTH = 10_000;
const MAX_INTEGER_DIGITS = 1_000;
const MAX_SCALE = 1_000;

/** What the upstream bounds allow: |value| < 10^18 (beyond any bill or meter) and at most 40 fractional digits. */
export const UPSTREAM_DECIMAL_LIMITS = { integerDigits: 18, fractionDigits: 40 } as const;

/** Text that is not a decimal number, or one past the bounds this module computes with. */
export class DecimalRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'DecimalRangeError';
  }
}

/** True when `text` is a plain or E-notation decimal number (what FOCUS calls Decimal). */
export function isDecimal(text: string): boolean {
  const match = DECIMAL_PATTERN.exec(text.trim());
  return match !== null && ((match[2] ?? '') + (match[3] ?? '')).length > 0;
}

/** Digits before the point and after it of a decimal's shortest form (no leading or trailing zeros). */
interface Magnitude {
  negative: boolean;
  /** Significant digits, without leading or trailing zeros ('' for zero). */
  digits: string;
  /** value = digits × 10^exponent. */
  exponent: number;
}

function magnitudeOf(text: string): Magnitude {
  if (text.length > MAX_TEXT_LENGTH)
    throw new DecimalRangeError(`a decimal of ${text.length} characters is longer than ${MAX_TEXT_LENGTH}`);
  const match = DECIMAL_PATTERN.exec(text.trim());
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (match === null || (whole + fraction).length === 0)
    throw new DecimalRangeError(`not a decimal number: ${JSON.stringify(text)}`);
  const all = (whole + fraction).replace(/^0+/, '');
  const digits = all.replace(/0+$/, '');
  // Number() of an over-long exponent is ±Infinity, which the bounds below refuse like any other.
  const exponent = digits === '' ? 0 : Number(match[4] ?? '0') - fraction.length + (all.length - digits.length);
  return { negative: match[1] === '-' && digits !== '', digits, exponent };
}

/** Integer digits and fractional digits a magnitude has when written out. */
function extent(magnitude: Magnitude): { integerDigits: number; scale: number } {
  return {
    integerDigits: Math.max(0, magnitude.digits.length + magnitude.exponent),
    scale: Math.max(0, -magnitude.exponent),
  };
}

function parse(text: string): Scaled {
  const magnitude = magnitudeOf(text);
  const { integerDigits, scale } = extent(magnitude);
  if (integerDigits > MAX_INTEGER_DIGITS || scale > MAX_SCALE)
    throw new DecimalRangeError(
      `${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} is beyond the ${MAX_INTEGER_DIGITS} digits before or ${MAX_SCALE} after the point that decimals may have`,
    );
  let mantissa = BigInt(magnitude.digits || '0');
  if (magnitude.exponent > 0) mantissa *= 10n ** BigInt(magnitude.exponent);
  return { mantissa: magnitude.negative ? -mantissa : mantissa, scale };
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
    if (!Number.isFinite(text)) throw new DecimalRangeError(`not a finite number: ${text}`);
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
  if (right.mantissa === 0n) throw new DecimalRangeError('division by zero');
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

/** Where a decimal read from a provider's answer came from, named by the error when it is unusable. */
export interface UpstreamField {
  provider: string;
  /** The field in the provider's terms, e.g. `UnblendedCost.Amount of AmazonEC2 on 2025-01-02`. */
  field: string;
}

/**
 * normalizeDecimal for a value from a provider's answer (a JSON number or decimal text). Anything else, and any
 * magnitude no bill has (see UPSTREAM_DECIMAL_LIMITS), is RESPONSE_INVALID naming the provider and the field, so a
 * bad value fails its page instead of being stored as a 310-digit cost or stalling the process.
 */
export function upstreamDecimal(value: unknown, where: UpstreamField): string {
  checkUpstreamDecimal(value, where);
  return normalizeDecimal(value as string | number | bigint);
}

/** Throws what upstreamDecimal would for `value` (RESPONSE_INVALID naming provider and field); returns when usable. */
export function checkUpstreamDecimal(value: unknown, where: UpstreamField): void {
  const refuse = (why: string): never => {
    throw new CollectorError('RESPONSE_INVALID', `${where.provider}: ${where.field} is ${shown(value)}: ${why}`, {
      provider: where.provider,
      field: where.field,
    });
  };
  if (typeof value === 'number' && !Number.isFinite(value)) return refuse('not a finite number');
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint')
    return refuse('not a decimal number');
  let magnitude: Magnitude;
  try {
    magnitude = magnitudeOf(String(value));
  } catch (error) {
    return refuse(error instanceof Error && /characters/.test(error.message) ? 'too long' : 'not a decimal number');
  }
  const { integerDigits, scale } = extent(magnitude);
  const limits = UPSTREAM_DECIMAL_LIMITS;
  if (integerDigits > limits.integerDigits)
    return refuse(`beyond ±10^${limits.integerDigits}, more than any bill or meter reading`);
  if (scale > limits.fractionDigits) refuse(`more than ${limits.fractionDigits} digits after the point`);
}

/** A value as an error message shows it: short, quoted when text, its length when long. */
function shown(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40
      ? `${JSON.stringify(`${value.slice(0, 24)}…`)} (${value.length} characters)`
      : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
