// Benchmark: one scrape cycle of our scrape source over 1,000 simulated 8-GPU DCGM hosts into SQLite (wall
// time, CPU seconds per million samples stored, peak RSS) through the product's path (config loader, registry,
// runProvider with its batching emitter, the SQLite sink), and side by side, when the `prometheus` binary exists,
// Prometheus itself scraping the same hosts for a fixed time (its CPU from /proc/<pid>/stat per million
// samples appended, from its own prometheus_tsdb_head_samples_appended_total).
// Run: `npx node bench/scrape-cycle.bench.ts` (env BENCH_HOSTS, BENCH_SERVERS, BENCH_PROM_SECONDS,
// BENCH_STEADY_CYCLES; BENCH_NO_TUNING=1 runs our cycles without the product's runtime settings).
// The hosts are served by child processes (BENCH_SERVERS of them, `/hosts/<n>/metrics`), so their CPU is not ours.
// Their clock is manual: before each of our cycles, and every scrape interval of Prometheus's, it moves on by
// 1-3 ticks, so counters advance by varying amounts and gauges move, as on a live fleet (static pages would
// make every rate 0 and every gauge a repeat). Each tick's pages are rendered before the cycle that reads them.
// Our cycles run in a child process started as `run` and `collect` start (bin/runtime-tuning.js: V8 flags and
// environment), so its CPU and peak RSS are the product's, not this harness's.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { loadConfigText } from '../src/core/config/load.ts';
import { silentLogger } from '../src/core/log.ts';
import { buildSource } from '../src/runtime/build-source.ts';
import { createProviderRuntime, runProvider } from '../src/runtime/run-provider.ts';
import { openSink } from '../src/sinks/open.ts';
import { startExporterHost } from '../src/simulator/exporter-host/server.ts';
import { defaultRegistry } from '../src/sources/index.ts';
import { DCGM_RULES } from '../src/sources/_common/metric-sets/dcgm.ts';
import { parseExposition } from '../src/sources/_common/prometheus-text/index.ts';
import { SCRAPE_ACCEPT } from '../src/sources/scrape/client.ts';
import { findBinary, promQuery, startPrometheus, waitFor } from '../test/integration/helpers/real-prometheus.ts';
import { SERVICE_ENV, SERVICE_V8_FLAGS } from '../bin/runtime-tuning.js';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000);
const SERVERS = Number(process.env.BENCH_SERVERS ?? 2);
const PROM_SECONDS = Number(process.env.BENCH_PROM_SECONDS ?? 20);
const PROM_INTERVAL_SECONDS = 5;
const STEADY_CYCLES = Number(process.env.BENCH_STEADY_CYCLES ?? 5);
const GOALS = { wallSeconds: 10, rssMb: 300 };
/** Ticks the hosts' clock moves on by before each cycle, in turn: unequal steps, so rates differ cycle to cycle. */
const TICK_STEPS = [2, 3, 1];
/** The hosts' tick during each of our cycles: 0 for the first, then moving on by TICK_STEPS. */
const CYCLE_TICKS = Array.from({ length: 2 + STEADY_CYCLES }, (_, cycle) =>
  Array.from({ length: cycle }, (_, step) => TICK_STEPS[step % TICK_STEPS.length]!).reduce((a, b) => a + b, 0),
);
/** The counters we store as per-second rates, and a gauge every GPU's load moves. */
const RATE_NAMES = DCGM_RULES.filter((rule) => rule.kind === 'rate').map((rule) => rule.name);
const NVLINK_RATE = 'hw.gpu.nvlink.io';
const MOVING_GAUGE = 'hw.gpu.utilization';

interface HostServer {
  child: ChildProcess;
  url: string;
  /** Control endpoint: `GET <control>?tick=N` sets the tick and answers once that tick's pages are rendered. */
  control: string;
  hosts: number;
  offset: number;
}

/** What the child running our cycles needs: the targets, and the servers' control endpoints. */
interface Fleet {
  targets: string[];
  controls: string[];
}

