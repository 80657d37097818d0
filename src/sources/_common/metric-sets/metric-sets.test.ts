import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  dcgmFamilies,
  exporterPage,
  hostFamilies,
  servedSamples,
  type ExporterHostPages,
} from '../../../simulator/exporter-host/pages.ts';
import { parseExposition } from '../prometheus-text/index.ts';
import {
  DCGM_RULES,
  createGpuInventory,
  createSampleLabeler,
  evaluateRules,
  histogramQuantile,
  mergeSelector,
  metricSample,
  planScrape,
  queriesForRule,
  rulesFor,
  type RawSeries,
} from './index.ts';

const mergeCases = JSON.parse(
  readFileSync(new URL('./testdata/merge-selector.json', import.meta.url), 'utf8'),
) as Array<{ expression: string; selector: string; expected: string }>;

for (const [index, testCase] of mergeCases.entries()) {
  test(`mergeSelector case ${index}: ${testCase.expression}`, () => {
    assert.equal(mergeSelector(testCase.expression, testCase.selector), testCase.expected);
  });
}

test('every rule query carries the selector, including rates and quantiles', () => {
  for (const rule of rulesFor({
    dcgm: true,
    node_exporter: true,
    vllm: true,
    queries: [{ name: 'x', query: 'sum(up)', unit: '1', category: 'performance' }],
  })) {
    for (const query of queriesForRule(rule, 'job="j"', '5m')) {
      const selectors = query.expression.match(/\{[^}]*\}/g) ?? [];
      assert.ok(selectors.length > 0, query.expression);
      for (const selector of selectors) assert.match(selector, /job="j"/, query.expression);
    }
  }
});

const ALL = rulesFor({ dcgm: true, node_exporter: true, vllm: true });
const series = (
  tick: number,
  pages: ExporterHostPages = { dcgm: { gpus: 8 }, node: { secondsPerTick: 15 }, vllm: { names: 'new' } },
): RawSeries[] => servedSamples(hostFamilies(pages, tick));

test('gauges: all 8 GPUs kept, one series each, with the GPU labels and source metric', () => {
  const { values } = evaluateRules(ALL, series(0), undefined, 0);
  const util = values.filter(
    (value) => value.rule.name === 'hw.gpu.utilization' && value.rule.labels?.['hw.gpu.task'] === 'general',
  );
  assert.equal(util.length, 8);
  assert.deepEqual(new Set(util.map((value) => value.labels.UUID)).size, 8);
  const served = series(0).filter((item) => item.name === 'DCGM_FI_DEV_GPU_UTIL');
  for (const value of util) {
    const source = served.find((item) => item.labels.UUID === value.labels.UUID)!;
    assert.equal(value.value, source.value * 0.01);
  }
  const sample = metricSample(
    'p',
    '2026-01-01T00:00:00.000Z',
    util[0]!.rule,
    util[0]!.labels,
    util[0]!.value,
    util[0]!.sourceMetric,
  )!;
  assert.equal(sample.labels.source_metric, 'DCGM_FI_DEV_GPU_UTIL');
  assert.equal(sample.resource_id, sample.labels.UUID);
  assert.equal(sample.unit, '1');
  for (const [name, count] of [
    ['hw.gpu.utilization', 24],
    ['hw.gpu.memory.usage', 8],
    ['hw.gpu.memory.limit', 8],
    ['hw.gpu.memory.utilization', 8],
    ['hw.gpu.memory_bandwidth.utilization', 8],
    ['hw.power', 8],
    ['hw.energy', 8],
    ['hw.temperature', 16],
    ['hw.gpu.clock.sm', 8],
    ['hw.gpu.tensor.activity', 8],
  ] as const) {
    assert.equal(values.filter((value) => value.rule.name === name).length, count, name);
  }
  const limit = values.find((value) => value.rule.name === 'hw.gpu.memory.limit')!;
  assert.equal(limit.value, 81_559 * 1_048_576);
  // OpenTelemetry's hw.gpu.memory.utilization is the fraction of memory used, not DCGM's copy-engine busy time.
  for (const value of values.filter((item) => item.rule.name === 'hw.gpu.memory.utilization')) {
    const of = (name: string): number =>
      series(0).find((item) => item.name === name && item.labels.UUID === value.labels.UUID)!.value;
    assert.equal(value.value, of('DCGM_FI_DEV_FB_USED') / (of('DCGM_FI_DEV_FB_USED') + of('DCGM_FI_DEV_FB_FREE')));
    assert.equal(value.sourceMetric, 'DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)');
  }
  const copy = values.find((value) => value.rule.name === 'hw.gpu.memory_bandwidth.utilization')!;
  assert.equal(copy.sourceMetric, 'DCGM_FI_DEV_MEM_COPY_UTIL');
});

