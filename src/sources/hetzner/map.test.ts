import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CostRecord } from '../../core/model.ts';
import {
  gpuOfServerType,
  observationFromPrimaryIp,
  observationFromServer,
  observationFromVolume,
  resourceFromServer,
  volumePrices,
  withVat,
  type HetznerPricing,
  type HetznerServer,
} from './map.ts';
import { linkRelations as linkRelationsForTest } from './client.ts';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8')) as T;
const { servers } = fixture<{ servers: HetznerServer[] }>('servers.json');
const { pricing } = fixture<{ pricing: HetznerPricing }>('pricing.json');
const NOW = new Date('2026-03-28T00:00:00Z');

const SERVER_CASES: Array<{ name: string; server: HetznerServer; expected: Record<string, unknown> }> = [
  {
    name: 'documented example: location, embedded price, addresses, labels',
    server: servers[0] as HetznerServer,
    expected: {
      resource_id: '42',
      region_id: 'fsn1',
      instance_type: 'cpx11',
      price_per_hour: '1',
      vcpus: 2,
      memory_bytes: 2 * 1024 ** 3,
      status: 'running',
      tags: {
        'label:environment': 'prod',
        ip: '1.2.3.4',
        public_ip: '1.2.3.4',
        ipv6: '2001:db8::/64',
        private_ip: '10.0.0.2',
        hostname: 'my-server',
        price_hourly_gross: '1.19',
        price_monthly_net: '1',
        price_monthly_gross: '1.19',
      },
    },
  },
  {
    name: 'pre-2026-07 payload: datacenter.location, price from /pricing, private IP as the join address',
    server: servers[1] as HetznerServer,
    expected: {
      resource_id: '43',
      region_id: 'nbg1',
      instance_type: 'cx22',
      price_per_hour: '0.0063',
      status: 'off',
      tags: {
        ip: '10.0.0.3',
        private_ip: '10.0.0.3',
        hostname: 'legacy-payload',
        price_hourly_gross: '0.007497',
        price_monthly_net: '3.79',
        price_monthly_gross: '4.5101',
      },
    },
  },
];

for (const item of SERVER_CASES) {
  test(`resourceFromServer: ${item.name}`, () => {
    const row = resourceFromServer(item.server, 'hetzner', NOW, 'EUR', pricing);
    for (const [key, value] of Object.entries(item.expected))
      assert.deepEqual(row[key as keyof typeof row], value, key);
    assert.equal(row.gpu_model, null);
    assert.equal(row.gpu_count, null);
  });
}

test('observationFromServer: net hourly and monthly price, creation time as the start of billing', () => {
  const observation = observationFromServer(servers[1] as HetznerServer, pricing);
  assert.equal(observation.hourlyPrice, '0.0063');
  assert.equal(observation.monthlyPrice, '3.79');
  assert.equal(observation.runningSince?.toISOString(), '2025-11-02T10:00:00.000Z');
  assert.equal(observation.status, 'off');
});

test('primary IP and volume observations: prices from /pricing (volume monthly ÷ 730 per hour)', () => {
  const ip = observationFromPrimaryIp({ id: 7, type: 'ipv4', location: { name: 'fsn1' }, assignee_id: null }, pricing);
  assert.deepEqual(
    [ip.id, ip.status, ip.hourlyPrice, ip.monthlyPrice],
    ['primary_ip:7', 'unassigned', '0.0008', '0.5'],
  );
  const volume = observationFromVolume({ id: 9, status: 'available', size: 100 }, pricing);
  assert.deepEqual([volume.id, volume.hourlyPrice, volume.monthlyPrice], ['volume:9', '0.0060273973', '4.4']);
  assert.deepEqual(volumePrices(10, pricing), {
    hourlyNet: '0.0006027397',
    hourlyGross: '0.0007172603',
    monthlyNet: '0.44',
    monthlyGross: '0.5236',
  });
});

const GPU_CASES: Array<[string, Record<string, { raw: string; count: number }> | undefined, unknown]> = [
  ['no Hetzner Cloud type has a GPU', undefined, { model: null, raw: null, count: null }],
  ['a listed type maps through the GPU catalog', { gx1: { raw: 'NVIDIA H100 80GB HBM3', count: 1 } }, 'catalog'],
];
for (const [name, table, expected] of GPU_CASES) {
  test(`gpuOfServerType: ${name}`, () => {
    const gpu = gpuOfServerType({ name: 'GX1' }, table);
    if (expected === 'catalog') {
      assert.equal(gpu.raw, 'NVIDIA H100 80GB HBM3');
      assert.equal(gpu.count, 1);
      assert.ok(gpu.model && gpu.model !== gpu.raw, `canonical id, got ${gpu.model}`);
    } else assert.deepEqual(gpu, expected);
  });
}

test('withVat: billed_cost stays net; VAT and gross as tags; service columns by resource type', () => {
  const row = { billed_cost: '3.79', resource_type: 'volume', tags: { a: 'b' } } as unknown as CostRecord;
  const out = withVat(row, '19.00');
  assert.equal(out.billed_cost, '3.79');
  assert.deepEqual(out.tags, {
    a: 'b',
    price_basis: 'net',
    vat_rate: '19.00',
    vat_cost: '0.7201',
    gross_cost: '4.5101',
  });
  assert.equal(out.service_category, 'Storage');
});

const LINK_CASES: Array<[string | undefined, Record<string, string>]> = [
  [
    '<https://api.hetzner.cloud/v1/actions?page=2&per_page=5>; rel="prev", <https://api.hetzner.cloud/v1/actions?page=4&per_page=5>; rel="next", <https://api.hetzner.cloud/v1/actions?page=6&per_page=5>; rel="last"',
    {
      prev: 'https://api.hetzner.cloud/v1/actions?page=2&per_page=5',
      next: 'https://api.hetzner.cloud/v1/actions?page=4&per_page=5',
      last: 'https://api.hetzner.cloud/v1/actions?page=6&per_page=5',
    },
  ],
  ['<https://api.hetzner.cloud/v1/servers?page=1>; rel=last', { last: 'https://api.hetzner.cloud/v1/servers?page=1' }],
  [undefined, {}],
];
for (const [header, expected] of LINK_CASES) {
  test(`linkRelations: ${header ?? '(absent)'}`.slice(0, 100), () => {
    assert.deepEqual(Object.fromEntries(linkRelationsForTest(header)), expected);
  });
}
