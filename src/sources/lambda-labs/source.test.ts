import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDecimals } from '../../core/decimal.ts';
import { CollectorError } from '../../core/errors.ts';
import { collectOnce, createMemoryState } from '../../../test/support/test-context.ts';
import { lambdaLabsSimulation } from '../../simulator/lambda-labs/index.ts';
import { lambdaLabsFactory } from './factory.ts';

async function collect(
  block: Record<string, unknown>,
  options: { now?: Date; state?: ReturnType<typeof createMemoryState> } = {},
) {
  return collectOnce(lambdaLabsFactory, 'lambda_labs', block, options);
}

test('lambda wire: instances over real HTTP, GPU model and count right for every multi-GPU type', async () => {
  const simulation = await lambdaLabsSimulation.start({ seed: 7 });
  try {
    const emitter = await collect(simulation.providerBlock.api as Record<string, unknown>);
    assert.equal(emitter.resourceRows.length, 10);
    for (const row of emitter.resourceRows) {
      const expected = Number(/^gpu_(\d+)x_/.exec(row.instance_type ?? '')?.[1]);
      assert.equal(row.gpu_count, expected, `${row.instance_type}`);
      assert.ok(row.gpu_model && !/^\d+x/.test(row.gpu_model), row.gpu_model ?? 'null');
      assert.ok(row.tags?.ip && row.tags.hostname);
    }
    assert.deepEqual(simulation.servers[0]?.unexpected, []);
    assert.equal(emitter.calls['lambda:ListInstances'], 1);
  } finally {
    await simulation.close();
  }
});

for (const retryAfter of ['1', undefined]) {
  test(`lambda wire: a 429 ${retryAfter ? 'with' : 'without'} Retry-After is retried by the shared client`, async () => {
    const simulation = await lambdaLabsSimulation.start({});
    const server = simulation.servers[0];
    assert.ok(server);
    server.faults.add({
      kind: 'rate_limit',
      count: 1,
      path: '/instances',
      ...(retryAfter ? { retry_after: retryAfter } : {}),
    });
    try {
      const started = Date.now();
      const emitter = await collect(simulation.providerBlock.api as Record<string, unknown>);
      assert.equal(emitter.resourceRows.length, 10);
      assert.equal(emitter.calls['lambda:ListInstances'], 2);
      if (retryAfter) assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
      assert.deepEqual(server.unexpected, []);
    } finally {
      await simulation.close();
    }
  });
}

test('lambda wire: 401 is a permanent error naming the provider and the API key', async () => {
  const simulation = await lambdaLabsSimulation.start({});
  try {
    const block = { ...(simulation.providerBlock.api as Record<string, unknown>), api_key: 'wrong' };
    await assert.rejects(collect(block), (error: unknown) => {
      assert.ok(error instanceof CollectorError);
      assert.equal(error.code, 'AUTH_FAILED');
      assert.equal(error.retryable, false);
      assert.match(error.message, /^lambda_labs: .*Lambda Cloud API.*API key.*HTTP 401/);
      return true;
    });
    assert.equal(simulation.servers[0]?.requests.length, 1, 'not retried');
  } finally {
    await simulation.close();
  }
});

test('lambda wire: derived costs end-to-end (two runs three hours apart, state carried over)', async () => {
  const simulation = await lambdaLabsSimulation.start({ seed: 7 });
  const state = createMemoryState();
  try {
    const api = simulation.providerBlock.api as Record<string, unknown>;
    await collect(api, { now: new Date('2026-03-02T09:00:00Z'), state });
    const emitter = await collect(api, { now: new Date('2026-03-02T12:00:00Z'), state });
    const billed = emitter.resourceRows.filter((row) => row.status === 'active' || row.status === 'unhealthy');
    assert.ok(billed.length > 0);
    const expected = addDecimals(
      '0',
      ...billed.map((row) =>
        addDecimals(row.price_per_hour ?? '0', row.price_per_hour ?? '0', row.price_per_hour ?? '0'),
      ),
    );
    assert.equal(addDecimals('0', ...emitter.costRows.map((row) => row.billed_cost)), expected);
    assert.equal(emitter.costRows.length, billed.length);
    for (const row of emitter.costRows) {
      assert.equal(row.x_cost_source, 'derived');
      assert.equal(row.pricing_quantity, '3');
      assert.equal(row.provider, 'lambda_labs');
    }
    assert.equal(emitter.completedWindows.length, 1);
  } finally {
    await simulation.close();
  }
});
