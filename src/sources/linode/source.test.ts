// Wire-level tests: the Linode source over real HTTP against the Linode simulator.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext } from '../../../test/support/test-context.ts';
import { assertRejectedKey } from '../../../test/support/assertions.ts';
import { exactCents, exactSum } from '../../../test/support/exact-money.ts';
import { LINODE_SIM_API_KEY, startLinodeSimulator, type LinodeSimOptions } from '../../simulator/linode/server.ts';
import { linodeFactory } from './factory.ts';

const NOW = new Date('2026-07-15T10:30:00Z');
const WINDOW = { start: new Date('2026-04-16T00:00:00Z'), end: new Date('2026-07-16T00:00:00Z') };

async function setup(apiKey = LINODE_SIM_API_KEY, options: LinodeSimOptions = {}) {
  const sim = await startLinodeSimulator({ seed: 7, now: NOW, ...options });
  const source = linodeFactory.create({
    provider: 'linode',
    config: { base_url: `${sim.server.url}/v4`, api_key: apiKey, page_size: 25 },
  });
  const test = createTestContext({ provider: 'linode', now: NOW, costWindow: WINDOW });
  return {
    ...sim,
    source,
    ...test,
    async done() {
      await source.shutdown();
      await test.close();
      await sim.server.close();
    },
  };
}

const served = (requests: Array<{ path: string }>, path: string): number =>
  requests.filter((request) => request.path === path).length;

test('pages every list with page/page_size, sends the token, and gives each GPU instance its model and count', async () => {
  const run = await setup();
  try {
    await run.source.collect(run.context);
    assert.deepEqual(run.server.unexpected, []);
    assert.deepEqual(run.emitter.partials, []);
    // 30 instances at 25 a page = 2 pages; each invoice's 32 items = 2 pages.
    assert.equal(served(run.server.requests, '/v4/linode/instances'), 2);
    for (const invoice of run.data.invoices)
      assert.equal(served(run.server.requests, `/v4/account/invoices/${invoice.id}/items`), 2);
    assert.ok(run.server.requests.every((request) => request.headers.authorization === `Bearer ${LINODE_SIM_API_KEY}`));
    assert.ok(
      run.server.requests.every((request) => request.query.get('page_size') === '25' || !request.query.has('page')),
    );
    const instances = run.emitter.resourceRows.filter((row) => row.resource_type === 'instance');
    assert.equal(instances.length, 30);
    const byName = new Map(instances.map((row) => [row.resource_name, row]));
    const expected: Record<string, [string | null, string | null, number | null, string | null]> = {
      'gpu-train-1': ['QUADRO-RTX-6000', 'RTX6000', 4, '6'],
      'gpu-train-2': ['QUADRO-RTX-6000', 'RTX6000', 2, '3'],
      'gpu-solo': ['QUADRO-RTX-6000', 'RTX6000', 1, '1.5'],
      'gpu-infer-1': ['RTX-4000-ADA', 'RTX4000 Ada', 1, '0.52'],
      'gpu-infer-4': ['RTX-4000-ADA', 'RTX4000 Ada', 4, '2.08'],
      // $0 base price: the region's price applies, and elsewhere the price is unknown rather than free.
      'gpu-regional': ['RTX-4000-ADA', 'RTX4000 Ada', 2, '1.04'],
      // A region exception (id-cgk) wins over the base price 0.036.
      'web-jakarta': [null, null, null, '0.043'],
      'web-10': [null, null, null, '0.0075'],
    };
    for (const [name, [model, raw, count, price]] of Object.entries(expected)) {
      const row = byName.get(name);
      assert.ok(row, name);
      assert.deepEqual(
        [row.gpu_model, row.gpu_model_raw, row.gpu_count, row.price_per_hour],
        [model, raw, count, price],
        name,
      );
    }
    const train = byName.get('gpu-train-1');
    assert.equal(train?.tags?.hostname, 'gpu-train-1');
    assert.match(train?.tags?.ip ?? '', /^172\.105\./, 'the public IPv4, not the private one');
    assert.equal(train?.first_seen_at, '2026-03-03T09:15:00Z', 'zone-less timestamps are UTC');
    assert.equal(byName.get('gpu-solo')?.status, 'offline');
    const account = run.emitter.resourceRows.find((row) => row.resource_type === 'account');
    assert.equal(account?.tags?.balance, '-12.5');
    assert.equal(account?.tags?.balance_uninvoiced, String(run.data.account.balance_uninvoiced));
    assert.equal(account?.tags?.last_invoice_id, String(run.data.invoices[0]?.id));
    assert.equal(served(run.server.requests, '/v4/account'), 1);
    assert.equal(served(run.server.requests, '/v4/account/invoices'), 1);
  } finally {
    await run.done();
  }
});

