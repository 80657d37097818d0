// Benchmark: one scrape cycle of our scrape source over 1,000 simulated 8-GPU DCGM hosts into SQLite (wall
// time, CPU seconds per million samples stored, peak RSS) through the product's path (config loader, registry,
// runProvider with its batching emitter, the SQLite sink), and side by side, when the `prometheus` binary exists,
// Prometheus itself scraping the same hosts (its CPU from /proc/<pid>/stat per million samples appended, from its
// own prometheus_tsdb_head_samples_appended_total).
// Run: `npx node bench/scrape-cycle.bench.ts` (env BENCH_HOSTS, BENCH_SERVERS, BENCH_STEADY_BATCHES,
// BENCH_CYCLES_PER_BATCH, BENCH_SKIP_PROMETHEUS=1; BENCH_NO_TUNING=1 runs our cycles without the product's runtime
// settings).
// The hosts are served by child processes (BENCH_SERVERS of them, `/hosts/<n>/metrics`), so their CPU is not ours.
// Their clock is manual: before each of our cycles it moves on by 1-3 ticks, so counters advance by varying
// amounts and gauges move, as on a live fleet (static pages would make every rate 0 and every gauge a repeat), for
// Prometheus too. Each tick's pages are rendered before the cycle that reads them.
// Our cycles run in a child process started as `run` and `collect` start (bin/runtime-tuning.js: V8 flags and
// environment), so its CPU and peak RSS are the product's, not this harness's.
// Prometheus starts after our second cycle and scrapes on (every PROM_INTERVAL_SECONDS) while our steady cycles run
// in batches of CYCLES_PER_BATCH; each batch is paired with Prometheus's CPU and samples over the same seconds,
// and the ratio is the median of the per-batch ratios: the load on the shared machine changes by the second, so
// the two sides of a ratio are measured at once. A batch, not a cycle, because a cycle's CPU depends on whether a
// major GC fell in it; a batch spreads that over several.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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
const PROM_INTERVAL_SECONDS = 5;
/** Steady cycles before the measured ones: our cycles get cheaper over the first few (JIT), Prometheus's too. */
const WARMUP_CYCLES = 4;
const STEADY_BATCHES = Number(process.env.BENCH_STEADY_BATCHES ?? 6);
/**
 * Our cycles run in this many child processes in turn, STEADY_BATCHES / OURS_PROCESSES batches each: a process's
 * CPU per sample stays a few per cent above or below another's for its whole life (JIT, GC pacing), so one process
 * per run made runs disagree by more than the batches within one.
 */
const OURS_PROCESSES = 3;
/** Even: a major GC falls in every second or third cycle, so a batch of 6 holds whole periods of it. */
const CYCLES_PER_BATCH = Number(process.env.BENCH_CYCLES_PER_BATCH ?? 6);
const GOALS = { wallSeconds: 10, rssMb: 300 };
/** Ticks the hosts' clock moves on by at each step, in turn: unequal steps, so rates differ cycle to cycle. */
const TICK_STEPS = [2, 3, 1];
/** The counters we store as per-second rates, and a gauge every GPU's load moves (its `hw.gpu.task=general` series). */
const RATE_NAMES = DCGM_RULES.filter((rule) => rule.kind === 'rate').map((rule) => rule.name);
const NVLINK_RATE = 'hw.gpu.nvlink.io.rate';
const MOVING_GAUGE = 'hw.gpu.utilization';

interface HostServer {
  child: ChildProcess;
  url: string;
  /** Control endpoint: `GET <control>?tick=N` sets the tick and answers once that tick's pages are rendered. */
  control: string;
  hosts: number;
  offset: number;
}

