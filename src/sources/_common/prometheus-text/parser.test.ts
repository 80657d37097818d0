import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dcgmFamilies, exporterPage, nodeFamilies, vllmFamilies } from '../../../simulator/exporter-host/pages.ts';
import { collectOutcome, jsonValue, loadCorpus } from './corpus.ts';
import { createExpositionParser, parseExposition } from './index.ts';
import type { ExpositionSample, FamilyMeta } from './index.ts';

describe('exposition corpus (testdata/<case>.txt + .json)', () => {
  for (const testCase of loadCorpus()) {
    it(testCase.name, () => {
      const outcome = collectOutcome((onSample, options) =>
        parseExposition(testCase.page, onSample, { ...options, format: testCase.format }),
      );
      assert.deepEqual(outcome, testCase.expected);
    });
  }

  it('gives the same result for a string and for its bytes', () => {
    for (const testCase of loadCorpus()) {
      const text = new TextDecoder().decode(testCase.page);
      const outcome = collectOutcome((onSample, options) =>
        parseExposition(text, onSample, { ...options, format: testCase.format }),
      );
      assert.deepEqual(outcome, testCase.expected, testCase.name);
    }
  });

  it('gives the same samples with reuseSample (one object, copied by the caller)', () => {
    for (const testCase of loadCorpus()) {
      const copies: ExpositionSample[] = [];
      let previous: ExpositionSample | undefined;
      let same = true;
      parseExposition(
        testCase.page,
        (sample) => {
          if (previous !== undefined && previous !== sample) same = false;
          previous = sample;
          copies.push(
            sample.timestampMs === undefined
              ? { name: sample.name, labels: sample.labels, value: sample.value }
              : { ...sample },
          );
        },
        { format: testCase.format, reuseSample: true },
      );
      const fresh: ExpositionSample[] = [];
      parseExposition(testCase.page, (sample) => fresh.push(sample), { format: testCase.format });
      assert.deepEqual(copies, fresh, testCase.name);
      assert.ok(same, testCase.name);
    }
  });

  it('gives the same result on a second parse (shared caches warm)', () => {
    for (const testCase of loadCorpus()) {
      for (let round = 0; round < 2; round++) {
        const outcome = collectOutcome((onSample, options) =>
          parseExposition(testCase.page, onSample, { ...options, format: testCase.format }),
        );
        assert.deepEqual(outcome, testCase.expected, testCase.name);
      }
    }
  });
});

describe('simulated exporter pages', () => {
  const sortedSamples = (samples: Array<{ name: string; labels: Record<string, string>; value: number }>): string[] =>
    samples
      .map((sample) => JSON.stringify([sample.name, Object.entries(sample.labels).sort(), jsonValue(sample.value)]))
      .sort();

  for (const [kind, families] of [
    ['dcgm', dcgmFamilies({ gpus: 8, podGpus: [0, 1] })],
    ['vllm', vllmFamilies({ models: ['a/b', 'c/d'] })],
    ['node_exporter', nodeFamilies({ cpus: 4 })],
  ] as const) {
    for (const format of ['text', 'openmetrics'] as const) {
      it(`reads every sample of a ${kind} page (${format})`, () => {
        const page = exporterPage(families, format);
        const samples: ExpositionSample[] = [];
        const types: FamilyMeta[] = [];
        const result = parseExposition(page.text, (sample) => samples.push(sample), {
          format,
          onFamily: (meta) => types.push(meta),
        });
        assert.deepEqual(result.errors, []);
        assert.equal(result.sawEof, format === 'openmetrics');
        assert.equal(result.samples, page.samples.length);
        assert.deepEqual(sortedSamples(samples), sortedSamples(page.samples));
        // OpenMetrics names a counter family without its `_total` suffix (and the simulator serves
        // suffix-less counters such as dcgm's energy as `unknown`), so types are compared in text only.
        const familyName = (family: { name: string; type: string }): string =>
          format === 'openmetrics' && family.type === 'counter' ? family.name.replace(/_total$/, '') : family.name;
        assert.deepEqual(
          types.map((meta) => meta.name),
          families.map(familyName),
        );
        if (format === 'text')
          assert.deepEqual(
            types.map((meta) => meta.type),
            families.map((family) => family.type),
          );
      });
    }
  }
});