test('invoice rows reconcile to each invoice total to the cent; items are matched to instances by label', async () => {
  const run = await setup();
  try {
    await run.source.collect(run.context);
    const rows = run.emitter.costRows;
    assert.ok(rows.every((row) => row.x_cost_source === 'billing_api' && row.billing_currency === 'USD'));
    assert.equal(run.data.invoices.length, 3);
    for (const invoice of run.data.invoices) {
      const invoiceRows = rows.filter((row) => row.tags?.invoice_id === String(invoice.id));
      const items = run.data.invoiceItems.get(invoice.id) ?? [];
      assert.ok(invoiceRows.length >= items.length, `invoice ${invoice.id} fully emitted`);
      assert.equal(
        exactCents(exactSum(invoiceRows.map((row) => row.billed_cost))),
        exactCents(invoice.total),
        `invoice ${invoice.id}`,
      );
    }
    // The newest invoice's tax was rounded on its subtotal: one adjustment row carries the cent the items miss.
    const adjustments = rows.filter((row) => row.charge_category === 'Adjustment');
    assert.deepEqual(
      adjustments.map((row) => [row.tags?.invoice_id, row.billed_cost]),
      [[String(run.data.invoices[0]?.id), '0.01']],
    );
    assert.ok(rows.some((row) => row.charge_category === 'Tax'));
    assert.ok(rows.some((row) => row.charge_category === 'Credit' && row.billed_cost === '-25'));
    const keys = rows.map((row) => row.x_row_key);
    assert.equal(new Set(keys).size, keys.length, 'row keys are unique');
    const train = rows.find(
      (row) =>
        row.resource_name === 'gpu-train-1' &&
        row.charge_category === 'Usage' &&
        row.service_name === 'Compute Instances',
    );
    assert.equal(train?.resource_id, String(run.data.instances[0]?.id));
    assert.equal(train?.x_gpu_model, 'QUADRO-RTX-6000');
    assert.equal(train?.x_gpu_count, 4);
    assert.equal(train?.tags?.resource_match, 'label');
    const months = rows.filter((row) => row.resource_name === 'gpu-train-1' && row.charge_category === 'Usage');
    assert.deepEqual([...new Set(months.map((row) => row.charge_period_start))].sort(), [
      '2026-04-01T00:00:00Z',
      '2026-05-01T00:00:00Z',
      '2026-06-01T00:00:00Z',
    ]);
    // "Linode <id>" items match by id.
    const byId = rows.filter((row) => row.tags?.resource_match === 'id');
    assert.ok(byId.length >= 3 && byId.every((row) => row.resource_id === String(run.data.instances[9]?.id)));
    // Two instances labelled gpu-twin: their items name no instance, and say which ones they could be.
    const twins = run.data.instances.filter((item) => item.label === 'gpu-twin').map((item) => String(item.id));
    const ambiguous = rows.filter(
      (row) => row.tags?.resource_match === 'ambiguous_label' && row.charge_category === 'Usage',
    );
    assert.equal(ambiguous.length, 6, 'two items per invoice');
    for (const row of ambiguous) {
      assert.equal(row.resource_id, null);
      assert.equal(row.tags?.resource_candidates, twins.join(','));
    }
    const pending = rows.filter((row) => row.tags?.billing_state === 'pending');
    assert.equal(pending.length, 1);
    assert.equal(exactCents(pending[0]?.billed_cost ?? ''), exactCents(run.data.account.balance_uninvoiced));
    assert.deepEqual(
      run.emitter.completedWindows.map((item) => [item.window.start.toISOString(), item.costSource]),
      [['2026-04-01T00:00:00.000Z', 'billing_api']],
    );
  } finally {
    await run.done();
  }
});

