// Starts REAL Prometheus and node_exporter processes (Debian packages `prometheus` and
// `prometheus-node-exporter`) on free loopback ports with a temp data dir: the prometheus source is tested
// against the real API rather than a simulator of it (see provider.ts), and so are integration tests and benchmarks.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Path of an executable on PATH (or the Debian location), undefined when missing. */
export function findBinary(name: string): string | undefined {
  for (const candidate of [name, `/usr/bin/${name}`, `/usr/sbin/${name}`]) {
    const probe = spawnSync(candidate, ['--version'], { stdio: 'ignore' });
    if (probe.error === undefined && probe.status === 0) return candidate;
  }
  return undefined;
}

/** A free loopback TCP port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running process we started. */
export interface RunningProcess {
  child: ChildProcess;
  url: string;
  /** stderr tail, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

function startProcess(binary: string, args: string[], url: string, cleanup?: () => void): RunningProcess {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  });
  return {
    child,
    url,
    log: () => tail,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      cleanup?.();
    },
  };
}

/** Polls `check` until it returns a value or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  log?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `timed out waiting for ${what}${lastError instanceof Error ? ` (last error: ${lastError.message})` : ''}${log ? `\n${log()}` : ''}`,
  );
}

/** Starts node_exporter on a free port with the collectors the metric set and host row read (the rest are slow or noisy). */
export async function startNodeExporter(binary: string): Promise<RunningProcess> {
  const port = await freePort();
  const args = [
    `--web.listen-address=127.0.0.1:${port}`,
    '--collector.disable-defaults',
    '--collector.cpu',
    '--collector.meminfo',
    '--collector.loadavg',
    '--collector.filesystem',
    '--collector.diskstats',
    '--collector.netdev',
    // The host inventory row: nodename, kernel (uname) and OS (os-release).
    '--collector.uname',
    '--collector.os',
  ];
  const running = startProcess(binary, args, `http://127.0.0.1:${port}`);
  await waitFor(
    'node_exporter to listen',
    async () => ((await fetch(`${running.url}/metrics`)).ok ? true : undefined),
    15_000,
    running.log,
  );
  return running;
}

/** One scrape job of the generated prometheus.yml. */
export interface ScrapeJob {
  job: string;
  /** host:port targets. */
  targets: string[];
  metricsPath?: string;
  labels?: Record<string, string>;
  /** More target groups with their own labels (e.g. `__metrics_path__` per simulated host). */
  groups?: Array<{ targets: string[]; labels: Record<string, string> }>;
}

/** Starts Prometheus with a generated config (scrape interval `intervalSeconds`) and a temp data dir. */
export async function startPrometheus(
  binary: string,
  jobs: ScrapeJob[],
  intervalSeconds = 1,
  extraArgs: string[] = [],
): Promise<RunningProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-prometheus-'));
  const yaml = [
    'global:',
    `  scrape_interval: ${intervalSeconds}s`,
    `  scrape_timeout: ${Math.max(1, intervalSeconds)}s`,
    'scrape_configs:',
    ...jobs.flatMap((job) => [
      `  - job_name: ${JSON.stringify(job.job)}`,
      `    metrics_path: ${JSON.stringify(job.metricsPath ?? '/metrics')}`,
      '    static_configs:',
      `      - targets: ${JSON.stringify(job.targets)}`,
      ...(job.labels ? [`        labels: ${JSON.stringify(job.labels)}`] : []),
      ...(job.groups ?? []).flatMap((group) => [
        `      - targets: ${JSON.stringify(group.targets)}`,
        `        labels: ${JSON.stringify(group.labels)}`,
      ]),
    ]),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), `${yaml}\n`);
  const args = [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...extraArgs,
  ];
  const running = startProcess(binary, args, `http://127.0.0.1:${port}`, () =>
    rmSync(dir, { recursive: true, force: true }),
  );
  await waitFor(
    'Prometheus to be ready',
    async () => ((await fetch(`${running.url}/-/ready`)).ok ? true : undefined),
    30_000,
    running.log,
  );
  return running;
}

/** An instant query straight to Prometheus (test assertions). */
export async function promQuery(
  url: string,
  query: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as {
    status: string;
    data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  if (body.status !== 'success' || !body.data) throw new Error(`query ${query} failed: ${JSON.stringify(body)}`);
  return body.data.result;
}
