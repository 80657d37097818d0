import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectorError } from './errors.ts';
import {
  DecimalRangeError,
  addDecimals,
  compareDecimals,
  decimalFromMinorUnits,
  divideDecimals,
  isDecimal,
  multiplyDecimals,
  normalizeDecimal,
  roundDecimal,
  subtractDecimals,
  upstreamDecimal,
} from './decimal.ts';

test('normalizeDecimal keeps exact values and drops exponent and trailing zeros', () => {
  const cases: Array<[string | number, string]> = [
    ['1.2300', '1.23'],
    ['0', '0'],
    ['-0.50', '-0.5'],
    ['+7', '7'],
    ['1.2E-5', '0.000012'],
    ['3.5e2', '350'],
    ['0.0000000001', '0.0000000001'],
    [0.1, '0.1'],
    [4529.28, '4529.28'],
    ['.5', '0.5'],
    ['5.', '5'],
  ];
  for (const [input, expected] of cases) assert.equal(normalizeDecimal(input), expected, String(input));
});

test('rejects text that is not a number', () => {
  for (const input of ['', 'abc', '1,5', '$3', '1.2.3', '--1']) {
    assert.equal(isDecimal(input), false, input);
    assert.throws(() => normalizeDecimal(input), RangeError);
  }
});

test('sums are exact where floats drift', () => {
  assert.equal(addDecimals('0.1', '0.2'), '0.3');
  assert.equal(addDecimals(...Array.from({ length: 1000 }, () => '0.01')), '10');
  assert.equal(subtractDecimals('10', '0.01'), '9.99');
  assert.equal(multiplyDecimals('2.749', '24'), '65.976');
  assert.equal(multiplyDecimals('-1.5', '1.5'), '-2.25');
});

test('rounding is half away from zero', () => {
  const cases: Array<[string, number, string]> = [
    ['1.005', 2, '1.01'],
    ['1.004', 2, '1'],
    ['-1.005', 2, '-1.01'],
    ['2.5', 0, '3'],
    ['0.125', 2, '0.13'],
  ];
  for (const [value, places, expected] of cases) assert.equal(roundDecimal(value, places), expected);
});

test('division rounds to the requested places', () => {
  assert.equal(divideDecimals('1', '3', 6), '0.333333');
  assert.equal(divideDecimals('2', '3', 2), '0.67');
  assert.equal(divideDecimals('4529.28', '672', 4), '6.74');
  assert.throws(() => divideDecimals('1', '0', 2), RangeError);
});

test('compare and minor units', () => {
  assert.equal(compareDecimals('1.10', '1.1'), 0);
  assert.equal(compareDecimals('-2', '1'), -1);
  assert.equal(compareDecimals('10', '9.999'), 1);
  assert.equal(decimalFromMinorUnits(149), '1.49');
  assert.equal(decimalFromMinorUnits('2990'), '29.9');
  assert.equal(decimalFromMinorUnits(5, 3), '0.005');
});

test('exponents and digit counts are bounded: a huge expansion is refused at once, never computed', () => {
  const huge = [
    '1e100000000',
    '1e-100000000',
    '-5E+999999999',
    '1e1001',
    '1e-1001',
    `1${'0'.repeat(20_000)}`,
    `0.${'0'.repeat(5_000)}1`,
    '1e99999999999999999999999',
  ];
  for (const input of huge) {
    const started = performance.now();
    assert.throws(() => normalizeDecimal(input), DecimalRangeError, input.slice(0, 30));
    assert.throws(() => addDecimals('1', input), DecimalRangeError, input.slice(0, 30));
    assert.ok(performance.now() - started < 200, `${input.slice(0, 30)} took ${performance.now() - started} ms`);
  }
  // Inside the bounds everything stays exact, and zeros that do not change the value do not count.
  assert.equal(normalizeDecimal('1e30'), `1${'0'.repeat(30)}`);
  assert.equal(normalizeDecimal('1.5e-30'), `0.${'0'.repeat(29)}15`);
  assert.equal(normalizeDecimal(`1${'0'.repeat(5_000)}e-5000`), '1');
  assert.equal(normalizeDecimal(`0.${'0'.repeat(3_000)}`), '0');
  assert.equal(normalizeDecimal('0e999999999999'), '0');
});

test('upstreamDecimal: a value a provider sent that no bill has is RESPONSE_INVALID naming provider and field', () => {
  const refused: Array<[unknown, RegExp]> = [
    ['1e309', /is "1e309": beyond ±10\^18/],
    ['1e100000000', /is "1e100000000": beyond ±10\^18/],
    [1e300, /is 1e\+300: .*10\^18/],
    ['1e18', /10\^18/],
    [-1e18, /10\^18/],
    [`0.${'0'.repeat(40)}1`, /more than 40 digits after the point/],
    ['abc', /is "abc": not a decimal number/],
    ['', /is "": not a decimal number/],
    [Number.NaN, /is NaN: not a finite number/],
    [Number.POSITIVE_INFINITY, /is Infinity: not a finite number/],
    [null, /is null: not a decimal number/],
    [{ amount: 1 }, /is an object: not a decimal number/],
    [`${'9'.repeat(200_000)}`, /is "9999999999.*" \(200000 characters\)/],
  ];
  for (const [value, message] of refused) {
    assert.throws(
      () => upstreamDecimal(value, { provider: 'acme', field: 'invoice.total' }),
      (error: unknown) => {
        assert.ok(error instanceof CollectorError, String(value));
        assert.equal(error.code, 'RESPONSE_INVALID');
        assert.equal(error.retryable, false);
        assert.match(error.message, /^acme: invoice\.total /);
        assert.match(error.message, message);
        assert.ok(error.message.length < 300, error.message.slice(0, 100));
        assert.deepEqual(error.context, { provider: 'acme', field: 'invoice.total' });
        return true;
      },
      String(value).slice(0, 30),
    );
  }
  const accepted: Array<[string | number | bigint, string]> = [
    ['999999999999999999.99', '999999999999999999.99'],
    ['-999999999999999999', '-999999999999999999'],
    ['1.2E-5', '0.000012'],
    [0.1, '0.1'],
    [12n, '12'],
    [`0.${'0'.repeat(39)}1`, `0.${'0'.repeat(39)}1`],
    [5.551115123125783e-17, '0.00000000000000005551115123125783'],
    ['1.50000000000000000000000000000000000000000000000000', '1.5'],
  ];
  for (const [value, expected] of accepted)
    assert.equal(upstreamDecimal(value, { provider: 'acme', field: 'invoice.total' }), expected, String(value));
});
