// The scheduler against the sim_json upstream over real HTTP: interval runs, overlap skips, the global
// concurrency limit, rate limiters kept across runs, cost cadence from checkpoints (also across restarts),
// cron next-run times, retention pruning and a graceful stop that aborts runs past the grace period.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../src/core/log.ts';
import { createScheduler, type SchedulerOptions } from '../src/runtime/scheduler.ts';
import { createSelfMetrics } from '../src/runtime/self-metrics.ts';
import { parseCron } from '../src/core/cron.ts';
import type { RunningSimulation } from '../src/simulator/provider.ts';
import { openSqliteSink } from '../src/sinks/sqlite/sink.ts';
import { configFrom, simJsonProvider, testRegistry } from './service-fixtures.ts';

const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };
const sims: RunningSimulation[] = [];
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

before(async () => {
  for (let index = 0; index < 3; index += 1) sims.push(await simJsonProvider.start({}));
});
after(async () => {
  await Promise.all(sims.map((sim) => sim.close()));
});

function setup(
  providers: Record<string, Record<string, unknown>>,
  collection: Record<string, unknown> = {},
  options: Partial<SchedulerOptions> = {},
) {
  const config = configFrom({
    storage: { url: 'sqlite::memory:' },
    collection: { interval: '1h', retries: 2, ...collection },
    providers,
  });
  const sink = options.sink ?? openSqliteSink(':memory:');
  const metrics = createSelfMetrics({ processMetrics: false });
  const scheduler = createScheduler({
    config,
    registry: testRegistry(),
    sink,
    log: silentLogger(),
    metrics,
    retentionEveryMs: 0,
    retryPolicy: FAST_RETRY,
    ...options,
  });
  return { config, sink, metrics, scheduler };
}

const block = (sim: RunningSimulation, extra: Record<string, unknown> = {}) => ({ ...sim.providerBlock, ...extra });
const path = (sim: RunningSimulation, suffix: string) =>
  sim.servers[0]?.requests.filter((request) => request.path === suffix).length ?? 0;

test('interval schedule: runs repeat; a run still going is skipped and counted, never started twice', async () => {
  const sim = sims[0] as RunningSimulation;
  const { scheduler, metrics, sink } = setup({ slow: block(sim, { interval: '1s' }) }, {}, { maxJitterMs: 0 });
  sim.servers[0]?.faults.add({ kind: 'latency', ms: 2_300, path: '/v1/instances', count: 1 });
  const before = path(sim, '/v1/instances');
  scheduler.start();
  await sleep(3_400);
  const state = scheduler.providers()[0];
  await scheduler.stop(5_000);
  assert.ok((state?.overlap_skips ?? 0) >= 2, `overlap skips: ${state?.overlap_skips}`);
  const runs = await sink.listRuns({ provider: 'slow' });
  assert.ok(runs.length >= 2, `${runs.length} runs`);
  const intervals = runs
    .map((run) => [Date.parse(run.started_at), Date.parse(run.finished_at ?? '')] as const)
    .sort((a, b) => a[0] - b[0]);
  for (let index = 1; index < intervals.length; index += 1)
    assert.ok((intervals[index]?.[0] ?? 0) >= (intervals[index - 1]?.[1] ?? 0), 'two runs of one provider overlapped');
  assert.equal(path(sim, '/v1/instances') - before, runs.length);
  assert.match(await metrics.render(), /optiinfra_collector_overlap_skips_total\{provider="slow"\} [2-9]/);
  await sink.close();
});

test('global concurrency limit: with concurrency 1, providers never run at the same time', async () => {
  const providers = Object.fromEntries(sims.map((sim, index) => [`p${index}`, block(sim)]));
  for (const sim of sims) sim.servers[0]?.faults.add({ kind: 'latency', ms: 150, path: '/v1/instances', count: 1 });
  const { scheduler, sink } = setup(providers, { concurrency: 1 }, { firstRunDelayMs: 3_600_000 });
  scheduler.start();
  const summaries = await scheduler.trigger().done;
  await scheduler.stop(1_000);
  assert.deepEqual(
    summaries.map((summary) => summary.status),
    ['ok', 'ok', 'ok'],
  );
  const runs = (await sink.listRuns())
    .map((run) => [Date.parse(run.started_at), Date.parse(run.finished_at ?? '')] as const)
    .sort((a, b) => a[0] - b[0]);
  for (let index = 1; index < runs.length; index += 1)
    assert.ok((runs[index]?.[0] ?? 0) >= (runs[index - 1]?.[1] ?? 0), 'runs overlapped despite concurrency 1');
  await sink.close();
});

