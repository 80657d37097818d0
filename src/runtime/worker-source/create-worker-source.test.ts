import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CollectorError } from '../../core/errors.ts';
import { createLogger } from '../../core/log.ts';
import { registerSecret } from '../../core/redact.ts';
import type { CollectContext } from '../../core/source.ts';
import { createMemoryState, createTestContext, type TestContext } from '../../../test/support/test-context.ts';
import { createWorkerSource, type WorkerSourceOptions } from './index.ts';

const FIXTURE = new URL('./testdata/fixture-source.ts', import.meta.url).href;

function isolated(config: Record<string, unknown>, options: WorkerSourceOptions = {}, exportName = 'fixtureFactory') {
  return createWorkerSource(FIXTURE, exportName, { provider: 'fixture', config }, options);
}

async function withContext<T>(run: (test: TestContext) => Promise<T>): Promise<T> {
  const test = createTestContext({ provider: 'fixture' });
  try {
    return await run(test);
  } finally {
    await test.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<CollectorError> {
  try {
    await promise;
  } catch (thrown) {
    assert.ok(thrown instanceof CollectorError, `expected a CollectorError, got ${String(thrown)}`);
    return thrown;
  }
  assert.fail('expected the run to fail');
}

describe('createWorkerSource', () => {
  let server: Server;
  let url = '';
  const unexpected: string[] = [];
  before(async () => {
    server = createServer((request, response) => {
      if (request.method === 'GET' && request.url === '/thing') {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ ok: true }));
        return;
      }
      unexpected.push(`${request.method} ${request.url}`);
      response.statusCode = 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/thing`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    assert.deepEqual(unexpected, []);
  });

  it('streams pages one at a time: the worker waits for each acknowledgement', async () => {
    await withContext(async ({ context, emitter }) => {
      let inFlight = 0;
      let maxInFlight = 0;
      const slow: CollectContext = {
        ...context,
        emit: {
          ...emitter,
          metrics: async (samples) => {
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await new Promise((resolve) => setTimeout(resolve, 15));
            await emitter.metrics(samples);
            inFlight -= 1;
          },
        },
      };
      await isolated({ mode: 'stream', pages: 8 }).collect(slow);
      assert.equal(maxInFlight, 1);
      assert.notEqual(emitter.samples[0]?.labels.thread, '0', 'collected in a worker thread');
      assert.equal(emitter.samples.length, 800);
      assert.deepEqual(
        emitter.samples.filter((_, index) => index % 100 === 0).map((sample) => sample.labels.page),
        ['0', '1', '2', '3', '4', '5', '6', '7'],
      );
      assert.equal(emitter.completedWindows.length, 1);
      assert.ok(emitter.completedWindows[0]?.window.start instanceof Date);
    });
  });

  it('runs SDK calls and HTTP requests through the main thread call runner: retried there, counted once per attempt', async () => {
    await withContext(async ({ context, emitter }) => {
      await isolated({ mode: 'calls', url }).collect(context);
      assert.deepEqual(emitter.calls, { 'fixture:Flaky': 2, 'fixture:GetThing': 1, 'fixture:Manual': 2 });
      assert.equal(emitter.samples[0]?.value, 2);
      assert.equal(emitter.samples[0]?.labels.http_ok, 'true');
    });
  });

  it('records partials with their code and context', async () => {
    await withContext(async ({ context, emitter }) => {
      await isolated({ mode: 'partial' }).collect(context);
      assert.equal(emitter.partials.length, 1);
      const [partial] = emitter.partials;
      assert.ok(partial instanceof CollectorError);
      assert.equal(partial.code, 'TARGET_DOWN');
      assert.equal(partial.kind, 'retryable');
      assert.equal(partial.context.url, 'http://example.invalid/');
      assert.equal(emitter.samples.length, 1);
    });
  });

  it('reads and writes the provider state kept by the main thread, across runs', async () => {
    await withContext(async ({ context }) => {
      const state = createMemoryState();
      const source = isolated({ mode: 'state' });
      await source.collect({ ...context, state });
      await source.collect({ ...context, state });
      assert.deepEqual(state.values.get('counter'), { runs: 2, seenAt: context.now.toISOString() });
    });
  });

  it('writes log lines through the main logger: its level, its bindings and its redaction', async () => {
    await withContext(async ({ context }) => {
      const lines: string[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      });
      const secret = 'fixture-secret-4711-abcdef';
      registerSecret(secret);
      const log = (await createLogger({ level: 'info', pretty: false, destination })).child({ provider: 'fixture' });
      await isolated({ mode: 'log', secret }).collect({ ...context, log });
      assert.equal(lines.length, 1, lines.join('\n'));
      const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
      assert.equal(line.level, 40);
      assert.equal(line.provider, 'fixture');
      assert.equal(line.region, 'us-east-1');
      assert.equal(line.msg, 'fixture: used key [REDACTED]');
      assert.ok(!lines[0]?.includes(secret));
    });
  });

  it('honours abort: a call in flight in the worker sees the signal and the run ends as CANCELLED', async () => {
    await withContext(async ({ context, emitter }) => {
      const controller = new AbortController();
      // Cancels once the worker's call is under way.
      const poll = setInterval(() => {
        if (emitter.calls['fixture:Wait'] === 1) controller.abort();
      }, 5);
      const error = await rejection(
        isolated({ mode: 'abort' }, { abortGraceMs: 10_000 }).collect({ ...context, signal: controller.signal }),
      );
      clearInterval(poll);
      assert.equal(error.code, 'CANCELLED');
      assert.equal(emitter.calls['fixture:Wait'], 1);
    });
  });

  it('terminates a worker that ignores the abort after the grace period', async () => {
    await withContext(async ({ context }) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const error = await rejection(
        isolated({ mode: 'stubborn' }, { abortGraceMs: 200 }).collect({ ...context, signal: controller.signal }),
      );
      assert.equal(error.code, 'CANCELLED');
      assert.match(error.message, /did not stop within 0\.2s/);
    });
  });

  it('surfaces a CollectorError thrown in the worker with its code, kind, message and context', async () => {
    await withContext(async ({ context }) => {
      const error = await rejection(isolated({ mode: 'throw' }).collect(context));
      assert.equal(error.code, 'AUTH_FAILED');
      assert.equal(error.kind, 'permanent');
      assert.equal(error.message, "fixture: access denied to ce:GetCostAndUsage; grant it to the collector's role");
      assert.deepEqual(error.context, { provider: 'fixture', operation: 'ce:GetCostAndUsage', status: 403 });
    });
  });

  it('turns process.exit(1) inside the worker into a failed run; the process and the next run go on', async () => {
    await withContext(async ({ context, emitter }) => {
      const error = await rejection(isolated({ mode: 'exit' }).collect(context));
      assert.equal(error.code, 'INTERNAL');
      assert.match(error.message, /fixture: the isolated source's worker thread exited with code 1 before finishing/);
      await isolated({ mode: 'partial' }).collect(context);
      assert.equal(emitter.samples.length, 1);
    });
  });

  it('turns an uncaught exception in the worker into a failed run', async () => {
    await withContext(async ({ context }) => {
      const error = await rejection(isolated({ mode: 'uncaught' }).collect(context));
      assert.equal(error.code, 'INTERNAL');
      assert.match(error.message, /worker thread crashed: fixture: uncaught in a timer/);
    });
  });

  it('turns running out of the worker heap limit into a failed run', async () => {
    await withContext(async ({ context }) => {
      const error = await rejection(
        isolated(
          { mode: 'oom' },
          { resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 } },
        ).collect(context),
      );
      assert.equal(error.code, 'INTERNAL');
      assert.match(error.message, /ran out of memory/);
    });
  });

  it('loads a `(settings) => Source` export, and reports a missing export as a failed run', async () => {
    await withContext(async ({ context, emitter }) => {
      await isolated({ mode: 'partial' }, {}, 'createFixtureSource').collect(context);
      assert.equal(emitter.partials.length, 1);
      const error = await rejection(isolated({ mode: 'partial' }, {}, 'noSuchExport').collect(context));
      assert.equal(error.code, 'INTERNAL');
      assert.match(error.message, /no source factory export "noSuchExport"/);
    });
  });

  it('does not start a worker for a run already cancelled', async () => {
    await withContext(async ({ context }) => {
      const error = await rejection(isolated({ mode: 'stream' }).collect({ ...context, signal: AbortSignal.abort() }));
      assert.equal(error.code, 'CANCELLED');
    });
  });
});
