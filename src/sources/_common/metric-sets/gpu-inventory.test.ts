// A DCGM GPU row: modelName through the GPU catalog (raw kept), and its host as parent so host and GPUs count once.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpuResource } from './gpu-inventory.ts';
import { hostResourceId } from './host-id.ts';

/** [DCGM labels, expected gpu_model, gpu_model_raw, parent_resource_id]. */
const CASES: ReadonlyArray<readonly [Record<string, string>, string | null, string | null, string | null]> = [
  [
    { modelName: 'NVIDIA H100 80GB HBM3', Hostname: 'gpu-node-0', gpu: '0' },
    'H100-SXM5-80GB',
    'NVIDIA H100 80GB HBM3',
    'host:gpu-node-0',
  ],
  [
    { modelName: 'NVIDIA A100-SXM4-40GB', hostname: 'Trainer-7', gpu: '1' },
    'A100-SXM4-40GB',
    'NVIDIA A100-SXM4-40GB',
    'host:trainer-7',
  ],
  [{ model_name: 'Tesla T4', instance: '10.0.0.5:9400' }, 'T4', 'Tesla T4', 'host:10.0.0.5'],
  [
    { modelName: 'NVIDIA Future GPU 9000', Hostname: 'h' },
    'NVIDIA Future GPU 9000',
    'NVIDIA Future GPU 9000',
    'host:h',
  ],
  [{ gpu: '0' }, null, null, null],
];

test('DCGM GPUs: canonical model beside the raw modelName, parent = the host id node_exporter rows use', () => {
  for (const [labels, model, raw, parent] of CASES) {
    const row = gpuResource('onprem', 'GPU-1', labels, '2026-01-01T00:00:00Z');
    assert.deepEqual(
      [row.gpu_model, row.gpu_model_raw, row.parent_resource_id, row.gpu_count],
      [model, raw, parent, 1],
      JSON.stringify(labels),
    );
    if (row.tags?.host !== undefined) assert.equal(row.parent_resource_id, hostResourceId(row.tags.host));
  }
});