test('the per-provider rate limiter lives across runs (its bucket is not refilled by a new run)', async () => {
  const sim = sims[1] as RunningSimulation;
  const { scheduler, sink } = setup({ paced: block(sim, { rate_limit: 4 }) }, {}, { firstRunDelayMs: 3_600_000 });
  scheduler.start();
  const started = performance.now();
  for (let run = 0; run < 4; run += 1) await scheduler.trigger(['paced']).done;
  const elapsed = performance.now() - started;
  await scheduler.stop(1_000);
  // 4 runs make 5 requests (costs once): a burst of 4, then one more at 4/s. A per-run limiter would not wait.
  assert.ok(elapsed >= 200, `elapsed ${elapsed.toFixed(0)} ms`);
  await sink.close();
});

test('costs only every cost_interval, driven by the stored checkpoint, across restarts', async () => {
  const sim = sims[2] as RunningSimulation;
  const sink = openSqliteSink(':memory:');
  const charges = () => path(sim, '/v1/charges');
  const before = charges();
  const first = setup({ billed: block(sim, { cost_interval: '1h' }) }, {}, { firstRunDelayMs: 3_600_000, sink });
  first.scheduler.start();
  const [initial] = await first.scheduler.trigger().done;
  const [second] = await first.scheduler.trigger().done;
  await first.scheduler.stop(1_000);
  assert.equal(initial?.costs, 3);
  assert.equal(second?.costs, 0);
  assert.equal(charges() - before, 1);
  // A restart reads the checkpoint: costs are still not due.
  const restarted = setup({ billed: block(sim, { cost_interval: '1h' }) }, {}, { firstRunDelayMs: 3_600_000, sink });
  restarted.scheduler.start();
  const [third] = await restarted.scheduler.trigger().done;
  await restarted.scheduler.stop(1_000);
  assert.equal(third?.costs, 0);
  assert.equal(charges() - before, 1);
  // An old checkpoint (a long outage) makes costs due again, and the window reaches back to it.
  await sink.setCheckpoint('billed', 'cost', new Date(Date.now() - 2 * 3_600_000));
  const later = setup({ billed: block(sim, { cost_interval: '1h' }) }, {}, { firstRunDelayMs: 3_600_000, sink });
  later.scheduler.start();
  const [fourth] = await later.scheduler.trigger().done;
  await later.scheduler.stop(1_000);
  assert.equal(fourth?.costs, 3);
  await sink.close();
});

test('cron schedule: next_run_at is the next cron minute plus bounded jitter', async () => {
  const sim = sims[0] as RunningSimulation;
  const { scheduler, sink } = setup({ nightly: block(sim, { schedule: '30 2 * * *' }) });
  scheduler.start();
  const next = Date.parse(scheduler.providers()[0]?.next_run_at ?? '');
  await scheduler.stop(100);
  const expected = parseCron('30 2 * * *').next(new Date()).getTime();
  assert.ok(
    next >= expected && next < expected + 30_000,
    `${new Date(next).toISOString()} vs ${new Date(expected).toISOString()}`,
  );
  assert.throws(
    () => configFrom({ providers: { bad: block(sim, { schedule: '61 * * * *' }) } }),
    /providers\.bad\.schedule: cron "61 \* \* \* \*": minute field "61" has 61, outside 0-59/,
  );
  await sink.close();
});

test('retention pruning runs on start and deletes samples older than storage.retention', async () => {
  const sink = openSqliteSink(':memory:');
  const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
  await sink.writeMetrics([
    { ts: old, provider: 'x', name: 'm', category: 'resource', value: 1, unit: '1', resource_id: null, labels: {} },
    {
      ts: new Date().toISOString(),
      provider: 'x',
      name: 'm',
      category: 'resource',
      value: 2,
      unit: '1',
      resource_id: null,
      labels: {},
    },
  ]);
  const config = configFrom({
    storage: { url: 'sqlite::memory:', retention: '1d' },
    providers: { idle: { enabled: false } },
  });
  const metrics = createSelfMetrics({ processMetrics: false });
  const scheduler = createScheduler({
    config,
    registry: testRegistry(),
    sink,
    log: silentLogger(),
    metrics,
    retentionEveryMs: 60_000,
  });
  scheduler.start();
  await sleep(50);
  await scheduler.stop(100);
  assert.deepEqual(
    sink.database
      .prepare('SELECT value FROM metric_points')
      .all()
      .map((row) => (row as { value: number }).value),
    [2],
  );
  assert.match(await metrics.render(), /optiinfra_collector_retention_pruned_points_total 1/);
  await sink.close();
});