test('a first scrape stores counters cumulative and no rate; the second yields rates, CPU utilization, quantiles', () => {
  const page = series(10);
  const first = evaluateRules(ALL, page, undefined, 10_000);
  for (const [name, source] of [
    ['system.network.io', 'node_network_receive_bytes_total'],
    ['system.disk.io', 'node_disk_read_bytes_total'],
    ['system.cpu.time', 'node_cpu_seconds_total'],
    ['vllm.tokens', 'vllm:prompt_tokens_total'],
    ['vllm.requests.finished', 'vllm:request_success_total'],
  ] as const) {
    const stored = first.values.filter((value) => value.rule.name === name && value.sourceMetric === source);
    const served = page.filter((item) => item.name === source);
    assert.equal(stored.length, served.length, name);
    for (const value of stored)
      assert.equal(value.value, served.find((item) => item.labels === value.labels)?.value, name);
  }
  const energy = first.values.find((value) => value.rule.name === 'hw.energy')!;
  assert.equal(energy.rule.kind, 'counter');
  assert.equal(energy.rule.unit, 'J');
  assert.equal(
    first.values.filter(
      (value) => value.rule.kind === 'rate' || value.rule.kind === 'quantile' || value.rule.kind === 'cpu_utilization',
    ).length,
    0,
  );
  const second = evaluateRules(ALL, series(11), first.memory, 25_000);
  const rx = second.values.find(
    (value) =>
      value.rule.name === 'system.network.io.rate' &&
      value.labels.device === 'eth0' &&
      value.rule.labels?.['network.io.direction'] === 'receive',
  )!;
  assert.equal(rx.value, 125_000_000);
  const cpu = second.values.filter((value) => value.rule.name === 'system.cpu.utilization');
  assert.equal(cpu.length, 1);
  assert.ok(cpu[0]!.value > 0.1 && cpu[0]!.value < 0.9, String(cpu[0]!.value));
  const tokens = second.values.find(
    (value) => value.rule.name === 'vllm.tokens.rate' && value.rule.labels?.['gen_ai.token.type'] === 'input',
  )!;
  assert.equal(tokens.value, (40 * 812) / 15);
  const p95 = second.values.filter(
    (value) => value.rule.name === 'gen_ai.server.request.duration' && value.rule.labels?.quantile === '0.95',
  );
  assert.equal(p95.length, 1);
  assert.ok(p95[0]!.value > 1 && p95[0]!.value < 60);
  assert.equal(second.values.filter((value) => value.rule.name === 'vllm.requests.finished.rate').length, 3);
  assert.equal(second.values.filter((value) => value.rule.name === 'hw.gpu.nvlink.io.rate').length, 8);
  const read = second.values.filter((value) => value.rule.name === 'system.disk.io.rate');
  assert.equal(read.length, 4);
  assert.ok(read.every((value) => value.rule.unit === 'By/s' && value.value > 0));
});

test('old vLLM names map to the same normalized metrics', () => {
  const old = series(0, { dcgm: { gpus: 1 }, node: { secondsPerTick: 15 }, vllm: { names: 'old' } });
  const { values } = evaluateRules(ALL, old, undefined, 0);
  const kv = values.filter((value) => value.rule.name === 'vllm.kv_cache.usage');
  assert.equal(kv.length, 1);
  assert.equal(kv[0]!.sourceMetric, 'vllm:gpu_cache_usage_perc');
});

