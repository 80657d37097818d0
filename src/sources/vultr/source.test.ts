// Wire-level tests: the Vultr source over real HTTP against the Vultr simulator.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext } from '../../../test/support/test-context.ts';
import { startVultrSimulator, VULTR_SIM_API_KEY } from '../../simulator/vultr/server.ts';
import { assertRejectedKey } from '../../../test/support/assertions.ts';
import { exactCents, exactSum } from '../../../test/support/exact-money.ts';
import { vultrFactory } from './factory.ts';

const NOW = new Date('2026-07-15T10:30:00Z');
const WINDOW = { start: new Date('2026-04-16T00:00:00Z'), end: new Date('2026-07-16T00:00:00Z') };

async function setup(apiKey = VULTR_SIM_API_KEY) {
  const sim = await startVultrSimulator({ seed: 7, now: NOW });
  const source = vultrFactory.create({
    provider: 'vultr',
    config: { base_url: `${sim.server.url}/v2`, api_key: apiKey, per_page: 3 },
  });
  const test = createTestContext({ provider: 'vultr', now: NOW, costWindow: WINDOW });
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

const pathsServed = (requests: Array<{ path: string }>, path: string): number =>
  requests.filter((request) => request.path === path).length;

test('collects every page of every list, with GPU model and count on each multi-GPU machine', async () => {
  const run = await setup();
  try {
    await run.source.collect(run.context);
    assert.deepEqual(run.server.unexpected, []);
    assert.deepEqual(run.emitter.partials, []);
    // 10 instances at 3 per page = 4 pages; 4 bare metals = 2 pages.
    assert.equal(pathsServed(run.server.requests, '/v2/instances'), 4);
    assert.equal(pathsServed(run.server.requests, '/v2/bare-metals'), 2);
    assert.ok(pathsServed(run.server.requests, '/v2/billing/history') >= 3);
    const byName = new Map(run.emitter.resourceRows.map((row) => [row.resource_name, row]));
    // Canonical model, the name Vultr gave, and the count: a 4 GB slice of an 80 GB A100 is 0.05 of a GPU.
    const expected: Record<string, [string | null, string | null, number | null]> = {
      'gpu-01': ['H100-80GB', 'NVIDIA H100', 8],
      'gpu-02': ['A100-80GB', 'NVIDIA A100', 4],
      'gpu-03': ['A100-80GB', 'NVIDIA A100', 1],
      'gpu-04': ['A100-80GB', 'NVIDIA A100', 0.05],
      'gpu-05': ['L40S', 'NVIDIA L40S', 1],
      'gpu-06': ['A16', 'NVIDIA A16', 1],
      'web-07': [null, null, null],
      'web-08': [null, null, null],
      'web-09': [null, null, null],
      'metal-01': ['H100-80GB', 'NVIDIA H100', 8],
      'metal-02': ['MI300X', 'AMD MI300X', 8],
      'metal-03': ['L40', 'NVIDIA L40', 1],
      'metal-04': [null, null, null],
    };
    for (const [name, [model, raw, count]] of Object.entries(expected)) {
      const row = byName.get(name);
      assert.ok(row, `row for ${name}`);
      assert.equal(row.gpu_model, model, `${name} gpu_model`);
      assert.equal(row.gpu_model_raw, raw, `${name} gpu_model_raw`);
      assert.equal(row.gpu_count, count, `${name} gpu_count`);
    }
    assert.equal(byName.get('gpu-04')?.tags?.gpu_fraction, '0.05');
    // Counts from VRAM and facts parsed from bare-metal plan ids are guesses, and the rows say so.
    assert.equal(byName.get('gpu-01')?.tags?.gpu_count_inferred_from, 'gpu_vram_gb');
    assert.equal(byName.get('gpu-01')?.tags?.gpu_model_inferred_from, undefined);
    assert.equal(byName.get('metal-02')?.tags?.gpu_model_inferred_from, 'plan_id');
    assert.equal(byName.get('metal-02')?.tags?.gpu_count_inferred_from, 'plan_id');
    assert.equal(byName.get('web-07')?.tags?.gpu_count_inferred_from, undefined);
    assert.equal(byName.get('gpu-01')?.price_per_hour, '23.92');
    assert.equal(byName.get('gpu-02')?.price_per_hour, '9.589041', 'monthly 7000 / 730 h when hourly_cost is absent');
    assert.equal(byName.get('web-09')?.status, 'stopped');
    // Bare metal bills up to 672 h a month like every server type but GPU instances (GPU bare metal included).
    assert.equal(byName.get('metal-02')?.price_per_hour, '20.422857', 'monthly 13724.16 / 672 h');
    assert.equal(byName.get('metal-03')?.price_per_hour, '7.3875', 'monthly 4964.4 / 672 h');
    const gpu01 = byName.get('gpu-01');
    assert.ok(
      gpu01?.tags?.main_ip && gpu01.tags.ip === gpu01.tags.main_ip && gpu01.tags.hostname === 'gpu-01.example.internal',
    );
    const account = run.emitter.resourceRows.find((row) => row.resource_type === 'account');
    assert.equal(account?.tags?.balance, '-125.5');
    assert.deepEqual(
      run.emitter.completedWindows.map((item) => [item.window.start.toISOString(), item.costSource]),
      [['2026-04-01T00:00:00.000Z', 'billing_api']],
    );
  } finally {
    await run.done();
  }
});

test('cost rows reconcile to each invoice total and to the account pending charges, to the cent', async () => {
  const run = await setup();
  try {
    await run.source.collect(run.context);
    const rows = run.emitter.costRows;
    assert.ok(
      rows.every(
        (row) => row.x_cost_source === 'billing_api' && row.provider === 'vultr' && row.billing_currency === 'USD',
      ),
    );
    const invoicedMonths = new Set<string>();
    for (const invoice of run.data.invoices) {
      const invoiceRows = rows.filter((row) => row.tags?.invoice_id === String(invoice.id));
      if (invoiceRows.length === 0) continue;
      invoicedMonths.add(invoiceRows[0]?.billing_period_start ?? '');
      const items = run.data.invoiceItems.get(String(invoice.id)) ?? [];
      assert.equal(invoiceRows.length, items.length, `invoice ${invoice.id} fully emitted`);
      assert.equal(
        exactCents(exactSum(invoiceRows.map((row) => row.billed_cost))),
        exactCents(invoice.amount),
        `invoice ${invoice.id}`,
      );
    }
    assert.deepEqual([...invoicedMonths].sort(), [
      '2026-04-01T00:00:00Z',
      '2026-05-01T00:00:00Z',
      '2026-06-01T00:00:00Z',
    ]);
    const pending = rows.filter((row) => row.tags?.billing_state === 'pending');
    assert.equal(
      exactCents(exactSum(pending.map((row) => row.billed_cost))),
      exactCents(run.data.account.pending_charges ?? 0),
    );
    const keys = rows.map((row) => row.x_row_key);
    assert.equal(new Set(keys).size, keys.length, 'row keys are unique');
    const h100 = pending.find((row) => row.resource_name === 'gpu-01');
    assert.equal(h100?.resource_id, run.data.instances[0]?.id);
    assert.equal(h100?.x_gpu_model, 'H100-80GB');
    assert.equal(h100?.x_gpu_count, 8);
    assert.equal(h100?.tags?.gpu_count_inferred_from, 'gpu_vram_gb');
    assert.ok(rows.some((row) => row.charge_category === 'Credit' && row.billed_cost === '-250'));
    assert.equal(h100?.tags?.resource_match, 'label');
    // Labels are free text: two instances are both labelled gpu-03, so their lines name no resource.
    const twins = run.data.instances.filter((item) => item.label === 'gpu-03').map((item) => item.id);
    assert.equal(twins.length, 2);
    const shared = pending.filter((row) => row.resource_name === 'gpu-03');
    assert.equal(shared.length, 2);
    for (const row of shared) {
      assert.equal(row.resource_id, null);
      assert.equal(row.tags?.resource_match, 'ambiguous_label');
      assert.equal(row.tags?.resource_candidates, twins.join(','));
    }
    // A whole month of bare metal (720 or 744 h) is billed at the monthly price: the cap is 672 h, and the line's
    // units stay the hours used (govultr's pending-charges example: 720 units, total capped).
    const metalMonths = rows.filter(
      (row) =>
        row.service_name === 'Bare Metal' &&
        row.tags?.billing_state === 'invoiced' &&
        row.charge_period_start.endsWith('-01T00:00:00Z'),
    );
    assert.ok(metalMonths.length > 0);
    for (const row of metalMonths) {
      const server = run.data.bareMetals.find((item) => item.id === row.resource_id);
      const plan = run.data.metalPlans.find((item) => item.id === server?.plan);
      assert.equal(exactCents(row.billed_cost), exactCents(plan?.monthly_cost ?? -1), `${row.resource_name} capped`);
      assert.ok(Number(row.pricing_quantity) >= 720, `${row.resource_name} units are the hours used`);
    }
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
        path: '/v2/instances',
        count: 2,
        ...(retryAfter ? { retry_after: retryAfter } : {}),
      });
      const started = Date.now();
      await run.source.collect(run.context);
      if (retryAfter) assert.ok(Date.now() - started >= 2_000, 'waited Retry-After twice');
      assert.deepEqual(run.emitter.partials, []);
      assert.equal(pathsServed(run.server.requests, '/v2/instances'), 6);
      assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 10);
    } finally {
      await run.done();
    }
  });
}

