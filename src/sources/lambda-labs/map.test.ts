import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  dollarsPerHour,
  gpuOfInstanceType,
  observationFromInstance,
  priceListFromInstanceTypes,
  resourceFromInstance,
  type LambdaInstance,
  type LambdaInstanceTypes,
} from './map.ts';

const instances = (
  JSON.parse(readFileSync(new URL('./testdata/instances.json', import.meta.url), 'utf8')) as { data: LambdaInstance[] }
).data;
const types = JSON.parse(
  readFileSync(new URL('./testdata/instance-types.json', import.meta.url), 'utf8'),
) as LambdaInstanceTypes;
const NOW = new Date('2026-03-02T12:00:00Z');

test('map: GPU model and count for every instance of a multi-GPU payload', () => {
  const rows = instances.map((instance) => resourceFromInstance(instance, 'lambda_labs', NOW));
  assert.deepEqual(
    rows.map((row) => [row.instance_type, row.gpu_model, row.gpu_model_raw, row.gpu_count, row.price_per_hour]),
    [
      ['gpu_8x_h100_sxm5', 'H100-SXM5-80GB', 'H100 (80 GB SXM5)', 8, '23.92'],
      ['gpu_1x_a10', 'A10', 'A10 (24 GB PCIe)', 1, '0.75'],
      ['gpu_2x_a100_pcie', 'A100-PCIE-40GB', 'A100 (40 GB PCIe)', 2, '2.58'],
      ['gpu_1x_gh200', 'GH200-96GB', 'GH200 (96 GB)', 1, '1.49'],
    ],
  );
});

test('map: inventory row carries addresses for the DCGM join, region, specs and Lambda tags', () => {
  const row = resourceFromInstance(instances[0] as LambdaInstance, 'lambda_labs', NOW);
  assert.deepEqual(row.tags, {
    team: 'research',
    ip: '198.51.100.2',
    private_ip: '10.0.2.100',
    hostname: '10-0-2-100.cloud.lambda.ai',
  });
  assert.equal(row.region_id, 'us-east-1');
  assert.equal(row.vcpus, 208);
  assert.equal(row.memory_bytes, 1800 * 1024 ** 3);
  assert.equal(row.status, 'active');
  assert.equal(row.last_seen_at, '2026-03-02T12:00:00Z');
});

test('map: GPU count falls back to the description prefix, then the type name', () => {
  assert.deepEqual(gpuOfInstanceType({ name: 'gpu_8x_h100_sxm5', description: '8x H100 (80 GB SXM5)' }), {
    model: 'H100-SXM5-80GB',
    raw: 'H100 (80 GB SXM5)',
    count: 8,
  });
  assert.deepEqual(gpuOfInstanceType({ name: 'gpu_4x_a6000' }), { model: null, raw: null, count: 4 });
  assert.deepEqual(
    gpuOfInstanceType({
      name: 'cpu_4x_general',
      description: '4x vCPU general',
      gpu_description: '',
      specs: { gpus: 0 },
    }),
    { model: null, raw: null, count: 0 },
  );
});

test('map: cents per hour become exact dollars', () => {
  assert.equal(dollarsPerHour({ name: 'x', price_cents_per_hour: 2392 }, 'lambda'), '23.92');
  assert.equal(dollarsPerHour({ name: 'x', price_cents_per_hour: 5 }, 'lambda'), '0.05');
  assert.equal(dollarsPerHour({ name: 'x', price_cents_per_hour: '1432' }, 'lambda'), '14.32');
  assert.equal(dollarsPerHour({ name: 'x' }, 'lambda'), null);
});

test('map: the price list (a map keyed by type name) fills a missing embedded price', () => {
  const priceList = priceListFromInstanceTypes(types);
  assert.equal(priceList.size, 4);
  const bare: LambdaInstance = { id: 'x', status: 'active', instance_type: { name: 'gpu_8x_a100_80gb_sxm4' } };
  const observation = observationFromInstance(bare, 'lambda', priceList);
  assert.equal(observation.hourlyPrice, '14.32');
  assert.equal(observation.meta.gpuCount, 8);
});
