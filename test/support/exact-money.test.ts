import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exactCents, exactSum } from './exact-money.ts';

test('exactSum and exactCents: exact over many small amounts, signs, scales and rounding', () => {
  assert.equal(exactSum(Array.from({ length: 1000 }, () => '0.001')), '1');
  assert.equal(exactSum(['13.50', '0.5', '-0.25']), '13.75');
  assert.equal(exactSum([0.1, 0.2]), '0.3');
  assert.equal(exactSum([]), '0');
  assert.equal(exactSum(['-1.10', '1.1']), '0');
  assert.equal(exactCents('12.345'), '12.35');
  assert.equal(exactCents('-12.345'), '-12.35');
  assert.equal(exactCents('7'), '7.00');
  assert.equal(exactCents('0.004999'), '0.00');
  assert.throws(() => exactSum(['1e3']), /not a plain decimal/);
});
