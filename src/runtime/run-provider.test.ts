import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectorError } from '../core/errors.ts';
import { silentLogger } from '../core/log.ts';
import type { CollectionRun, MetricSample } from '../core/model.ts';
import type { CheckpointKind, Sink } from '../core/sink.ts';
import type { CollectContext, Source } from '../core/source.ts';
import type { ProviderConfig } from '../core/config/types.ts';
import { registerSecret } from '../core/redact.ts';
import { openSqliteSink } from '../sinks/sqlite/sink.ts';
import { costRow } from '../../test/support/cost-row.ts';
import { METRIC_BATCH_SAMPLES, createProviderRuntime, runProvider } from './run-provider.ts';

const provider = (name: string): ProviderConfig => ({
  name,
  display_name: name,
  enabled: true,
  collector_type: 'generic',
  timing: {
    interval: 300_000,
    cost_interval: 21_600_000,
    cost_history: 90 * 86_400_000,
    cost_restatement: 3 * 86_400_000,
    metrics_backfill: 3_600_000,
    timeout: 5_000,
    run_timeout: 10_000,
    retries: 2,
    max_response_bytes: 1_000_000,
    rate_limit: undefined,
  },
});

const source = (collect: (context: CollectContext) => Promise<void>): Source => ({
  collect,
  shutdown: async () => undefined,
});

test('a successful run records counts, advances checkpoints, and the next window is restatement + month-to-date', async () => {
  const sink = openSqliteSink(':memory:');
  const windows: string[] = [];
  const runtime = createProviderRuntime(
    provider('acme'),
    source(async (context) => {
      windows.push(`${context.costWindow.start.toISOString()}..${context.costWindow.end.toISOString()}`);
      await context.emit.costs([costRow()]);
      await context.emit.resources([
        {
          provider: 'acme',
          resource_id: 'i-1',
          resource_name: null,
          resource_type: 'instance',
          region_id: null,
          status: 'running',
          instance_type: null,
          gpu_model: null,
          gpu_count: null,
          vcpus: null,
          memory_bytes: null,
          price_per_hour: null,
          currency: null,
          tags: null,
          last_seen_at: context.now.toISOString(),
        },
      ]);
      context.emit.countCall('GET /v1/things', 2);
    }),
  );
  const first = await runProvider(runtime, { sink, log: silentLogger(), now: new Date('2026-11-26T10:00:00Z') });
  assert.equal(first.status, 'ok');
  assert.deepEqual([first.costs, first.resources, first.metrics], [1, 1, 0]);
  assert.deepEqual(first.calls, { 'GET /v1/things': 2 });
  const second = await runProvider(runtime, { sink, log: silentLogger(), now: new Date('2026-11-26T11:00:00Z') });
  assert.equal(second.status, 'ok');
  assert.deepEqual(windows, [
    '2026-08-28T00:00:00.000Z..2026-11-27T00:00:00.000Z',
    '2026-11-01T00:00:00.000Z..2026-11-27T00:00:00.000Z',
  ]);
  assert.equal(
    (sink.database.prepare('SELECT count(*) AS n FROM cost_records').get() as { n: number }).n,
    1,
    'the same window twice leaves the same rows',
  );
  const runs = await sink.listRuns({ provider: 'acme' });
  assert.equal(runs.length, 2);
  assert.ok(runs.every((run) => run.status === 'ok' && run.finished_at !== null));
  await sink.close();
});

test('a partial failure keeps the data, marks the run partial and does not advance checkpoints', async () => {
  const sink = openSqliteSink(':memory:');
  const runtime = createProviderRuntime(
    provider('acme'),
    source(async (context) => {
      await context.emit.costs([costRow()]);
      context.emit.partial(new CollectorError('TARGET_DOWN', 'acme: http://h2:9400/metrics is down'));
    }),
  );
  const summary = await runProvider(runtime, { sink, log: silentLogger() });
  assert.equal(summary.status, 'partial');
  assert.equal(summary.costs, 1);
  assert.deepEqual(summary.errors, [{ code: 'TARGET_DOWN', message: 'acme: http://h2:9400/metrics is down' }]);
  assert.equal(await sink.getCheckpoint('acme', 'cost'), undefined);
  await sink.close();
});

test('a failed run is recorded with its code and a redacted message; nothing throws', async () => {
  const sink = openSqliteSink(':memory:');
  registerSecret('tok-abcdef-123456');
  const runtime = createProviderRuntime(
    provider('acme'),
    source(async () => {
      throw new CollectorError('AUTH_FAILED', 'acme: GET /v1/x -> HTTP 401 with key tok-abcdef-123456');
    }),
  );
  const summary = await runProvider(runtime, { sink, log: silentLogger() });
  assert.equal(summary.status, 'failed');
  const [run] = await sink.listRuns();
  assert.equal(run?.status, 'failed');
  assert.match(run?.error ?? '', /^AUTH_FAILED: acme: GET \/v1\/x -> HTTP 401 with key \[REDACTED\]$/);
  await sink.close();
});

