// The published JSON Schema accepts what the loader accepts and flags what it rejects, and the committed
// providers.schema.json is what `config schema` generates.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { checkJsonSchema } from '../../../test/support/json-schema-check.ts';
import { defaultRegistry, SOURCE_FACTORIES } from '../../sources/index.ts';
import { JSON_SCHEMA_FILE, providersJsonSchema } from './json-schema.ts';

const root = new URL('../../../', import.meta.url);
const schema = providersJsonSchema(SOURCE_FACTORIES, defaultRegistry().planned);
const check = (text: string) => checkJsonSchema(schema, parse(text));

test('the committed providers.schema.json is the generated one (npx optiinfra-collector config schema -o providers.schema.json)', () => {
  const committed: unknown = JSON.parse(readFileSync(new URL(JSON_SCHEMA_FILE, root), 'utf8'));
  assert.deepEqual(committed, schema);
});

test('the shipped providers.yaml and every sample.yaml validate against the schema', () => {
  assert.deepEqual(check(readFileSync(new URL('providers.yaml', root), 'utf8')), []);
  const sources = new URL('src/sources/', root);
  for (const folder of readdirSync(sources)) {
    let sample: string;
    try {
      sample = readFileSync(new URL(`${folder}/sample.yaml`, sources), 'utf8');
    } catch {
      continue;
    }
    const indented = sample
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n');
    assert.deepEqual(check(`providers:\n${indented}\n`), [], folder);
  }
});

test('the schema flags what the loader rejects: unknown keys, unitless durations, wrong types and values', () => {
  const problems = check(
    [
      'colection: {interval: 5m}',
      'storage: {retention: 1}',
      'providers:',
      '  vultr:',
      '    enabled: true',
      '    promethus_url: http://p:9090',
      '    api: {adapter: vultr, per_page: 900, api_kye: x}',
      '  aws:',
      '    group_by: SERVICE',
      '  Bad_Name:',
      '    enabled: yes-please',
    ].join('\n'),
  );
  for (const expected of [
    /^\$\.colection: unknown key/,
    /^\$\.storage\.retention: matches none/,
    /^\$\.providers\.vultr\.promethus_url: unknown key/,
    /^\$\.providers\.vultr\.api\.per_page: matches none/,
    /^\$\.providers\.vultr\.api\.api_kye: unknown key/,
    /^\$\.providers\.aws\.group_by: matches none/,
    /^\$\.providers\.Bad_Name \(name\): does not match/,
  ]) {
    assert.ok(
      problems.some((problem) => expected.test(problem)),
      `${expected} not in:\n${problems.join('\n')}`,
    );
  }
});

test('${VAR} references are accepted wherever a scalar goes, and disabled blocks need no credentials', () => {
  const text =
    'providers:\n  runpod:\n    enabled: ${RUNPOD_ENABLED:-false}\n    interval: 1m\n    api: {adapter: runpod, bucket_size: hour}\n';
  assert.deepEqual(check(text), []);
});
