// The factory's contract: sample.yaml and the simulator's provider block validate; unknown keys are rejected.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { loadConfigText } from '../../core/config/load.ts';
import { createRegistry } from '../../runtime/registry.ts';
import { coreweaveSimulation } from '../../simulator/coreweave/index.ts';
import { coreweaveFactory } from './factory.ts';

const registry = createRegistry([coreweaveFactory]);
const load = (providersYaml: string) => loadConfigText(`providers:\n${providersYaml.split('\n').map((line) => `  ${line}`).join('\n')}\n`, registry, { COREWEAVE_K8S_TOKEN: 'secret-from-env' });

test('coreweave factory: sample.yaml loads with its api keys validated', () => {
  const result = load(readFileSync(join(import.meta.dirname, 'sample.yaml'), 'utf8'));
  assert.deepEqual(result.problems, []);
  assert.equal(result.config?.providers.coreweave?.api?.adapter, 'coreweave');
});

test('coreweave factory: the simulator provider block loads', async () => {
  const simulation = await coreweaveSimulation.start({});
  try {
    const result = load(stringify({ coreweave: simulation.providerBlock }));
    assert.deepEqual(result.problems, []);
  } finally {
    await simulation.close();
  }
});

test('coreweave factory: an unknown api key is reported with its path', () => {
  const result = load('coreweave:\n  enabled: true\n  collector_type: generic\n  api:\n    api_key: k\n    biling_increment: minute');
  const problem = result.problems.find((item) => item.path === 'providers.coreweave.api.biling_increment');
  assert.match(problem?.message ?? '', /did you mean "billing_increment"/);
});
