// Wire-level tests: the DigitalOcean source over real HTTP against the DigitalOcean simulator.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext } from '../../../test/support/test-context.ts';
import { assertRejectedKey } from '../../../test/support/assertions.ts';
import { exactCents, exactSum } from '../../../test/support/exact-money.ts';
import { DO_SIM_TOKEN, startDoSimulator, type DoSimOptions } from '../../simulator/digitalocean/server.ts';
import { digitaloceanFactory } from './factory.ts';

const NOW = new Date('2026-07-15T10:30:00Z');
const WINDOW = { start: new Date('2026-04-16T00:00:00Z'), end: new Date('2026-07-16T00:00:00Z') };

async function setup(options: { token?: string; sim?: DoSimOptions } = {}) {
  const sim = await startDoSimulator({ now: NOW, ...options.sim });
  const source = digitaloceanFactory.create({
    provider: 'digitalocean',
    config: { base_url: `${sim.server.url}/v2`, api_key: options.token ?? DO_SIM_TOKEN, per_page: 2 },
  });
  const test = createTestContext({ provider: 'digitalocean', now: NOW, costWindow: WINDOW });
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

const served = (requests: Array<{ path: string; url: URL }>, path: string, search?: RegExp): number =>
  requests.filter((request) => request.path === path && (!search || search.test(request.url.search))).length;

test('lists Droplets and GPU Droplets over every page, with GPU model and count per Droplet', async () => {
  const run = await setup();
  try {
    await run.source.collect(run.context);
    assert.deepEqual(run.server.unexpected, []);
    assert.deepEqual(run.emitter.partials, []);
    // 5 plain and 5 GPU Droplets at 2 a page: 3 pages each; 8 sizes: 4 pages.
    assert.equal(served(run.server.requests, '/v2/droplets', /type=gpus/), 3);
    assert.equal(served(run.server.requests, '/v2/droplets'), 6);
    assert.equal(served(run.server.requests, '/v2/sizes'), 4);
    const droplets = run.emitter.resourceRows.filter((row) => row.resource_type === 'instance');
    assert.equal(droplets.length, 10);
    const byName = new Map(droplets.map((row) => [row.resource_name, row]));
    const expected: Record<string, [string | null, string | null, number | null, string]> = {
      'web-01': [null, null, null, '0.00744'],
      'web-02': [null, null, null, '0.03571'],
      'web-03': [null, null, null, '0.03571'],
      'batch-04': [null, null, null, '0.125'],
      'db-05': [null, null, null, '0.03571'],
      // gpu_info says 640 gib for 8 cards: read as the machine's total, 80 GB a card.
      'train-h100x8-01': ['H100-80GB', 'nvidia_h100', 8, '23.92'],
      'infer-h100-02': ['H100-80GB', 'nvidia_h100', 1, '6.74'],
      'train-mi300x-03': ['MI300X', 'amd_mi300x', 8, '15.92'],
      'infer-l40s-04': ['L40S', 'nvidia_l40s', 1, '1.57'],
      // No gpu_info on the Droplet nor its embedded size: the /sizes entry of its slug has it.
      'dev-ada-05': ['RTX-4000-ADA', 'nvidia_rtx_4000_ada', 1, '0.76'],
    };
    for (const [name, [model, raw, count, price]] of Object.entries(expected)) {
      const row = byName.get(name);
      assert.ok(row, `row for ${name}`);
      assert.equal(row.gpu_model, model, `${name} gpu_model`);
      assert.equal(row.gpu_model_raw ?? null, raw, `${name} gpu_model_raw`);
      assert.equal(row.gpu_count, count, `${name} gpu_count`);
      assert.equal(row.price_per_hour, price, `${name} price_per_hour`);
    }
    assert.equal(byName.get('dev-ada-05')?.tags?.gpu_info_from, 'sizes');
    assert.equal(byName.get('train-h100x8-01')?.tags?.gpu_vram_gb, '80');
    assert.equal(byName.get('train-h100x8-01')?.tags?.droplet_list, 'gpus');
    assert.equal(byName.get('web-03')?.status, 'off');
    const h100 = byName.get('train-h100x8-01');
    assert.equal(h100?.tags?.ip, h100?.tags?.public_ip);
    assert.equal(h100?.tags?.hostname, 'train-h100x8-01');
    assert.equal(h100?.memory_bytes, 1966080 * 1024 * 1024);
    const account = run.emitter.resourceRows.find((row) => row.resource_type === 'account');
    assert.equal(
      exactCents(account?.tags?.month_to_date_usage ?? ''),
      exactCents(run.data.balance.month_to_date_usage),
    );
    assert.equal(account?.tags?.last_invoice_uuid, run.data.invoices[0]?.invoice_uuid);
  } finally {
    await run.done();
  }
});

test('cost rows add up to each invoice total and to the preview, to the cent', async () => {
  const run = await setup();
  try {
    await run.source.collect(run.context);
    const rows = run.emitter.costRows;
    assert.ok(rows.every((row) => row.x_cost_source === 'billing_api' && row.billing_currency === 'USD'));
    for (const invoice of [...run.data.invoices, run.data.preview]) {
      const invoiceRows = rows.filter((row) => row.tags?.invoice_uuid === invoice.invoice_uuid);
      assert.ok(invoiceRows.length > 0, `rows of ${invoice.invoice_period}`);
      assert.equal(
        exactCents(exactSum(invoiceRows.map((row) => row.billed_cost))),
        exactCents(invoice.amount),
        `invoice ${invoice.invoice_period}`,
      );
      const items = run.data.invoiceItems.get(invoice.invoice_uuid) ?? [];
      const extra = run.data.unitemisedCents.get(invoice.invoice_uuid);
      assert.equal(invoiceRows.length, items.length + (extra ? 1 : 0), `${invoice.invoice_period} fully emitted`);
      if (extra) {
        const remainder = invoiceRows.find((row) => row.tags?.reconciliation === 'invoice_total_minus_items');
        assert.equal(exactCents(remainder?.billed_cost ?? '0'), exactCents(extra / 100));
        assert.equal(remainder?.charge_category, 'Adjustment');
      }
    }
    const preview = rows.filter((row) => row.tags?.billing_state === 'preview');
    assert.equal(
      exactCents(exactSum(preview.map((row) => row.billed_cost))),
      exactCents(run.data.balance.month_to_date_usage),
    );
    // Items are fetched per page (2 a page) and the preview with the `preview` keyword.
    assert.ok(served(run.server.requests, '/v2/customers/my/invoices/preview') >= 2);
    const keys = rows.map((row) => row.x_row_key);
    assert.equal(new Set(keys).size, keys.length, 'row keys are unique');
    // Droplet lines carry the Droplet's size and GPU facts.
    const h100 = rows.find((row) => row.resource_name === 'train-h100x8-01' && row.tags?.billing_state === 'invoiced');
    assert.equal(h100?.resource_id, String(run.data.gpuDroplets[0]?.id));
    assert.equal(h100?.sku_id, 'gpu-h100x8-640gb');
    assert.equal(h100?.x_gpu_model, 'H100-80GB');
    assert.equal(h100?.x_gpu_count, 8);
    assert.equal(h100?.service_category, 'Compute');
    assert.ok(rows.some((row) => row.charge_category === 'Credit' && row.billed_cost === '-250'));
    assert.deepEqual(
      run.emitter.completedWindows.map((item) => [item.window.start.toISOString(), item.costSource]),
      [['2026-04-01T00:00:00.000Z', 'billing_api']],
    );
  } finally {
    await run.done();
  }
});

test('next links pointing at another host are followed on base_url only: the token never leaves it', async () => {
  // 127.0.0.1:9 (discard) refuses connections: following the link itself would fail the run.
  const run = await setup({ sim: { now: NOW, linkOrigin: 'http://127.0.0.1:9' } });
  try {
    await run.source.collect(run.context);
    assert.deepEqual(run.emitter.partials, []);
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 10);
  } finally {
    await run.done();
  }
});

