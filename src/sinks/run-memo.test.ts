import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricSample } from '../core/model.ts';
import { RunMemos } from './run-memo.ts';

const labelSets = Array.from({ length: 4 }, (_, gpu) => Object.freeze({ gpu: String(gpu), UUID: `GPU-${gpu}` }));
const scrape = (labels: ReadonlyArray<Record<string, string>> = labelSets, name = 'hw.gpu.power'): MetricSample[] =>
  labels.map((set) => ({
    ts: '2026-11-26T10:00:00.000Z',
    provider: 'acme',
    name,
    category: 'gpu',
    value: 1,
    unit: 'W',
    resource_id: set.UUID ?? null,
    labels: set,
  }));

function remembered(samples: MetricSample[], ids: number[], order: number[]): RunMemos {
  const memos = new RunMemos();
  memos.remember(samples, 0, samples.length, Float64Array.from(ids), Uint32Array.from(order));
  return memos;
}

function filled(memos: RunMemos, samples: MetricSample[]): { ids: number[]; order: number[] } | undefined {
  const ids = new Float64Array(samples.length + 2);
  const order = new Uint32Array(samples.length + 2);
  // Filled at an offset, as a run in the middle of a batch.
  const padded = [samples[0]!, samples[0]!, ...samples];
  if (!memos.fill(padded, 2, padded.length, ids, order)) return undefined;
  return { ids: [...ids.subarray(2)], order: [...order.subarray(2)].map((index) => index - 2) };
}

test('a run with the same labels objects, names, resources and provider is filled from its memo, order included', () => {
  const memos = remembered(scrape(), [40, 10, 30, 20], [1, 3, 2, 0]);
  assert.deepEqual(filled(memos, scrape()), { ids: [40, 10, 30, 20], order: [1, 3, 2, 0] });
  const inOrder = remembered(scrape(), [1, 2, 3, 4], [0, 1, 2, 3]);
  assert.deepEqual(filled(inOrder, scrape()), { ids: [1, 2, 3, 4], order: [0, 1, 2, 3] });
});

test('any difference is a miss: another labels object with equal content, a name, a resource, a provider, a length', () => {
  const memos = remembered(scrape(), [1, 2, 3, 4], [0, 1, 2, 3]);
  const cases: Array<[string, MetricSample[]]> = [
    ['labels object', scrape([labelSets[0]!, Object.freeze({ ...labelSets[1]! }), labelSets[2]!, labelSets[3]!])],
    ['name', scrape(labelSets, 'hw.gpu.temperature')],
    ['resource', scrape().map((sample, index) => (index === 2 ? { ...sample, resource_id: 'GPU-x' } : sample))],
    ['provider', scrape().map((sample, index) => (index === 3 ? { ...sample, provider: 'other' } : sample))],
    ['shorter', scrape(labelSets.slice(0, 3))],
    ['longer', scrape([...labelSets, labelSets[0]!])],
  ];
  for (const [what, samples] of cases) assert.equal(filled(memos, samples), undefined, what);
});

test('runs with labels that are not frozen are never remembered; clear forgets every run', () => {
  const plain = scrape(labelSets.map((set) => ({ ...set })));
  assert.equal(filled(remembered(plain, [1, 2, 3, 4], [0, 1, 2, 3]), plain), undefined);
  const memos = remembered(scrape(), [1, 2, 3, 4], [0, 1, 2, 3]);
  memos.clear();
  assert.equal(filled(memos, scrape()), undefined);
});
