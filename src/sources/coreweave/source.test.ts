import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDecimals } from '../../core/decimal.ts';
import { CollectorError } from '../../core/errors.ts';
import { collectOnce } from '../../../test/support/test-context.ts';
import {
  COREWEAVE_SIM_NODES_ONLY_TOKEN,
  COREWEAVE_SIM_TOKEN,
  coreweaveSimulation,
} from '../../simulator/coreweave/index.ts';
import type { RunningSimulation } from '../../simulator/provider.ts';
import { coreweaveFactory } from './factory.ts';

const NOW = new Date('2026-03-02T12:00:00Z');

async function collect(block: Record<string, unknown>) {
  return collectOnce(coreweaveFactory, 'coreweave', block, {
    now: NOW,
    costWindow: { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-03T00:00:00Z') },
  });
}

function api(simulation: RunningSimulation): Record<string, unknown> {
  return simulation.providerBlock.api as Record<string, unknown>;
}

async function expireContinueTokens(simulation: RunningSimulation, count: number): Promise<void> {
  const response = await fetch(`${simulation.servers[0]?.url}/sim/expire-continue-tokens`, {
    method: 'POST',
    body: JSON.stringify({ count }),
  });
  assert.equal(response.status, 200);
}

test('coreweave wire: nodes over 3 pages and GPU pods, GPU model and count right for every node', async () => {
  const simulation = await coreweaveSimulation.start({ seed: 2 });
  try {
    const emitter = await collect(api(simulation));
    const nodes = emitter.resourceRows.filter(
      (row) => row.resource_type === 'gpu_node' || row.resource_type === 'node',
    );
    assert.equal(nodes.length, 24);
    assert.equal(emitter.calls['k8s:ListNodes'], 3);
    for (const row of nodes) {
      const expected = Number(/^gd-(\d+)x/.exec(row.instance_type ?? '')?.[1] ?? '0');
      assert.equal(row.gpu_count, expected, row.resource_id);
      assert.equal(row.gpu_model === null, expected === 0, row.resource_id);
      assert.ok(row.tags?.ip && row.tags.hostname);
    }
    const pods = emitter.resourceRows.filter((row) => row.resource_type === 'pod');
    assert.ok(pods.length > 0 && pods.every((row) => (row.gpu_count ?? 0) > 0 && row.gpu_model !== null));
    const nodeIds = new Set(nodes.map((row) => row.resource_id));
    assert.ok(
      pods.every((row) => row.parent_resource_id === row.tags?.node && nodeIds.has(row.parent_resource_id ?? '')),
      'every GPU pod names the node whose GPUs it uses',
    );
    assert.equal(emitter.calls['k8s:ListPods'], 4);
    assert.deepEqual(simulation.servers[0]?.unexpected, []);
  } finally {
    await simulation.close();
  }
});

test('coreweave wire: a stale continue token (410 Expired) restarts the list from scratch and completes it', async () => {
  const simulation = await coreweaveSimulation.start({ seed: 2 });
  try {
    await expireContinueTokens(simulation, 1);
    const emitter = await collect(api(simulation));
    const nodeIds = new Set(
      emitter.resourceRows.filter((row) => row.resource_type !== 'pod').map((row) => row.resource_id),
    );
    assert.equal(nodeIds.size, 24);
    // page 1, page 2 -> 410, restart: page 1, 2, 3.
    assert.equal(emitter.calls['k8s:ListNodes'], 5);
    const continued = simulation.servers[0]?.requests
      .filter((request) => request.path === '/api/v1/nodes')
      .map((request) => request.query.get('continue') !== null);
    assert.deepEqual(continued, [false, true, false, true, true]);
    assert.equal(emitter.partials.length, 0);
  } finally {
    await simulation.close();
  }
});

test('coreweave wire: continue tokens that keep expiring fail the run after bounded restarts', async () => {
  const simulation = await coreweaveSimulation.start({ seed: 2 });
  try {
    await expireContinueTokens(simulation, 100);
    await assert.rejects(
      collect(api(simulation)),
      (error: unknown) => error instanceof CollectorError && /410 Expired after 3 restarts/.test(error.message),
    );
  } finally {
    await simulation.close();
  }
});

for (const retryAfter of ['1', undefined]) {
  test(`coreweave wire: APF 429 ${retryAfter ? 'with' : 'without'} Retry-After is retried`, async () => {
    const simulation = await coreweaveSimulation.start({});
    simulation.servers[0]?.faults.add({
      kind: 'rate_limit',
      count: 1,
      path: '/api/v1/nodes',
      ...(retryAfter ? { retry_after: retryAfter } : {}),
    });
    try {
      const emitter = await collect(api(simulation));
      assert.equal(emitter.resourceRows.filter((row) => row.resource_type !== 'pod').length, 24);
      assert.equal(emitter.calls['k8s:ListNodes'], 4);
    } finally {
      await simulation.close();
    }
  });
}

test('coreweave wire: 401 is a permanent error naming the provider and the credentials', async () => {
  const simulation = await coreweaveSimulation.start({});
  try {
    await assert.rejects(collect({ ...api(simulation), api_key: 'bad' }), (error: unknown) => {
      assert.ok(error instanceof CollectorError);
      assert.equal(error.code, 'AUTH_FAILED');
      assert.match(
        error.message,
        /^coreweave: the Kubernetes API rejected the credentials while listing nodes \(HTTP 401\)/,
      );
      return true;
    });
  } finally {
    await simulation.close();
  }
});

test('coreweave wire: 403 on pods names the missing RBAC permission; nodes and costs still flow (partial)', async () => {
  const simulation = await coreweaveSimulation.start({});
  try {
    const emitter = await collect({ ...api(simulation), api_key: COREWEAVE_SIM_NODES_ONLY_TOKEN });
    assert.equal(emitter.partials.length, 1);
    assert.equal(emitter.partials[0]?.code, 'AUTH_FAILED');
    assert.match(
      emitter.partials[0]?.message ?? '',
      /^coreweave: .*"list pods".*ClusterRole with get,list on nodes and pods/,
    );
    assert.ok(emitter.costRows.length > 0);
  } finally {
    await simulation.close();
  }
});

test('coreweave wire: kubeconfig file (server + token) instead of base_url', async () => {
  const simulation = await coreweaveSimulation.start({});
  const dir = mkdtempSync(join(tmpdir(), 'cw-kubeconfig-'));
  writeFileSync(join(dir, 'token'), `${COREWEAVE_SIM_TOKEN}\n`);
  writeFileSync(
    join(dir, 'config'),
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: cw',
      'clusters:',
      `- name: cks-us-east-04`,
      `  cluster:`,
      `    server: ${simulation.servers[0]?.url}/`,
      'contexts:',
      '- name: cw',
      '  context:',
      '    cluster: cks-us-east-04',
      '    user: collector',
      'users:',
      '- name: collector',
      '  user:',
      '    tokenFile: token',
      '',
    ].join('\n'),
  );
  try {
    const { base_url: _ignored, api_key: _key, ...rest } = api(simulation);
    const emitter = await collect({ ...rest, kubeconfig: join(dir, 'config') });
    assert.equal(emitter.resourceRows.filter((row) => row.resource_type !== 'pod').length, 24);
    assert.equal(emitter.costRows[0]?.billing_account_id, 'cks-us-east-04');
  } finally {
    await simulation.close();
  }
});