test('counter reset counts from zero', () => {
  const rules = rulesFor({ dcgm: false, node_exporter: true, vllm: false });
  const at = (value: number): RawSeries[] => [
    { name: 'node_network_receive_bytes_total', labels: { device: 'eth0' }, value },
  ];
  const first = evaluateRules(rules, at(1000), undefined, 0);
  const second = evaluateRules(rules, at(100), first.memory, 10_000);
  assert.deepEqual(
    second.values.map((value) => [value.rule.name, value.value]),
    [
      ['system.network.io', 100],
      ['system.network.io.rate', 10],
    ],
  );
});

test('rates match series by label content: shared frozen label sets, a new object with the same labels, plain objects', () => {
  const rules = rulesFor({ dcgm: true, node_exporter: false, vllm: false });
  const at = (labels: Record<string, string>, value: number): RawSeries[] => [
    { name: 'DCGM_FI_DEV_PCIE_REPLAY_COUNTER', labels, value },
  ];
  const frozen = Object.freeze({ gpu: '0', UUID: 'GPU-a' });
  const first = evaluateRules(rules, at(frozen, 100), undefined, 0);
  const second = evaluateRules(rules, at(frozen, 150), first.memory, 10_000);
  assert.deepEqual(
    second.values.map((value) => value.value),
    [5],
  );
  // The parser's label-set cache started over: another frozen object, same labels, same series.
  const third = evaluateRules(rules, at(Object.freeze({ gpu: '0', UUID: 'GPU-a' }), 250), second.memory, 20_000);
  assert.deepEqual(
    third.values.map((value) => value.value),
    [10],
  );
  const fourth = evaluateRules(rules, at({ gpu: '0', UUID: 'GPU-a' }, 260), third.memory, 30_000);
  assert.deepEqual(
    fourth.values.map((value) => value.value),
    [1],
  );
  const otherGpu = evaluateRules(rules, at(Object.freeze({ gpu: '1', UUID: 'GPU-b' }), 500), fourth.memory, 40_000);
  assert.deepEqual(otherGpu.values, [], 'another GPU has no previous value');
});

test('histogramQuantile matches Prometheus interpolation', () => {
  const buckets = [
    { upperBound: 1, count: 10 },
    { upperBound: 2, count: 30 },
    { upperBound: Infinity, count: 40 },
  ];
  assert.equal(histogramQuantile(0.5, buckets), 1.5);
  assert.equal(histogramQuantile(0.99, buckets), 2);
  assert.ok(
    Number.isNaN(
      histogramQuantile(0.5, [
        { upperBound: 1, count: 0 },
        { upperBound: Infinity, count: 0 },
      ]),
    ),
  );
});

test('non-finite values and DCGM blank sentinels are not samples', () => {
  const rule = ALL.find((item) => item.name === 'hw.temperature')!;
  assert.equal(metricSample('p', 't', rule, {}, NaN, 'x'), undefined);
  assert.equal(metricSample('p', 't', rule, {}, Infinity, 'x'), undefined);
  assert.equal(metricSample('p', 't', rule, {}, Number('9223372036854775794'), 'x'), undefined);
});

test('GPU inventory: every GPU once, by UUID, with model and host', () => {
  const inventory = createGpuInventory();
  for (const family of dcgmFamilies({ gpus: 8, podGpus: [2] }))
    for (const sample of family.samples) inventory.add(Object.fromEntries(sample.labels));
  const rows = inventory.resources('onprem', '2026-01-01T00:00:00Z');
  assert.equal(rows.length, 8);
  assert.ok(
    rows.every(
      (row) =>
        row.resource_type === 'gpu' &&
        row.resource_id.startsWith('GPU-') &&
        row.gpu_model_raw === 'NVIDIA H100 80GB HBM3' &&
        row.tags?.host === 'gpu-node-0',
    ),
  );
  assert.equal(rows.find((row) => row.tags?.gpu === '2')!.tags?.pod, 'vllm-llama-1');
});

