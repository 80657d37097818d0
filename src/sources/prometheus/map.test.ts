import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DCGM_RULES, queriesForRule } from '../_common/metric-sets/index.ts';
import type { PromData } from './client.ts';
import { promValue, samplesFromAnswer, stepSecondsFor } from './map.ts';

const load = (name: string): { data: PromData } =>
  JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8')) as { data: PromData };
const queryFor = (name: string) =>
  queriesForRule(
    DCGM_RULES.find((rule) => rule.name === name)!,
    undefined,
    '5m',
  )[0]!;

test('a vector of 8 GPUs gives 8 samples, scaled to bytes, labels kept', () => {
  const { samples, skipped } = samplesFromAnswer(
    'onprem',
    queryFor('hw.gpu.memory.usage'),
    load('query-dcgm-fb-used-8gpus.json').data,
  );
  assert.equal(samples.length, 8);
  assert.equal(skipped, 0);
  assert.equal(new Set(samples.map((sample) => sample.labels.UUID)).size, 8);
  const first = samples[0]!;
  assert.equal(first.value, 29724 * 1_048_576);
  assert.equal(first.unit, 'By');
  assert.equal(first.ts, '2026-01-01T00:00:00.000Z');
  assert.equal(first.labels.source_metric, 'DCGM_FI_DEV_FB_USED');
  assert.equal(first.labels.__name__, undefined);
  assert.equal(first.labels.instance, '10.0.0.5:9400');
  assert.equal(first.resource_id, first.labels.UUID);
});

test('a matrix keeps every point of every series and skips NaN/Inf', () => {
  const { samples, skipped } = samplesFromAnswer(
    'onprem',
    queryFor('hw.gpu.nvlink.io.rate'),
    load('query-range-nvlink-rate-8gpus.json').data,
  );
  assert.equal(skipped, 2);
  assert.equal(samples.length, 8 * 3 - 2);
  assert.equal(new Set(samples.map((sample) => sample.labels.gpu)).size, 8);
});

test('API values and steps', () => {
  assert.equal(promValue('+Inf'), Infinity);
  assert.equal(promValue('-Inf'), -Infinity);
  assert.ok(Number.isNaN(promValue('NaN')));
  assert.equal(promValue('1e3'), 1000);
  assert.equal(stepSecondsFor(300_000, 60), 60);
  const week = 7 * 86_400_000;
  assert.ok(week / 1000 / stepSecondsFor(week, 15) <= 11_000);
});