test('coreweave wire: rate-card costs end-to-end (node-hours × rate, x_cost_source rate_card)', async () => {
  const simulation = await coreweaveSimulation.start({ seed: 2 });
  try {
    const block = api(simulation);
    const rates = block.rate_card as Record<string, string>;
    const emitter = await collect(block);
    const nodes = emitter.resourceRows.filter((row) => row.resource_type !== 'pod');
    // Every node carries its lifecycle labels; nodes CoreWeave pulled into triage are not billed by the rate card.
    assert.ok(nodes.every((row) => row.tags?.lifecycle_state !== undefined && row.tags.reserved !== undefined));
    const triage = nodes.filter((row) => row.tags?.lifecycle_state === 'triage');
    assert.ok(triage.some((row) => row.instance_type !== null && rates[row.instance_type] !== undefined));
    assert.ok(triage.every((row) => row.tags?.reserved === 'triage'));
    const triageIds = new Set(triage.map((row) => row.resource_id));
    assert.deepEqual(
      emitter.costRows.filter((row) => triageIds.has(row.resource_id ?? '')),
      [],
      'no rate-card cost for nodes in triage',
    );
    const priced = nodes.filter(
      (row) =>
        row.instance_type !== null &&
        rates[row.instance_type] !== undefined &&
        row.tags?.lifecycle_state === 'production',
    );
    // Every node was created in February: March 1 is a full day, March 2 runs to 12:00.
    const march1 = emitter.costRows.filter((row) => row.charge_period_start === '2026-03-01T00:00:00Z');
    assert.equal(march1.length, priced.length);
    assert.equal(
      addDecimals('0', ...march1.map((row) => row.billed_cost)),
      addDecimals(
        '0',
        ...priced.map((row) => addDecimals(...Array<string>(24).fill(rates[row.instance_type ?? ''] ?? '0'))),
      ),
    );
    const h100 = march1.find((row) => row.sku_id === 'gd-8xh100ib-i128');
    assert.deepEqual(
      [h100?.billed_cost, h100?.pricing_quantity, h100?.x_cost_source, h100?.x_gpu_count],
      ['1181.76', '24', 'rate_card', 8],
    );
    assert.ok(
      emitter.costRows.every((row) => row.sku_id !== 'cd-gp-i64-erapids'),
      'unpriced CPU nodes have no cost rows',
    );
    assert.deepEqual(
      emitter.completedWindows.map((item) => item.costSource),
      ['rate_card'],
    );
  } finally {
    await simulation.close();
  }
});
