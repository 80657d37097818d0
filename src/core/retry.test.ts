import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectorError } from './errors.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, withRetry } from './retry.ts';

test('parseRetryAfter reads delta seconds and HTTP dates', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter('0.5', now), 500);
  assert.equal(parseRetryAfter('Thu, 26 Nov 2026 10:00:07 GMT', now), 7000);
  assert.equal(parseRetryAfter('garbage', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('full jitter stays under the doubling ceiling', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(
    backoffDelay(1, policy, () => 0.999),
    99,
  );
  assert.equal(
    backoffDelay(3, policy, () => 0.5),
    200,
  );
  assert.equal(
    backoffDelay(10, policy, () => 0.999),
    999,
  );
});

test('retries retryable errors, waits what the server asked, stops at the attempt bound', async () => {
  const waits: number[] = [];
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls += 1;
        throw new CollectorError('RATE_LIMITED', 'slow down', { retryAfterMs: 1234 });
      },
      { policy: { ...DEFAULT_RETRY_POLICY, attempts: 3 }, sleep: async (ms) => void waits.push(ms) },
    ),
    (error: unknown) => error instanceof CollectorError && error.code === 'RATE_LIMITED',
  );
  assert.equal(calls, 3);
  assert.deepEqual(waits, [1234, 1234]);
});

test('permanent errors are never retried', async () => {
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls += 1;
        throw new CollectorError('AUTH_FAILED', 'no');
      },
      { policy: DEFAULT_RETRY_POLICY, sleep: async () => undefined },
    ),
  );
  assert.equal(calls, 1);
});

test('the deadline bounds total time and a too-long Retry-After fails fast', async () => {
  let clock = 0;
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls += 1;
        throw new CollectorError('UPSTREAM_UNAVAILABLE', '503');
      },
      {
        policy: { ...DEFAULT_RETRY_POLICY, attempts: 10, deadlineMs: 1000, baseDelayMs: 400, maxDelayMs: 400 },
        random: () => 0.99,
        now: () => clock,
        sleep: async (ms) => void (clock += ms),
      },
    ),
  );
  assert.ok(calls <= 4, `stopped at the deadline after ${calls} calls`);
  calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls += 1;
        throw new CollectorError('RATE_LIMITED', 'wait an hour', { retryAfterMs: 3_600_000 });
      },
      { policy: DEFAULT_RETRY_POLICY, sleep: async () => undefined },
    ),
  );
  assert.equal(calls, 1);
});

test('succeeds after transient failures', async () => {
  let calls = 0;
  const result = await withRetry(
    async () => {
      calls += 1;
      if (calls < 3) throw new CollectorError('NETWORK', 'reset');
      return 'ok';
    },
    { policy: DEFAULT_RETRY_POLICY, sleep: async () => undefined },
  );
  assert.equal(result, 'ok');
});
