// Benchmark: one scrape cycle of our scrape source over 1,000 simulated 8-GPU DCGM hosts into SQLite (wall
// time, CPU seconds per million samples, peak RSS) through the product's path (config loader, registry,
// runProvider with its batching emitter, the SQLite sink), and side by side, when the `prometheus` binary exists,
// Prometheus itself scraping the same hosts for a fixed time (its CPU from /proc/<pid>/stat per million
// samples appended, from its own prometheus_tsdb_head_samples_appended_total).
// Run: `npx node bench/scrape-cycle.bench.ts` (env BENCH_HOSTS, BENCH_SERVERS, BENCH_PROM_SECONDS).
// The hosts are served by child processes (BENCH_SERVERS of them, `/hosts/<n>/metrics`), so their CPU is not ours.
// Our cycles run in a child process started as `run` and `collect` start (bin/runtime-tuning.js: V8 flags and
// environment), so its CPU and peak RSS are the product's, not this harness's.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigText } from '../src/core/config/load.ts';
import { silentLogger } from '../src/core/log.ts';
import { buildSource } from '../src/runtime/build-source.ts';
import { createProviderRuntime, runProvider } from '../src/runtime/run-provider.ts';
import { openSink } from '../src/sinks/open.ts';
import { startExporterHost } from '../src/simulator/exporter-host/server.ts';
import { defaultRegistry } from '../src/sources/index.ts';
import { parseExposition } from '../src/sources/_common/prometheus-text/index.ts';
import { findBinary, promQuery, startPrometheus, waitFor } from '../test/integration/helpers/real-prometheus.ts';
import { SERVICE_ENV, SERVICE_V8_FLAGS } from '../bin/runtime-tuning.js';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000);
const SERVERS = Number(process.env.BENCH_SERVERS ?? 2);
const PROM_SECONDS = Number(process.env.BENCH_PROM_SECONDS ?? 20);
const STEADY_CYCLES = Number(process.env.BENCH_STEADY_CYCLES ?? 3);
const GOALS = { wallSeconds: 10, rssMb: 300 };

interface HostServer {
  child: ChildProcess;
  url: string;
  hosts: number;
  offset: number;
}

/** Child mode: serve `hosts` DCGM hosts (host indices from `offset`) and print the URL once pages are warm. */
async function serve(hosts: number, offset: number): Promise<void> {
  const host = await startExporterHost({ clock: 'manual', hosts: offset + hosts, hostPages: { dcgm: { gpus: 8 } }, pages: {} });
  // Render each page once (the cache keeps it for the tick) so the cycle measures scraping, not page rendering.
  const accept = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';
  for (let index = offset; index < offset + hosts; index += 1) {
    for (const encoding of ['gzip', 'identity']) await (await fetch(`${host.url}/hosts/${index}/metrics`, { headers: { accept, 'accept-encoding': encoding } })).arrayBuffer();
  }
  process.stdout.write(`${host.url}\n`);
  process.on('SIGTERM', () => void host.close().then(() => process.exit(0)));
}

async function startServers(): Promise<HostServer[]> {
  const perServer = Math.ceil(HOSTS / SERVERS);
  const self = fileURLToPath(import.meta.url);
  return Promise.all(Array.from({ length: SERVERS }, (_, index) => new Promise<HostServer>((resolve, reject) => {
    const offset = index * perServer;
    const hosts = Math.min(perServer, HOSTS - offset);
    const child = spawn(process.execPath, [self, '--serve', String(hosts), String(offset)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) => resolve({ child, url: chunk.toString('utf8').trim(), hosts, offset }));
  })));
}

function targetsOf(servers: HostServer[]): string[] {
  return servers.flatMap((server) => Array.from({ length: server.hosts }, (_, index) => `${server.url}/hosts/${server.offset + index}/metrics`));
}

/**
 * Our scrape source into SQLite as `run` does it: a first cycle (creates every gauge series; a first scrape has no
 * rates), a second (creates the rate series: 2 per GPU), then STEADY_CYCLES steady-state cycles reported by their
 * median CPU (the machine is shared: one cycle is a noisy figure), the one compared with Prometheus.
 */
