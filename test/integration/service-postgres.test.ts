// `run` against the real local PostgreSQL, as a child process: simulated Vultr, RunPod and an exporter host
// are collected on the first cycle; the API's cost totals equal what the simulators served, exactly; a run
// left `running` by a killed collector is marked failed; with the database unreachable (a TCP proxy switched
// off) reads answer 503 storage_unavailable while /healthz stays 200, collection spools, and nothing is lost
// once it returns. `collect` with the database down keeps its batches spooled and exits 1, the next one replays.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { exactSum } from '../support/exact-money.ts';
import { exporterHostProvider } from '../../src/simulator/exporter-host/provider.ts';
import type { RunningSimulation } from '../../src/simulator/provider.ts';
import { RUNPOD_SIM_API_KEY, startRunpodSimulator } from '../../src/simulator/runpod/server.ts';
import type { RunpodDataset } from '../../src/simulator/runpod/data.ts';
import type { SimServer } from '../../src/simulator/server.ts';
import { VULTR_SIM_API_KEY, startVultrSimulator } from '../../src/simulator/vultr/server.ts';
import type { VultrDataset } from '../../src/simulator/vultr/data.ts';
import { openPostgresSink } from '../../src/sinks/postgres/sink.ts';
import { runCli, startRunService } from '../support/cli.ts';
import { TcpProxy } from './storage-outage-fixture.ts';
import {
  TEST_PG_URL,
  adminQuery,
  dropSchema,
  ensureTestDatabase,
  schemaUrl,
  uniqueSchema,
} from './postgres-test-db.ts';

const TOKEN = 'service-pg-token-5b1e0c7d9a';
const schemas: string[] = [];
const directories: string[] = [];
let vultr: { server: SimServer; data: VultrDataset };
let runpod: { server: SimServer; data: RunpodDataset };
let exporter: RunningSimulation;

// Response bodies are JSON documents read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

before(async () => {
  await ensureTestDatabase();
  vultr = await startVultrSimulator({ seed: 11 });
  runpod = await startRunpodSimulator({ seed: 11 });
  exporter = await exporterHostProvider.start({ seed: 11 });
});

