import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDecimals, multiplyDecimals } from '../../core/decimal.ts';
import { CollectorError } from '../../core/errors.ts';
import { PAPERSPACE_BILLING_RULE } from '../_common/derived-cost/index.ts';
import { collectOnce, createMemoryState } from '../../../test/support/test-context.ts';
import { PAPERSPACE_SIM_API_KEY, paperspaceSimulation } from '../../simulator/paperspace/index.ts';
import { paperspaceFactory } from './factory.ts';

async function collect(
  block: Record<string, unknown>,
  options: { now?: Date; state?: ReturnType<typeof createMemoryState> } = {},
) {
  return collectOnce(paperspaceFactory, 'paperspace', { page_size: 100, ...block }, options);
}

test('paperspace wire: cursor pagination to the end over 3 pages, GPU counts right', async () => {
  const simulation = await paperspaceSimulation.start({ seed: 3 });
  try {
    const emitter = await collect(simulation.providerBlock.api as Record<string, unknown>);
    assert.equal(emitter.resourceRows.length, 27);
    assert.equal(new Set(emitter.resourceRows.map((row) => row.resource_id)).size, 27);
    assert.equal(emitter.calls['paperspace:ListMachines'], 3);
    const served = simulation.servers[0]?.requests.map((request) => request.query.get('after')) ?? [];
    assert.equal(served[0], null);
    assert.ok(served[1] && served[2]);
    const byType = new Map(emitter.resourceRows.map((row) => [row.instance_type, row.gpu_count]));
    assert.deepEqual(Object.fromEntries(byType), { A4000: 1, 'A100-80G': 1, 'A100-80Gx8': 8, H100x8: 8, C5: null });
    // Regions are the API's codes (the reference's samples: "region": "ny2"), never display names.
    assert.deepEqual([...new Set(emitter.resourceRows.map((row) => row.region_id))].sort(), ['ams1', 'ca1', 'ny2']);
    assert.deepEqual(simulation.servers[0]?.unexpected, []);
  } finally {
    await simulation.close();
  }
});

test('paperspace wire: limit outside 1..120 is refused with 400 {code, message}, as the API reference bounds it', async () => {
  const simulation = await paperspaceSimulation.start({ seed: 3 });
  const server = simulation.servers[0];
  assert.ok(server);
  try {
    const list = async (limit: string) => {
      const response = await fetch(`${server.url}/v1/machines?limit=${limit}`, {
        headers: { authorization: `Bearer ${PAPERSPACE_SIM_API_KEY}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    for (const limit of ['121', '1000', '0', '-1', '2.5', 'ten']) {
      const { status, body } = await list(limit);
      assert.equal(status, 400, `limit=${limit}`);
      assert.equal(body.code, 'BAD_REQUEST');
      assert.equal(typeof body.message, 'string');
    }
    // Within the range the page holds `limit` items: no hidden smaller cap.
    const whole = await list('120');
    assert.equal(whole.status, 200);
    assert.equal((whole.body.items as unknown[]).length, 27);
    assert.equal(whole.body.hasMore, false);
  } finally {
    await simulation.close();
  }
});

test('paperspace wire: page_size is the page the API serves (120: one page of 27; 10: three pages)', async () => {
  const simulation = await paperspaceSimulation.start({ seed: 3 });
  try {
    const api = simulation.providerBlock.api as Record<string, unknown>;
    const whole = await collect({ ...api, page_size: 120 });
    assert.equal(whole.resourceRows.length, 27);
    assert.equal(whole.calls['paperspace:ListMachines'], 1);
    const paged = await collect({ ...api, page_size: 10 });
    assert.equal(paged.resourceRows.length, 27);
    assert.equal(paged.calls['paperspace:ListMachines'], 3);
    assert.deepEqual(simulation.servers[0]?.unexpected, []);
  } finally {
    await simulation.close();
  }
});

for (const retryAfter of ['1', undefined]) {
  test(`paperspace wire: a 429 ${retryAfter ? 'with' : 'without'} Retry-After is retried, the 3-page listing completes`, async () => {
    const simulation = await paperspaceSimulation.start({});
    const server = simulation.servers[0];
    assert.ok(server);
    try {
      const api = simulation.providerBlock.api as Record<string, unknown>;
      server.faults.add({
        kind: 'rate_limit',
        count: 1,
        path: '/v1/machines',
        ...(retryAfter ? { retry_after: retryAfter } : {}),
      });
      const emitter = await collect(api);
      assert.equal(emitter.resourceRows.length, 27);
      assert.equal(emitter.calls['paperspace:ListMachines'], 4);
      assert.equal(emitter.partials.length, 0);
      assert.deepEqual(server.unexpected, []);
    } finally {
      await simulation.close();
    }
  });
}

test('paperspace wire: 401 is a permanent error naming the provider and the API key', async () => {
  const simulation = await paperspaceSimulation.start({});
  try {
    await assert.rejects(
      collect({ ...(simulation.providerBlock.api as Record<string, unknown>), api_key: 'nope' }),
      (error: unknown) => {
        assert.ok(error instanceof CollectorError);
        assert.equal(error.code, 'AUTH_FAILED');
        assert.match(error.message, /^paperspace: the Paperspace API rejected the API key \(HTTP 401\)/);
        return true;
      },
    );
    assert.equal(simulation.servers[0]?.requests.length, 1);
  } finally {
    await simulation.close();
  }
});

test('paperspace wire: derived costs end-to-end (per-second, billed states only)', async () => {
  const simulation = await paperspaceSimulation.start({ seed: 3 });
  const state = createMemoryState();
  try {
    const api = simulation.providerBlock.api as Record<string, unknown>;
    await collect(api, { now: new Date('2026-03-02T08:00:00Z'), state });
    const emitter = await collect(api, { now: new Date('2026-03-02T10:30:00Z'), state });
    const billed = emitter.resourceRows.filter((row) =>
      PAPERSPACE_BILLING_RULE.billedStates.includes(row.status ?? ''),
    );
    assert.ok(billed.length > 0 && billed.length < 27);
    const expected = addDecimals('0', ...billed.map((row) => multiplyDecimals(row.price_per_hour ?? '0', '2.5')));
    assert.equal(addDecimals('0', ...emitter.costRows.map((row) => row.billed_cost)), expected);
    assert.ok(emitter.costRows.every((row) => row.x_cost_source === 'derived' && row.pricing_quantity === '2.5'));
  } finally {
    await simulation.close();
  }
});