/** Child mode: serve `hosts` DCGM hosts (host indices from `offset`); prints its URL and control URL when warm. */
async function serve(hosts: number, offset: number): Promise<void> {
  const host = await startExporterHost({
    clock: 'manual',
    hosts: offset + hosts,
    hostPages: { dcgm: { gpus: 8 } },
    pages: {},
  });
  // Render every page of the tick (the cache keeps it for the tick) so a cycle measures scraping, not rendering;
  // gzip only: we and Prometheus both ask for it.
  const render = async (): Promise<void> => {
    const headers = { accept: SCRAPE_ACCEPT, 'accept-encoding': 'gzip' };
    for (let index = offset; index < offset + hosts; index += 1) {
      await (await fetch(`${host.url}/hosts/${index}/metrics`, { headers })).arrayBuffer();
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
     WHERE s.name = ? AND p.ts_ms >= ? AND json_extract(s.labels, '$."hw.gpu.task"') IS 'general'`,
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

/** One of our cycles as the child reports it. */
interface CycleReport {
  row: Record<string, unknown>;
  stored: { points: number; rates: Array<[string, { points: number; positive: number }]>; gauge: Stored['gauge'] };
  cpuSeconds: number;
  wallSeconds: number;
}

/** What the child reports at the end: the first two cycles' rows, its peak RSS, and notes. */
interface OursSummary {
  rows: Array<Record<string, unknown>>;
  rssMb: number;
  notes: string[];
}

/**
 * Child mode: our scrape source into SQLite as `run` does it, one cycle per `cycle` line on stdin, one JSON line
 * per cycle on stdout; `finish` checks the steady cycles and prints the summary. A first cycle creates every gauge
 * series (a first scrape has no rates), a second creates the rate series (2 per GPU), then the steady-state cycles,
 * the ones compared with Prometheus. CPU is divided by the points the sink stored in the cycle (counted in the
 * database), not by the lines on the pages: a quarter of those are fields the metric set skips, and rates are
 * stored from the second scrape on.
 */
async function ourCycles(targets: string[]): Promise<void> {
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
  const notes: string[] = [];
  const reports: CycleReport[] = [];
  let previousStartMs: number | undefined;
  const cycle = async (): Promise<CycleReport> => {
    const index = reports.length;
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
    const label = index === 0 ? 'first cycle (new series)' : 'second cycle (rate series appear)';
    const report: CycleReport = {
      row: {
        system: `optiinfra scrape -> SQLite, ${index < 2 ? label : 'steady state'}`,
        hosts: targets.length,
        'lines on pages': linesPerPage * targets.length,
        'samples stored': stored.points,
        'wall s': round(wallSeconds),
        'CPU s': round(cpuSeconds),
        'CPU s / M samples': round((cpuSeconds / stored.points) * 1e6),
        'peak RSS MB': rssMb,
        goal: goal(wallSeconds, rssMb),
      },
      stored: { points: stored.points, rates: [...stored.rates], gauge: stored.gauge },
      cpuSeconds,
      wallSeconds,
    };
    reports.push(report);
    return report;
  };
  const finish = (): OursSummary => {
    const steady = reports.slice(2 + WARMUP_CYCLES).map(storedOf);
    // Steady state means moving pages: every NVLink rate positive, and most GPUs' utilization changed.
    const total: Stored = { points: 0, rates: new Map(), gauge: { points: 0, moved: 0 } };
    for (const [index, stored] of steady.entries()) {
      const nvlink = stored.rates.get(NVLINK_RATE);
      if (nvlink === undefined || nvlink.points !== targets.length * 8 || nvlink.positive !== nvlink.points) {
        throw new Error(`steady cycle ${index + 1}: expected every ${NVLINK_RATE} point > 0; ${describeRates(stored)}`);
      }
      if (stored.gauge.points === 0 || stored.gauge.moved < stored.gauge.points / 2) {
        const { moved, points } = stored.gauge;
        throw new Error(`steady cycle ${index + 1}: ${MOVING_GAUGE} moved on ${moved}/${points}`);
      }
      for (const [name, entry] of stored.rates) {
        const sum = total.rates.get(name) ?? { points: 0, positive: 0 };
        total.rates.set(name, { points: sum.points + entry.points, positive: sum.positive + entry.positive });
      }
      total.gauge.points += stored.gauge.points;
      total.gauge.moved += stored.gauge.moved;
    }
    notes.push(
      `stored over the ${steady.length} steady cycles: rates ${describeRates(total)} (the simulated PCIe replay ` +
        `counter stays 0, as on a healthy GPU); ${MOVING_GAUGE} moved since the cycle before on ` +
        `${total.gauge.moved}/${total.gauge.points} GPU-cycles.`,
    );
    // Peak RSS is the process's peak so far: reported as of the last cycle.
    const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    return { rows: reports.slice(0, 2).map((report) => report.row), rssMb, notes };
  };
  try {
    for await (const line of createInterface({ input: process.stdin })) {
      if (line === 'cycle') process.stdout.write(`${JSON.stringify(await cycle())}\n`);
      else if (line === 'finish') {
        process.stdout.write(`${JSON.stringify(finish())}\n`);
        break;
      }
    }
  } finally {
    await runtime.source.shutdown();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function storedOf(report: CycleReport): Stored {
  return { points: report.stored.points, rates: new Map(report.stored.rates), gauge: report.stored.gauge };
}

/** The child running our cycles: `cycle()` runs one and returns its report, `finish()` the summary. */
interface OursChild {
  cycle(): Promise<CycleReport>;
  finish(): Promise<OursSummary>;
  kill(): void;
}

/** Starts ourCycles in a child process with the product's runtime settings; JSON lines come back on stdout. */
async function startOurs(targets: string[], dir: string): Promise<OursChild> {
  const file = join(dir, 'targets.json');
  writeFileSync(file, JSON.stringify(targets));
  const tuned = process.env.BENCH_NO_TUNING !== '1';
  const args = [...(tuned ? SERVICE_V8_FLAGS : []), fileURLToPath(import.meta.url), '--ours', file];
  const env = { ...process.env, ...(tuned ? SERVICE_ENV : {}) };
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], env });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  // 'close' comes after the child's last output, so a last line is read before this rejects.
  const exited = new Promise<never>((_, reject) =>
    child.once('close', (code) => reject(new Error(`bench child exited with ${code}`))),
  );
  exited.catch(() => undefined);
  const ask = async <T>(command: string): Promise<T> => {
    child.stdin.write(`${command}\n`);
    const next = await Promise.race([lines.next(), exited]);
    if (next.done === true) throw new Error('bench child closed its output');
    return JSON.parse(next.value) as T;
  };
  return {
    cycle: () => ask<CycleReport>('cycle'),
    finish: async () => {
      const result = await ask<OursSummary>('finish');
      if (!tuned) result.notes.push('BENCH_NO_TUNING=1: our cycles ran without the product runtime settings.');
      return result;
    },
    kill: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
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

/** Prometheus scraping the same hosts. */
interface ScrapingPrometheus {
  /** Starts counting; the function returned gives its CPU seconds and samples appended since. */
  window(): Promise<() => Promise<{ cpuSeconds: number; samples: number }>>;
  /** Its row inputs at the end: peak RSS, and a note on the rates it saw. */
  summary(): Promise<{ rssMb: number; note: string }>;
  stop(): Promise<void>;
}

async function startScrapingPrometheus(servers: HostServer[]): Promise<ScrapingPrometheus | string> {
  const binary = findBinary('prometheus');
  if (!binary) return 'binary not found: apt-get install -y prometheus';
  const jobs = servers.map((server, index) => ({
    job: `hosts${index}`,
    targets: [] as string[],
    groups: Array.from({ length: server.hosts }, (_, host) => ({
      targets: [new URL(server.url).host],
      labels: { __metrics_path__: `/hosts/${server.offset + host}/metrics`, host: String(server.offset + host) },
    })),
  }));
  const prometheus = await startPrometheus(binary, jobs, PROM_INTERVAL_SECONDS);
  const pid = prometheus.child.pid!;
  const everyHostUp = async (): Promise<true | undefined> =>
    (await promQuery(prometheus.url, 'count(up == 1)'))[0]?.value[1] === String(HOSTS) ? true : undefined;
  try {
    await waitFor('Prometheus to scrape every host', everyHostUp, 60_000, prometheus.log);
  } catch (error) {
    await prometheus.stop();
    throw error;
  }
  let started = 0;
  return {
    window: async () => {
      started ||= Date.now();
      const samplesStart = await appended(prometheus.url);
      const cpuStart = cpuSecondsOf(pid);
      return async () => {
        const cpuSeconds = cpuSecondsOf(pid) - cpuStart;
        return { cpuSeconds, samples: (await appended(prometheus.url)) - samplesStart };
      };
    },
    summary: async () => {
      const rssKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
      // Over every window, and the cycles between them.
      const range = `${Math.ceil((Date.now() - started) / 1000) + PROM_INTERVAL_SECONDS}s`;
      const positive = await promQuery(prometheus.url, `count(rate(DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL[${range}]) > 0)`);
      const moved = await promQuery(prometheus.url, `count(changes(DCGM_FI_DEV_GPU_UTIL[${range}]) > 0)`);
      return {
        rssMb: Math.round(rssKb / 1024),
        note:
          `prometheus over the run: NVLink counter rate > 0 on ${positive[0]?.value[1] ?? 0} series, ` +
          `DCGM_FI_DEV_GPU_UTIL changed on ${moved[0]?.value[1] ?? 0} (of ${HOSTS * 8} GPUs).`,
      };
    },
    stop: () => prometheus.stop(),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs the benchmark and returns its table rows and notes. */
export async function runScrapeCycleBench(): Promise<{ results: Array<Record<string, unknown>>; notes: string[] }> {
  const servers = await startServers();
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-bench-targets-'));
  const controls = servers.map((server) => server.control);
  let tick = 0;
  let step = 0;
  const advance = async (): Promise<void> => {
    tick += TICK_STEPS[step++ % TICK_STEPS.length]!;
    await setTick(controls, tick);
  };
  let prometheus: ScrapingPrometheus | string | undefined;
  let ours: OursChild | undefined;
  try {
    const batches: Array<{ cycles: CycleReport[]; theirs?: { cpuSeconds: number; samples: number } }> = [];
    const summaries: OursSummary[] = [];
    for (let child = 0; child < OURS_PROCESSES; child++) {
      ours = await startOurs(targetsOf(servers), dir);
      await ours.cycle();
      await advance();
      await ours.cycle();
      // Started now, so that the first cycles' wall time (a goal) is ours alone.
      if (child === 0 && process.env.BENCH_SKIP_PROMETHEUS !== '1') {
        prometheus = await startScrapingPrometheus(servers);
      }
      for (let cycle = 0; cycle < WARMUP_CYCLES; cycle++) {
        await advance();
        await ours.cycle();
      }
      for (let batch = 0; batch < STEADY_BATCHES / OURS_PROCESSES; batch++) {
        const theirs = typeof prometheus === 'object' ? await prometheus.window() : undefined;
        const cycles: CycleReport[] = [];
        for (let cycle = 0; cycle < CYCLES_PER_BATCH; cycle++) {
          await advance();
          cycles.push(await ours.cycle());
        }
        batches.push({ cycles, ...(theirs ? { theirs: await theirs() } : {}) });
      }
      summaries.push(await ours.finish());
      ours.kill();
    }
    // The first child's first cycles (Prometheus not started yet); the peak RSS of any. Every child checked its
    // steady cycles' rates and gauges; the first one's counts are printed.
    const { rows, notes } = summaries[0]!;
    const rssMb = Math.max(...summaries.map((summary) => summary.rssMb));
    const perMillion = (cpuSeconds: number, samples: number): number => (cpuSeconds / samples) * 1e6;
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
    const oursPerMillion = batches.map(({ cycles }) =>
      perMillion(sum(cycles.map((cycle) => cycle.cpuSeconds)), sum(cycles.map((cycle) => cycle.stored.points))),
    );
    const cycles = batches.flatMap((batch) => batch.cycles);
    const cpuPerCycle = batches.map(({ cycles }) => sum(cycles.map((cycle) => cycle.cpuSeconds)) / cycles.length);
    const wallSeconds = median(cycles.map((cycle) => cycle.wallSeconds));
    const label = `${STEADY_BATCHES} batches of ${CYCLES_PER_BATCH} cycles in ${OURS_PROCESSES} processes`;
    rows.push({
      ...cycles[0]!.row,
      system: `optiinfra scrape -> SQLite, steady state (median of ${label})`,
      'samples stored': median(cycles.map((cycle) => cycle.stored.points)),
      'wall s': round(wallSeconds),
      'CPU s': round(median(cpuPerCycle)),
      'CPU s / M samples': round(median(oursPerMillion)),
      'peak RSS MB': rssMb,
      goal: goal(wallSeconds, rssMb),
    });
    if (typeof prometheus === 'string') rows.push({ system: 'prometheus', note: prometheus });
    if (typeof prometheus === 'object') {
      const windows = batches.map((batch) => batch.theirs!);
      const theirsPerMillion = windows.map((window) => perMillion(window.cpuSeconds, window.samples));
      const { rssMb: theirRssMb, note } = await prometheus.summary();
      rows.push({
        system: `prometheus (${PROM_INTERVAL_SECONDS} s interval), over the same ${STEADY_BATCHES} batches`,
        hosts: HOSTS,
        'samples stored': Math.round(median(windows.map((window) => window.samples))),
        'CPU s': round(median(windows.map((window) => window.cpuSeconds))),
        'CPU s / M samples': round(median(theirsPerMillion)),
        'peak RSS MB': theirRssMb,
      });
      const ratios = oursPerMillion.map((ours, index) => ours / theirsPerMillion[index]!);
      rows.push({
        system: 'ratio ours / prometheus (CPU per stored sample, goal <= 1)',
        'CPU s / M samples': round(median(ratios)),
      });
      notes.push(
        `ours / prometheus per batch (Prometheus scraping meanwhile; its samples and CPU over the batch's seconds): ` +
          `${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}; the ratio row is their median. Rows per batch ` +
          'and per cycle are medians too.',
        note,
      );
    }
    return { results: rows, notes };
  } finally {
    ours?.kill();
    if (typeof prometheus === 'object') await prometheus.stop();
    for (const server of servers) server.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  await serve(Number(process.argv[3]), Number(process.argv[4]));
} else if (process.argv[2] === '--ours') {
  await ourCycles(JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as string[]);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { results, notes } = await runScrapeCycleBench();
  console.table(results);
  for (const note of notes) console.log(`  ${note}`);
}
