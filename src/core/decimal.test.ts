import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDecimals,
  compareDecimals,
  decimalFromMinorUnits,
  divideDecimals,
  isDecimal,
  multiplyDecimals,
  normalizeDecimal,
  roundDecimal,
  subtractDecimals,
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
