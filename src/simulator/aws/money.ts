// The simulated AWS world's own exact arithmetic: every amount is an integer count of minor units (BigInt) at a
// fixed number of places (micro-dollars for costs, thousandths for usage), written as plain decimal text only at
// the edge. Deliberately independent of the product's src/core/decimal.ts, so a mistake there cannot hide in the
// totals the simulator expects.

/** Plain decimal text of `minor` / 10^places without trailing zeros: 12500000n, 6 -> "12.5"; 0n -> "0". */
export function plainFromMinorUnits(minor: bigint, places: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Minor units of plain decimal text (`-12.5`) with at most `places` fractional digits; throws on anything else. */
export function minorUnitsFromPlain(plain: string, places: number): bigint {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(plain);
  const fraction = match?.[3] ?? '';
  if (match === null || fraction.length > places) {
    throw new RangeError(`simulated amount ${JSON.stringify(plain)} is not plain decimal text with ≤ ${places} places`);
  }
  const minor = BigInt(`${match[2] ?? '0'}${fraction.padEnd(places, '0')}`);
  return match[1] === '-' ? -minor : minor;
}

/** The exact sum of plain decimals that each have at most `places` fractional digits ("0" for none). */
export function sumOfPlain(values: readonly string[], places: number): string {
  let total = 0n;
  for (const value of values) total += minorUnitsFromPlain(value, places);
  return plainFromMinorUnits(total, places);
}
