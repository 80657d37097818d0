import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectorError } from '../../core/errors.ts';
import { collectOnce, createMemoryState } from '../../../test/support/test-context.ts';
import { exactCents, exactSum } from '../../../test/support/exact-money.ts';
import { HETZNER_SIM_API_KEY, startHetznerSimulator, type HetznerSimulator } from '../../simulator/hetzner/index.ts';
import { hetznerDataset, type HetznerDataset } from '../../simulator/hetzner/data.ts';
import { hetznerFactory } from './factory.ts';

const MARCH = new Date('2026-03-01T00:00:00Z');

async function collect(
  simulator: HetznerSimulator,
  now: Date,
  state = createMemoryState(),
  api: Record<string, unknown> = {},
) {
  const block = { base_url: `${simulator.server.url}/v1`, api_key: HETZNER_SIM_API_KEY, per_page: 3, ...api };
  return collectOnce(hetznerFactory, 'hetzner', block, { now, state, costWindow: { start: MARCH, end: now } });
}

// ---- An independent computation of Hetzner's rule in BigInt: min(started hours × hourly, monthly) per month. ----
const SCALE = 12;
function units(decimal: string): bigint {
  const [whole = '0', fraction = ''] = decimal.split('.');
  return BigInt(whole + fraction.padEnd(SCALE, '0').slice(0, SCALE));
}
function text(value: bigint): string {
  const digits = value.toString().padStart(SCALE + 1, '0');
  return `${digits.slice(0, -SCALE)}.${digits.slice(-SCALE)}`;
}
const HOUR_MS = 3_600_000n;
/** Charge in March for a resource existing from `from` to `to` (closed: started hours; open: exact time). */
function expectedCharge(fromIso: string, to: Date, closed: boolean, hourly: string, monthly: string): bigint {
  const start = BigInt(Math.max(Date.parse(fromIso), MARCH.getTime()));
  const elapsed = BigInt(to.getTime()) - start;
  if (elapsed <= 0n) return 0n;
  const raw = closed ? ((elapsed + HOUR_MS - 1n) / HOUR_MS) * units(hourly) : (elapsed * units(hourly)) / HOUR_MS; // exact for whole-minute spans at 4-place prices
  return raw < units(monthly) ? raw : units(monthly);
}
/** The volume's hourly rate: monthly ÷ 730 rounded half-up to 10 places (the adapter's documented rule). */
function volumeHourly(monthly: bigint): string {
  const step = 10n ** BigInt(SCALE - 10);
  const perHour = (monthly * 10n) / 730n; // one extra digit, then round half-up at 10 places
  const rounded = ((perHour / step + 5n) / 10n) * step * 10n;
  return text(rounded / 10n);
}

function expectedTotal(data: HetznerDataset, deletedAt: Map<number, Date>, now: Date): bigint {
  let total = 0n;
  for (const server of data.servers) {
    if (server.status === 'initializing') continue;
    const price = server.server_type.prices.find((item) => item.location === server.location.name);
    assert.ok(price);
    const gone = deletedAt.get(server.id);
    total += expectedCharge(
      server.created,
      gone ?? now,
      gone !== undefined,
      price.price_hourly.net,
      price.price_monthly.net,
    );
  }
  for (const ip of data.primaryIps) {
    const price = data.pricing.primary_ips
      .find((item) => item.type === ip.type)
      ?.prices.find((item) => item.location === ip.location.name);
    assert.ok(price);
    total += expectedCharge(ip.created, now, false, price.price_hourly.net, price.price_monthly.net);
  }
  for (const volume of data.volumes) {
    const monthly = units(data.pricing.volume.price_per_gb_month.net) * BigInt(volume.size);
    const hourly = volumeHourly(monthly);
    const start = BigInt(Math.max(Date.parse(volume.created), MARCH.getTime()));
    const raw = ((BigInt(now.getTime()) - start) * units(hourly)) / HOUR_MS;
    total += raw < monthly ? raw : monthly;
  }
  return total;
}

