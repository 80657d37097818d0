import assert from 'node:assert/strict';
import { it } from 'node:test';
import { samplesFromTimeSeries, type MonitoringTimeSeries } from './map-metrics.ts';
import { MONITORING_METRICS } from './metric-catalog.ts';

const spec = (type: string) => {
  const found = MONITORING_METRICS.find((item) => item.type === type);
  assert.ok(found);
  return found;
};
const context = { provider: 'gcp', projectId: 'ml-prod-4821' };
const resource = {
  type: 'gce_instance',
  labels: { project_id: 'ml-prod-4821', instance_id: '123', zone: 'us-central1-a' },
};
const interval = { startTime: '2026-12-04T09:50:00Z', endTime: '2026-12-04T09:55:00Z' };

const cases: Array<[string, string, MonitoringTimeSeries['points'], Record<string, string>, number[]]> = [
  [
    'cpu fraction kept',
    'compute.googleapis.com/instance/cpu/utilization',
    [{ interval, value: { doubleValue: 0.42 } }],
    {},
    [0.42],
  ],
  [
    'int64 as a string',
    'compute.googleapis.com/instance/network/sent_bytes_count',
    [{ interval, value: { int64Value: '1234' } }],
    {},
    [1234],
  ],
  [
    'GPU percent to ratio',
    'agent.googleapis.com/gpu/utilization',
    [{ interval, value: { doubleValue: 75 } }],
    { gpu_number: '3' },
    [0.75],
  ],
  [
    'point without a value skipped',
    'compute.googleapis.com/instance/cpu/utilization',
    [
      { interval, value: {} },
      { interval: {}, value: { doubleValue: 1 } },
    ],
    {},
    [],
  ],
];

for (const [name, type, points, metricLabels, values] of cases) {
  it(`timeSeries mapping: ${name}`, () => {
    const samples = samplesFromTimeSeries(
      { metric: { type, labels: metricLabels }, resource, points },
      spec(type),
      context,
    );
    assert.deepEqual(
      samples.map((sample) => sample.value),
      values,
    );
    for (const sample of samples) {
      assert.equal(sample.ts, '2026-12-04T09:55:00.000Z');
      assert.equal(sample.resource_id, '123');
      assert.equal(sample.labels['cloud.availability_zone'], 'us-central1-a');
    }
  });
}

it('a GPU series carries gpu and hw.id like the DCGM set', () => {
  const type = 'agent.googleapis.com/gpu/memory/bytes_used';
  const [sample] = samplesFromTimeSeries(
    {
      metric: { type, labels: { gpu_number: '1', model: 'NVIDIA L4' } },
      resource,
      points: [{ interval, value: { doubleValue: 2048 } }],
    },
    spec(type),
    context,
  );
  assert.deepEqual(sample?.labels, {
    'hw.type': 'gpu',
    source_metric: type,
    'cloud.account.id': 'ml-prod-4821',
    'cloud.availability_zone': 'us-central1-a',
    gpu: '1',
    'hw.id': '123/gpu1',
    'gpu.model': 'NVIDIA L4',
  });
  assert.equal(sample?.unit, 'By');
});
