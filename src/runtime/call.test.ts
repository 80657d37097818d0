import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitBreaker } from '../core/circuit-breaker.ts';
import { CollectorError } from '../core/errors.ts';
import { DEFAULT_RETRY_POLICY } from '../core/retry.ts';
import { createCallRunner } from './call.ts';

test('an SDK call under an open circuit fails at once with CIRCUIT_OPEN: the cool-down is never slept', async () => {
  const breaker = new CircuitBreaker('acme', { failureThreshold: 1, cooldownMs: 60_000 });
  let attempts = 0;
  const call = createCallRunner({
    provider: 'acme',
    policy: { ...DEFAULT_RETRY_POLICY, attempts: 3, baseDelayMs: 5 },
    timeoutMs: 1_000,
    breaker,
  });
  const failing = async (): Promise<never> => {
    attempts += 1;
    await Promise.resolve();
    throw new CollectorError('UPSTREAM_UNAVAILABLE', 'acme: 503');
  };
  await assert.rejects(call({ operation: 'ec2:DescribeInstances' }, failing), { code: 'CIRCUIT_OPEN' });
  assert.equal(attempts, 1, 'the first failure opened the circuit; the retry met it open');
  const started = performance.now();
  await assert.rejects(call({ operation: 'ec2:DescribeRegions' }, failing), { code: 'CIRCUIT_OPEN' });
  assert.ok(performance.now() - started < 100, `waited ${Math.round(performance.now() - started)} ms`);
  assert.equal(attempts, 1);
});