test('hetzner wire: every page of every list over real HTTP (meta.pagination, per_page 3), inventory rows', async () => {
  const simulator = await startHetznerSimulator();
  try {
    const emitter = await collect(simulator, new Date('2026-03-28T00:00:00Z'));
    const servers = emitter.resourceRows.filter((row) => row.resource_type === 'instance');
    assert.equal(servers.length, 7);
    assert.equal(emitter.resourceRows.filter((row) => row.resource_type === 'primary_ip').length, 3);
    assert.equal(emitter.resourceRows.filter((row) => row.resource_type === 'volume').length, 2);
    const web2 = servers.find((row) => row.resource_name === 'web-2');
    assert.equal(web2?.status, 'off');
    assert.equal(web2?.region_id, 'nbg1');
    assert.equal(web2?.price_per_hour, '0.0063');
    assert.equal(web2?.currency, 'EUR');
    assert.equal(web2?.tags?.price_hourly_gross, '0.007497');
    assert.equal(web2?.tags?.hostname, 'web-2');
    assert.ok(web2?.tags?.ip);
    const ash = servers.find((row) => row.resource_name === 'app-ash');
    assert.equal(ash?.price_per_hour, '0.024', 'the price of the server’s own location');
    for (const row of servers) assert.equal(row.gpu_model, null, 'Hetzner Cloud lists no GPU server types');
    const served = simulator.server.requests.map((request) => `${request.path}?${request.query.toString()}`);
    assert.deepEqual(
      served.filter((item) => item.startsWith('/v1/servers')),
      ['/v1/servers?page=1&per_page=3', '/v1/servers?page=2&per_page=3', '/v1/servers?page=3&per_page=3'],
    );
    assert.deepEqual(simulator.server.unexpected, []);
  } finally {
    await simulator.server.close();
  }
});

test('hetzner wire: derived totals equal an independent BigInt computation to the cent (delete between runs)', async () => {
  const simulator = await startHetznerSimulator();
  const state = createMemoryState();
  try {
    const first = new Date('2026-03-27T23:00:00Z');
    await collect(simulator, first, state);
    // batch-1 is deleted: billing ends when last seen (23:00), its 310 h 40 min round up to 311 h.
    simulator.data.servers = simulator.data.servers.filter((server) => server.name !== 'batch-1');
    const now = new Date('2026-03-28T00:00:00Z');
    const emitter = await collect(simulator, now, state);
    const expected = expectedTotal(hetznerDataset(), new Map([[6, first]]), now);
    const stored = exactSum(emitter.costRows.map((row) => row.billed_cost));
    assert.equal(exactCents(stored), exactCents(text(expected)));
    assert.equal(stored, exactSum([text(expected)]), 'to the last digit, not only the cent');
    // Stopped (`off`) servers bill; `initializing` does not; capped servers bill the monthly price.
    const byResource = new Map<string, string>();
    for (const row of emitter.costRows)
      byResource.set(row.resource_id ?? '', exactSum([byResource.get(row.resource_id ?? '') ?? '0', row.billed_cost]));
    assert.ok(Number(byResource.get('2')) > 0, 'web-2 is off and still billed');
    assert.equal(byResource.get('7'), undefined, 'build-1 is initializing: not billed yet');
    assert.equal(byResource.get('3'), '47.99', 'db-1 reached its monthly cap');
    assert.equal(byResource.get('1'), '3.79', 'web-1 reached its monthly cap');
    assert.equal(byResource.get('6'), exactSum(['6.9664']), 'batch-1: 311 started hours × 0.0224');
    assert.equal(byResource.get('primary_ip:101'), '0.5', 'primary IPv4 capped at its monthly price');
    for (const row of emitter.costRows) {
      assert.equal(row.x_cost_source, 'derived');
      assert.equal(row.billing_currency, 'EUR');
      assert.equal(row.tags?.vat_rate, '19.00');
      assert.equal(row.tags?.gross_cost, exactSum([row.billed_cost, row.tags?.vat_cost ?? 'x']));
    }
    const gross = exactSum(emitter.costRows.map((row) => row.tags?.gross_cost ?? '0'));
    assert.equal(exactCents(gross), exactCents(text((expected * 119n) / 100n)));
    assert.deepEqual(
      [...new Set(emitter.costRows.map((row) => `${row.resource_type}:${row.service_category}`))].sort(),
      ['instance:Compute', 'primary_ip:Networking', 'volume:Storage'],
    );
    assert.equal(emitter.completedWindows.length, 1);
  } finally {
    await simulator.server.close();
  }
});

