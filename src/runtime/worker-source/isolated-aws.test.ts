import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadConfigText } from '../../core/config/load.ts';
import type { AppConfig } from '../../core/config/types.ts';
import { CollectorError } from '../../core/errors.ts';
import { simulatedAws } from '../../simulator/aws/provider.ts';
import type { RunningSimulation } from '../../simulator/provider.ts';
import { awsFactory } from '../../sources/aws/factory.ts';
import { defaultRegistry } from '../../sources/index.ts';
import { buildSource } from '../build-source.ts';
import { createTestContext } from '../../../test/support/test-context.ts';

// The real AWS collector, built by the runtime as an isolated source, against the AWS simulator.
describe('AWS as an isolated source', () => {
  let simulation: RunningSimulation;
  let config: AppConfig;
  before(async () => {
    simulation = await simulatedAws.start({ seed: 7 });
    const loaded = loadConfigText(
      stringify({ storage: { url: 'sqlite::memory:' }, providers: { aws: simulation.providerBlock } }),
      defaultRegistry(),
      {},
    );
    assert.ok(loaded.config, JSON.stringify(loaded.problems));
    config = loaded.config;
  });
  after(async () => {
    await simulation.close();
  });

  it('declares its own module and export for the worker', () => {
    assert.deepEqual(awsFactory.isolate, {
      module: new URL('../../sources/aws/factory.ts', import.meta.url).href,
      export: 'awsFactory',
    });
  });

  it('collects costs, inventory and metrics through the worker; every SDK call counted by the main thread', async () => {
    const provider = config.providers.aws;
    assert.ok(provider);
    const source = buildSource(provider, defaultRegistry());
    const test = createTestContext({ provider: 'aws' });
    try {
      await source.collect(test.context);
      assert.deepEqual(
        test.emitter.partials.map((error) => `${error.code}: ${error.message}`),
        [],
      );
      assert.ok(test.emitter.costRows.length > 0, 'cost rows');
      assert.ok(
        test.emitter.resourceRows.some(
          (row) => row.resource_type === 'compute.instance' || row.resource_id.startsWith('i-'),
        ),
        'EC2 instances',
      );
      assert.ok(test.emitter.samples.length > 0, 'CloudWatch samples');
      assert.ok((test.emitter.calls['ce:GetCostAndUsage'] ?? 0) >= 1);
      assert.ok((test.emitter.calls['ec2:DescribeInstances'] ?? 0) >= 1);
      assert.ok(test.emitter.completedWindows.length >= 1);
      assert.deepEqual(
        simulation.servers.flatMap((server) => server.unexpected),
        [],
      );
    } finally {
      await test.close();
      await source.shutdown();
    }
  });

  it('reports rejected credentials as the same permanent error as in-process', async () => {
    const provider = config.providers.aws;
    assert.ok(provider);
    const source = buildSource(
      {
        ...provider,
        dedicated: {
          ...provider.dedicated,
          access_key_id: 'AKIAWRONGWRONGWRONG0',
          secret_access_key: 'wrong-secret-wrong-secret',
        },
      },
      defaultRegistry(),
    );
    const test = createTestContext({ provider: 'aws' });
    try {
      await assert.rejects(source.collect(test.context), (error: unknown) => {
        assert.ok(error instanceof CollectorError);
        assert.equal(error.code, 'AUTH_FAILED');
        assert.equal(error.kind, 'permanent');
        return true;
      });
    } finally {
      await test.close();
    }
  });
});
