// No loss on a storage outage, against the real local PostgreSQL: the database is unreachable for 3
// collection cycles (a TCP proxy in front of it is switched off) and comes back; and a collector killed
// with SIGKILL while spooling is restarted. Either way every table ends equal to a run without the outage.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { exporterHostProvider } from '../../src/simulator/exporter-host/provider.ts';
import { runCli, startRunService } from '../support/cli.ts';
import { openPostgresSink } from '../../src/sinks/postgres/sink.ts';
import { openSpoolingSink } from '../../src/sinks/spool/spooling-sink.ts';
import {
  CYCLES,
  OUTAGE_PROVIDER,
  SOURCE_OPTIONS,
  TcpProxy,
  cycleTime,
  runCycles,
  snapshot,
  steadyRuntime,
  type StoreSnapshot,
} from './storage-outage-fixture.ts';
import {
  TEST_PG_URL,
  adminQuery,
  dropSchema,
  ensureTestDatabase,
  schemaUrl,
  uniqueSchema,
} from './postgres-test-db.ts';

const schemas: string[] = [];
let reference: StoreSnapshot;

function newSchema(prefix: string): string {
  const schema = uniqueSchema(prefix);
  schemas.push(schema);
  return schema;
}

async function read(schema: string): Promise<StoreSnapshot> {
  const sink = await openPostgresSink(schemaUrl(schema));
  try {
    return await snapshot((sql) => sink.query(sql));
  } finally {
    await sink.close();
  }
}

before(async () => {
  await ensureTestDatabase();
  const schema = newSchema('outage_reference');
  const sink = await openPostgresSink(schemaUrl(schema));
  const summaries = await runCycles(steadyRuntime(), sink, 0, CYCLES);
  assert.ok(
    summaries.every((summary) => summary.status === 'ok'),
    JSON.stringify(summaries.map((summary) => summary.errors)),
  );
  await sink.close();
  reference = await read(schema);
  assert.equal(reference.counts.collection_runs, CYCLES);
  assert.ok((reference.counts.metric_points ?? 0) > 0 && (reference.counts.cost_records ?? 0) > 0);
});

