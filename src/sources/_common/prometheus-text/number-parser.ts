// Float parsing straight from bytes, with Go ParseFloat's spellings of NaN and infinities.
// Fast path (Clinger): at most 15 significant digits and |exponent| <= 22 give one exact
// double operation, hence a correctly rounded result; anything longer goes to Number().

const POWERS_OF_TEN: Float64Array = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
const latin1 = new TextDecoder('latin1');

/**
 * Parses `[+-]digits[.digits][e[+-]digits]`, `NaN`, `Inf`, `Infinity` (any case, signed) in `buf[start, end)`.
 * `exponentShift` multiplies by 10^shift exactly (3 turns seconds into milliseconds).
 * Returns undefined when the bytes are not a number.
 */
export function parseFloatBytes(buf: Uint8Array, start: number, end: number, exponentShift: number): number | undefined {
  let i = start;
  if (i >= end) return undefined;
  let negative = false;
  let c = buf[i]!;
  if (c === 0x2d || c === 0x2b) {
    negative = c === 0x2d;
    i++;
    if (i >= end) return undefined;
    c = buf[i]!;
  }
  if (c > 0x39 || (c < 0x30 && c !== 0x2e)) return parseSpecial(buf, start, end, i, negative);
  let mantissa = 0;
  let significantDigits = 0;
  let digitsSeen = 0;
  let decimalExponent = 0;
  // Integer part.
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
  if (digitsSeen === 0) return undefined;
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
    if (exponentDigits === 0) return undefined;
    decimalExponent += exponentNegative ? -exponent : exponent;
  }
  if (i !== end) return undefined;
  if (mantissa === 0) return negative ? -0 : 0;
  decimalExponent += exponentShift;
  let value: number;
  if (significantDigits <= 15 && decimalExponent >= -22 && decimalExponent <= 22) {
    value = decimalExponent >= 0 ? mantissa * POWERS_OF_TEN[decimalExponent]! : mantissa / POWERS_OF_TEN[-decimalExponent]!;
  } else {
    // Syntax already checked: Number() rounds the decimal string correctly.
    value = Number(latin1.decode(buf.subarray(start, end)));
    if (exponentShift !== 0) value *= 10 ** exponentShift;
    return value;
  }
  return negative ? -value : value;
}

/** NaN / Inf / Infinity in any case, after an optional sign already consumed at `bodyStart`. */
function parseSpecial(buf: Uint8Array, start: number, end: number, bodyStart: number, negative: boolean): number | undefined {
  const length = end - bodyStart;
  if (length !== 3 && length !== 8) return undefined;
  let word = '';
  for (let i = bodyStart; i < end; i++) word += String.fromCharCode(buf[i]! | 0x20);
  if (word === 'nan') return bodyStart === start ? Number.NaN : undefined;
  if (word === 'inf' || word === 'infinity') return negative ? -Infinity : Infinity;
  return undefined;
}
