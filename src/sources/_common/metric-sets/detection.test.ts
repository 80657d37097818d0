// Pure pieces of the generic collector's detection, counters, custom metrics and host rows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostFamilies, servedSamples } from '../../../simulator/exporter-host/pages.ts';
import {
  createHostFacts,
  customMetricPatterns,
  enabledSets,
  evaluateRules,
  expectedSets,
  hostResource,
  hostResourceId,
  loadCounterMemory,
  mappingTable,
  metricSetOf,
  noteHostFact,
  rulesFor,
  seriesKeyOf,
  storeCounterMemory,
  METRIC_SETS,
} from './index.ts';

for (const [switches, enabled, expected] of [
  [{}, ['dcgm', 'node_exporter', 'vllm'], []],
  [{ dcgm: false }, ['node_exporter', 'vllm'], []],
  [{ dcgm: true, vllm: false }, ['dcgm', 'node_exporter'], ['dcgm']],
  [
    { dcgm: true, node_exporter: true, vllm: true },
    ['dcgm', 'node_exporter', 'vllm'],
    ['dcgm', 'node_exporter', 'vllm'],
  ],
] as const) {
  test(`metric sets for ${JSON.stringify(switches)}: unset is detected, false off, true expected`, () => {
    assert.deepEqual(
      enabledSets(switches).map((set) => set.key),
      enabled,
    );
    assert.deepEqual(
      expectedSets(switches).map((set) => set.key),
      expected,
    );
  });
}

for (const [name, set] of [
  ['DCGM_FI_DEV_GPU_UTIL', 'dcgm'],
  ['node_uname_info', 'node_exporter'],
  ['vllm:num_requests_running', 'vllm'],
  ['go_goroutines', undefined],
] as const) {
  test(`${name} belongs to ${set ?? 'no metric set'}`, () => assert.equal(metricSetOf(name)?.key, set));
}

for (const [patterns, name, matches] of [
  [['myapp_*'], 'myapp_requests_total', true],
  [['myapp_*'], 'myapp_requests_created', false],
  [['myapp_*'], 'other_requests_total', false],
  [['*_latency_seconds_bucket'], 'api_latency_seconds_bucket', true],
  [['job?_count'], 'jobs_count', true],
  [['exact.name'], 'exactXname', false],
  [['a+b'], 'a+b', true],
] as const) {
  test(`metrics ${JSON.stringify(patterns)} ${matches ? 'matches' : 'does not match'} ${name}`, () => {
    assert.equal(customMetricPatterns(patterns).matches(name), matches);
  });
}

test('custom metrics: a counter is stored cumulative and as <name>.rate; rule objects are the same each call', () => {
  const patterns = customMetricPatterns(['myapp_*', 'plain_total']);
  assert.deepEqual(patterns.exact, ['plain_total']);
  assert.ok(patterns.hasGlobs);
  const counter = patterns.rulesFor('myapp_requests_total', 'counter');
  assert.deepEqual(
    counter.map((rule) => [rule.kind, rule.name, rule.unit, rule.exporter]),
    [
      ['counter', 'myapp_requests_total', '1', 'custom'],
      ['rate', 'myapp_requests_total.rate', '1/s', 'custom'],
    ],
  );
  assert.equal(patterns.rulesFor('myapp_requests_total', 'counter'), counter);
  assert.deepEqual(
    rulesFor({ dcgm: false, node_exporter: false, vllm: false, metrics: ['plain_total', 'g'] }).map(
      (rule) => rule.name,
    ),
    ['plain_total', 'plain_total.rate', 'g'],
  );
});