/** Child mode: serve `hosts` DCGM hosts (host indices from `offset`); prints its URL and control URL when warm. */
async function serve(hosts: number, offset: number): Promise<void> {
  const host = await startExporterHost({
    clock: 'manual',
    hosts: offset + hosts,
    hostPages: { dcgm: { gpus: 8 } },
    pages: {},
  });
  // Render every page of the tick (the cache keeps it for the tick) so a cycle measures scraping, not rendering.
  const render = async (): Promise<void> => {
    for (let index = offset; index < offset + hosts; index += 1) {
      for (const encoding of ['gzip', 'identity']) {
        const headers = { accept: SCRAPE_ACCEPT, 'accept-encoding': encoding };
        await (await fetch(`${host.url}/hosts/${index}/metrics`, { headers })).arrayBuffer();
      }
    }
  };
  await render();
  const control = createServer((request, response) => {
    const tick = Number(new URL(request.url ?? '/', 'http://control').searchParams.get('tick') ?? NaN);
    if (!Number.isInteger(tick)) {
      response.statusCode = 400;
      response.end('tick=<integer> required\n');
      return;
    }
    host.setTick(tick);
    render().then(
      () => response.end(`${host.tick()}\n`),
      (error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const address = control.address();
  if (address === null || typeof address === 'string') throw new Error('control server has no port');
  process.stdout.write(`${host.url} http://127.0.0.1:${address.port}/tick\n`);
  process.on('SIGTERM', () => {
    control.close();
    void host.close().then(() => process.exit(0));
  });
}

async function startServers(): Promise<HostServer[]> {
  const perServer = Math.ceil(HOSTS / SERVERS);
  const self = fileURLToPath(import.meta.url);
  return Promise.all(
    Array.from(
      { length: SERVERS },
      (_, index) =>
        new Promise<HostServer>((resolve, reject) => {
          const offset = index * perServer;
          const hosts = Math.min(perServer, HOSTS - offset);
          const args = [self, '--serve', String(hosts), String(offset)];
          const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
          child.once('error', reject);
          child.stdout?.once('data', (chunk: Buffer) => {
            const [url = '', control = ''] = chunk.toString('utf8').trim().split(' ');
            resolve({ child, url, control, hosts, offset });
          });
        }),
    ),
  );
}

/** Moves every server's clock to `tick` and waits until its pages for that tick are rendered. */
async function setTick(controls: string[], tick: number): Promise<void> {
  await Promise.all(
    controls.map(async (control) => {
      const response = await fetch(`${control}?tick=${tick}`);
      if (!response.ok) throw new Error(`tick ${tick} on ${control}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    }),
  );
}

function targetsOf(servers: HostServer[]): string[] {
  return servers.flatMap((server) =>
    Array.from({ length: server.hosts }, (_, index) => `${server.url}/hosts/${server.offset + index}/metrics`),
  );
}

/** What the sink stored in one cycle (read back through a second connection, outside the timing). */
interface Stored {
  points: number;
  /** Per rate series name: points stored, and how many are > 0. */
  rates: Map<string, { points: number; positive: number }>;
  /** MOVING_GAUGE points, and how many differ from the same series' point of the previous cycle. */
  gauge: { points: number; moved: number };
}

function storedReader(path: string): (sinceMs: number, previousSinceMs: number | undefined) => Stored {
  const db = new DatabaseSync(path, { readOnly: true });
  const count = db.prepare('SELECT count(*) AS n FROM metric_points');
  const rates = db.prepare(
    `SELECT s.name AS name, count(*) AS points, coalesce(sum(p.value > 0), 0) AS positive
     FROM metric_points p JOIN metric_series s USING (series_id)
     WHERE p.ts_ms >= ? AND s.name IN (${RATE_NAMES.map(() => '?').join(', ')}) GROUP BY s.name`,
  );
  const gauge = db.prepare(
    `SELECT count(*) AS points, coalesce(sum(p.value IS NOT q.value), 0) AS moved
     FROM metric_points p JOIN metric_series s USING (series_id)
     JOIN metric_points q ON q.series_id = p.series_id AND q.ts_ms >= ? AND q.ts_ms < ?
     WHERE s.name = ? AND p.ts_ms >= ?`,
  );
  let total = 0;
  return (sinceMs, previousSinceMs) => {
    const now = Number((count.get() as { n: number }).n);
    const points = now - total;
    total = now;
    const rows = rates.all(sinceMs, ...RATE_NAMES) as Array<{ name: string; points: number; positive: number }>;
    const moved =
      previousSinceMs === undefined
        ? { points: 0, moved: 0 }
        : (gauge.get(previousSinceMs, sinceMs, MOVING_GAUGE, sinceMs) as { points: number; moved: number });
    return {
      points,
      rates: new Map(rows.map((row) => [row.name, { points: Number(row.points), positive: Number(row.positive) }])),
      gauge: { points: Number(moved.points), moved: Number(moved.moved) },
    };
  };
}

/** One cycle's rates as text: `name > 0: positive/points`. */
function describeRates(stored: Stored): string {
  return RATE_NAMES.map((name) => {
    const entry = stored.rates.get(name) ?? { points: 0, positive: 0 };
    return `${name} > 0: ${entry.positive}/${entry.points}`;
  }).join(', ');
}

/**
 * Our scrape source into SQLite as `run` does it: a first cycle (creates every gauge series; a first scrape has no
 * rates), a second (creates the rate series: 2 per GPU), then STEADY_CYCLES steady-state cycles reported by their
 * median CPU (the machine is shared: one cycle is a noisy figure), the one compared with Prometheus. CPU is divided
 * by the points the sink stored in the cycle (counted in the database), not by the lines on the pages: a quarter
 * of those are fields the metric set skips, and rates are stored from the second scrape on.
 */
async function ourCycles(fleet: Fleet): Promise<{ rows: Array<Record<string, unknown>>; notes: string[] }> {
  const { targets, controls } = fleet;
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-bench-'));
  const dbPath = join(dir, 'bench.db');
  const registry = defaultRegistry();
  const yaml = [
    'storage:',
    `  url: sqlite:${dbPath}`,
    'providers:',
    '  bench:',
    '    enabled: true',
    '    collector_type: generic',
    '    dcgm: true',
    '    scrape_targets:',
    ...targets.map((target) => `      - ${target}`),
    '',
  ].join('\n');
  const loaded = loadConfigText(yaml, registry, {});
  const config = loaded.config?.providers.bench;
  if (!loaded.config || !config) throw new Error(`bench configuration invalid: ${JSON.stringify(loaded.problems)}`);
  const sink = await openSink(loaded.config.storage.url);
  const runtime = createProviderRuntime(config, buildSource(config, registry));
  // The lines on the pages (what Prometheus appends), from one page, measured outside the timing.
  const page = await (await fetch(targets[0]!)).text();
  const linesPerPage = page.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  const readStored = storedReader(dbPath);
  const rows: Array<Record<string, unknown>> = [];
  const notes: string[] = [];
  try {
    const steady: Array<{ row: Record<string, unknown>; stored: Stored }> = [];
    const labels = [
      'first cycle (new series)',
      'second cycle (rate series appear)',
      ...Array.from({ length: STEADY_CYCLES }, () => `steady state (median of ${STEADY_CYCLES} cycles)`),
    ];
    let previousStartMs: number | undefined;
    for (const [index, label] of labels.entries()) {
      if (index > 0) await setTick(controls, CYCLE_TICKS[index]!);
      const startMs = Date.now();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const summary = await runProvider(runtime, { sink, log: silentLogger() });
      const wallSeconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      if (summary.status !== 'ok') {
        throw new Error(`bench run ${summary.status}: ${JSON.stringify(summary.errors.slice(0, 3))}`);
      }
      const stored = readStored(startMs, previousStartMs);
      previousStartMs = startMs;
      if (stored.points !== summary.metrics) {
        notes.push(`cycle ${index + 1}: the run counted ${summary.metrics} samples, the sink got ${stored.points}`);
      }
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      const row = {
        system: `optiinfra scrape -> SQLite, ${label}`,
        hosts: targets.length,
        'lines on pages': linesPerPage * targets.length,
        'samples stored': stored.points,
        'wall s': round(wallSeconds),
        'CPU s': round(cpuSeconds),
        'CPU s / M samples': round((cpuSeconds / stored.points) * 1e6),
        'peak RSS MB': rssMb,
        goal: goal(wallSeconds, rssMb),
      };
      if (index < 2) rows.push(row);
      else steady.push({ row, stored });
    }
    // Steady state means moving pages: every NVLink rate positive, and most GPUs' utilization changed.
    for (const [index, { stored }] of steady.entries()) {
      const nvlink = stored.rates.get(NVLINK_RATE);
      if (nvlink === undefined || nvlink.points !== targets.length * 8 || nvlink.positive !== nvlink.points) {
        throw new Error(`steady cycle ${index + 1}: expected every ${NVLINK_RATE} point > 0; ${describeRates(stored)}`);
      }
      if (stored.gauge.points === 0 || stored.gauge.moved < stored.gauge.points / 2) {
        const { moved, points } = stored.gauge;
        throw new Error(`steady cycle ${index + 1}: ${MOVING_GAUGE} moved on ${moved}/${points}`);
      }
    }
    steady.sort((a, b) => Number(a.row['CPU s']) - Number(b.row['CPU s']));
    const median = steady[Math.floor(steady.length / 2)]!;
    // Peak RSS is the process's peak so far: reported as of the last cycle.
    const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    rows.push({ ...median.row, 'peak RSS MB': rssMb, goal: goal(Number(median.row['wall s']), rssMb) });
    notes.push(
      `steady state (median cycle): stored rates ${describeRates(median.stored)} ` +
        '(the simulated PCIe replay counter stays 0, as on a healthy GPU); ' +
        `${MOVING_GAUGE} moved on ${median.stored.gauge.moved}/${median.stored.gauge.points} GPUs since the cycle ` +
        'before.',
    );
    return { rows, notes };
  } finally {
    await runtime.source.shutdown();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function goal(wallSeconds: number, rssMb: number): string {
  const met = wallSeconds < GOALS.wallSeconds && rssMb < GOALS.rssMb;
  return `< ${GOALS.wallSeconds} s, < ${GOALS.rssMb} MB: ${met ? 'met' : 'MISSED'}`;
}

function cpuSecondsOf(pid: number): number {
  // /proc/<pid>/stat fields 14 and 15 (utime, stime) in clock ticks; the name field may hold spaces: split after ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function appended(url: string): Promise<number> {
  // Prometheus does not scrape itself unless configured to: read its own /metrics page.
  let total = 0;
  const text = await (await fetch(`${url}/metrics`)).text();
  const wantName = (name: string): boolean => name === 'prometheus_tsdb_head_samples_appended_total';
  parseExposition(text, (sample) => (total += sample.value), { wantName });
  return total;
}

/**
 * Prometheus scraping the same hosts for PROM_SECONDS, the hosts' clock moving on every scrape interval: CPU per
 * million samples appended. Returns its row and a note on the rates it saw.
 */
async function prometheusCycle(
  servers: HostServer[],
  firstTick: number,
): Promise<{ row: Record<string, unknown>; note?: string }> {
  const binary = findBinary('prometheus');
  if (!binary) return { row: { system: 'prometheus', note: 'binary not found: apt-get install -y prometheus' } };
  const jobs = servers.map((server, index) => ({
    job: `hosts${index}`,
    targets: [] as string[],
    groups: Array.from({ length: server.hosts }, (_, host) => ({
      targets: [new URL(server.url).host],
      labels: { __metrics_path__: `/hosts/${server.offset + host}/metrics`, host: String(server.offset + host) },
    })),
  }));
  const controls = servers.map((server) => server.control);
  let tick = firstTick;
  let step = 0;
  let ticking = Promise.resolve();
  const timer = setInterval(() => {
    tick += TICK_STEPS[step++ % TICK_STEPS.length]!;
    const next = tick;
    ticking = ticking.then(() => setTick(controls, next));
  }, PROM_INTERVAL_SECONDS * 1000);
  const prometheus = await startPrometheus(binary, jobs, PROM_INTERVAL_SECONDS);
  try {
    const pid = prometheus.child.pid!;
    const everyHostUp = async (): Promise<true | undefined> =>
      (await promQuery(prometheus.url, 'count(up == 1)'))[0]?.value[1] === String(HOSTS) ? true : undefined;
    await waitFor('Prometheus to scrape every host', everyHostUp, 60_000, prometheus.log);
    const cpuStart = cpuSecondsOf(pid);
    const samplesStart = await appended(prometheus.url);
    await new Promise((resolve) => setTimeout(resolve, PROM_SECONDS * 1000));
    const cpuSeconds = cpuSecondsOf(pid) - cpuStart;
    const samples = (await appended(prometheus.url)) - samplesStart;
    const rssKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
    const window = `${PROM_SECONDS}s`;
    const positive = await promQuery(prometheus.url, `count(rate(DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL[${window}]) > 0)`);
    const moved = await promQuery(prometheus.url, `count(changes(DCGM_FI_DEV_GPU_UTIL[${window}]) > 0)`);
    return {
      row: {
        system: `prometheus (${PROM_SECONDS} s, ${PROM_INTERVAL_SECONDS} s interval)`,
        hosts: HOSTS,
        'samples stored': samples,
        'CPU s': round(cpuSeconds),
        'CPU s / M samples': round((cpuSeconds / samples) * 1e6),
        'peak RSS MB': Math.round(rssKb / 1024),
      },
      note:
        `prometheus over its last ${window}: NVLink counter rate > 0 on ${positive[0]?.value[1] ?? 0} series, ` +
        `DCGM_FI_DEV_GPU_UTIL changed on ${moved[0]?.value[1] ?? 0} (of ${HOSTS * 8} GPUs).`,
    };
  } finally {
    clearInterval(timer);
    await ticking.catch(() => undefined);
    await prometheus.stop();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** ourCycles in a child process with the product's runtime settings; its rows come back as JSON on stdout. */
async function ourCyclesTuned(fleet: Fleet): Promise<{ rows: Array<Record<string, unknown>>; notes: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-bench-targets-'));
  const file = join(dir, 'fleet.json');
  writeFileSync(file, JSON.stringify(fleet));
  const tuned = process.env.BENCH_NO_TUNING !== '1';
  try {
    const args = [...(tuned ? SERVICE_V8_FLAGS : []), fileURLToPath(import.meta.url), '--ours', file];
    const env = { ...process.env, ...(tuned ? SERVICE_ENV : {}) };
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve, reject) =>
      child.once('error', reject).once('exit', resolve),
    );
    if (code !== 0) throw new Error(`bench child exited with ${code}`);
    const result = JSON.parse(output) as { rows: Array<Record<string, unknown>>; notes: string[] };
    if (!tuned) result.notes.push('BENCH_NO_TUNING=1: our cycles ran without the product runtime settings.');
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark and returns its table rows and notes. */
export async function runScrapeCycleBench(): Promise<{ results: Array<Record<string, unknown>>; notes: string[] }> {
  const servers = await startServers();
  try {
    const fleet = { targets: targetsOf(servers), controls: servers.map((server) => server.control) };
    const { rows, notes } = await ourCyclesTuned(fleet);
    // The steady-state cycle is what Prometheus does every interval: compare that one, and only with a measured peer.
    const ours = rows.at(-1);
    const skip = process.env.BENCH_SKIP_PROMETHEUS === '1';
    const theirs = skip ? undefined : await prometheusCycle(servers, CYCLE_TICKS.at(-1)!);
    if (theirs) {
      rows.push(theirs.row);
      if (theirs.note !== undefined) notes.push(theirs.note);
    }
    const oursPerSample = ours?.['CPU s / M samples'];
    const theirsPerSample = theirs?.row['CPU s / M samples'];
    if (typeof oursPerSample === 'number' && typeof theirsPerSample === 'number') {
      rows.push({
        system: 'ratio ours / prometheus (CPU per stored sample, goal <= 1)',
        'CPU s / M samples': round(oursPerSample / theirsPerSample),
      });
    }
    return { results: rows, notes };
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
  }
}

if (process.argv[2] === '--serve') {
  await serve(Number(process.argv[3]), Number(process.argv[4]));
} else if (process.argv[2] === '--ours') {
  process.stdout.write(JSON.stringify(await ourCycles(JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as Fleet)));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { results, notes } = await runScrapeCycleBench();
  console.table(results);
  for (const note of notes) console.log(`  ${note}`);
}
