// The faults of issue 12, measured (docs/service.md, "Faults survived"): what `run` keeps when PostgreSQL
// refuses connections from the start, how many Cost Explorer calls consecutive AWS cost runs make while a
// region keeps failing, and how long `collect` takes against a dead endpoint (`timeout: 2s, retries: 2`).
// Run it on a branch and on an older commit to compare: `npx node bench/faults.bench.ts`.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { silentLogger } from '../src/core/log.ts';
import { runCycle } from '../src/runtime/cycle.ts';
import { simulatedAws } from '../src/simulator/aws/provider.ts';
import { exporterHostProvider } from '../src/simulator/exporter-host/provider.ts';
import { openSqliteSink } from '../src/sinks/sqlite/sink.ts';
import { configFrom, testRegistry } from '../test/service-fixtures.ts';

const BIN = fileURLToPath(new URL('../bin/optiinfra-collector.js', import.meta.url));
const SERVICE_MS = 25_000;

function cli(args: string[], env: Record<string, string> = {}): { child: ReturnType<typeof spawn>; log: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, OPTIINFRA_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  return { child, log: () => log };
}

const exited = (child: ReturnType<typeof spawn>): Promise<unknown> =>
  new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(child.exitCode)));

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** `run` for 25 s, 2 s interval, one exporter host, PostgreSQL refusing connections from the start. */
async function databaseDownAtStart(directory: string): Promise<Record<string, unknown>> {
  const host = await exporterHostProvider.start({ seed: 3 });
  const refused = createServer();
  const port = await listen(refused);
  await new Promise<void>((resolve) => refused.close(() => resolve()));
  const configPath = join(directory, 'pg-down.yaml');
  writeFileSync(
    configPath,
    stringify({
      storage: { url: `postgres://postgres@127.0.0.1:${port}/optiinfra`, spool_dir: join(directory, 'spool') },
      collection: { interval: '2s' },
      server: { listen: '127.0.0.1:0' },
      providers: { exporter_host: host.providerBlock },
    }),
  );
  const service = cli(['run', '--config', configPath]);
  await new Promise((resolve) => setTimeout(resolve, SERVICE_MS));
  service.child.kill('SIGTERM');
  await exited(service.child);
  await host.close();
  const runs = service
    .log()
    .split('\n')
    .filter((line) => line.includes('"msg":"run finished"'))
    .map((line) => JSON.parse(line) as { status: string; metrics?: number });
  return {
    fault: `PostgreSQL down at start: run, ${SERVICE_MS / 1000} s`,
    runs: runs.length,
    ok: runs.filter((run) => run.status === 'ok').length,
    failed: runs.filter((run) => run.status === 'failed').length,
    'samples spooled': runs.reduce((total, run) => total + (run.metrics ?? 0), 0),
    'spool segments': readdirSync(join(directory, 'spool')).length,
  };
}

/** Three AWS cost runs 6 h apart while one configured region fails every time. */
async function awsWithAFailingRegion(): Promise<Record<string, unknown>> {
  const sim = await simulatedAws.start({ seed: 1 });
  const block = sim.providerBlock as Record<string, unknown>;
  const config = configFrom({
    storage: { url: 'sqlite::memory:' },
    collection: { retries: 1, cost_history: '90d' },
    providers: { aws: { ...block, regions: [...(block.regions as string[]), 'eu-nowhere-9'] } },
  });
  const sink = openSqliteSink(':memory:');
  const calls: number[] = [];
  try {
    for (const now of ['2026-11-20T10:00:00Z', '2026-11-20T16:00:00Z', '2026-11-20T22:00:00Z']) {
      const [summary] = await runCycle({
        config,
        registry: testRegistry(),
        sink,
        log: silentLogger(),
        now: new Date(now),
      });
      calls.push(
        Object.entries(summary?.calls ?? {})
          .filter(([operation]) => operation.startsWith('ce:'))
          .reduce((total, [, count]) => total + count, 0),
      );
    }
  } finally {
    await sink.close();
    await sim.close();
  }
  return {
    fault: 'AWS, a region failing: 3 cost runs',
    'Cost Explorer calls per run': calls.join(', '),
    'cost ($0.01 a call)': `$${(calls.reduce((total, count) => total + count, 0) / 100).toFixed(2)}`,
  };
}

/** `collect` of the Vultr adapter against a refused port and against one that accepts and never answers. */
async function deadEndpoint(directory: string, kind: 'refused' | 'silent'): Promise<Record<string, unknown>> {
  const server = createServer(() => undefined);
  const port = await listen(server);
  if (kind === 'refused') await new Promise<void>((resolve) => server.close(() => resolve()));
  const configPath = join(directory, `dead-${kind}.yaml`);
  writeFileSync(
    configPath,
    stringify({
      storage: { url: `sqlite:${join(directory, `dead-${kind}.db`)}` },
      collection: { timeout: '2s', retries: 2 },
      providers: {
        vultr: {
          enabled: true,
          collector_type: 'generic',
          api: { adapter: 'vultr', api_key: 'dead-endpoint-key-0123', base_url: `http://127.0.0.1:${port}/v2` },
        },
      },
    }),
  );
  const started = performance.now();
  const collect = cli(['collect', '--json', '--config', configPath], { OPTIINFRA_LOG_LEVEL: 'error' });
  await exited(collect.child);
  const seconds = (performance.now() - started) / 1000;
  if (kind === 'silent') server.close();
  const json = collect.log().slice(collect.log().indexOf('{"runs"'));
  const run = (JSON.parse(json.split('\n')[0] ?? '{}') as { runs?: Array<{ duration_ms: number; status: string }> })
    .runs?.[0];
  return {
    fault: `dead endpoint (${kind}): collect, timeout 2s, retries 2`,
    status: run?.status,
    'run s': ((run?.duration_ms ?? 0) / 1000).toFixed(1),
    'collect s': seconds.toFixed(1),
  };
}

/** Every measurement, one row each. */
export async function runFaultsBench(): Promise<Array<Record<string, unknown>>> {
  const directory = mkdtempSync(join(tmpdir(), 'optiinfra-faults-bench-'));
  try {
    return [
      await databaseDownAtStart(directory),
      await awsWithAFailingRegion(),
      await deadEndpoint(directory, 'refused'),
      await deadEndpoint(directory, 'silent'),
    ];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await runFaultsBench()) console.log(JSON.stringify(row));
}
