import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../simulator/random.ts';
import { collectOutcome, loadCorpus } from './corpus.ts';
import type { ParseOutcome } from './corpus.ts';
import { createExpositionParser } from './index.ts';
import type { ParseOptions } from './index.ts';

/** Streams `chunks` through a parser and collects the outcome. */
function streamed(chunks: ReadonlyArray<Uint8Array | string>, options: ParseOptions): ParseOutcome {
  return collectOutcome((onSample, collectOptions) => {
    const parser = createExpositionParser(onSample, {
      ...collectOptions,
      ...options,
      onFamily: collectOptions.onFamily!,
    });
    for (const chunk of chunks) parser.push(chunk);
    return parser.end();
  });
}

describe('streaming over the corpus', () => {
  const corpus = loadCorpus();

  it('gives the one-shot result when a page is cut in two at every byte', () => {
    for (const testCase of corpus) {
      const { page, format } = testCase;
      for (let cut = 0; cut <= page.length; cut++) {
        const outcome = streamed([page.subarray(0, cut), page.subarray(cut)], { format });
        assert.deepEqual(outcome, testCase.expected, `${testCase.name} cut at byte ${cut}`);
      }
    }
  });

  it('gives the one-shot result byte by byte', () => {
    for (const testCase of corpus) {
      const chunks = Array.from(testCase.page, (byte) => Uint8Array.of(byte));
      assert.deepEqual(streamed(chunks, { format: testCase.format }), testCase.expected, testCase.name);
    }
  });

  it('gives the one-shot result for random chunkings, including empty chunks', () => {
    const random = seededRandom(20240611);
    for (const testCase of corpus) {
      for (let round = 0; round < 50; round++) {
        const chunks: Uint8Array[] = [];
        for (let at = 0; at < testCase.page.length;) {
          const size = Math.floor(random() * random() * 64);
          chunks.push(testCase.page.subarray(at, at + size));
          at += size;
        }
        assert.deepEqual(
          streamed(chunks, { format: testCase.format }),
          testCase.expected,
          `${testCase.name} round ${round}`,
        );
      }
    }
  });

  it('gives the one-shot result for string chunks cut at every UTF-16 unit (surrogate pairs too)', () => {
    for (const testCase of corpus) {
      const text = new TextDecoder().decode(testCase.page);
      for (let cut = 0; cut <= text.length; cut++) {
        const outcome = streamed([text.slice(0, cut), text.slice(cut)], { format: testCase.format });
        assert.deepEqual(outcome, testCase.expected, `${testCase.name} cut at unit ${cut}`);
      }
    }
  });

  it('does not copy a long line again on every chunk (linear carry)', () => {
    const line = `long{v="${'x'.repeat(4 << 20)}"} 1\n`;
    const bytes = new TextEncoder().encode(line);
    let value = '';
    const parser = createExpositionParser((sample) => (value = sample.labels.v!));
    const started = performance.now();
    for (let at = 0; at < bytes.length; at += 1024) parser.push(bytes.subarray(at, at + 1024));
    const result = parser.end();
    assert.equal(result.samples, 1);
    assert.equal(value.length, 4 << 20);
    // Re-concatenating the carry on every push would copy ~8 GB here; doubling copies ~8 MB.
    assert.ok(performance.now() - started < 5000);
  });
});
