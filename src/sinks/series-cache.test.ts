import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricSample } from '../core/model.ts';
import { SeriesCache } from './series-cache.ts';

const sample = (labels: Record<string, string>, overrides: Partial<MetricSample> = {}): MetricSample => ({
  ts: '2026-11-26T10:00:00.000Z',
  provider: 'acme',
  name: 'hw.gpu.power',
  category: 'gpu',
  value: 1,
  unit: 'W',
  resource_id: 'GPU-1',
  labels,
  ...overrides,
});

test("labels are compared by content, in any key order; a later change to the caller's object does not move the series", () => {
  const cache = new SeriesCache();
  const labels = { gpu: '0', host: 'h1' };
  cache.set(sample(labels), 7);
  assert.equal(cache.get(sample({ host: 'h1', gpu: '0' })), 7);
  labels.gpu = '1';
  assert.equal(cache.get(sample(labels)), undefined);
  assert.equal(cache.get(sample({ gpu: '0', host: 'h1' })), 7);
  assert.equal(cache.get(sample({ gpu: '0' })), undefined, 'a subset is another series');
  assert.equal(cache.get(sample({ gpu: '0', host: 'h1', extra: 'x' })), undefined, 'a superset is another series');
  assert.equal(cache.get(sample({ gpu: '0', host: 'h1' }, { name: 'hw.gpu.temperature' })), undefined);
  assert.equal(cache.get(sample({ gpu: '0', host: 'h1' }, { provider: 'other' })), undefined);
  assert.equal(cache.get(sample({ gpu: '0', host: 'h1' }, { resource_id: 'GPU-2' })), undefined);
});

test('inherited member names are not labels; null and empty resource are the same series, as in seriesKey', () => {
  const cache = new SeriesCache();
  cache.set(sample({}, { resource_id: null }), 1);
  assert.equal(cache.get(sample({ toString: 'x' }, { resource_id: null })), undefined);
  assert.equal(cache.get(sample({}, { resource_id: '' })), 1);
});

test('many series under one resource fall back to a string key and are all found', () => {
  const cache = new SeriesCache();
  for (let cpu = 0; cpu < 50; cpu++)
    cache.set(sample({ cpu: String(cpu), mode: 'idle' }, { resource_id: null }), cpu + 100);
  for (let cpu = 0; cpu < 50; cpu++)
    assert.equal(cache.get(sample({ cpu: String(cpu), mode: 'idle' }, { resource_id: null })), cpu + 100);
  assert.equal(cache.get(sample({ cpu: '50', mode: 'idle' }, { resource_id: null })), undefined);
});

test('frozen labels are found by identity for each name; clear forgets everything', () => {
  const cache = new SeriesCache();
  const shared = Object.freeze({ gpu: '0' });
  cache.set(sample(shared), 1);
  cache.set(sample(shared, { name: 'hw.gpu.temperature' }), 2);
  assert.equal(cache.get(sample(shared)), 1);
  assert.equal(cache.get(sample(shared, { name: 'hw.gpu.temperature' })), 2);
  assert.equal(
    cache.get(sample(Object.freeze({ gpu: '0' }))),
    undefined,
    'another frozen object: the sink resolves it by key',
  );
  assert.equal(cache.get(sample({ gpu: '0' })), undefined, 'frozen labels leave no content entry');
  cache.clear();
  assert.equal(cache.get(sample(shared)), undefined);
});