test('without the preview keyword the preview is read by its UUID', async () => {
  const run = await setup({ sim: { now: NOW, noPreviewKeyword: true } });
  try {
    await run.source.collect(run.context);
    assert.deepEqual(run.emitter.partials, []);
    const preview = run.emitter.costRows.filter((row) => row.tags?.billing_state === 'preview');
    assert.equal(exactCents(exactSum(preview.map((row) => row.billed_cost))), exactCents(run.data.preview.amount));
    assert.ok(served(run.server.requests, `/v2/customers/my/invoices/${run.data.preview.invoice_uuid}`) >= 2);
  } finally {
    await run.done();
  }
});

test('a burst-limit 429 with retry-after is waited out and the run completes', async () => {
  const run = await setup({ sim: { now: NOW, burst: { path: '/v2/droplets', times: 2, retryAfterSeconds: 1 } } });
  try {
    const started = Date.now();
    await run.source.collect(run.context);
    assert.ok(Date.now() - started >= 2_000, 'waited retry-after twice');
    assert.deepEqual(run.emitter.partials, []);
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 10);
  } finally {
    await run.done();
  }
});

test('a 401 fails the run at the first call, naming DigitalOcean and api_key', async () => {
  const run = await setup({ token: 'dop_v1_wrong' });
  try {
    await assertRejectedKey(run.source.collect(run.context), /DigitalOcean/);
    assert.equal(run.server.requests.length, 1);
  } finally {
    await run.done();
  }
});

