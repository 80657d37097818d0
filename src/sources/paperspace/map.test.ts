import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gpuOfMachine, observationFromMachine, resourceFromMachine, type PaperspaceMachinePage } from './map.ts';

const page = JSON.parse(
  readFileSync(new URL('./testdata/machines-page.json', import.meta.url), 'utf8'),
) as PaperspaceMachinePage;
const NOW = new Date('2026-03-02T12:00:00Z');

test('map: GPU model and count for every machine, multi-GPU included', () => {
  const rows = page.items.map((machine) => resourceFromMachine(machine, 'paperspace', NOW));
  assert.deepEqual(
    rows.map((row) => [row.instance_type, row.gpu_model, row.gpu_count, row.price_per_hour, row.status]),
    [
      ['A100-80Gx8', 'A100-80G', 8, '25.44', 'ready'],
      ['A4000', 'A4000', 1, '0.76', 'off'],
      ['C5', null, null, '0.08', 'serviceready'],
      ['H100x2', 'H100', 2, '11.98', 'starting'],
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
  assert.equal(row.region_id, 'East Coast (NY2)');
});

test('map: the machine-type suffix gives the count when accelerators are empty; CPU types have none', () => {
  assert.deepEqual(gpuOfMachine({ id: 'a', state: 'ready', machineType: 'A6000x4', accelerators: [] }), {
    model: 'A6000',
    count: 4,
  });
  assert.deepEqual(gpuOfMachine({ id: 'a', state: 'ready', machineType: 'C7', accelerators: [] }), {
    model: null,
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
