// Unknown GPU models: one warning per model per process, whatever the rows, runs or providers; known ids never.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CostRecord, ResourceRecord } from '../core/model.ts';
import { costRow } from '../../test/support/cost-row.ts';
import { createUnknownGpuModels } from './unknown-gpu-models.ts';

const gpu = (id: string, model: string | null): ResourceRecord => ({
  provider: 'onprem',
  resource_id: id,
  resource_name: null,
  resource_type: 'gpu',
  region_id: null,
  status: 'running',
  instance_type: null,
  gpu_model: model,
  gpu_model_raw: model,
  gpu_count: 1,
  vcpus: null,
  memory_bytes: null,
  price_per_hour: null,
  currency: null,
  tags: null,
  last_seen_at: '2026-01-01T00:00:00Z',
});

test('an unknown model is reported once per process, not per row, run or provider; catalog ids never', () => {
  const unknown = createUnknownGpuModels();
  const warnings: string[] = [];
  const warn = (fields: Record<string, string>): void => void warnings.push(fields.gpu_model ?? '');
  const fleet = Array.from({ length: 1000 }, (_, index) => gpu(`GPU-${index}`, 'Future GPU 9000'));
  unknown.note('onprem', [...fleet, gpu('GPU-x', 'H100-SXM5-80GB'), gpu('GPU-y', null)], warn);
  unknown.note('onprem', fleet, warn);
  unknown.note('other', [gpu('GPU-z', 'Future GPU 9000'), gpu('GPU-w', 'Another One')], warn);
  const cost: CostRecord = { ...costRow(), x_gpu_model: 'Costed Only' };
  unknown.note('onprem', [cost, { ...cost, x_gpu_model: 'L4' }], warn);
  assert.deepEqual(warnings, ['Future GPU 9000', 'Another One', 'Costed Only']);
});
