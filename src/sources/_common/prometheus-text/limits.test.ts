import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createExpositionParser, parseExposition } from './index.ts';
import type { ParseOptions, ParseResult } from './index.ts';

/** Parses `page` with `options`, returning the result and the names of the samples handed out. */
function parse(page: string, options: ParseOptions): { result: ParseResult; names: string[] } {
  const names: string[] = [];
  const result = parseExposition(page, (sample) => names.push(sample.name), options);
  return { result, names };
}

const labels = (count: number): string => Array.from({ length: count }, (_, i) => `l${i}="v"`).join(',');

describe('limits (Prometheus scrape_config semantics: passing one stops the parse)', () => {
  const cases: Array<{
    name: string;
    page: string;
    options: ParseOptions;
    samples: number;
    limit?: 'sample_limit' | 'label_limit' | 'label_value_length_limit';
    line?: number;
    message?: RegExp;
  }> = [
    { name: 'at the sample limit: fine', page: 'a 1\na 2\na 3\n', options: { sampleLimit: 3 }, samples: 3 },
    {
      name: 'one past the sample limit',
      page: 'a 1\na 2\na 3\na 4\na 5\n',
      options: { sampleLimit: 3 },
      samples: 3,
      limit: 'sample_limit',
      line: 4,
      message: /more than 3 samples \(sample_limit\) at line 4/,
    },
    {
      name: 'skipped names do not count (like samples dropped by relabeling)',
      page: 'skip 1\nskip 2\nskip 3\na 1\n',
      options: { sampleLimit: 1, wantName: (name) => name === 'a' },
      samples: 1,
    },
    {
      name: 'invalid lines do not count',
      page: 'a x\na 1\n',
      options: { sampleLimit: 1 },
      samples: 1,
    },
    { name: '0 is no limit', page: 'a 1\na 2\n', options: { sampleLimit: 0, labelLimit: 0 }, samples: 2 },
    { name: 'at the label limit: fine', page: `a{${labels(3)}} 1\n`, options: { labelLimit: 3 }, samples: 1 },
    {
      name: 'past the label limit',
      page: `a{l="1"} 1\nbig{${labels(4)}} 1\na{l="2"} 1\n`,
      options: { labelLimit: 3 },
      samples: 1,
      limit: 'label_limit',
      line: 2,
      message: /"big" has 4 labels, over label_limit 3/,
    },
    {
      name: 'a quoted name in the braces is not a label',
      page: `{"my.metric", ${labels(2)}} 1\n`,
      options: { labelLimit: 2 },
      samples: 1,
    },
    {
      name: 'at the value length limit (bytes, after unescaping): fine',
      page: 'a{l="é\\\\xx"} 1\n',
      options: { labelValueLengthLimit: 5 },
      samples: 1,
    },
    {
      name: 'past the value length limit',
      page: `a{short="1",long="${'x'.repeat(11)}"} 1\n`,
      options: { labelValueLengthLimit: 10 },
      samples: 0,
      limit: 'label_value_length_limit',
      line: 1,
      message: /label "long" has a 11-byte value, over label_value_length_limit 10/,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const { result, names } = parse(testCase.page, testCase.options);
      assert.equal(names.length, testCase.samples);
      assert.equal(result.samples, testCase.samples);
      assert.equal(result.limitExceeded?.limit, testCase.limit);
      if (testCase.line !== undefined) assert.equal(result.limitExceeded?.line, testCase.line);
      if (testCase.message) assert.match(result.limitExceeded!.message, testCase.message);
    });
  }

  it('checks label sets that come from the shared label-set cache', () => {
    const page = `cached{${labels(5)},v="${'y'.repeat(20)}"} 1\n`;
    assert.equal(parse(page, {}).result.limitExceeded, undefined, 'first parse fills the cache');
    assert.equal(parse(page, { labelLimit: 5 }).result.limitExceeded?.limit, 'label_limit');
    assert.equal(parse(page, { labelValueLengthLimit: 19 }).result.limitExceeded?.limit, 'label_value_length_limit');
    assert.equal(parse(page, { labelLimit: 6, labelValueLengthLimit: 20 }).result.limitExceeded, undefined);
  });

  it('streaming: nothing after the limit is parsed, later pushes are ignored', () => {
    let handed = 0;
    const parser = createExpositionParser(() => (handed += 1), { sampleLimit: 2 });
    parser.push('a 1\na 2\na 3\n');
    parser.push('a 4\nthis is not a valid line\n');
    parser.push('a 5');
    const result = parser.end();
    assert.equal(handed, 2);
    assert.equal(result.samples, 2);
    assert.deepEqual(result.errors, [], 'the invalid line after the limit was never read');
    assert.equal(result.limitExceeded?.line, 3);
  });
});
