import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dcgmPage, nodeExporterPage, vllmPage } from '../../../simulator/exporter-host/pages.ts';
import { seededRandom } from '../../../simulator/random.ts';
import { collectOutcome, loadCorpus } from './corpus.ts';
import type { ParseOutcome } from './corpus.ts';
import { createExpositionParser, parseExposition } from './index.ts';
import type { ParseOptions } from './index.ts';

const SEED = 0x5eed;
/** Bytes the grammar cares about, drawn more often than the rest. */
const GRAMMAR_BYTES = new TextEncoder().encode('{}",=#\\ \t\n\r.eE+-_:0123456789aZNIf}');

function oneShot(input: Uint8Array, options: ParseOptions): ParseOutcome {
  return collectOutcome((onSample, collectOptions) =>
    parseExposition(input, onSample, { ...collectOptions, ...options, onFamily: collectOptions.onFamily! }),
  );
}

function randomlyStreamed(input: Uint8Array, options: ParseOptions, random: () => number): ParseOutcome {
  return collectOutcome((onSample, collectOptions) => {
    const parser = createExpositionParser(onSample, {
      ...collectOptions,
      ...options,
      onFamily: collectOptions.onFamily!,
    });
    for (let at = 0; at < input.length;) {
      const size = 1 + Math.floor(random() * 200);
      parser.push(input.subarray(at, at + size));
      at += size;
    }
    return parser.end();
  });
}

function randomBytes(random: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    bytes[i] =
      random() < 0.6 ? GRAMMAR_BYTES[Math.floor(random() * GRAMMAR_BYTES.length)]! : Math.floor(random() * 256);
  }
  return bytes;
}

/** Flips, inserts, deletes or duplicates a few random spans of a valid page. */
function mutate(page: Uint8Array, random: () => number): Uint8Array {
  let bytes = Array.from(page);
  const mutations = 1 + Math.floor(random() * 8);
  for (let m = 0; m < mutations && bytes.length > 0; m++) {
    const at = Math.floor(random() * bytes.length);
    const kind = random();
    if (kind < 0.3) bytes[at] = GRAMMAR_BYTES[Math.floor(random() * GRAMMAR_BYTES.length)]!;
    else if (kind < 0.5) bytes[at] = Math.floor(random() * 256);
    else if (kind < 0.7) bytes.splice(at, Math.floor(random() * 40));
    else if (kind < 0.85) bytes.splice(at, 0, ...bytes.slice(at, at + Math.floor(random() * 80)));
    else bytes = bytes.slice(0, at);
  }
  return Uint8Array.from(bytes);
}

function validPages(): Array<{ page: Uint8Array; format: 'text' | 'openmetrics' }> {
  const encoder = new TextEncoder();
  return [
    ...loadCorpus().map(({ page, format }) => ({ page, format })),
    { page: encoder.encode(dcgmPage({ gpus: 2, podGpus: [0] })), format: 'text' as const },
    { page: encoder.encode(vllmPage({ format: 'openmetrics' })), format: 'openmetrics' as const },
    { page: encoder.encode(nodeExporterPage({ cpus: 2 })), format: 'text' as const },
  ];
}

function assertSane(outcome: ParseOutcome, input: Uint8Array): void {
  const lines = input.reduce((count, byte) => count + (byte === 0x0a ? 1 : 0), 1);
  for (const line of outcome.errorLines) assert.ok(line >= 1 && line <= lines, `error line ${line} of ${lines}`);
  assert.ok(outcome.samples.length <= lines);
}

describe('fuzz (seeded, bounded)', () => {
  it('never throws on random bytes, and streaming agrees with one-shot', { timeout: 60_000 }, () => {
    const random = seededRandom(SEED);
    const deadline = performance.now() + 10_000;
    for (let round = 0; round < 4000 && performance.now() < deadline; round++) {
      const input = randomBytes(random, Math.floor(random() * 600));
      const format = random() < 0.5 ? 'text' : 'openmetrics';
      const whole = oneShot(input, { format });
      assertSane(whole, input);
      assert.deepEqual(randomlyStreamed(input, { format }, random), whole, `round ${round}`);
    }
  });

  it('never throws on mutated valid pages, and streaming agrees with one-shot', { timeout: 60_000 }, () => {
    const random = seededRandom(SEED + 1);
    const pages = validPages();
    const deadline = performance.now() + 10_000;
    for (let round = 0; round < 1500 && performance.now() < deadline; round++) {
      const { page, format } = pages[round % pages.length]!;
      const input = mutate(page, random);
      const whole = oneShot(input, { format });
      assertSane(whole, input);
      assert.deepEqual(randomlyStreamed(input, { format }, random), whole, `round ${round}`);
      const wanted = oneShot(input, { format, wantName: (name) => name.length % 2 === 0 });
      assert.ok(wanted.samples.length <= whole.samples.length);
    }
  });
});

describe('linear time', () => {
  /** Best-of-7 parse time of `input` (best-of resists noise from other processes). */
  function bestParseMs(input: Uint8Array): number {
    let best = Infinity;
    for (let run = 0; run < 7; run++) {
      const started = performance.now();
      parseExposition(input, () => {});
      best = Math.min(best, performance.now() - started);
    }
    return best;
  }

  function repeat(unit: string, times: number): Uint8Array {
    return new TextEncoder().encode(unit.repeat(times));
  }

  const shapes: Array<[string, (times: number) => Uint8Array]> = [
    ['dcgm pages', (times) => repeat(dcgmPage({ gpus: 8 }), 4 * times)],
    // Past the interner's cap (32k strings) names are decoded one by one: a constant factor slower, so both
    // sizes start beyond it to compare like with like.
    [
      'one line with many distinct labels',
      (times) =>
        new TextEncoder().encode(
          `many{${Array.from({ length: 40_000 * times }, (_, i) => `l${i}="v"`).join(',')}} 1\n`,
        ),
    ],
    [
      'one unterminated quoted value with escapes',
      (times) => new TextEncoder().encode(`open{a="${'\\"x'.repeat(200_000 * times)}\n`),
    ],
    ['open braces', (times) => repeat('{', 400_000 * times)],
    ['many short broken lines', (times) => repeat('a{b="c\\\n', 20_000 * times)],
    ['quotes and exemplar openers', (times) => repeat('x 1 # {"', 60_000 * times)],
  ];

  for (const [shape, build] of shapes) {
    it(`${shape}: 4x the input takes at most ~8x the time`, { timeout: 60_000 }, () => {
      // 2x against 8x rather than 1x against 4x: a few milliseconds of base time is too little to compare
      // on a shared machine (one GC pause once made a linear 4x look like 10x).
      const single = build(2);
      const quadruple = build(8);
      bestParseMs(single);
      const singleMs = Math.max(bestParseMs(single), 2);
      const quadrupleMs = bestParseMs(quadruple);
      assert.ok(quadrupleMs <= 8 * singleMs, `${quadrupleMs.toFixed(1)} ms for 4x vs ${singleMs.toFixed(1)} ms`);
    });
  }
});
