// The factory's contract: sample.yaml and the simulator's provider block validate; unknown keys are rejected.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { loadConfigText } from '../../core/config/load.ts';
import { createRegistry } from '../../runtime/registry.ts';
import { lambdaLabsSimulation } from '../../simulator/lambda-labs/index.ts';
import { lambdaLabsFactory } from './factory.ts';

const registry = createRegistry([lambdaLabsFactory]);
const load = (providersYaml: string) => loadConfigText(`providers:\n${providersYaml.split('\n').map((line) => `  ${line}`).join('\n')}\n`, registry, { LAMBDA_API_KEY: 'secret-from-env' });

test('lambda_labs factory: sample.yaml loads with its api keys validated', () => {
  const result = load(readFileSync(join(import.meta.dirname, 'sample.yaml'), 'utf8'));
  assert.deepEqual(result.problems, []);
  assert.equal(result.config?.providers.lambda_labs?.api?.adapter, 'lambda_labs');
});

test('lambda_labs factory: the simulator provider block loads', async () => {
  const simulation = await lambdaLabsSimulation.start({});
  try {
    const result = load(stringify({ lambda_labs: simulation.providerBlock }));
    assert.deepEqual(result.problems, []);
  } finally {
    await simulation.close();
  }
});

test('lambda_labs factory: an unknown api key is reported with its path', () => {
  const result = load('lambda_labs:\n  enabled: true\n  collector_type: generic\n  api:\n    api_key: k\n    biling_increment: minute');
  const problem = result.problems.find((item) => item.path === 'providers.lambda_labs.api.biling_increment');
  assert.match(problem?.message ?? '', /did you mean "billing_increment"/);
});