test('no secret in any row or error: the token appears only in the Authorization header', async () => {
  const run = await setup();
  try {
    run.server.faults.add({ kind: 'server_error', status: 403, path: '/v4/account' });
    await run.source.collect(run.context);
    const text = JSON.stringify([
      run.emitter.resourceRows,
      run.emitter.costRows,
      run.emitter.partials.map((p) => [p.message, p.context]),
    ]);
    assert.ok(!text.includes(LINODE_SIM_API_KEY));
    assert.ok(run.emitter.partials.length > 0);
  } finally {
    await run.done();
  }
});

test('no request is made without credentials', async () => {
  const run = await setup('');
  try {
    await assert.rejects(run.source.collect(run.context), /api_key is empty/);
    assert.equal(run.server.requests.length, 0);
  } finally {
    await run.done();
  }
});

test('401 fails the run permanently, naming Linode and the token, without retrying', async () => {
  const run = await setup('wrong-token');
  try {
    await assertRejectedKey(run.source.collect(run.context), /Linode/);
    assert.equal(run.server.requests.length, 1);
  } finally {
    await run.done();
  }
});

test('403 on the account is a permanent partial failure naming the Account scope; inventory still flows', async () => {
  const run = await setup();
  try {
    run.server.faults.add({ kind: 'server_error', status: 403, path: '/v4/account' });
    await run.source.collect(run.context);
    assert.equal(run.emitter.partials.length, 2, 'invoices and account');
    for (const partial of run.emitter.partials) {
      assert.equal(partial.code, 'AUTH_FAILED');
      assert.match(partial.message, /Account \(read only\)/);
    }
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 30);
    assert.equal(run.emitter.costRows.length, 0);
    assert.equal(run.emitter.completedWindows.length, 0);
  } finally {
    await run.done();
  }
});

test("a spent X-RateLimit budget answers 429 with Linode's error body and Retry-After; the request is retried", async () => {
  const run = await setup(LINODE_SIM_API_KEY, { rateLimit: { limit: 10, windowSeconds: 1 } });
  try {
    const started = Date.now();
    await run.source.collect(run.context);
    assert.deepEqual(run.emitter.partials, []);
    // The test context has no pacer (the runtime's pauses on X-RateLimit-Remaining 0): the 11th call is refused.
    assert.ok(Date.now() - started >= 900, 'waited Retry-After');
    const distinct = new Set(run.server.requests.map((request) => `${request.path}${request.url.search}`));
    assert.equal(run.server.requests.length, distinct.size + 1, 'one request repeated after its 429');
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 30);
  } finally {
    await run.done();
  }
});

test('429 with Retry-After is retried after the delay and the run completes', async () => {
  const run = await setup();
  try {
    run.server.faults.add({ kind: 'rate_limit', path: '/v4/linode/instances', count: 2, retry_after: '1' });
    const started = Date.now();
    await run.source.collect(run.context);
    assert.ok(Date.now() - started >= 2_000, 'waited Retry-After twice');
    assert.deepEqual(run.emitter.partials, []);
    assert.equal(served(run.server.requests, '/v4/linode/instances'), 4);
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 30);
  } finally {
    await run.done();
  }
});

test('between cost intervals no billing call is made', async () => {
  const run = await setup();
  try {
    await run.source.collect({ ...run.context, collectCosts: false });
    assert.deepEqual(
      run.server.requests.filter((request) => request.path.startsWith('/v4/account/invoices')).map((r) => r.path),
      [],
    );
    assert.equal(run.emitter.costRows.length, 0);
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 30);
  } finally {
    await run.done();
  }
});