after(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

test('the database unreachable for 3 cycles, then back: every table equals a run without the outage (0 lost, 0 duplicated)', async (t) => {
  const schema = newSchema('outage_proxy');
  const target = new URL(TEST_PG_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.up();
  const viaProxy = new URL(schemaUrl(schema));
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const spoolDir = mkdtempSync(join(tmpdir(), 'optiinfra-outage-'));
  const sink = await openSpoolingSink(await openPostgresSink(viaProxy.toString(), { connectTimeoutMs: 1_000 }), {
    directory: spoolDir,
    probeIntervalMs: 100,
  });
  const runtime = steadyRuntime();
  try {
    assert.ok((await runCycles(runtime, sink, 0, 2)).every((summary) => summary.status === 'ok'));
    const beforeOutage = await read(schema);

    await proxy.down();
    const during = await runCycles(runtime, sink, 2, 5);
    assert.deepEqual(
      during.map((summary) => summary.status),
      ['ok', 'ok', 'ok'],
      JSON.stringify(during.map((summary) => summary.errors)),
    );
    assert.ok(
      during.every((summary) => summary.metrics > 0 && summary.costs > 0),
      'the collector kept collecting',
    );
    assert.equal(sink.spooling, true);
    assert.ok(sink.spoolDepth().segments >= 3 * 10, `spooled ${sink.spoolDepth().segments} batches`);
    assert.ok(sink.spoolDepth().bytes > 0);
    await assert.rejects(sink.ping(), { code: 'STORAGE_UNAVAILABLE' });
    assert.deepEqual(
      (await read(schema)).counts,
      beforeOutage.counts,
      'nothing reached the database during the outage',
    );
    assert.equal(
      (await sink.listRuns({ provider: OUTAGE_PROVIDER.name, limit: 1 }))[0]?.started_at,
      cycleTime(4).toISOString(),
      'runs are listed from memory meanwhile',
    );

    t.diagnostic(
      `outage: ${sink.spoolDepth().segments} batches (${sink.spoolDepth().bytes} bytes) spooled over 3 cycles`,
    );
    await proxy.up();
    assert.ok((await runCycles(runtime, sink, 5, CYCLES)).every((summary) => summary.status === 'ok'));
    assert.equal(await sink.flush(), true);
    assert.deepEqual(sink.spoolDepth(), { segments: 0, bytes: 0 });
    assert.deepEqual(readdirSync(spoolDir), [], 'every replayed segment deleted');
    const after = await read(schema);
    assert.deepEqual(after.counts, reference.counts);
    assert.deepEqual(after, reference);
    t.diagnostic(`after: ${JSON.stringify(after.counts)}`);
  } finally {
    await sink.close();
    await proxy.down();
  }
});

test('the database already down when the collector starts, then back: the outage cycles are collected, deferred, and stored exactly once', async (t) => {
  const schema = newSchema('outage_at_start');
  const target = new URL(TEST_PG_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  // A port that refuses connections from the start (the proxy binds it, then closes it).
  await proxy.up();
  await proxy.down();
  const viaProxy = new URL(schemaUrl(schema));
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const spoolDir = mkdtempSync(join(tmpdir(), 'optiinfra-outage-start-'));
  const sink = await openSpoolingSink(
    await openPostgresSink(viaProxy.toString(), { connectTimeoutMs: 1_000, lazy: true }),
    { directory: spoolDir, probeIntervalMs: 100 },
  );
  const runtime = steadyRuntime();
  try {
    const during = await runCycles(runtime, sink, 0, 3);
    assert.deepEqual(
      during.map((summary) => summary.status),
      ['ok', 'ok', 'ok'],
      JSON.stringify(during.map((summary) => summary.errors)),
    );
    const perCycle = SOURCE_OPTIONS.metricPages * SOURCE_OPTIONS.timestampsPerPage * 8;
    assert.deepEqual(
      during.map((summary) => [summary.metrics, summary.resources]),
      [
        [perCycle, 3],
        [perCycle, 3],
        [perCycle, 3],
      ],
      'every cycle collected its samples and inventory',
    );
    for (const summary of during)
      assert.deepEqual(
        summary.deferred,
        ['cost_checkpoint', 'metrics_checkpoint', 'source_state'],
        'reports what waits',
      );
    assert.equal(sink.spooling, true);
    assert.ok(sink.spoolDepth().segments > 0);
    t.diagnostic(`database down from the start: ${sink.spoolDepth().segments} batches spooled over 3 cycles`);

    await proxy.up();
    // The probe timer finds the database back and replays the spool before the next cycle reads from it.
    const deadline = Date.now() + 10_000;
    while (sink.spooling) {
      assert.ok(Date.now() < deadline, 'the spool was never replayed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const afterOutage = await runCycles(runtime, sink, 3, CYCLES);
    assert.ok(
      afterOutage.every((summary) => summary.status === 'ok' && summary.deferred.length === 0),
      JSON.stringify(afterOutage),
    );
    assert.equal(await sink.flush(), true);
    assert.deepEqual(readdirSync(spoolDir), [], 'every replayed segment deleted');
  } finally {
    await sink.close();
    await proxy.down();
  }
  const after = await read(schema);
  for (const table of ['metric_series', 'metric_points', 'resources', 'cost_records', 'checkpoints', 'source_state'])
    assert.equal(after.counts[table], reference.counts[table], table);
  assert.deepEqual(after.points, reference.points, 'every sample of the outage stored, exactly once');
  assert.deepEqual(after.series, reference.series);
  assert.deepEqual(after.resources, reference.resources, 'first_seen_at of the first cycle');
  assert.deepEqual(after.state, reference.state, 'state written during the outage never replaced what was stored');
  assert.deepEqual(after.checkpoints, reference.checkpoints);
  // The cost windows the outage deferred were re-collected once storage answered: the same rows and amounts
  // (collected later than in the reference, so x_collected_at differs).
  const amounts = (snapshot: StoreSnapshot) =>
    snapshot.costs.map((row) => [row.record_key, row.billed_cost, row.charge_period_start, row.x_row_key]);
  assert.deepEqual(amounts(after), amounts(reference));
  assert.deepEqual(
    after.runs.map((run) => [run.started_at, run.status]),
    reference.runs.map((run) => [run.started_at, run.status]),
  );
});

test('kill -9 while spooling, then a restart: the spool is replayed, no corrupt segment is left, and tables equal a run without the crash', async (t) => {
  const schema = newSchema('outage_kill');
  const spoolDir = mkdtempSync(join(tmpdir(), 'optiinfra-kill-'));
  const writer = fileURLToPath(new URL('./storage-outage-writer.ts', import.meta.url));
  const child = spawn(process.execPath, [writer], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, OUTAGE_PG_URL: schemaUrl(schema), OUTAGE_SPOOL_DIR: spoolDir },
  });
  const messages: Array<Record<string, unknown>> = [];
  child.on('message', (message) => messages.push(message as Record<string, unknown>));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));

  // Kill it in the middle of the outage, while it appends batches as fast as it can.
  const killAt = 20;
  const deadline = Date.now() + 60_000;
  while (readdirSync(spoolDir).filter((name) => name.endsWith('.seg')).length < killAt) {
    assert.ok(Date.now() < deadline, `the writer never spooled ${killAt} batches: ${JSON.stringify(messages)}`);
    assert.equal(child.exitCode, null, 'the writer died on its own');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  assert.ok(messages.some((message) => message.outage === true));
  assert.ok(!messages.some((message) => message.done === true), 'killed before it finished collecting');
  const leftBehind = readdirSync(spoolDir);
  t.diagnostic(
    `killed after cycle ${JSON.stringify(messages.at(-1))}; left behind: ${leftBehind.length} files, ${leftBehind.filter((name) => name.endsWith('.tmp')).length} torn`,
  );
  const lastCycle = Math.max(
    ...messages.filter((message) => typeof message.cycle === 'number').map((message) => message.cycle as number),
  );

  // Restart with the database reachable: opening replays the spool before anything else.
  const sink = await openSpoolingSink(await openPostgresSink(schemaUrl(schema)), {
    directory: spoolDir,
    probeIntervalMs: 100,
  });
  try {
    assert.equal(sink.replayedSegments, leftBehind.filter((name) => name.endsWith('.seg')).length);
    assert.deepEqual(
      readdirSync(spoolDir),
      [],
      `no segment, torn temp file or rejected batch left (was: ${leftBehind.slice(-3).join(', ')})`,
    );
    assert.equal(existsSync(join(spoolDir, 'rejected')), false);
    // Resume where the durable checkpoint says, as the service does after a restart.
    const checkpoint = await sink.getCheckpoint(OUTAGE_PROVIDER.name, 'metrics');
    const resumeFrom = checkpoint ? Math.round((checkpoint.getTime() - cycleTime(0).getTime()) / 300_000) + 1 : 0;
    // Every cycle reported complete before the kill came back with its checkpoint; the kill may also have
    // landed after the interrupted cycle's checkpoint was spooled and before its final run row.
    assert.ok(
      resumeFrom === lastCycle + 1 || resumeFrom === lastCycle + 2,
      `resume from ${resumeFrom}, last reported ${lastCycle}`,
    );
    assert.ok((await runCycles(steadyRuntime(), sink, resumeFrom, CYCLES)).every((summary) => summary.status === 'ok'));
  } finally {
    await sink.close();
  }
  const after = await read(schema);
  const { runs: runsAfter, counts: countsAfter, ...dataAfter } = after;
  const { runs: referenceRuns, counts: referenceCounts, ...referenceData } = reference;
  assert.deepEqual(
    dataAfter,
    referenceData,
    'costs, resources, series, points, checkpoints and state equal the run without the crash',
  );
  for (const table of [
    'cost_records',
    'resources',
    'metric_series',
    'metric_points',
    'checkpoints',
    'source_state',
    'schema_migrations',
  ])
    assert.equal(countsAfter[table], referenceCounts[table], table);
  // The run the kill interrupted stays recorded as `running` (it did start); every cycle has its completed run.
  const finished = runsAfter.filter((run) => run.status !== 'running');
  const interrupted = runsAfter.filter((run) => run.status === 'running');
  assert.ok(interrupted.length <= 1, JSON.stringify(interrupted));
  assert.deepEqual(
    [...finished, ...interrupted.filter((run) => !finished.some((done) => done.started_at === run.started_at))]
      .map((run) => run.started_at)
      .sort(),
    referenceRuns.map((run) => run.started_at),
  );
  assert.ok(
    finished.every((run) => referenceRuns.some((expected) => JSON.stringify(expected) === JSON.stringify(run))),
    'completed runs equal the reference runs',
  );
  assert.ok(finished.length >= referenceRuns.length - 1);
});

test('collect, then run, started with the database down: every run collects into the spool, and once it is back every sample is stored exactly once', async (t) => {
  const schema = newSchema('outage_cli');
  const directory = mkdtempSync(join(tmpdir(), 'optiinfra-outage-cli-'));
  const host = await exporterHostProvider.start({ seed: 5 });
  const target = new URL(TEST_PG_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.up();
  await proxy.down();
  const url = new URL(schemaUrl(schema));
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  const configPath = join(directory, 'providers.yaml');
  writeFileSync(
    configPath,
    stringify({
      storage: { url: url.toString(), spool_dir: join(directory, 'spool') },
      collection: { interval: '1s' },
      server: { listen: '127.0.0.1:0' },
      providers: { exporter_host: host.providerBlock },
    }),
  );
  const token = 'outage-cli-token-4d2a9e';
  let service: ReturnType<typeof startRunService> | undefined;
  type Run = {
    status: string;
    metrics: number;
    resources: number;
    deferred?: string[];
    details?: { deferred?: string[] };
  };
  try {
    const collected = await runCli(['collect', '--json', '--config', configPath], { cwd: directory });
    assert.equal(collected.code, 1, 'batches stay spooled: exit 1');
    const [spooled] = (JSON.parse(collected.stdout) as { runs: Run[] }).runs;
    assert.equal(spooled?.status, 'ok', collected.stdout);
    assert.ok((spooled?.metrics ?? 0) > 0 && (spooled?.resources ?? 0) > 0, collected.stdout);
    // The scrape source's counter memory is state too: unknown, so this run's copy only creates the key.
    assert.deepEqual(spooled?.deferred, ['cost_checkpoint', 'metrics_checkpoint', 'source_state']);
    assert.match(collected.stderr, /batches \(\d+ bytes\) stay spooled/);
    t.diagnostic(`collect with the database down: ${spooled?.metrics} samples spooled`);

    // One process owns a spool directory: the service starts once collect has exited.
    service = startRunService(configPath, { env: { OPTIINFRA_API_TOKEN: token }, defaultTimeoutMs: 60_000 });
    const [, base] = await service.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
    const api = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    // Before its first run the service has no runs in memory to answer with: 503 until then.
    const finishedRuns = async (): Promise<Run[]> =>
      (((await api('/api/v1/runs?limit=1000')).body.runs ?? []) as Run[]).filter((run) => run.status !== 'running');
    const waitFor = async (what: string, check: () => Promise<boolean>): Promise<void> => {
      const deadline = Date.now() + 30_000;
      while (!(await check())) {
        assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    // The runs of the outage are answered from the service's memory.
    await waitFor('3 runs during the outage', async () => (await finishedRuns()).length >= 3);
    const outage = await finishedRuns();
    assert.ok(
      outage.every(
        (run) => run.status === 'ok' && run.metrics > 0 && run.details?.deferred?.includes('metrics_checkpoint'),
      ),
      JSON.stringify(outage),
    );
    assert.equal((await api('/api/v1/resources')).status, 503);

    await proxy.up();
    await waitFor('the spool to replay', async () => (await api('/api/v1/resources')).status === 200);
    const replayed = (await finishedRuns()).length;
    await waitFor('a run with the database back', async () => (await finishedRuns()).length > replayed);
    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0, service.stderr());
    assert.deepEqual(
      readdirSync(join(directory, 'spool')).filter((name) => name.endsWith('.seg')),
      [],
      'the spool is empty',
    );

    const runs = await adminQuery<{ status: string; metrics: number; n: string }>(
      `SELECT status, sum(metrics) AS metrics, count(*) AS n FROM "${schema}".collection_runs GROUP BY status`,
    );
    assert.deepEqual(
      runs.map((row) => row.status),
      ['ok'],
      JSON.stringify(runs),
    );
    const [points] = await adminQuery<{ n: string; distinct_ts: string }>(
      `SELECT count(*) AS n, count(DISTINCT ts_ms) AS distinct_ts FROM "${schema}".metric_points`,
    );
    assert.equal(Number(points?.n), Number(runs[0]?.metrics), 'every collected sample stored exactly once');
    t.diagnostic(
      `${runs[0]?.n} runs (${outage.length + 1} during the outage): ${points?.n} samples stored, as many as collected`,
    );
  } finally {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
    await proxy.down();
    await host.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