test('no request is sent without a token', async () => {
  const run = await setup({ token: '  ' });
  try {
    await assert.rejects(run.source.collect(run.context), /api_key is empty/);
    assert.equal(run.server.requests.length, 0);
  } finally {
    await run.done();
  }
});

test('a token without billing:read: billing parts fail as partial naming the scope; inventory still flows', async () => {
  const run = await setup({ sim: { now: NOW, scopes: ['droplet:read', 'sizes:read'] } });
  try {
    await run.source.collect(run.context);
    assert.equal(run.emitter.partials.length, 2);
    for (const partial of run.emitter.partials) {
      assert.equal(partial.code, 'AUTH_FAILED');
      assert.match(partial.message, /"billing:read" scope/);
    }
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 10);
    assert.equal(run.emitter.costRows.length, 0);
    assert.equal(run.emitter.completedWindows.length, 0);
    assert.equal(served(run.server.requests, '/v2/customers/my/invoices'), 1, 'not retried');
  } finally {
    await run.done();
  }
});

test('the token appears in no row, partial or log line', async () => {
  const run = await setup({ sim: { now: NOW, scopes: ['droplet:read'] } });
  try {
    await run.source.collect(run.context);
    const output = JSON.stringify([
      run.emitter.resourceRows,
      run.emitter.costRows,
      run.emitter.partials.map((error) => [error.message, error.context]),
    ]);
    assert.ok(run.emitter.partials.length > 0);
    assert.ok(!output.includes(DO_SIM_TOKEN));
    assert.ok(!output.includes(DO_SIM_TOKEN.slice(8, 30)));
  } finally {
    await run.done();
  }
});

test('between cost intervals only the balance is read of billing (the account row stays)', async () => {
  const run = await setup();
  try {
    await run.source.collect({ ...run.context, collectCosts: false });
    assert.deepEqual(
      run.server.requests.filter((request) => request.path.startsWith('/v2/customers')).map((request) => request.path),
      ['/v2/customers/my/balance'],
    );
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'account').length, 1);
    assert.equal(run.emitter.costRows.length, 0);
    assert.equal(run.emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 10);
  } finally {
    await run.done();
  }
});
