import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import { CircuitBreaker } from '../../core/circuit-breaker.ts';
import { CollectorError } from '../../core/errors.ts';
import { DEFAULT_RETRY_POLICY } from '../../core/retry.ts';
import { createLogger, type Logger } from '../../core/log.ts';
import { registerSecret } from '../../core/redact.ts';
import { startSimServer, type SimServer } from '../../simulator/server.ts';
import { createHttpClient } from './client.ts';

let server: SimServer;
const calls: string[] = [];
const fast = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20, deadlineMs: 10_000, maxRetryAfterMs: 3_000 };
const client = () =>
  createHttpClient({
    provider: 'acme',
    retry: fast,
    timeoutMs: 500,
    maxResponseBytes: 64 * 1024,
    onCall: (operation) => calls.push(operation),
  });

before(async () => {
  server = await startSimServer({
    name: 'acme',
    routes: [
      { method: 'GET', path: '/v1/items', handle: () => ({ body: { items: [1, 2, 3] } }) },
      {
        method: 'GET',
        path: '/v1/gzip-at-cap',
        handle: () => ({
          headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
          body: gzipSync(Buffer.alloc(64 * 1024, 'a')),
        }),
      },
      {
        method: 'GET',
        path: '/v1/gzip-page',
        handle: () => ({
          headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
          body: gzipSync(Buffer.from('gpu_utilization{gpu="0"} 1\n'.repeat(2000))),
        }),
      },
      {
        method: 'GET',
        path: '/v1/gzip-bomb',
        handle: () => ({
          headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
          body: gzipSync(Buffer.alloc(64 * 1024 + 1, 'a')),
        }),
      },
      {
        method: 'GET',
        path: '/v1/deflate-large',
        handle: () => ({
          headers: { 'content-type': 'application/octet-stream', 'content-encoding': 'deflate' },
          body: deflateSync(randomBytes(300 * 1024)),
        }),
      },
      {
        method: 'GET',
        path: '/v1/gzip-corrupt',
        handle: () => ({
          headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
          body: gzipSync(Buffer.from('hello world')).subarray(0, 15),
        }),
      },
      {
        method: 'GET',
        path: '/v1/secret-error',
        handle: (request) => ({ status: 400, body: { error: { message: `bad key ${request.query.get('api_key')}` } } }),
      },
    ],
  });
});
after(async () => {
  await server.close();
});

/** A logger that keeps the client's retry warnings ({ attempt, delayMs, code }) for the assertions. */
async function retryLog(): Promise<{
  log: Logger;
  retries: Array<{ attempt: number; delayMs: number; code: string }>;
}> {
  const retries: Array<{ attempt: number; delayMs: number; code: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { attempt?: number; delayMs?: number; code?: string };
        if (entry.attempt !== undefined)
          retries.push({ attempt: entry.attempt, delayMs: entry.delayMs ?? NaN, code: entry.code ?? '' });
      }
      done();
    },
  });
  return { log: await createLogger({ level: 'warn', pretty: false, destination }), retries };
}

async function expectError(run: () => Promise<unknown>, code: string): Promise<CollectorError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof CollectorError, String(error));
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

test('429 with Retry-After waits the server delay and succeeds', async () => {
  server.faults.set([{ kind: 'rate_limit', count: 2, retry_after: '1' }]);
  const { log, retries } = await retryLog();
  calls.length = 0;
  const started = Date.now();
  const body = await createHttpClient({
    provider: 'acme',
    retry: fast,
    timeoutMs: 500,
    log,
    onCall: (operation) => calls.push(operation),
  }).json<{ items: number[] }>({ url: `${server.url}/v1/items` });
  assert.deepEqual(body.items, [1, 2, 3]);
  assert.equal(calls.length, 3, 'two 429s, then the answer');
  assert.deepEqual(
    retries.map(({ attempt, delayMs, code }) => [attempt, delayMs, code]),
    [
      [1, 1000, 'RATE_LIMITED'],
      [2, 1000, 'RATE_LIMITED'],
    ],
  );
  assert.ok(Date.now() - started >= 1900, 'waited 2 × 1 s');
});