describe('parse options', () => {
  const page = [
    '# HELP keep_me Kept.',
    '# TYPE keep_me gauge',
    'keep_me{a="1"} 1',
    'drop_me{a="1"} 2',
    'drop_me{a="2"} 3',
    '{"keep.dotted","a"="1"} 4',
    '{"drop.dotted","a"="1"} 5',
    'drop_me{a="bad',
    '',
  ].join('\n');

  it('wantName skips unwanted series, asks once per name, and does not validate skipped lines', () => {
    const asked: string[] = [];
    const names: string[] = [];
    const result = parseExposition(page, (sample) => names.push(sample.name), {
      wantName: (name) => {
        asked.push(name);
        return name.startsWith('keep');
      },
    });
    assert.deepEqual(names, ['keep_me', 'keep.dotted']);
    assert.equal(result.samples, 2);
    assert.equal(result.skipped, 4);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(asked.sort(), ['drop.dotted', 'drop_me', 'keep.dotted', 'keep_me']);
  });

  it('maxErrors caps the recorded errors but parsing goes on', () => {
    const text = `${'broken line\n'.repeat(50)}good 1\n`;
    let samples = 0;
    const result = parseExposition(text, () => samples++, { maxErrors: 5 });
    assert.equal(result.errors.length, 5);
    assert.equal(result.invalid, 50, 'every invalid line is counted, recorded or not');
    assert.deepEqual(
      result.errors.map((error) => error.line),
      [1, 2, 3, 4, 5],
    );
    assert.equal(samples, 1);
  });

  it('defaults to 100 recorded errors', () => {
    const result = parseExposition('x\n'.repeat(500), () => {});
    assert.equal(result.errors.length, 100);
  });

  it('reads text timestamps as integer milliseconds and OpenMetrics ones as seconds', () => {
    const text: ExpositionSample[] = [];
    parseExposition('a 1 1700000000123\nb 1 -5\n', (sample) => text.push(sample));
    assert.deepEqual(
      text.map((sample) => sample.timestampMs),
      [1700000000123, -5],
    );
    const openMetrics: ExpositionSample[] = [];
    parseExposition('a 1 1700000000.123\nb 1 1700000000\nc 1 1.7e9\n# EOF\n', (sample) => openMetrics.push(sample), {
      format: 'openmetrics',
    });
    assert.deepEqual(
      openMetrics.map((sample) => sample.timestampMs),
      [1700000000123, 1700000000000, 1700000000000],
    );
    const bad = parseExposition('a 1 1.5\n', () => assert.fail('float timestamp accepted in text'));
    assert.deepEqual(
      bad.errors.map((error) => error.line),
      [1],
    );
  });

  it('keeps a sample without timestamp free of a timestampMs property', () => {
    parseExposition('a 1\n', (sample) => assert.equal(Object.hasOwn(sample, 'timestampMs'), false));
  });

  it('hands out a fresh labels object per sample, even from the label-set cache', () => {
    const samples: ExpositionSample[] = [];
    parseExposition('a{x="1"} 1\nb{x="1"} 2\n', (sample) => samples.push(sample));
    parseExposition('a{x="1"} 1\n', (sample) => samples.push(sample));
    samples[0]!.labels.x = 'changed';
    assert.equal(samples[1]!.labels.x, '1');
    assert.equal(samples[2]!.labels.x, '1');
  });

  it('does not let a __proto__ label change the prototype of labels', () => {
    for (let round = 0; round < 2; round++) {
      parseExposition('a{__proto__="x",b="y"} 1\n', (sample) => {
        assert.equal(Object.getPrototypeOf(sample.labels), Object.prototype);
        assert.deepEqual(Object.keys(sample.labels), ['__proto__', 'b']);
        assert.equal(Object.getOwnPropertyDescriptor(sample.labels, '__proto__')?.value, 'x');
      });
    }
  });
});

describe('bounded shared caches', () => {
  it('stay correct while they fill up and empty themselves (80k distinct series, twice)', () => {
    const lines: string[] = [];
    for (let i = 0; i < 80_000; i++) lines.push(`series_${i % 7}{id="${i}",shard="${i % 13}"} ${i}`);
    const page = `${lines.join('\n')}\n`;
    for (let round = 0; round < 2; round++) {
      let count = 0;
      const result = parseExposition(page, (sample) => {
        assert.equal(sample.name, `series_${sample.value % 7}`);
        assert.deepEqual(sample.labels, { id: String(sample.value), shard: String(sample.value % 13) });
        count++;
      });
      assert.deepEqual(result.errors, []);
      assert.equal(count, 80_000);
    }
  });
});

describe('streaming parser lifecycle', () => {
  it('end() is idempotent and pushes after it are ignored', () => {
    let samples = 0;
    const parser = createExpositionParser(() => samples++);
    parser.push('a 1\nb');
    parser.push(' 2');
    const first = parser.end();
    parser.push('\nc 3\n');
    assert.equal(parser.end(), first);
    assert.equal(first.samples, 2);
    assert.equal(samples, 2);
  });

  it('accepts an empty input', () => {
    assert.deepEqual(
      parseExposition('', () => {}),
      { samples: 0, skipped: 0, invalid: 0, errors: [], sawEof: false },
    );
  });

  it('lets an exception thrown by onSample propagate', () => {
    assert.throws(
      () =>
        parseExposition('a 1\n', () => {
          throw new Error('consumer failed');
        }),
      /consumer failed/,
    );
  });
});

describe('sharedLabels', () => {
  // The third line reuses the cached set, then opens a second one: the parser must not write into the shared object.
  const page = 'a{gpu="0",UUID="GPU-x"} 1\nb{gpu="0",UUID="GPU-x"} 2\nc{gpu="0",UUID="GPU-x"} {z="1" 3\n';
  const labelsOf = (options: { sharedLabels?: boolean }): Array<Record<string, string>> => {
    const labels: Array<Record<string, string>> = [];
    parseExposition(page, (sample) => labels.push(sample.labels), options);
    return labels;
  };

  it('hands out one frozen object per label set, across samples and parses', () => {
    const [first, second] = labelsOf({ sharedLabels: true });
    const [again] = labelsOf({ sharedLabels: true });
    assert.deepEqual(first, { gpu: '0', UUID: 'GPU-x' });
    assert.ok(Object.isFrozen(first));
    assert.equal(first, second);
    assert.equal(first, again);
  });

  it('without it every sample gets its own mutable copy, and the same values', () => {
    const plain = labelsOf({});
    const [first, second] = plain;
    assert.notEqual(first, second);
    assert.ok(!Object.isFrozen(first));
    assert.deepEqual(plain, labelsOf({ sharedLabels: true }));
  });

  it('an invalid line after a cached label set is an error, not a crash', () => {
    const errors: string[] = [];
    const result = parseExposition(page, () => undefined, { sharedLabels: true });
    for (const error of result.errors) errors.push(error.message);
    assert.equal(result.samples, 2);
    assert.equal(errors.length, 1);
  });
});
