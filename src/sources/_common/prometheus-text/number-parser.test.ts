import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../simulator/random.ts';
import { parseFloatBytes, parseNumberToken, tokenEnd } from './number-parser.ts';

const encoder = new TextEncoder();
const parse = (text: string, shift = 0): number | undefined => {
  const bytes = encoder.encode(text);
  return parseFloatBytes(bytes, 0, bytes.length, shift);
};

describe('parseFloatBytes', () => {
  it('rounds exactly like Number() on random decimals (fast and slow paths)', () => {
    const random = seededRandom(7);
    const digits = (count: number): string => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
    for (let i = 0; i < 50_000; i++) {
      const integer = digits(Math.floor(random() * 20));
      const fraction = random() < 0.6 ? `.${digits(Math.floor(random() * 20))}` : '';
      const exponent = random() < 0.3 ? `e${random() < 0.5 ? '-' : '+'}${Math.floor(random() * 40)}` : '';
      const sign = random() < 0.2 ? '-' : '';
      const text = `${sign}${integer === '' && fraction === '' ? '0' : integer}${fraction}${exponent}`;
      if (text === '-' || /^-?\.(e|$)/.test(text)) continue;
      assert.equal(Object.is(parse(text), Number(text)) || parse(text) === Number(text), true, text);
    }
  });

  it('reads Go spellings of NaN and infinities, and rejects other words', () => {
    assert.ok(Number.isNaN(parse('NaN')!));
    assert.ok(Number.isNaN(parse('nan')!));
    assert.equal(parse('+Inf'), Infinity);
    assert.equal(parse('-inf'), -Infinity);
    assert.equal(parse('Infinity'), Infinity);
    assert.equal(parse('-INFINITY'), -Infinity);
    for (const bad of [
      '',
      '+',
      '-',
      '.',
      'e5',
      '1e',
      '1e+',
      '0x10',
      '1_000',
      '12abc',
      'Infinite',
      '+NaN',
      '1.2.3',
      '--1',
    ]) {
      assert.equal(parse(bad), undefined, bad);
    }
  });

  it('scales by a power of ten without rounding error (seconds to milliseconds)', () => {
    assert.equal(parse('1520879607.789', 3), 1520879607789);
    assert.equal(parse('1.6e9', 3), 1600000000000);
    assert.equal(parse('0.001', 3), 1);
    assert.equal(parse('123', 3), 123000);
  });

  it('keeps -0 and reads large integers as the nearest double', () => {
    assert.ok(Object.is(parse('-0'), -0));
    assert.equal(parse('9223372036854775807'), 2 ** 63);
    assert.equal(parse('9007199254740993'), 9007199254740992);
  });

  it('parseNumberToken stops at a blank and reports where', () => {
    const bytes = encoder.encode('12.5 1700000000000');
    assert.equal(parseNumberToken(bytes, 0, bytes.length, 0), 12.5);
    assert.equal(tokenEnd, 4);
    assert.equal(parseNumberToken(bytes, 5, bytes.length, 0), 1700000000000);
    assert.equal(tokenEnd, bytes.length);
    assert.equal(parseNumberToken(encoder.encode('1x\t2'), 0, 4, 0), undefined);
  });
});
