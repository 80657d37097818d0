import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { KubeList } from '../_common/kubernetes/list.ts';
import { COREWEAVE_BILLING_RULE } from '../_common/derived-cost/index.ts';
import {
  gpuRequestOfPod,
  TRIAGE_STATUS,
  observationFromNode,
  resourceFromNode,
  resourceFromPod,
  type KubeNode,
  type KubePod,
} from './map.ts';

const nodes =
  (JSON.parse(readFileSync(new URL('./testdata/node-list.json', import.meta.url), 'utf8')) as KubeList<KubeNode>)
    .items ?? [];
const pods =
  (JSON.parse(readFileSync(new URL('./testdata/pod-list.json', import.meta.url), 'utf8')) as KubeList<KubePod>).items ??
  [];
const NOW = new Date('2026-03-02T12:00:00Z');
const RATES = { 'gd-8xh100ib-i128': '49.24', 'gd-8xa100-i128': '21.6' };

test('map: GPU model and count for every node (GFD labels, CoreWeave class label + capacity, CPU node)', () => {
  const rows = nodes.map((node) => resourceFromNode(node, 'coreweave', NOW, RATES, 'USD'));
  assert.deepEqual(
    rows.map((row) => [
      row.resource_id,
      row.resource_type,
      row.instance_type,
      row.gpu_model,
      row.gpu_model_raw,
      row.gpu_count,
      row.status,
      row.price_per_hour,
    ]),
    [
      ['g8-001', 'gpu_node', 'gd-8xh100ib-i128', 'H100-SXM5-80GB', 'NVIDIA-H100-80GB-HBM3', 8, 'Ready', '49.24'],
      ['a100-legacy-7', 'gpu_node', 'gd-8xa100-i128', 'A100-SXM4-80GB', 'A100_NVLINK_80GB', 8, 'NotReady', '21.6'],
      ['cpu-03', 'node', 'cd-gp-i64-erapids', null, null, 0, 'Ready', null],
    ],
  );
});

test('map: node tags carry IP and hostname for the DCGM join, allocatable GPUs and cordon state', () => {
  const [first, second] = nodes.map((node) => resourceFromNode(node, 'coreweave', NOW, RATES, 'USD'));
  assert.deepEqual(first?.tags, {
    ip: '10.128.0.11',
    internal_ip: '10.128.0.11',
    hostname: 'g8-001',
    zone: 'US-EAST-04A',
    provider_id: 'coreweave://g8-001',
    gpu_allocatable: '7',
    lifecycle_state: 'production',
    reserved: 'a1b2c3',
  });
  assert.equal(second?.tags?.unschedulable, 'true');
  assert.equal(second?.tags?.hostname, 'a100-legacy-7');
  assert.equal(first?.memory_bytes, 2113327328 * 1024);
  assert.equal(first?.vcpus, 128);
});

test('map: a node bills from its creation timestamp at its rate-card price', () => {
  const observation = observationFromNode(nodes[0] as KubeNode, RATES);
  assert.equal(observation.runningSince?.toISOString(), '2026-02-10T04:00:00.000Z');
  assert.equal(observation.hourlyPrice, '49.24');
  assert.equal(observationFromNode(nodes[2] as KubeNode, RATES).hourlyPrice, null);
});

// CKS "Node lifecycle labels": node.coreweave.cloud/state is the lifecycle state (production, zap, triage);
// node.coreweave.cloud/reserved is the customer Org ID in production and equals the state otherwise.
const LIFECYCLE_CASES: Array<[labels: Record<string, string>, tags: Record<string, string>, billed: boolean]> = [
  [
    { 'node.coreweave.cloud/state': 'production', 'node.coreweave.cloud/reserved': 'a1b2c3' },
    { lifecycle_state: 'production', reserved: 'a1b2c3' },
    true,
  ],
  [
    { 'node.coreweave.cloud/state': 'triage', 'node.coreweave.cloud/reserved': 'triage' },
    { lifecycle_state: 'triage', reserved: 'triage' },
    false,
  ],
  [
    {
      'node.coreweave.cloud/state': 'production',
      'node.coreweave.cloud/reserved': 'a1b2c3',
      'node.coreweave.cloud/reserved-desired': 'd4e5f6',
    },
    { lifecycle_state: 'production', reserved: 'a1b2c3', reserved_desired: 'd4e5f6' },
    true,
  ],
  [
    { 'node.coreweave.cloud/state': 'zap', 'node.coreweave.cloud/reserved': 'zap' },
    { lifecycle_state: 'zap', reserved: 'zap' },
    true,
  ],
  [{}, {}, true],
];

for (const [labels, tags, billed] of LIFECYCLE_CASES) {
  test(`map: lifecycle labels ${JSON.stringify(labels)} are kept; ${billed ? 'billed' : 'not billed'} by the rate card`, () => {
    const node: KubeNode = {
      metadata: {
        name: 'n',
        creationTimestamp: '2026-02-01T00:00:00Z',
        labels: { 'node.kubernetes.io/instance-type': 'gd-8xh100ib-i128', ...labels },
      },
      status: { capacity: { 'nvidia.com/gpu': '8' }, conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const row = resourceFromNode(node, 'coreweave', NOW, RATES, 'USD');
    const kept = Object.fromEntries(
      Object.entries(row.tags ?? {}).filter(([key]) =>
        ['lifecycle_state', 'reserved', 'reserved_desired'].includes(key),
      ),
    );
    assert.deepEqual(kept, tags);
    assert.equal(row.status, 'Ready', 'the row keeps the node readiness');
    const observation = observationFromNode(node, RATES);
    assert.equal(COREWEAVE_BILLING_RULE.billedStates.includes(observation.status), billed);
    assert.equal(observation.status, billed ? 'Ready' : TRIAGE_STATUS);
  });
}

test('map: the recorded triage node is not billed through the rate card', () => {
  assert.equal(observationFromNode(nodes[1] as KubeNode, RATES).status, TRIAGE_STATUS);
  assert.ok(!COREWEAVE_BILLING_RULE.billedStates.includes(TRIAGE_STATUS));
  assert.equal(observationFromNode(nodes[0] as KubeNode, RATES).status, 'Ready');
});

test('map: pod GPU request = max(largest init container, sum of containers); non-GPU pods are skipped', () => {
  assert.deepEqual(pods.map(gpuRequestOfPod), [5, 8, 0]);
  const models = new Map([['g8-001', { model: 'H100-SXM5-80GB', raw: 'NVIDIA-H100-80GB-HBM3' }]]);
  const row = resourceFromPod(pods[0] as KubePod, 'coreweave', NOW, models);
  assert.deepEqual(
    [row?.resource_id, row?.gpu_count, row?.gpu_model, row?.gpu_model_raw, row?.status, row?.tags?.owner],
    ['training/train-llama-0', 5, 'H100-SXM5-80GB', 'NVIDIA-H100-80GB-HBM3', 'Running', 'Job/train-llama'],
  );
  assert.equal(row?.parent_resource_id, 'g8-001', 'the node holds the GPUs the pod uses');
  assert.equal(resourceFromPod(pods[2] as KubePod, 'coreweave', NOW, models), null);
});