async function ourCycles(targets: string[]): Promise<Array<Record<string, unknown>>> {
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-bench-'));
  const registry = defaultRegistry();
  const yaml = `storage:\n  url: sqlite:${join(dir, 'bench.db')}\nproviders:\n  bench:\n    enabled: true\n    collector_type: generic\n    dcgm: true\n    scrape_targets:\n${targets.map((target) => `      - ${target}\n`).join('')}`;
  const loaded = loadConfigText(yaml, registry, {});
  const config = loaded.config?.providers.bench;
  if (!loaded.config || !config) throw new Error(`bench configuration invalid: ${JSON.stringify(loaded.problems)}`);
  const sink = await openSink(loaded.config.storage.url);
  const runtime = createProviderRuntime(config, buildSource(config, registry));
  // Every sample on the pages (what Prometheus would append), from one page, measured outside the timing.
  const page = await (await fetch(targets[0]!)).text();
  const samplesPerPage = page.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  const rows: Array<Record<string, unknown>> = [];
  try {
    const steady: Array<Record<string, unknown>> = [];
    const labels = ['first cycle (new series)', 'second cycle (rate series appear)', ...Array.from({ length: STEADY_CYCLES }, () => `steady state (median of ${STEADY_CYCLES} cycles)`)];
    for (const [index, label] of labels.entries()) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const summary = await runProvider(runtime, { sink, log: silentLogger() });
      const wallSeconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      if (summary.status !== 'ok') throw new Error(`bench run ${summary.status}: ${JSON.stringify(summary.errors.slice(0, 3))}`);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const scraped = samplesPerPage * targets.length;
      const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      (index < 2 ? rows : steady).push({
        system: `optiinfra scrape -> SQLite, ${label}`,
        hosts: targets.length,
        'samples scraped': scraped,
        'samples stored': summary.metrics,
        'wall s': round(wallSeconds),
        'CPU s': round(cpuSeconds),
        'CPU s / M samples': round((cpuSeconds / scraped) * 1e6),
        'peak RSS MB': rssMb,
        goal: `< ${GOALS.wallSeconds} s, < ${GOALS.rssMb} MB: ${wallSeconds < GOALS.wallSeconds && rssMb < GOALS.rssMb ? 'met' : 'MISSED'}`,
      });
    }
    steady.sort((a, b) => Number(a['CPU s']) - Number(b['CPU s']));
    const median = steady[Math.floor(steady.length / 2)]!;
    // Peak RSS is the process's peak so far: reported as of the last cycle.
    const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const wallSeconds = Number(median['wall s']);
    rows.push({ ...median, 'peak RSS MB': rssMb, goal: `< ${GOALS.wallSeconds} s, < ${GOALS.rssMb} MB: ${wallSeconds < GOALS.wallSeconds && rssMb < GOALS.rssMb ? 'met' : 'MISSED'}` });
    return rows;
  } finally {
    await runtime.source.shutdown();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function cpuSecondsOf(pid: number): number {
  // /proc/<pid>/stat fields 14 and 15 (utime, stime) in clock ticks; the name field may hold spaces, so split after ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function appended(url: string): Promise<number> {
  // Prometheus does not scrape itself unless configured to: read its own /metrics page.
  let total = 0;
  parseExposition(await (await fetch(`${url}/metrics`)).text(), (sample) => {
    total += sample.value;
  }, { wantName: (name) => name === 'prometheus_tsdb_head_samples_appended_total' });
  return total;
}

/** Prometheus scraping the same hosts for PROM_SECONDS: CPU per million samples appended. */
async function prometheusCycle(servers: HostServer[]): Promise<Record<string, unknown> | undefined> {
  const binary = findBinary('prometheus');
  if (!binary) return { system: 'prometheus', note: 'binary not found: apt-get install -y prometheus' };
  const jobs = servers.map((server, index) => ({
    job: `hosts${index}`,
    targets: [] as string[],
    groups: Array.from({ length: server.hosts }, (_, host) => ({ targets: [new URL(server.url).host], labels: { __metrics_path__: `/hosts/${server.offset + host}/metrics`, host: String(server.offset + host) } })),
  }));
  const prometheus = await startPrometheus(binary, jobs, 5);
  try {
    const pid = prometheus.child.pid!;
    await waitFor('Prometheus to scrape every host', async () => ((await promQuery(prometheus.url, 'count(up == 1)'))[0]?.value[1] === String(HOSTS) ? true : undefined), 60_000, prometheus.log);
    const cpuStart = cpuSecondsOf(pid);
    const samplesStart = await appended(prometheus.url);
    await new Promise((resolve) => setTimeout(resolve, PROM_SECONDS * 1000));
    const cpuSeconds = cpuSecondsOf(pid) - cpuStart;
    const samples = (await appended(prometheus.url)) - samplesStart;
    const rssKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
    return {
      system: `prometheus (${PROM_SECONDS} s, 5 s interval)`,
      hosts: HOSTS,
      'samples scraped': samples,
      'CPU s': round(cpuSeconds),
      'CPU s / M samples': round((cpuSeconds / samples) * 1e6),
      'peak RSS MB': Math.round(rssKb / 1024),
    };
  } finally {
    await prometheus.stop();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** ourCycles in a child process with the product's runtime settings; its rows come back as JSON on stdout. */
async function ourCyclesTuned(targets: string[]): Promise<Array<Record<string, unknown>>> {
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-bench-targets-'));
  const file = join(dir, 'targets.json');
  writeFileSync(file, JSON.stringify(targets));
  try {
    const child = spawn(process.execPath, [...SERVICE_V8_FLAGS, fileURLToPath(import.meta.url), '--ours', file], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...SERVICE_ENV } });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
    if (code !== 0) throw new Error(`bench child exited with ${code}`);
    return JSON.parse(output) as Array<Record<string, unknown>>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark and returns its table rows. */
export async function runScrapeCycleBench(): Promise<Array<Record<string, unknown>>> {
  const servers = await startServers();
  try {
    const targets = targetsOf(servers);
    const rows: Array<Record<string, unknown>> = await ourCyclesTuned(targets);
    // The steady-state cycle is what Prometheus does every interval: compare that one, and only with a measured peer.
    const ours = rows.at(-1);
    const theirs = process.env.BENCH_SKIP_PROMETHEUS === '1' ? undefined : await prometheusCycle(servers);
    if (theirs) rows.push(theirs);
    if (typeof ours?.['CPU s / M samples'] === 'number' && typeof theirs?.['CPU s / M samples'] === 'number') {
      rows.push({ system: 'ratio ours / prometheus (CPU per sample, goal <= 1)', 'CPU s / M samples': round(ours['CPU s / M samples'] / theirs['CPU s / M samples']) });
    }
    return rows;
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
  }
}

if (process.argv[2] === '--serve') {
  await serve(Number(process.argv[3]), Number(process.argv[4]));
} else if (process.argv[2] === '--ours') {
  process.stdout.write(JSON.stringify(await ourCycles(JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as string[])));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.table(await runScrapeCycleBench());
}
