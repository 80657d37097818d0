// Wire-level tests: the OVHcloud source over real HTTP against the simulator, which recomputes every signature.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext } from '../../../test/support/test-context.ts';
import { exactCents, exactSum } from '../../../test/support/exact-money.ts';
import { OVH_SIM_CREDENTIALS, startOvhSimulator, type OvhSimOptions } from '../../simulator/ovhcloud/index.ts';
import { usageCents } from '../../simulator/ovhcloud/data.ts';
import { CollectorError } from '../../core/errors.ts';
import { ovhcloudFactory } from './factory.ts';

const NOW = new Date();
const WINDOW = { start: new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth() - 3, 5)), end: NOW };

async function setup(options: OvhSimOptions = {}, overrides: Record<string, unknown> = {}) {
  const sim = await startOvhSimulator({ seed: 3, now: NOW, ...options });
  const config = {
    endpoint: 'ovh-eu' as const,
    base_url: sim.baseUrl,
    project_id: sim.data.projectId,
    concurrency: 3,
    ...OVH_SIM_CREDENTIALS,
    ...overrides,
  };
  const source = ovhcloudFactory.create({ provider: 'ovhcloud', config });
  const harness = createTestContext({ provider: 'ovhcloud', now: NOW, costWindow: WINDOW });
  return {
    ...sim,
    source,
    ...harness,
    async done() {
      await source.shutdown();
      await harness.close();
      await sim.server.close();
    },
  };
}

const SECRETS = [OVH_SIM_CREDENTIALS.application_secret, OVH_SIM_CREDENTIALS.consumer_key, 'sim-secret-pass'];

test('signed requests pass the server-side check; GPU model and count on every instance', async () => {
  // The server clock is 20 minutes ahead: only a timestamp corrected by GET /auth/time is accepted.
  const run = await setup({ clockSkewSeconds: 1200 });
  try {
    await run.source.collect(run.context);
    assert.deepEqual(run.server.unexpected, []);
    assert.deepEqual(run.emitter.partials, []);
    const times = run.server.requests.filter((request) => request.path === '/1.0/auth/time');
    assert.equal(times.length, 1, 'the offset is measured once per run');
    assert.ok(
      run.server.requests.every((request) => request.path === '/1.0/auth/time' || request.headers['x-ovh-signature']),
    );
    const flavorById = new Map(run.data.flavors.map((flavor) => [flavor.id, flavor.name]));
    assert.equal(run.emitter.resourceRows.length, run.data.instances.length);
    for (const instance of run.data.instances) {
      const row = run.emitter.resourceRows.find((item) => item.resource_id === instance.id);
      const flavor = flavorById.get(instance.flavorId) ?? '';
      const [model, count] = run.data.expectedGpus.get(flavor) ?? [null, null];
      assert.equal(row?.gpu_model, model, `${flavor} model`);
      assert.equal(row?.gpu_count, count, `${flavor} count`);
      assert.equal(row?.instance_type, flavor);
      assert.equal(row?.tags?.ip, instance.ipAddresses[0]?.ip);
      assert.equal(row?.tags?.hostname, instance.name);
    }
    assert.deepEqual(
      run.emitter.completedWindows.map((item) => item.costSource),
      ['billing_api'],
    );
  } finally {
    await run.done();
  }
});

test('cost rows reconcile to the cent: each bill with tax, the unbilled history month, the running month', async () => {
  const run = await setup();
  try {
    await run.source.collect(run.context);
    const rows = run.emitter.costRows;
    assert.ok(rows.every((row) => row.billing_currency === 'EUR' && row.x_cost_source === 'billing_api'));
    for (const bill of run.data.bills) {
      const billRows = rows.filter((row) => row.tags?.bill_id === bill.billId);
      assert.equal(exactCents(exactSum(billRows.map((row) => row.billed_cost))), exactCents(bill.priceWithTax.value));
      assert.equal(billRows.filter((row) => row.charge_category === 'Tax').length, 1);
    }
    // Months already billed come from the bills only; the last history month is not billed yet.
    const billed = run.data.history.slice(0, 2).map((entry) => entry.id);
    assert.deepEqual(
      billed.filter((id) => rows.some((row) => row.tags?.usage_id === id)),
      [],
    );
    const unbilled = run.data.history[2];
    assert.ok(unbilled);
    for (const [id, usage] of [
      [unbilled.id, run.data.historyDetails.get(unbilled.id)],
      ['current', run.data.current],
    ] as const) {
      assert.ok(usage);
      const usageRows = rows.filter((row) => row.tags?.usage_id === id);
      const expected = exactCents((usageCents(usage) / 100).toFixed(2));
      assert.equal(exactCents(exactSum(usageRows.map((row) => row.billed_cost))), expected, id);
    }
    // A whole-month period written in Paris time belongs to that month, not to the previous one in UTC.
    const current = rows.find((row) => row.tags?.usage_id === 'current');
    assert.equal(current?.billing_period_start.slice(0, 7), run.data.current.period.from.slice(0, 7));
    const gpu = rows.find((row) => row.resource_id === run.data.instances[1]?.id && row.tags?.usage_id === 'current');
    assert.equal(gpu?.x_gpu_model, 'H100-80GB');
    assert.equal(gpu?.x_gpu_count, 4);
    assert.equal(gpu?.tags?.billing, 'monthly');
    const keys = rows.map((row) => row.x_row_key);
    assert.equal(new Set(keys).size, keys.length, 'row keys are unique');
    const text = JSON.stringify([rows, run.emitter.resourceRows, run.emitter.partials]);
    for (const secret of SECRETS) assert.ok(!text.includes(secret), 'no secret or bill password in rows');
  } finally {
    await run.done();
  }
});