test('429 without Retry-After backs off with full jitter under an exponential ceiling and succeeds', async () => {
  // base 40 ms: attempt n waits a uniform draw from [0, min(max, 40 · 2^(n-1))).
  const policy = { attempts: 4, baseDelayMs: 40, maxDelayMs: 60, deadlineMs: 10_000, maxRetryAfterMs: 3_000 };
  const { log, retries } = await retryLog();
  for (let round = 0; round < 12; round += 1) {
    server.faults.set([{ kind: 'rate_limit', count: 3 }]);
    calls.length = 0;
    const body = await createHttpClient({
      provider: 'acme',
      retry: policy,
      timeoutMs: 500,
      log,
      onCall: (operation) => calls.push(operation),
    }).json<{ items: number[] }>({ url: `${server.url}/v1/items` });
    assert.deepEqual(body.items, [1, 2, 3]);
    assert.equal(calls.length, 4, 'three 429s, then the answer');
  }
  assert.equal(retries.length, 36);
  for (const { attempt, delayMs, code } of retries) {
    assert.equal(code, 'RATE_LIMITED');
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    assert.ok(
      Number.isInteger(delayMs) && delayMs >= 0 && delayMs < ceiling,
      `attempt ${attempt} waited ${delayMs} ms, outside [0, ${ceiling})`,
    );
  }
  // Jitter: 12 draws per attempt are not all alike (the chance they would be is below 1e-15).
  for (const attempt of [1, 2, 3]) {
    const delays = new Set(retries.filter((retry) => retry.attempt === attempt).map((retry) => retry.delayMs));
    assert.ok(delays.size > 1, `attempt ${attempt}: every wait was ${[...delays].join()} ms`);
  }
});

test('5xx, reset connections, malformed and truncated bodies are retried: one failed attempt, then the answer', async () => {
  for (const kind of ['server_error', 'reset', 'malformed', 'truncated'] as const) {
    server.faults.set([{ kind, count: 1, status: 503 }]);
    const { log, retries } = await retryLog();
    calls.length = 0;
    const body = await createHttpClient({
      provider: 'acme',
      retry: fast,
      timeoutMs: 500,
      log,
      onCall: (operation) => calls.push(operation),
    }).json<{ items: number[] }>({ url: `${server.url}/v1/items` });
    assert.deepEqual(body.items, [1, 2, 3], kind);
    assert.equal(calls.length, 2, `${kind}: attempts`);
    assert.equal(retries.length, 1, `${kind}: retries logged`);
    assert.ok(
      retries[0]!.delayMs >= 0 && retries[0]!.delayMs < fast.baseDelayMs,
      `${kind}: first wait ${retries[0]!.delayMs} ms`,
    );
  }
});

test('persistent 5xx fails after the attempt bound with a clear error', async () => {
  calls.length = 0;
  server.faults.set([{ kind: 'server_error', status: 502 }]);
  const error = await expectError(() => client().json({ url: `${server.url}/v1/items` }), 'UPSTREAM_UNAVAILABLE');
  assert.match(error.message, /acme: GET http:\/\/127\.0\.0\.1:\d+\/v1\/items -> HTTP 502/);
  assert.equal(calls.length, 4);
  server.faults.clear();
});

test('401 is permanent: one call, message names provider and cause', async () => {
  calls.length = 0;
  server.faults.set([{ kind: 'unauthorized', count: 1 }]);
  const error = await expectError(() => client().json({ url: `${server.url}/v1/items` }), 'AUTH_FAILED');
  assert.match(error.message, /acme: .* HTTP 401 \(check the API key or token\): invalid API key/);
  assert.equal(calls.length, 1);
});