test('401 fails the run permanently, naming Vultr and the key, without retrying', async () => {
  const run = await setup('wrong-token');
  try {
    await assertRejectedKey(run.source.collect(run.context), /Vultr/);
    assert.equal(run.server.requests.length, 1);
  } finally {
    await run.done();
  }
});

test('403 on billing is a permanent partial failure naming the billing ACL; inventory still flows', async () => {
  const run = await setup();
  try {
    run.server.faults.add({ kind: 'server_error', status: 403, path: '/v2/billing' });
    run.server.faults.add({ kind: 'server_error', status: 403, path: '/v2/account' });
    await run.source.collect(run.context);
    assert.equal(run.emitter.partials.length, 2);
    for (const partial of run.emitter.partials) {
      assert.equal(partial.code, 'AUTH_FAILED');
      assert.match(partial.message, /"billing" ACL/);
    }
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 10);
    assert.equal(run.emitter.costRows.length, 0);
    assert.equal(run.emitter.completedWindows.length, 0);
    assert.equal(pathsServed(run.server.requests, '/v2/billing/invoices'), 1, 'not retried');
  } finally {
    await run.done();
  }
});

test('malformed JSON is retried; when it persists the part fails as RESPONSE_MALFORMED and the rest completes', async () => {
  const run = await setup();
  try {
    run.server.faults.add({ kind: 'malformed', path: '/v2/bare-metals', count: 1 });
    run.server.faults.add({ kind: 'malformed', path: '/v2/billing/pending-charges' });
    await run.source.collect(run.context);
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'bare_metal').length, 4);
    assert.equal(run.emitter.partials.length, 1);
    assert.equal(run.emitter.partials[0]?.code, 'RESPONSE_MALFORMED');
    assert.equal(run.emitter.completedWindows.length, 0, 'an incomplete window is not declared complete');
    assert.ok(run.emitter.costRows.length > 0, 'invoice rows were still emitted');
  } finally {
    await run.done();
  }
});

test('between cost intervals no billing call is made', async () => {
  const run = await setup();
  try {
    await run.source.collect({ ...run.context, collectCosts: false });
    assert.deepEqual(
      run.server.requests.filter((request) => request.path.startsWith('/v2/billing')).map((request) => request.path),
      [],
    );
    assert.equal(run.emitter.costRows.length, 0);
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 10);
  } finally {
    await run.done();
  }
});