test('the scrape plan wants every rule source and custom metric; gauges per sample, the rest kept for the whole scrape', () => {
  const plan = planScrape(
    rulesFor({
      dcgm: true,
      node_exporter: false,
      vllm: true,
      metrics: ['my_metric'],
      queries: [{ name: 'q', query: 'up', unit: '1', category: 'performance' }],
    }),
  );
  for (const name of [
    'DCGM_FI_DEV_GPU_UTIL',
    'vllm:e2e_request_latency_seconds_bucket',
    'vllm:gpu_cache_usage_perc',
    'my_metric',
  ])
    assert.ok(plan.uses.has(name), name);
  assert.ok(!plan.uses.has('node_load1'));
  assert.deepEqual(
    plan.uses.get('DCGM_FI_DEV_GPU_UTIL')?.gauges.map((rule) => rule.name),
    ['hw.gpu.utilization'],
  );
  assert.equal(plan.uses.get('DCGM_FI_DEV_GPU_UTIL')?.buffered, false);
  assert.deepEqual(
    plan.uses.get('DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION')?.gauges.map((rule) => [rule.name, rule.kind]),
    [['hw.energy', 'counter']],
  );
  // FB_USED is a gauge of its own and an operand of the memory limit: both.
  assert.deepEqual(
    plan.uses.get('DCGM_FI_DEV_FB_USED')?.gauges.map((rule) => rule.name),
    ['hw.gpu.memory.usage'],
  );
  assert.equal(plan.uses.get('DCGM_FI_DEV_FB_USED')?.buffered, true);
  assert.equal(plan.uses.get('DCGM_FI_DEV_PCIE_REPLAY_COUNTER')?.buffered, true);
  assert.ok(plan.whole.every((rule) => rule.kind !== 'gauge' && rule.kind !== 'counter' && rule.promql === undefined));
});

test('a sample labeler returns one frozen stored-labels object per (exporter labels, rule, source), equal to a fresh build', () => {
  const labeler = createSampleLabeler({ instance: 'h1:9400' });
  const [power, temperature] = [
    DCGM_RULES.find((rule) => rule.name === 'hw.power')!,
    DCGM_RULES.find((rule) => rule.name === 'hw.temperature')!,
  ];
  const shared = Object.freeze({ gpu: '0', UUID: 'GPU-1', le: 'x' });
  const first = labeler(power, shared, 'DCGM_FI_DEV_POWER_USAGE');
  assert.deepEqual(first, {
    gpu: '0',
    UUID: 'GPU-1',
    instance: 'h1:9400',
    'hw.type': 'gpu',
    source_metric: 'DCGM_FI_DEV_POWER_USAGE',
  });
  assert.ok(Object.isFrozen(first));
  assert.equal(labeler(power, shared, 'DCGM_FI_DEV_POWER_USAGE'), first, 'same object next scrape');
  assert.notEqual(labeler(temperature, shared, 'DCGM_FI_DEV_GPU_TEMP'), first);
  assert.notEqual(labeler(power, shared, 'DCGM_FI_DEV_POWER_USAGE_ALIAS'), first);
  const plain = { gpu: '0', UUID: 'GPU-1' };
  const built = labeler(power, plain, 'DCGM_FI_DEV_POWER_USAGE');
  assert.ok(!Object.isFrozen(built));
  assert.notEqual(
    labeler(power, plain, 'DCGM_FI_DEV_POWER_USAGE'),
    built,
    'labels that may change are built each time',
  );
  assert.deepEqual(
    metricSample('acme', '2026-11-26T10:00:00.000Z', power, shared, 300, 'DCGM_FI_DEV_POWER_USAGE', labeler)?.labels,
    first,
  );
});

test('evaluation over a page parsed with shared label sets equals the evaluation over fresh labels', () => {
  const pages: ExporterHostPages = { dcgm: { gpus: 8 }, node: { secondsPerTick: 15 }, vllm: { names: 'new' } };
  const parsed = (tick: number, sharedLabels: boolean): RawSeries[] => {
    const out: RawSeries[] = [];
    parseExposition(exporterPage(hostFamilies(pages, tick)).text, (sample) => out.push(sample), { sharedLabels });
    return out;
  };
  const evaluate = (sharedLabels: boolean) => {
    const first = evaluateRules(ALL, parsed(10, sharedLabels), undefined, 10_000);
    return evaluateRules(ALL, parsed(11, sharedLabels), first.memory, 25_000).values.map((value) => [
      value.rule.name,
      value.rule.labels,
      { ...value.labels },
      value.value,
      value.sourceMetric,
    ]);
  };
  const shared = evaluate(true);
  assert.ok(shared.some(([name]) => name === 'hw.gpu.memory.limit'));
  assert.deepEqual(shared, evaluate(false));
});
