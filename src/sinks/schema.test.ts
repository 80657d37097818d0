import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seriesKey } from './schema.ts';

// Stored keys must not change across versions: this is the definition the first schema wrote them with.
const reference = (provider: string, name: string, resource: string | null, labels: Record<string, string>): string =>
  [
    provider,
    name,
    resource ?? '',
    ...Object.keys(labels)
      .sort()
      .map((label) => `${label}=${labels[label]}`),
  ].join('\u001f');

test('seriesKey: provider, name, resource and labels sorted by UTF-16 code units, whatever the key order', () => {
  const cases: Array<[string | null, Record<string, string>]> = [
    [null, {}],
    [
      'GPU-1',
      {
        gpu: '0',
        UUID: 'GPU-1',
        Hostname: 'h1',
        modelName: 'NVIDIA H100 80GB HBM3',
        source_metric: 'DCGM_FI_DEV_GPU_UTIL',
      },
    ],
    ['', { b: '2', a: '1', '10': 'ten', '9': 'nine', é: 'accent', Z: 'upper', '😀': 'emoji', ﬀ: 'ligature' }],
    ['x', { z: '', y: 'with=equals\u001fand separator', x: 'line\nbreak' }],
  ];
  for (const [resource, labels] of cases) {
    assert.equal(
      seriesKey('acme', 'hw.gpu.utilization', resource, labels),
      reference('acme', 'hw.gpu.utilization', resource, labels),
    );
    const reversed = Object.fromEntries(Object.entries(labels).reverse());
    assert.equal(
      seriesKey('acme', 'hw.gpu.utilization', resource, reversed),
      reference('acme', 'hw.gpu.utilization', resource, labels),
    );
  }
  assert.equal(seriesKey('acme', 'n', null, { b: '2', a: '1' }), 'acme\u001fn\u001f\u001fa=1\u001fb=2');
});