test('counters kept in state come back equal, and give the same rates as counters kept in memory', () => {
  const rules = rulesFor({ dcgm: true, node_exporter: true, vllm: true });
  const pages = { dcgm: { gpus: 2 }, node: { secondsPerTick: 15 }, vllm: { names: 'new' as const } };
  const first = evaluateRules(rules, servedSamples(hostFamilies(pages, 1)), undefined, 1_000);
  const stored = JSON.parse(JSON.stringify(storeCounterMemory(first.memory))) as unknown;
  const loaded = loadCounterMemory(stored)!;
  assert.deepEqual(loaded, first.memory);
  const next = servedSamples(hostFamilies(pages, 2));
  const fromMemory = evaluateRules(rules, next, first.memory, 16_000).values.map((value) => value.value);
  const fromState = evaluateRules(rules, next, loaded, 16_000).values.map((value) => value.value);
  assert.deepEqual(fromState, fromMemory);
  assert.equal(loadCounterMemory({ atMs: 'x' }), undefined);
  assert.equal(loadCounterMemory(null), undefined);
});

test('series keys: equal labels give equal keys, whatever the object; different labels differ', () => {
  const frozen = Object.freeze({ device: 'eth0', instance: 'a:9100' });
  assert.equal(seriesKeyOf(frozen), seriesKeyOf({ device: 'eth0', instance: 'a:9100' }));
  assert.notEqual(seriesKeyOf({ device: 'eth0' }), seriesKeyOf({ device: 'eth1' }));
  assert.match(seriesKeyOf({}), /^[0-9a-z]+$/);
});

for (const [title, series, expected] of [
  [
    'uname, os, CPUs and memory',
    [
      ['node_uname_info', { nodename: 'GPU-Node-7', release: '6.8.0', machine: 'x86_64', sysname: 'Linux' }, 1],
      ['node_os_info', { pretty_name: 'Debian GNU/Linux 13 (trixie)', id: 'debian', version_id: '13' }, 1],
      ['node_cpu_seconds_total', { cpu: '0', mode: 'idle' }, 10],
      ['node_cpu_seconds_total', { cpu: '0', mode: 'user' }, 5],
      ['node_cpu_seconds_total', { cpu: '1', mode: 'idle' }, 10],
      ['node_memory_MemTotal_bytes', {}, 1024],
    ],
    {
      id: 'host:gpu-node-7',
      name: 'GPU-Node-7',
      vcpus: 2,
      memory: 1024,
      tags: { os: 'Debian GNU/Linux 13 (trixie)', os_id: 'debian', os_version: '13', kernel: '6.8.0', arch: 'x86_64' },
    },
  ],
  [
    'no uname collector: the scrape address names the host',
    [['node_memory_MemTotal_bytes', {}, 2048]],
    { id: 'host:10.0.0.5', name: '10.0.0.5', vcpus: null, memory: 2048, tags: { os: undefined } },
  ],
] as const) {
  test(`host row: ${title}`, () => {
    const facts = createHostFacts('10.0.0.5:9100', 'node');
    for (const [name, labels, value] of series) noteHostFact(facts, name, labels, value);
    const row = hostResource('onprem', facts, '2026-01-01T00:00:00Z')!;
    assert.equal(row.resource_id, expected.id);
    assert.equal(row.resource_id, hostResourceId(expected.name));
    assert.equal(row.resource_name, expected.name);
    assert.equal(row.resource_type, 'host');
    assert.equal(row.vcpus, expected.vcpus);
    assert.equal(row.memory_bytes, expected.memory);
    for (const [key, value] of Object.entries(expected.tags)) assert.equal(row.tags?.[key], value, key);
    assert.equal(row.tags?.instance, '10.0.0.5:9100');
  });
}

test('the mapping table has one row per built-in rule, each name with its unit and OpenTelemetry standing', () => {
  const rows = mappingTable()
    .split('\n')
    .filter((line) => /^\| (dcgm|node_exporter|vllm) \|/.test(line));
  const rules = METRIC_SETS.flatMap((set) => set.rules);
  assert.equal(rows.length, rules.length);
  for (const [index, rule] of rules.entries()) {
    assert.ok(rows[index]!.includes(`\`${rule.name}\``), rule.name);
    assert.ok(rows[index]!.includes(`\`${rule.unit}\``), rule.name);
    assert.ok(rule.convention !== undefined, `${rule.name} says how it stands to OpenTelemetry`);
  }
});