after(async () => {
  await Promise.all([vultr.server.close(), runpod.server.close(), exporter.close()]);
  for (const schema of schemas) await dropSchema(schema);
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** A proxied database URL for a fresh schema, and a config file using it with its own spool directory. */
async function setUp(prefix: string, providers: Record<string, unknown>) {
  const schema = uniqueSchema(prefix);
  schemas.push(schema);
  const directory = mkdtempSync(join(tmpdir(), `optiinfra-${prefix}-`));
  directories.push(directory);
  const target = new URL(TEST_PG_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.up();
  const url = new URL(schemaUrl(schema));
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  const spoolDir = join(directory, 'spool');
  const configPath = join(directory, 'providers.yaml');
  writeFileSync(
    configPath,
    stringify({
      storage: { url: url.toString(), spool_dir: spoolDir },
      // 2m: the first run's start jitter stays under 12 s, and no second cycle starts before the test ends.
      collection: { interval: '2m', cost_history: '200d' },
      server: { listen: '127.0.0.1:0' },
      providers,
    }),
  );
  return { schema, proxy, configPath, spoolDir, directory };
}

function providerBlocks(): Record<string, unknown> {
  return {
    vultr: {
      enabled: true,
      collector_type: 'generic',
      api: { adapter: 'vultr', base_url: `${vultr.server.url}/v2`, api_key: VULTR_SIM_API_KEY, per_page: 3 },
    },
    runpod: {
      enabled: true,
      collector_type: 'generic',
      rate_limit: 20,
      api: {
        adapter: 'runpod',
        base_url: `${runpod.server.url}/v2`,
        graphql_url: `${runpod.server.url}/graphql`,
        api_key: RUNPOD_SIM_API_KEY,
      },
    },
    exporter_host: exporter.providerBlock,
  };
}

function startService(configPath: string) {
  return startRunService(configPath, { env: { OPTIINFRA_API_TOKEN: TOKEN }, defaultTimeoutMs: 60_000 });
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - started;
}

/** Cents as exact decimal sums: what the simulators billed. */
const total = (amounts: Array<number | string>): string => exactSum(amounts);

test('run on PostgreSQL: API totals equal what the simulators served; interrupted runs marked; DB outage answers 503 and loses nothing', async (t) => {
  const { schema, proxy, configPath, spoolDir } = await setUp('service_pg', providerBlocks());
  // A collector killed with -9 left this run `running`; the service must close it at start-up.
  const earlier = await openPostgresSink(schemaUrl(schema));
  const staleStart = new Date(Date.now() - 3_600_000).toISOString();
  await earlier.saveRun({
    id: 'killed-run',
    provider: 'vultr',
    started_at: staleStart,
    finished_at: null,
    status: 'running',
    costs: 12,
    resources: 0,
    metrics: 0,
    error: null,
    details: { errors: [], calls: { 'GET /v2/account': 1 } },
  });
  await earlier.close();

  const service = startService(configPath);
  try {
    const [, base] = await service.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
    const startedAt = Date.now();
    await service.waitFor(/"msg":"first cycle complete"/);
    t.diagnostic(`first cycle on PostgreSQL: ${Date.now() - startedAt} ms`);
    const call = async (
      path: string,
      init: RequestInit = {},
    ): Promise<{ status: number; body: Json; text: string }> => {
      const response = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}` } });
      const text = await response.text();
      let body: Json;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.status, body, text };
    };

    const runs = await call('/api/v1/runs?limit=100');
    assert.equal(runs.status, 200);
    const byProvider = new Map<string, Json>(
      (runs.body.runs as Json[]).filter((run) => run.id !== 'killed-run').map((run) => [run.provider, run]),
    );
    for (const provider of ['vultr', 'runpod', 'exporter_host'])
      assert.equal(
        byProvider.get(provider)?.status,
        'ok',
        `${provider}: ${JSON.stringify(byProvider.get(provider)?.details.errors)}`,
      );
    t.diagnostic(
      `run durations: ${[...byProvider.values()].map((run) => `${run.provider} ${Date.parse(run.finished_at) - Date.parse(run.started_at)} ms (${run.costs} costs, ${run.resources} resources, ${run.metrics} samples)`).join(', ')}`,
    );
    const killed = (runs.body.runs as Json[]).find((run) => run.id === 'killed-run');
    assert.equal(killed?.status, 'failed');
    assert.equal(killed?.error, 'CANCELLED: interrupted: the collector stopped before this run finished');
    assert.deepEqual(killed?.details.errors, [
      { code: 'CANCELLED', message: 'interrupted: the collector stopped before this run finished' },
    ]);
    assert.ok(
      Date.parse(killed?.finished_at) > Date.parse(staleStart) && Date.parse(killed?.finished_at) <= startedAt,
      'finished at this process start',
    );
    assert.match(
      service.stderr(),
      /"runs":1,"msg":"runs left running by an earlier process that stopped were marked failed"/,
    );

    // Vultr: every invoice item of every invoice plus the month-to-date pending charges (200 days of history reach the oldest).
    const vultrExpected = total(
      [...[...vultr.data.invoiceItems.values()].flat(), ...vultr.data.pendingCharges].map((item) => item.total),
    );
    // RunPod: the account's daily buckets over the window the run collected.
    const window = byProvider.get('runpod')?.details.window as { start: string; end: string };
    assert.ok(window, 'the RunPod run records its window');
    const runpodExpected = total(
      runpod.data.accountRecords(new Date(window.start), new Date(window.end)).map((record) => record.totalAmount),
    );
    const costs = await call('/api/v1/costs?from=2000-01-01&to=2100-01-01&group_by=provider');
    assert.equal(costs.status, 200, costs.text);
    assert.deepEqual(
      (costs.body.groups as Json[]).map((group) => [group.key, group.currency, group.billed_cost]),
      [
        ['runpod', 'USD', runpodExpected],
        ['vultr', 'USD', vultrExpected],
      ],
    );
    assert.deepEqual(
      (costs.body.totals as Json[]).map((entry) => [entry.currency, entry.billed_cost]),
      [['USD', exactSum([runpodExpected, vultrExpected])]],
    );
    assert.equal(costs.body.groups[1].rows, byProvider.get('vultr')?.costs);
    t.diagnostic(
      `exact totals: vultr ${vultrExpected} USD, runpod ${runpodExpected} USD over ${window.start}..${window.end}`,
    );
    for (const groupBy of ['service', 'region', 'resource', 'day']) {
      const grouped = await call(`/api/v1/costs?from=2000-01-01&to=2100-01-01&group_by=${groupBy}`);
      assert.equal(grouped.status, 200, grouped.text);
      assert.deepEqual(grouped.body.totals, costs.body.totals, `${groupBy}: the same totals whatever the grouping`);
    }

    const resources = await call('/api/v1/resources?limit=10000');
    assert.equal(resources.status, 200);
    const ids = new Set((resources.body.resources as Json[]).map((row) => `${row.provider}/${row.resource_id}`));
    for (const server of [...vultr.data.instances, ...vultr.data.bareMetals])
      assert.ok(ids.has(`vultr/${server.id}`), `vultr/${server.id}`);
    for (const pod of runpod.data.pods) assert.ok(ids.has(`runpod/${pod.id}`), `runpod/${pod.id}`);
    assert.ok(
      (resources.body.resources as Json[]).some(
        (row) => row.provider === 'exporter_host' && row.resource_type === 'gpu',
      ),
    );
    assert.equal(
      resources.body.resources.length,
      byProvider.get('vultr').resources +
        byProvider.get('runpod').resources +
        byProvider.get('exporter_host').resources,
    );

    const samples = await call('/api/v1/metrics?provider=exporter_host&limit=10000');
    assert.equal(samples.status, 200);
    assert.equal(samples.body.samples.length, byProvider.get('exporter_host').metrics);
    const metricsText = (await call('/metrics')).text;
    for (const provider of ['vultr', 'runpod', 'exporter_host'])
      assert.match(
        metricsText,
        new RegExp(`^optiinfra_collector_runs_total\\{provider="${provider}",status="ok"\\} 1$`, 'm'),
      );
    assert.match(metricsText, /^optiinfra_hw_gpu_\w+\{provider="exporter_host",/m);
    assert.match(metricsText, /^optiinfra_collector_spool_depth(\{[^}]*\})? 0$/m);

    // The database goes away.
    await proxy.down();
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as Json).error.code, 'storage_unavailable');
    for (const path of ['/api/v1/costs?group_by=provider', '/api/v1/resources', '/api/v1/metrics']) {
      const answer = await call(path);
      assert.equal(answer.status, 503, `${path}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'storage_unavailable', path);
      assert.match(answer.body.error.message, /unreachable/, path);
      assert.doesNotMatch(answer.text, /postgres:\/\/|password/, path);
    }
    assert.equal((await call('/metrics')).status, 200, 'self-metrics answer without storage');
    // Collection goes on into the spool; reads refuse to show data that misses it.
    const during = await call('/api/v1/collect?provider=exporter_host', { method: 'POST' });
    assert.equal(during.status, 200, during.text);
    assert.equal(during.body.runs[0].status, 'ok');
    assert.ok(
      readdirSync(spoolDir).some((name) => name.endsWith('.seg')),
      'batches are spooled on disk',
    );
    assert.match((await call('/metrics')).text, /^optiinfra_collector_spool_depth(\{[^}]*\})? [1-9]\d*$/m);
    const spooledRead = await call('/api/v1/costs?group_by=provider');
    assert.equal(spooledRead.status, 503);
    assert.match(spooledRead.body.error.message, /spooled batches wait/);

    // It comes back: the spool replays by itself and the outage run's samples are all there.
    await proxy.up();
    const replayMs = await waitUntil(
      'the spool to replay',
      async () => (await call('/api/v1/resources')).status === 200,
    );
    t.diagnostic(`reads answer again ${replayMs} ms after the database returned`);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const after = await call('/api/v1/metrics?provider=exporter_host&limit=10000');
    assert.equal(
      after.body.samples.length,
      byProvider.get('exporter_host').metrics + during.body.runs[0].metrics,
      '0 lost, 0 duplicated',
    );
    const [counted] = await adminQuery<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema}".collection_runs WHERE provider = 'exporter_host'`,
    );
    assert.equal(Number(counted?.n), 2);
    assert.deepEqual(
      readdirSync(spoolDir).filter((name) => name.endsWith('.seg')),
      [],
    );

    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0);
    assert.ok(!service.stderr().includes(TOKEN), 'the API token appears in the logs');
    assert.ok(
      !service.stderr().includes(VULTR_SIM_API_KEY) && !service.stderr().includes(RUNPOD_SIM_API_KEY),
      'a provider key appears in the logs',
    );
  } finally {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await proxy.down();
  }
});