test('graceful stop: waits for runs within the grace period, aborts and records them after it', async () => {
  const sim = sims[1] as RunningSimulation;
  const { scheduler, sink } = setup({ stuck: block(sim, { timeout: '30s' }) }, {}, { firstRunDelayMs: 3_600_000 });
  scheduler.start();
  sim.servers[0]?.faults.add({ kind: 'stall', ms: 20_000, path: '/v1/instances', count: 1 });
  const triggered = scheduler.trigger(['stuck']);
  await sleep(100);
  const started = performance.now();
  await scheduler.stop(300);
  const waited = performance.now() - started;
  assert.ok(waited >= 290 && waited < 3_000, `stop took ${waited.toFixed(0)} ms`);
  const [summary] = await triggered.done;
  assert.equal(summary?.status, 'failed');
  assert.equal(summary?.errors.at(-1)?.code, 'CANCELLED');
  const [run] = await sink.listRuns({ provider: 'stuck' });
  assert.equal(run?.status, 'failed');
  assert.match(run?.error ?? '', /^CANCELLED: /);
  assert.throws(() => scheduler.trigger(), /shutting down/);

  // A run that finishes within the grace period completes normally.
  const quick = setup({ quick: block(sim) }, {}, { firstRunDelayMs: 3_600_000 });
  quick.scheduler.start();
  sim.servers[0]?.faults.add({ kind: 'latency', ms: 200, path: '/v1/instances', count: 1 });
  const pending = quick.scheduler.trigger().done;
  await sleep(50);
  await quick.scheduler.stop(5_000);
  assert.equal((await pending)[0]?.status, 'ok');
  await sink.close();
  await quick.sink.close();
});

test("an open circuit skips the provider's cycles without sleeping a run: counted, logged, on /providers", async () => {
  const sim = sims[2] as RunningSimulation;
  const lines: string[] = [];
  const log = await createLogger({
    level: 'info',
    pretty: false,
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    }),
  });
  const { scheduler, sink, metrics } = setup(
    { flaky: block(sim, { interval: '1s' }) },
    {},
    { maxJitterMs: 0, log, circuit: { failureThreshold: 2, cooldownMs: 3_500 } },
  );
  sim.servers[0]?.faults.set([{ kind: 'server_error', status: 503, path: '/v1/instances' }]);
  const requests = (): number => path(sim, '/v1/instances');
  const before = requests();
  scheduler.start();
  await sleep(3_200);
  const open = scheduler.providers()[0];
  const sent = requests() - before;
  assert.equal(open?.circuit, 'open');
  assert.ok((open?.circuit_skips ?? 0) >= 2, `circuit skips: ${open?.circuit_skips}`);
  assert.ok(open?.circuit_retry_at !== null && Date.parse(open?.circuit_retry_at ?? '') > Date.now());
  assert.equal(sent, 2, 'two failed attempts opened the circuit; no request while it is open');
  const runs = await sink.listRuns({ provider: 'flaky' });
  assert.equal(runs.length, 1, 'skipped cycles start no run');
  assert.ok(
    Date.parse(runs[0]?.finished_at ?? '') - Date.parse(runs[0]?.started_at ?? '') < 500,
    'the run failed fast',
  );
  assert.ok(
    lines.some((line) => /"code":"CIRCUIT_OPEN"/.test(line) && /circuit open: skipped/.test(line)),
    lines.join('\n'),
  );
  assert.match(await metrics.render(), /optiinfra_collector_circuit_skips_total\{provider="flaky"\} [2-9]/);

  // After the cool-down the next cycle runs again (the trial call) and, the upstream healed, closes it.
  sim.servers[0]?.faults.clear();
  await sleep(1_300);
  await scheduler.stop(5_000);
  const healed = scheduler.providers()[0];
  assert.equal(healed?.circuit, 'closed');
  assert.equal(healed?.last_run?.status, 'ok');
  await sink.close();
});
