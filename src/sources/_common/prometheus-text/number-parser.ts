// Float parsing straight from bytes, with Go ParseFloat's spellings of NaN and infinities.
// Fast path (Clinger): at most 15 significant digits and |exponent| <= 22 give one exact
// double operation, hence a correctly rounded result; anything longer goes to Number().

const POWERS_OF_TEN: Float64Array = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
const latin1 = new TextDecoder('latin1');

/** Where the last `parseNumberToken` call stopped: the blank after its token, or `end`. */
export let tokenEnd = 0;

function isBlankOrEnd(buf: Uint8Array, i: number, end: number): boolean {
  return i >= end || buf[i] === 0x20 || buf[i] === 0x09;
}

/**
 * Parses the token at `start` (up to the first space/tab or `end`) as `[+-]digits[.digits][e[+-]digits]`,
 * `NaN`, `Inf` or `Infinity` (any case, signed); sets `tokenEnd`. `exponentShift` multiplies by 10^shift
 * exactly (3 turns seconds into milliseconds). Returns undefined when the token is not a number.
 */
export function parseNumberToken(
  buf: Uint8Array,
  start: number,
  end: number,
  exponentShift: number,
): number | undefined {
  let i = start;
  let negative = false;
  let c = i < end ? buf[i]! : 0x20;
  if (c === 0x2d || c === 0x2b) {
    negative = c === 0x2d;
    i++;
    c = i < end ? buf[i]! : 0x20;
  }
  if (c > 0x39 || (c < 0x30 && c !== 0x2e)) return parseSpecial(buf, start, end, i, negative);
  let mantissa = 0;
  let significantDigits = 0;
  let digitsSeen = 0;
  let decimalExponent = 0;
  for (; i < end; i++) {
    c = buf[i]! - 0x30;
    if (c < 0 || c > 9) break;
    digitsSeen++;
    if (significantDigits < 16) {
      if (mantissa !== 0 || c !== 0) {
        mantissa = mantissa * 10 + c;
        significantDigits++;
      }
    } else {
      decimalExponent++;
    }
  }
  if (i < end && buf[i] === 0x2e) {
    i++;
    for (; i < end; i++) {
      c = buf[i]! - 0x30;
      if (c < 0 || c > 9) break;
      digitsSeen++;
      if (significantDigits < 16) {
        if (mantissa !== 0 || c !== 0) {
          mantissa = mantissa * 10 + c;
          significantDigits++;
        }
        decimalExponent--;
      }
    }
  }
  if (i < end && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i++;
    let exponentNegative = false;
    if (i < end && (buf[i] === 0x2d || buf[i] === 0x2b)) {
      exponentNegative = buf[i] === 0x2d;
      i++;
    }
    let exponent = 0;
    let exponentDigits = 0;
    for (; i < end; i++) {
      c = buf[i]! - 0x30;
      if (c < 0 || c > 9) break;
      exponentDigits++;
      if (exponent < 100000) exponent = exponent * 10 + c;
    }
    if (exponentDigits === 0) return invalidToken(buf, i, end);
    decimalExponent += exponentNegative ? -exponent : exponent;
  }
  if (digitsSeen === 0 || !isBlankOrEnd(buf, i, end)) return invalidToken(buf, i, end);
  tokenEnd = i;
  if (mantissa === 0) return negative ? -0 : 0;
  decimalExponent += exponentShift;
  if (significantDigits <= 15 && decimalExponent >= -22 && decimalExponent <= 22) {
    const value =
      decimalExponent >= 0 ? mantissa * POWERS_OF_TEN[decimalExponent]! : mantissa / POWERS_OF_TEN[-decimalExponent]!;
    return negative ? -value : value;
  }
  // Syntax already checked: Number() rounds the decimal string correctly.
  const value = Number(latin1.decode(buf.subarray(start, i)));
  return exponentShift === 0 ? value : value * 10 ** exponentShift;
}

/** Parses exactly `buf[start, end)` as one number (see `parseNumberToken`); undefined if it is not. */
export function parseFloatBytes(
  buf: Uint8Array,
  start: number,
  end: number,
  exponentShift: number,
): number | undefined {
  const value = parseNumberToken(buf, start, end, exponentShift);
  return tokenEnd === end ? value : undefined;
}

/** Moves `tokenEnd` past the rest of an invalid token. */
function invalidToken(buf: Uint8Array, from: number, end: number): undefined {
  let i = from;
  while (!isBlankOrEnd(buf, i, end)) i++;
  tokenEnd = i;
  return undefined;
}

/** NaN / Inf / Infinity in any case, after an optional sign already consumed at `bodyStart`. */
function parseSpecial(
  buf: Uint8Array,
  start: number,
  end: number,
  bodyStart: number,
  negative: boolean,
): number | undefined {
  let stop = bodyStart;
  while (!isBlankOrEnd(buf, stop, end)) stop++;
  tokenEnd = stop;
  const length = stop - bodyStart;
  if (length !== 3 && length !== 8) return undefined;
  let word = '';
  for (let i = bodyStart; i < stop; i++) word += String.fromCharCode(buf[i]! | 0x20);
  if (word === 'nan') return bodyStart === start ? Number.NaN : undefined;
  if (word === 'inf' || word === 'infinity') return negative ? -Infinity : Infinity;
  return undefined;
}