test('collect on PostgreSQL: the database lost mid-run keeps batches spooled (warning, exit 1); the next collect replays them', async () => {
  const { schema, proxy, configPath, spoolDir, directory } = await setUp('collect_pg', {
    exporter_host: exporter.providerBlock,
  });
  const host = exporter.servers[0] as SimServer;
  try {
    // The scrape is slowed down; once it has started (checkpoints already read), the database goes away.
    host.faults.add({ kind: 'latency', ms: 1_500, count: 1 });
    const seen = host.requests.length;
    const collecting = runCli(['collect', '--config', configPath], { cwd: directory });
    await waitUntil('the scrape to start', async () => host.requests.length > seen);
    await proxy.down();
    const down = await collecting;
    assert.equal(down.code, 1, down.stderr);
    assert.match(down.stdout, /exporter_host\s+ok/);
    const warning =
      /warning: storage .* is unreachable: (\d+) batches \((\d+) bytes\) stay spooled in (.+) and are replayed/.exec(
        down.stderr,
      );
    assert.ok(warning, down.stderr);
    assert.equal(warning[3], spoolDir);
    assert.equal(readdirSync(spoolDir).filter((name) => name.endsWith('.seg')).length, Number(warning[1]));
    assert.doesNotMatch(down.stderr, /stored in/);

    await proxy.up();
    const back = await runCli(['collect', '--json', '--config', configPath], { cwd: directory });
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(
      readdirSync(spoolDir).filter((name) => name.endsWith('.seg')),
      [],
    );
    const [runs] = await adminQuery<{ n: string; ok: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'ok') AS ok FROM "${schema}".collection_runs`,
    );
    assert.deepEqual([Number(runs?.n), Number(runs?.ok)], [2, 2], 'both runs stored, the spooled one included');
    const metrics = (JSON.parse(back.stdout) as { runs: Array<{ metrics: number }> }).runs[0]?.metrics ?? 0;
    const [points] = await adminQuery<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".metric_points`);
    assert.ok(Number(points?.n) >= metrics && metrics > 0, `points ${points?.n}`);
  } finally {
    await proxy.down();
  }
});