test('a stalled body times out and is retried, then fails as TIMEOUT', async () => {
  server.faults.set([{ kind: 'stall', ms: 5_000 }]);
  calls.length = 0;
  const started = Date.now();
  const stalled = createHttpClient({
    provider: 'acme',
    retry: { ...fast, attempts: 2 },
    timeoutMs: 200,
    onCall: (operation) => calls.push(operation),
  });
  await expectError(() => stalled.json({ url: `${server.url}/v1/items` }), 'TIMEOUT');
  assert.equal(calls.length, 2, 'both attempts made');
  assert.ok(Date.now() - started >= 400, 'each attempt waited its 200 ms timeout');
  server.faults.clear();
});

test('an oversized body fails with RESPONSE_TOO_LARGE and is not retried', async () => {
  calls.length = 0;
  server.faults.set([{ kind: 'oversized', bytes: 1024 * 1024, count: 1 }]);
  await expectError(() => client().json({ url: `${server.url}/v1/items` }), 'RESPONSE_TOO_LARGE');
  assert.equal(calls.length, 1);
});

test('compressed bodies: the cap applies after decompression (exactly the cap passes), corrupt bodies are malformed', async () => {
  calls.length = 0;
  const atCap = await client().request({ url: `${server.url}/v1/gzip-at-cap` });
  assert.equal(atCap.body.length, 64 * 1024);
  assert.ok(atCap.body.every((byte) => byte === 0x61));
  await expectError(() => client().request({ url: `${server.url}/v1/gzip-bomb` }), 'RESPONSE_TOO_LARGE');
  // Over the synchronous-decompression size: the thread-pool path applies the same cap.
  await expectError(() => client().request({ url: `${server.url}/v1/deflate-large` }), 'RESPONSE_TOO_LARGE');
  assert.equal(calls.length, 3, 'an oversized body is not retried');
  await expectError(
    () => client().request({ url: `${server.url}/v1/gzip-corrupt`, retry: { attempts: 1 } }),
    'RESPONSE_MALFORMED',
  );
});

test('a decompressed body is returned whole in one buffer and can be released at once; a plain one cannot', async () => {
  const page = Buffer.from('gpu_utilization{gpu="0"} 1\n'.repeat(2000));
  const response = await client().request({ url: `${server.url}/v1/gzip-page` });
  assert.ok(response.body.equals(page));
  assert.ok(response.release);
  response.release();
  assert.equal(response.body.length, 0);
  const plain = await client().request({ url: `${server.url}/v1/items` });
  assert.equal(plain.release, undefined);
});

test('secrets never appear in error messages', async () => {
  registerSecret('sk-very-secret-1234');
  const error = await expectError(
    () => client().json({ url: `${server.url}/v1/secret-error`, query: { api_key: 'sk-very-secret-1234' } }),
    'BAD_REQUEST',
  );
  assert.ok(!error.message.includes('sk-very-secret-1234'), error.message);
  assert.match(error.message, /\[REDACTED\]/);
});

test('an open circuit fails the call at once: no attempt, no wait for the cool-down', async () => {
  calls.length = 0;
  const breaker = new CircuitBreaker('acme', { failureThreshold: 1, cooldownMs: 60_000 });
  // The default policy: a wait of up to 60 s would be honoured if the breaker's pause were a retry delay.
  const guarded = createHttpClient({
    provider: 'acme',
    retry: { ...DEFAULT_RETRY_POLICY, attempts: 2, baseDelayMs: 5 },
    timeoutMs: 500,
    breaker,
    onCall: (operation) => calls.push(operation),
  });
  server.faults.set([{ kind: 'server_error', status: 503 }]);
  await expectError(() => guarded.json({ url: `${server.url}/v1/items` }), 'CIRCUIT_OPEN');
  assert.equal(breaker.state, 'open');
  const attempts = calls.length;
  const started = performance.now();
  const error = await expectError(() => guarded.json({ url: `${server.url}/v1/items` }), 'CIRCUIT_OPEN');
  assert.ok(performance.now() - started < 100, `waited ${Math.round(performance.now() - started)} ms`);
  assert.equal(calls.length, attempts, 'no request sent while the circuit is open');
  assert.match(error.message, /paused after 1 consecutive failures/);
  server.faults.clear();
  await guarded.close();
});

test('the simulator records no unexpected requests', () => {
  assert.deepEqual(server.unexpected, []);
});