test('the run deadline turns a hanging source into a TIMEOUT failure', async () => {
  const sink = openSqliteSink(':memory:');
  const config = provider('slow');
  const runtime = createProviderRuntime(
    { ...config, timing: { ...config.timing, run_timeout: 200 } },
    source(
      (context) =>
        new Promise((_, reject) =>
          context.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    ),
  );
  const summary = await runProvider(runtime, { sink, log: silentLogger() });
  assert.equal(summary.status, 'failed');
  assert.equal(summary.errors[0]?.code, 'TIMEOUT');
  await sink.close();
});

const metricPage = (count: number, offset = 0): MetricSample[] =>
  Array.from({ length: count }, (_, index) => ({
    ts: '2026-11-26T10:00:00.000Z',
    provider: 'acme',
    name: 'hw.gpu.utilization',
    category: 'gpu',
    value: index,
    unit: '1',
    resource_id: `GPU-${offset + index}`,
    labels: {},
  }));

/** A sink that records the size of every metric write (and whether the checkpoint came after them). */
function recordingSink(failWrites = false): { sink: Sink; writes: number[]; events: string[] } {
  const inner = openSqliteSink(':memory:');
  const writes: number[] = [];
  const events: string[] = [];
  const overrides: Partial<Sink> = {
    writeMetrics: async (samples: MetricSample[]) => {
      if (failWrites) throw new CollectorError('STORAGE_UNAVAILABLE', 'disk full');
      writes.push(samples.length);
      events.push('metrics');
      await inner.writeMetrics(samples);
    },
    setCheckpoint: async (provider: string, kind: CheckpointKind, end: Date) => {
      events.push(`checkpoint:${kind}`);
      await inner.setCheckpoint(provider, kind, end);
    },
    saveRun: async (run: CollectionRun) => {
      events.push(`run:${run.status}`);
      await inner.saveRun(run);
    },
  };
  const sink = new Proxy(inner, {
    get: (target, property) => {
      const override = overrides[property as keyof Sink];
      if (override !== undefined) return override;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Sink;
  return { sink, writes, events };
}

test('metric pages are gathered into one sink write per METRIC_BATCH_SAMPLES, written before checkpoints and the run row', async () => {
  const { sink, writes, events } = recordingSink();
  const runtime = createProviderRuntime(
    provider('acme'),
    source(async (context) => {
      for (let page = 0; page < 3; page++) await context.emit.metrics(metricPage(10, page * 10));
      await context.emit.metrics([]);
      await context.emit.metrics(metricPage(METRIC_BATCH_SAMPLES, 100));
      await context.emit.metrics(metricPage(5, 100 + METRIC_BATCH_SAMPLES));
    }),
  );
  const summary = await runProvider(runtime, { sink, log: silentLogger() });
  assert.equal(summary.status, 'ok');
  assert.equal(summary.metrics, 30 + METRIC_BATCH_SAMPLES + 5);
  assert.deepEqual(writes, [30 + METRIC_BATCH_SAMPLES, 5]);
  assert.deepEqual(events, ['run:running', 'metrics', 'metrics', 'checkpoint:cost', 'checkpoint:metrics', 'run:ok']);
  const [run] = await sink.listRuns();
  assert.equal(run?.metrics, 30 + METRIC_BATCH_SAMPLES + 5);
});

test('samples gathered before a source fails are still written; a failing final write fails the run and keeps checkpoints', async () => {
  const gathered = recordingSink();
  const failing = createProviderRuntime(
    provider('acme'),
    source(async (context) => {
      await context.emit.metrics(metricPage(7));
      throw new CollectorError('UPSTREAM_UNAVAILABLE', 'acme: 503');
    }),
  );
  const failed = await runProvider(failing, { sink: gathered.sink, log: silentLogger() });
  assert.equal(failed.status, 'failed');
  assert.deepEqual(gathered.writes, [7]);
  assert.equal(failed.metrics, 7);

  const broken = recordingSink(true);
  const runtime = createProviderRuntime(
    provider('acme'),
    source(async (context) => {
      await context.emit.metrics(metricPage(3));
    }),
  );
  const summary = await runProvider(runtime, { sink: broken.sink, log: silentLogger() });
  assert.equal(summary.status, 'failed');
  assert.equal(summary.metrics, 0);
  assert.deepEqual(
    summary.errors.map((error) => error.code),
    ['STORAGE_UNAVAILABLE'],
  );
  assert.ok(!broken.events.some((event) => event.startsWith('checkpoint')));
});

test("each stream's checkpoint advances on its own success, whatever failed in the other", async () => {
  const now = new Date('2026-11-26T10:00:00Z');
  const cases: Array<{
    name: string;
    collect: (context: CollectContext) => Promise<void>;
    cost: Date | undefined;
    metrics: Date | undefined;
  }> = [
    {
      name: 'metrics failed, the cost window was declared complete',
      collect: async (context) => {
        await context.emit.costs([costRow()]);
        await context.emit.costWindowComplete(context.costWindow, 'billing_api');
        context.emit.partial(new CollectorError('BAD_REQUEST', 'prometheus: HTTP 404'), ['metrics']);
      },
      cost: now,
      metrics: undefined,
    },
    {
      name: 'billing failed, metrics fine',
      collect: async (context) => {
        await context.emit.metrics(metricPage(2));
        context.emit.partial(new CollectorError('UPSTREAM_UNAVAILABLE', 'billing: HTTP 503'), ['cost', 'inventory']);
      },
      cost: undefined,
      metrics: now,
    },
    {
      name: 'an error of unknown stream, the cost window declared complete',
      collect: async (context) => {
        await context.emit.costWindowComplete(context.costWindow, 'billing_api');
        context.emit.partial(new CollectorError('TARGET_DOWN', 'some region is down'));
      },
      cost: now,
      metrics: undefined,
    },
    {
      name: 'inventory failed only',
      collect: async () => {
        await Promise.resolve();
        throw new CollectorError('UPSTREAM_UNAVAILABLE', 'inventory: HTTP 503');
      },
      cost: undefined,
      metrics: undefined,
    },
  ];
  for (const { name, collect, cost, metrics } of cases) {
    const sink = openSqliteSink(':memory:');
    const summary = await runProvider(createProviderRuntime(provider('acme'), source(collect)), {
      sink,
      log: silentLogger(),
      now,
    });
    assert.notEqual(summary.status, 'ok', name);
    assert.deepEqual(await sink.getCheckpoint('acme', 'cost'), cost, `${name}: cost`);
    assert.deepEqual(await sink.getCheckpoint('acme', 'metrics'), metrics, `${name}: metrics`);
    await sink.close();
  }
});

test('storage that cannot answer a read defers, never fails the run: default windows, no checkpoint, create-only state, no derived costs', async () => {
  const inner = openSqliteSink(':memory:');
  await inner.setState('acme', 'history', { since: '2026-10-01T00:00:00Z' });
  const unreachable = (): Promise<never> =>
    Promise.reject(new CollectorError('STORAGE_UNAVAILABLE', 'PostgreSQL at db:5432 is unreachable'));
  const sink = new Proxy(inner, {
    get: (target, property) => {
      if (property === 'getCheckpoint' || property === 'getState') return unreachable;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Sink;
  const seen: Array<{ cost: string; metrics: string; history: unknown }> = [];
  const runtime = createProviderRuntime(
    provider('acme'),
    source(async (context) => {
      const history = await context.state.get('history');
      seen.push({
        cost: context.costWindow.start.toISOString(),
        metrics: context.metricsWindow.start.toISOString(),
        history,
      });
      await context.state.set('history', { since: context.now.toISOString() });
      await context.state.set('fresh', 1);
      await context.emit.metrics(metricPage(4));
      await context.emit.costs([costRow()]);
      await context.emit.costWindowComplete(context.costWindow, 'derived');
    }),
  );
  const summary = await runProvider(runtime, { sink, log: silentLogger(), now: new Date('2026-11-26T10:00:00Z') });
  assert.equal(summary.status, 'ok', JSON.stringify(summary.errors));
  assert.deepEqual(summary.deferred, ['cost_checkpoint', 'metrics_checkpoint', 'source_state']);
  assert.deepEqual([summary.metrics, summary.costs], [4, 0], 'samples stored; costs derived from unknown state not');
  assert.deepEqual(seen, [
    // Restatement + month-to-date rather than 90 days of history; the metrics window of a first run.
    { cost: '2026-11-01T00:00:00.000Z', metrics: '2026-11-26T09:55:00.000Z', history: undefined },
  ]);
  assert.deepEqual(await inner.getState('acme', 'history'), { since: '2026-10-01T00:00:00Z' }, 'stored value kept');
  assert.equal(await inner.getState('acme', 'fresh'), 1, 'a key that was never read is written as usual');
  assert.equal(await inner.getCheckpoint('acme', 'cost'), undefined);
  assert.equal(await inner.getCheckpoint('acme', 'metrics'), undefined);
  const [run] = await inner.listRuns();
  assert.deepEqual(run?.details.deferred, ['cost_checkpoint', 'metrics_checkpoint', 'source_state']);
  await inner.close();
});
