// AWS-specific checks of the factory beyond test/source-conformance.test.ts: typed sample and simulator values,
// region/role-ARN validation, secret keys, the SDK loaded lazily, SDK errors classified.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadConfigText } from '../../core/config/load.ts';
import { createRegistry } from '../../core/registry.ts';
import { simulatedAws } from '../../simulator/aws/provider.ts';
import { classifyAwsError } from './classify.ts';
import { awsFactory } from './factory.ts';

const registry = createRegistry([awsFactory]);

function load(block: string, env: Record<string, string> = {}) {
  return loadConfigText(
    `providers:\n${block
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n')}\n`,
    registry,
    env,
  );
}

describe('aws factory', () => {
  it('loads sample.yaml with its keys validated and typed', () => {
    const result = load(readFileSync(join(import.meta.dirname, 'sample.yaml'), 'utf8'));
    assert.deepEqual(result.problems, []);
    const provider = result.config?.providers.aws;
    assert.equal(provider?.collector_type, 'dedicated');
    assert.deepEqual(provider?.dedicated?.regions, ['us-east-1', 'us-west-2']);
    assert.equal(provider?.dedicated?.metrics_period, 300_000);
    assert.equal(provider?.dedicated?.resource_costs, false);
  });

  it('rejects unknown keys, bad regions, bad role ARNs; AWS_REGIONS overrides regions', () => {
    const result = load(
      'aws:\n  enabled: true\n  region: us-east-1\n  regions: [us-east-1, all]\n  accounts:\n    - role_arn: arn:aws:iam::12:role/x\n  group_by: SERVICE',
    );
    const paths = result.problems.map((problem) => problem.path).sort();
    assert.deepEqual(paths, [
      'providers.aws.accounts[0].role_arn',
      'providers.aws.group_by',
      'providers.aws.region',
      'providers.aws.regions',
    ]);
    assert.match(
      result.problems.find((problem) => problem.path === 'providers.aws.region')?.message ?? '',
      /did you mean "regions"/,
    );
    const overridden = load('aws:\n  enabled: true', { AWS_REGIONS: 'eu-west-1,eu-central-1' });
    assert.deepEqual(overridden.config?.providers.aws?.dedicated?.regions, ['eu-west-1', 'eu-central-1']);
  });

  it('metrics_period must be a multiple of 60s, as CloudWatch requires for standard-resolution metrics', () => {
    for (const [period, ok] of [
      ['90s', false],
      ['45s', false],
      ['2m', true],
      ['1h', true],
    ] as const) {
      const result = load(`aws:\n  enabled: true\n  metrics_period: ${period}`);
      const problems = result.problems.filter((problem) => problem.path === 'providers.aws.metrics_period');
      assert.equal(problems.length, ok ? 0 : 1, period);
      if (period === '90s') assert.match(problems[0]?.message ?? '', /must be a multiple of 60s/);
    }
  });

  it("the simulated provider's block validates through the config loader", async () => {
    const simulation = await simulatedAws.start({ seed: 1 });
    try {
      const result = loadConfigText(JSON.stringify({ providers: { aws: simulation.providerBlock } }), registry, {});
      assert.deepEqual(result.problems, []);
      assert.equal(result.config?.providers.aws?.dedicated?.endpoint_url, simulation.servers[0]?.url);
      assert.equal(result.config?.providers.aws?.dedicated?.resource_costs, true);
    } finally {
      await simulation.close();
    }
  });

  it('marks secret keys for redaction', () => {
    assert.equal(awsFactory.configSchema.shape.secret_access_key.secret, true);
    assert.equal(awsFactory.configSchema.shape.session_token.secret, true);
  });

  it('does not load the AWS SDK until a collection runs', async () => {
    const record = join(mkdtempSync(join(tmpdir(), 'aws-lazy-')), 'modules.txt');
    const hook = new URL('../../../test/support/record-modules.mjs', import.meta.url).href;
    const script = `const { awsFactory } = await import(${JSON.stringify(new URL('./factory.ts', import.meta.url).href)}); awsFactory.create({ provider: 'aws', config: {} });`;
    await promisify(execFile)(process.execPath, ['--import', hook, '--input-type=module', '-e', script], {
      env: { ...process.env, RECORD_MODULES_FILE: record },
    });
    const loaded = readFileSync(record, 'utf8').split('\n');
    assert.ok(
      loaded.some((url) => url.endsWith('/aws/source.ts')),
      'the recorder saw the source module',
    );
    assert.deepEqual(
      loaded.filter((url) => url.includes('@aws-sdk') || url.includes('@smithy')),
      [],
    );
  });

  it('classifies SDK errors: throttling retryable, access denied names the IAM action, 5xx retryable', () => {
    const options = { provider: 'aws', operation: 'ce:GetCostAndUsage', cancelled: () => false };
    const sdkError = (name: string, status: number, fault = 'client') =>
      Object.assign(new Error(`${name} happened`), { name, $fault: fault, $metadata: { httpStatusCode: status } });
    for (const name of ['LimitExceededException', 'RequestLimitExceeded', 'Throttling', 'ThrottlingException']) {
      const error = classifyAwsError(sdkError(name, 400), options);
      assert.equal(error.code, 'RATE_LIMITED', name);
      assert.equal(error.retryable, true);
    }
    const denied = classifyAwsError(sdkError('AccessDeniedException', 400), options);
    assert.equal(denied.code, 'AUTH_FAILED');
    assert.equal(denied.retryable, false);
    assert.match(denied.message, /IAM action ce:GetCostAndUsage/);
    assert.match(
      classifyAwsError(sdkError('AccessDenied', 403), { ...options, operation: 's3:ListBuckets' }).message,
      /s3:ListAllMyBuckets/,
    );
    assert.equal(
      classifyAwsError(sdkError('InternalServerError', 500, 'server'), options).code,
      'UPSTREAM_UNAVAILABLE',
    );
    assert.equal(classifyAwsError(sdkError('ValidationException', 400), options).code, 'BAD_REQUEST');
    assert.equal(
      classifyAwsError(Object.assign(new Error('aborted'), { name: 'AbortError' }), options).code,
      'TIMEOUT',
    );
    assert.equal(
      classifyAwsError(Object.assign(new Error('aborted'), { name: 'AbortError' }), {
        ...options,
        cancelled: () => true,
      }).code,
      'CANCELLED',
    );
    assert.equal(
      classifyAwsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), options).code,
      'NETWORK',
    );
  });
});