test('hetzner wire: a 429 rate_limit_exceeded is retried after RateLimit-Reset', async () => {
  const simulator = await startHetznerSimulator();
  try {
    simulator.throttle(1);
    const emitter = await collect(simulator, new Date('2026-03-28T00:00:00Z'));
    assert.equal(emitter.resourceRows.filter((row) => row.resource_type === 'instance').length, 7);
    assert.equal(emitter.calls['hetzner:GET /pricing'], 2);
    assert.equal(emitter.partials.length, 0);
  } finally {
    await simulator.server.close();
  }
});

test('hetzner wire: a wrong token is one 401, a permanent error naming the provider; no secret in it', async () => {
  const simulator = await startHetznerSimulator();
  try {
    await assert.rejects(
      collect(simulator, new Date(), createMemoryState(), { api_key: 'wrong-token-s3cr3t' }),
      (error) => {
        assert.ok(error instanceof CollectorError);
        assert.equal(error.code, 'AUTH_FAILED');
        assert.equal(error.retryable, false);
        assert.match(error.message, /^hetzner \(Hetzner Cloud\): .*HTTP 401/);
        assert.doesNotMatch(JSON.stringify({ message: error.message, context: error.context }), /s3cr3t/);
        return true;
      },
    );
    assert.equal(simulator.server.requests.length, 1, 'not retried');
  } finally {
    await simulator.server.close();
  }
});

test('hetzner wire: no request without a token; no token in rows', async () => {
  const simulator = await startHetznerSimulator();
  try {
    await assert.rejects(collect(simulator, new Date(), createMemoryState(), { api_key: '' }));
    assert.equal(simulator.server.requests.length, 0);
    const emitter = await collect(simulator, new Date('2026-03-28T00:00:00Z'));
    const output = JSON.stringify([emitter.resourceRows, emitter.costRows, emitter.partials]);
    assert.equal(output.includes(HETZNER_SIM_API_KEY), false);
  } finally {
    await simulator.server.close();
  }
});

test('hetzner wire: a list paged only by the Link header is followed; a Link to another host is refused', async () => {
  const { startSimServer } = await import('../../simulator/server.ts');
  const servers = (page: number) => [{ id: page, name: `s-${page}`, status: 'running', server_type: { name: 'cx22' } }];
  const upstream = await startSimServer({
    name: 'hetzner-link-only',
    routes: [
      {
        method: 'GET',
        path: '/v1/pricing',
        handle: () => ({ body: { pricing: { currency: 'EUR', vat_rate: '19.00' } } }),
      },
      { method: 'GET', path: '/v1/server_types', handle: () => ({ body: { server_types: [] } }) },
      {
        method: 'GET',
        path: '/v1/servers',
        handle: (request) => {
          const page = Number(request.query.get('page') ?? '1');
          const next = page < 2 ? `<http://${request.headers.host}/v1/servers?page=2&per_page=50>; rel="next"` : '';
          const headers: Record<string, string> = next ? { link: next } : {};
          return { headers, body: { servers: servers(page) } };
        },
      },
      {
        method: 'GET',
        path: '/v1/primary_ips',
        handle: () => ({
          headers: { link: '<https://elsewhere.example/v1/primary_ips?page=2>; rel="next"' },
          body: { primary_ips: [] },
        }),
      },
      { method: 'GET', path: '/v1/volumes', handle: () => ({ body: { volumes: [] } }) },
    ],
  });
  try {
    const emitter = await collectOnce(
      hetznerFactory,
      'hetzner',
      { base_url: `${upstream.url}/v1`, api_key: 'token' },
      { now: new Date('2026-03-28T00:00:00Z') },
    );
    assert.deepEqual(
      emitter.resourceRows.map((row) => row.resource_name),
      ['s-1', 's-2'],
    );
    assert.equal(emitter.partials.length, 1);
    assert.match(emitter.partials[0]?.message ?? '', /primary IPs: .*Link rel="next" outside/);
    assert.deepEqual(upstream.unexpected, []);
  } finally {
    await upstream.close();
  }
});
