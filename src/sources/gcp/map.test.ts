import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import {
  instancesOfPage,
  provisioningModelOf,
  regionOfZone,
  resourceFromInstance,
  type ComputeAggregatedList,
  type ComputeInstance,
} from './map.ts';

const context = { provider: 'gcp', projectId: 'ml-prod-4821', seenAt: '2026-12-04T00:00:00.000Z' };
const zone = 'https://www.googleapis.com/compute/v1/projects/ml-prod-4821/zones/us-central1-a';

const cases: Array<
  [string, ComputeInstance, { gpu_model: string | null; gpu_count: number | null; raw: string | null }]
> = [
  [
    'a2 implies 1 A100 40GB',
    { machineType: `${zone}/machineTypes/a2-highgpu-1g` },
    { gpu_model: 'A100-SXM4-40GB', gpu_count: 1, raw: null },
  ],
  [
    'a3 implies 8 H100',
    { machineType: `${zone}/machineTypes/a3-highgpu-8g` },
    { gpu_model: 'H100-SXM5-80GB', gpu_count: 8, raw: null },
  ],
  [
    'g2-standard-48 implies 4 L4',
    { machineType: `${zone}/machineTypes/g2-standard-48` },
    { gpu_model: 'L4', gpu_count: 4, raw: null },
  ],
  [
    'attached T4s',
    {
      machineType: `${zone}/machineTypes/n1-standard-8`,
      guestAccelerators: [{ acceleratorType: `${zone}/acceleratorTypes/nvidia-tesla-t4`, acceleratorCount: 2 }],
    },
    { gpu_model: 'T4', gpu_count: 2, raw: 'nvidia-tesla-t4' },
  ],
  [
    'accelerators win over the machine type',
    {
      machineType: `${zone}/machineTypes/a2-ultragpu-1g`,
      guestAccelerators: [{ acceleratorType: 'nvidia-a100-80gb', acceleratorCount: 1 }],
    },
    { gpu_model: 'A100-SXM4-80GB', gpu_count: 1, raw: 'nvidia-a100-80gb' },
  ],
  ['no GPU', { machineType: `${zone}/machineTypes/e2-standard-4` }, { gpu_model: null, gpu_count: null, raw: null }],
  [
    'zero-count accelerator is none',
    { machineType: 'e2-medium', guestAccelerators: [{ acceleratorType: 'nvidia-l4', acceleratorCount: 0 }] },
    { gpu_model: null, gpu_count: null, raw: null },
  ],
];

for (const [name, instance, expected] of cases) {
  it(`GPU of an instance: ${name}`, () => {
    const row = resourceFromInstance(instance, context);
    assert.equal(row.gpu_model, expected.gpu_model);
    assert.equal(row.gpu_count, expected.gpu_count);
    assert.equal(row.gpu_model_raw, expected.raw);
  });
}

for (const [scheduling, expected] of [
  [undefined, 'STANDARD'],
  [{ provisioningModel: 'SPOT', preemptible: true }, 'SPOT'],
  [{ provisioningModel: 'STANDARD', preemptible: true }, 'PREEMPTIBLE'],
  [{ provisioningModel: 'STANDARD', preemptible: false }, 'STANDARD'],
] as const) {
  it(`provisioning model ${JSON.stringify(scheduling)} -> ${expected}`, () => {
    assert.equal(provisioningModelOf(scheduling === undefined ? {} : { scheduling }), expected);
  });
}

for (const [input, expected] of [
  ['us-central1-a', 'us-central1'],
  ['europe-west4-b', 'europe-west4'],
  [null, null],
] as const) {
  it(`region of zone ${input}`, () => assert.equal(regionOfZone(input), expected));
}

it('a recorded aggregatedList page: instances kept, warning-only zones skipped, row fields', () => {
  const page = JSON.parse(
    readFileSync(new URL('testdata/aggregated-list.json', import.meta.url), 'utf8'),
  ) as ComputeAggregatedList;
  const { instances, warnings } = instancesOfPage(page);
  assert.deepEqual(warnings, [{ scope: 'zones/asia-east1-a', code: 'NO_RESULTS_ON_PAGE' }]);
  assert.equal(instances.length, 2);
  const [first] = instances.map((instance) => resourceFromInstance(instance, context));
  assert.deepEqual(first, {
    provider: 'gcp',
    resource_id: '4871234567890123456',
    resource_name: 'train-a100-0',
    resource_type: 'instance',
    region_id: 'us-central1',
    status: 'RUNNING',
    instance_type: 'a2-highgpu-8g',
    gpu_model: 'A100-SXM4-40GB',
    gpu_model_raw: 'nvidia-tesla-a100',
    gpu_count: 8,
    vcpus: null,
    memory_bytes: null,
    price_per_hour: null,
    currency: null,
    tags: {
      team: 'ml',
      'gcp:project-id': 'ml-prod-4821',
      'gcp:provisioning-model': 'STANDARD',
      'gcp:zone': 'us-central1-a',
    },
    first_seen_at: '2026-10-01T15:00:00.000Z',
    last_seen_at: '2026-12-04T00:00:00.000Z',
  });
});