test('a wrong application secret is "Invalid signature": AUTH_FAILED, fatal, not retried, secret not shown', async () => {
  const run = await setup({}, { application_secret: 'wrong-secret-value-0000000000' });
  try {
    await assert.rejects(run.source.collect(run.context), (error: unknown) => {
      assert.ok(error instanceof CollectorError);
      assert.equal(error.code, 'AUTH_FAILED');
      assert.equal(error.retryable, false);
      assert.match(error.message, /Invalid signature/);
      assert.ok(
        !error.message.includes('wrong-secret-value') && !error.message.includes(OVH_SIM_CREDENTIALS.consumer_key),
      );
      return true;
    });
    // /auth/time, then the first signed call, answered 400 INVALID_SIGNATURE once.
    assert.equal(run.server.requests.length, 2);
  } finally {
    await run.done();
  }
});

test('"Query out of time" is CLOCK_SKEW, fatal: the timestamp is re-signed once, then the run fails', async () => {
  // The server clock steps 10 minutes ahead after answering /auth/time: every signed timestamp is then stale.
  const run = await setup({ clockJumpSeconds: 600 });
  try {
    await assert.rejects(run.source.collect(run.context), (error: unknown) => {
      assert.ok(error instanceof CollectorError);
      assert.equal(error.code, 'CLOCK_SKEW');
      assert.match(error.message, /Query out of time.*clock/);
      return true;
    });
    assert.equal(run.server.requests.filter((request) => request.path !== '/1.0/auth/time').length, 2);
  } finally {
    await run.done();
  }
});

test('no request at all without credentials', async () => {
  for (const key of ['application_key', 'application_secret', 'consumer_key'] as const) {
    const run = await setup({}, { [key]: '' });
    try {
      await assert.rejects(run.source.collect(run.context), /credentials missing/);
      assert.equal(run.server.requests.length, 0, key);
    } finally {
      await run.done();
    }
  }
});

test('403 NOT_GRANTED_CALL on /me/* is a partial failure: inventory still flows, no cost window declared', async () => {
  const run = await setup({ grantMe: false });
  try {
    await run.source.collect(run.context);
    assert.equal(run.emitter.resourceRows.length, run.data.instances.length);
    assert.ok(run.emitter.partials.length >= 2);
    assert.ok(run.emitter.partials.some((partial) => /access rule/.test(partial.message)));
    assert.equal(run.emitter.completedWindows.length, 0);
  } finally {
    await run.done();
  }
});

test('429 with Retry-After on a detail is retried by the shared client; the rest completes', async () => {
  const run = await setup();
  try {
    run.server.faults.add({
      kind: 'rate_limit',
      path: `/1.0/me/bill/${run.data.bills[0]?.billId}`,
      count: 1,
      retry_after: '1',
    });
    await run.source.collect(run.context);
    assert.deepEqual(run.emitter.partials, []);
    assert.equal(run.emitter.completedWindows.length, 1);
  } finally {
    await run.done();
  }
});

test('between cost intervals no billing or usage call is made', async () => {
  const run = await setup();
  try {
    await run.source.collect({ ...run.context, collectCosts: false });
    const paths = run.server.requests.map((request) => request.path);
    assert.deepEqual(
      paths.filter((path) => /\/me|\/usage/.test(path)),
      [],
    );
    assert.equal(run.emitter.costRows.length, 0);
  } finally {
    await run.done();
  }
});
