// Wire-level tests: the RunPod source over real HTTP against the RunPod simulator (REST v2 + GraphQL).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext } from '../../../test/support/test-context.ts';
import { startRunpodSimulator, RUNPOD_SIM_API_KEY } from '../../simulator/runpod/server.ts';
import { assertRejectedKey } from '../../../test/support/assertions.ts';
import { runpodFactory } from './factory.ts';
import { exactCents, exactSum } from '../../../test/support/exact-money.ts';

const NOW = new Date('2026-07-15T10:30:00Z');
const WINDOW = { start: new Date('2026-04-16T00:00:00Z'), end: new Date('2026-07-16T00:00:00Z') };

async function setup(apiKey = RUNPOD_SIM_API_KEY) {
  const sim = await startRunpodSimulator({ seed: 3, now: NOW });
  const source = runpodFactory.create({
    provider: 'runpod',
    config: {
      base_url: `${sim.server.url}/v2`,
      graphql_url: `${sim.server.url}/graphql`,
      api_key: apiKey,
      balance: true,
      bucket_size: 'day',
    },
  });
  const test = createTestContext({ provider: 'runpod', now: NOW, costWindow: WINDOW });
  return {
    ...sim,
    source,
    ...test,
    /** The provider's own totals for the window, asked in one call. */
    async providerTotals(path: string): Promise<Record<string, number>> {
      const url = `${sim.server.url}/v2${path}?startTime=${WINDOW.start.toISOString()}&endTime=${WINDOW.end.toISOString()}&bucketSize=day`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${RUNPOD_SIM_API_KEY}` } });
      return ((await response.json()) as { metadata: { totals: Record<string, number> } }).metadata.totals;
    },
    async done() {
      await source.shutdown();
      await test.close();
      await sim.server.close();
    },
  };
}

const served = (requests: Array<{ path: string }>, path: string): number =>
  requests.filter((request) => request.path === path).length;
const cents = (values: string[]): string => exactCents(exactSum(values));

test('collects pods with GPU type and count, the balance, and 90 days of billing in three windowed calls', async () => {
  const run = await setup();
  try {
    await run.source.collect(run.context);
    assert.deepEqual(run.server.unexpected, []);
    assert.deepEqual(run.emitter.partials, []);
    assert.equal(served(run.server.requests, '/v2/billing/pods'), 3);
    assert.equal(served(run.server.requests, '/v2/billing'), 3);
    const pods = new Map(
      run.emitter.resourceRows.filter((row) => row.resource_type === 'pod').map((row) => [row.resource_name, row]),
    );
    const expected: Record<string, [string | null, number | null, string, string]> = {
      'h100-train': ['H100-SXM5-80GB', 8, '21.52', 'RUNNING'],
      'a100-finetune': ['A100-SXM4-80GB', 2, '3.78', 'RUNNING'],
      'rtx-dev': ['RTX-4090', 1, '0.69', 'RUNNING'],
      'l40s-infer': ['L40S', 4, '3.44', 'RUNNING'],
      'cpu-etl': [null, null, '0.32', 'RUNNING'],
      'h100-stopped': ['H100-SXM5-80GB', 1, '0', 'EXITED'],
    };
    assert.deepEqual([...pods.keys()].sort(), Object.keys(expected).sort());
    for (const [name, [model, count, price, status]] of Object.entries(expected)) {
      const row = pods.get(name);
      assert.equal(row?.gpu_model, model, `${name} gpu_model`);
      assert.equal(row?.gpu_count, count, `${name} gpu_count`);
      assert.equal(row?.price_per_hour, price, `${name} price`);
      assert.equal(row?.status, status, `${name} status`);
    }
    assert.ok(pods.get('h100-train')?.tags?.ip?.startsWith('195.26.'));
    assert.ok(Number(pods.get('h100-train')?.tags?.uptime_seconds) > 39 * 86_400);
    assert.equal(pods.get('cpu-etl')?.vcpus, 8);
    const account = run.emitter.resourceRows.find((row) => row.resource_type === 'account');
    assert.equal(account?.tags?.balance, '1834.27');
    assert.equal(account?.price_per_hour, '29.75');
    assert.deepEqual(
      run.emitter.completedWindows.map((item) => item.costSource),
      ['billing_api'],
    );
  } finally {
    await run.done();
  }
});

test('billed_cost reconciles to the provider totals for the period, to the cent', async () => {
  const run = await setup();
  try {
    await run.source.collect(run.context);
    const rows = run.emitter.costRows;
    assert.ok(rows.every((row) => row.x_cost_source === 'billing_api' && row.billing_currency === 'USD'));
    const podRows = rows.filter((row) => row.service_name === 'Pods');
    const podTotals = await run.providerTotals('/billing/pods');
    const accountTotals = await run.providerTotals('/billing');
    assert.equal(cents(podRows.map((row) => row.billed_cost)), exactCents(podTotals.totalAmount ?? NaN));
    assert.equal(cents(rows.map((row) => row.billed_cost)), exactCents(accountTotals.totalAmount ?? NaN));
    // A pod deleted since still has its billing, without inventory facts.
    assert.ok(podRows.some((row) => row.resource_id === 'gone000001' && row.resource_name === null));
    const h100 = podRows.find((row) => row.resource_name === 'h100-train');
    assert.equal(h100?.x_gpu_model, 'H100-SXM5-80GB');
    assert.equal(h100?.x_gpu_count, 8);
    assert.equal(h100?.region_id, 'US-KS-2');
    assert.ok(
      podRows.every(
        (row) => row.charge_period_start >= '2026-04-16T00:00:00Z' && row.charge_period_start < '2026-07-16T00:00:00Z',
      ),
    );
    const identities = rows.map((row) => `${row.resource_id}|${row.charge_period_start}|${row.x_row_key}`);
    assert.equal(new Set(identities).size, identities.length, 'rows are distinct');
  } finally {
    await run.done();
  }
});

for (const retryAfter of ['1', undefined]) {
  test(`429 ${retryAfter ? 'with' : 'without'} Retry-After is retried and the run completes`, async () => {
    const run = await setup();
    try {
      run.server.faults.add({
        kind: 'rate_limit',
        path: '/v2/billing',
        count: 2,
        ...(retryAfter ? { retry_after: retryAfter } : {}),
      });
      const started = Date.now();
      await run.source.collect(run.context);
      if (retryAfter) assert.ok(Date.now() - started >= 2_000, 'waited Retry-After twice');
      assert.deepEqual(run.emitter.partials, []);
      assert.equal(run.emitter.completedWindows.length, 1);
      assert.ok(run.emitter.costRows.length > 0);
    } finally {
      await run.done();
    }
  });
}

test('401 fails the run permanently, naming RunPod and the key, without retrying', async () => {
  const run = await setup('wrong');
  try {
    await assertRejectedKey(run.source.collect(run.context), /RunPod/);
    assert.equal(run.server.requests.length, 1);
  } finally {
    await run.done();
  }
});

test('403 on billing makes the run partial and names the permission the key lacks', async () => {
  const run = await setup();
  try {
    run.server.faults.add({ kind: 'server_error', status: 403, path: '/v2/billing' });
    await run.source.collect(run.context);
    assert.equal(run.emitter.partials.length, 1);
    assert.equal(run.emitter.partials[0]?.code, 'AUTH_FAILED');
    assert.match(run.emitter.partials[0]?.message ?? '', /Billing: Read/);
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'pod').length, 6);
    assert.equal(run.emitter.completedWindows.length, 0);
    assert.equal(served(run.server.requests, '/v2/billing/pods'), 1, 'not retried');
  } finally {
    await run.done();
  }
});

test('malformed JSON is retried; a GraphQL error document fails only the balance part', async () => {
  const run = await setup();
  try {
    run.server.faults.add({ kind: 'malformed', path: '/v2/pods', count: 1 });
    run.server.faults.add({ kind: 'malformed', path: '/graphql' });
    await run.source.collect(run.context);
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'pod').length, 6);
    assert.equal(run.emitter.partials.length, 1);
    assert.equal(run.emitter.partials[0]?.code, 'RESPONSE_MALFORMED');
    assert.match(run.emitter.partials[0]?.message ?? '', /^balance: /);
    assert.equal(run.emitter.completedWindows.length, 1);
  } finally {
    await run.done();
  }
});

test('between cost intervals no billing call is made', async () => {
  const run = await setup();
  try {
    await run.source.collect({ ...run.context, collectCosts: false });
    assert.equal(run.server.requests.filter((request) => request.path.startsWith('/v2/billing')).length, 0);
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'pod').length, 6);
  } finally {
    await run.done();
  }
});
