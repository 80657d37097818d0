import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  gpuOfMachine,
  observationFromMachine,
  regionCode,
  resourceFromMachine,
  type PaperspaceMachinePage,
} from './map.ts';

const page = JSON.parse(
  readFileSync(new URL('./testdata/machines-page.json', import.meta.url), 'utf8'),
) as PaperspaceMachinePage;
const NOW = new Date('2026-03-02T12:00:00Z');

test('map: GPU model and count for every machine, multi-GPU included', () => {
  const rows = page.items.map((machine) => resourceFromMachine(machine, 'paperspace', NOW));
  assert.deepEqual(
    rows.map((row) => [
      row.instance_type,
      row.gpu_model,
      row.gpu_model_raw,
      row.gpu_count,
      row.price_per_hour,
      row.status,
    ]),
    [
      ['A100-80Gx8', 'A100-80GB', 'A100-80G', 8, '25.44', 'ready'],
      ['A4000', 'RTX-A4000', 'A4000', 1, '0.76', 'off'],
      ['C5', null, null, null, '0.08', 'serviceready'],
      ['H100x2', 'H100-80GB', 'H100', 2, '11.98', 'starting'],
    ],
  );
});

test('map: addresses for the DCGM join, memory in bytes, creation time as first seen', () => {
  const row = resourceFromMachine(page.items[0] ?? { id: '', state: '' }, 'paperspace', NOW);
  assert.deepEqual(row.tags, {
    ip: '184.105.3.10',
    private_ip: '10.64.10.3',
    hostname: 'finetune-8x',
    agent_type: 'LinuxMachine',
  });
  assert.equal(row.memory_bytes, 687194767360);
  assert.equal(row.first_seen_at, '2026-02-20T08:00:00Z');
  assert.equal(row.region_id, 'ny2');
});

test('map: the machine-type suffix gives the count when accelerators are empty; CPU types have none', () => {
  assert.deepEqual(gpuOfMachine({ id: 'a', state: 'ready', machineType: 'A6000x4', accelerators: [] }), {
    model: 'RTX-A6000',
    raw: 'A6000',
    count: 4,
  });
  assert.deepEqual(gpuOfMachine({ id: 'a', state: 'ready', machineType: 'C7', accelerators: [] }), {
    model: null,
    raw: null,
    count: 0,
  });
});

test('map: observation carries the state and exact rate; a deleted machine is not billed', () => {
  assert.deepEqual(
    [
      observationFromMachine(page.items[0] ?? { id: '', state: '' }, 'paperspace').status,
      observationFromMachine(page.items[0] ?? { id: '', state: '' }, 'paperspace').hourlyPrice,
    ],
    ['ready', '25.44'],
  );
  assert.equal(
    observationFromMachine({ id: 'x', state: 'off', dtDeleted: '2026-03-01T00:00:00Z' }, 'paperspace').status,
    '__deleted__',
  );
});

// The API reference's machine samples carry `"region": "ny2"`: the API speaks region codes. Display names
// ("East Coast (NY2)", the legacy Core API's and the console's form) are read back to the code they name.
const REGION_CASES: Array<[region: string | null | undefined, code: string | null]> = [
  ['ny2', 'ny2'],
  ['ca1', 'ca1'],
  ['ams1', 'ams1'],
  ['NY2', 'ny2'],
  ['East Coast (NY2)', 'ny2'],
  ['West Coast (CA1)', 'ca1'],
  ['Europe (AMS1)', 'ams1'],
  [' ny2 ', 'ny2'],
  ['', null],
  [null, null],
  [undefined, null],
];

for (const [region, code] of REGION_CASES) {
  test(`map: region ${JSON.stringify(region)} is the code ${JSON.stringify(code)}`, () => {
    assert.equal(regionCode(region), code);
    assert.equal(resourceFromMachine({ id: 'm', state: 'ready', region }, 'paperspace', NOW).region_id, code);
    assert.equal(observationFromMachine({ id: 'm', state: 'ready', region }, 'paperspace').meta.region, code);
  });
}
