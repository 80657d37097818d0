// RSS of the service the way `npm start` runs it: builds dist/ with `npm run build` (as the start script
// does; when the build fails the entry point falls back to the TypeScript sources, reported in the `code`
// column), then starts `bin/optiinfra-collector.js run` as a child process with every provider configured
// (each simulated provider plus every generic provider of the catalog, all on the local simulator). Reads
// VmRSS from /proc when the service has started, when the first cycle is complete, and idle (IDLE_MS later,
// once V8's memory reducer has run), idle again after more cycles, plus the peak (VmHWM). Goal: idle < 150 MB.
// OPTIINFRA_BENCH_FROM_SOURCE=1 measures the TypeScript sources instead; OPTIINFRA_NO_ISOLATE=1 runs AWS
// in the main thread; OPTIINFRA_BENCH_NODE_FLAGS adds Node flags; OPTIINFRA_BENCH_IDLE_MS sets the wait;
// OPTIINFRA_BENCH_CYCLES (default 2) more cycles are triggered after the idle reading and measured again.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { RunningSimulation } from '../src/simulator/provider.ts';
import { SIMULATED_PROVIDERS } from '../src/simulator/providers.ts';
import { KNOWN_PROVIDERS } from '../src/sources/catalog.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'optiinfra-collector.js');
const GOAL_MB = 150;
// V8's memory reducer first runs ~8 s after the heap stops growing; it returns the pages a finished worker freed.
const IDLE_MS = Number(process.env.OPTIINFRA_BENCH_IDLE_MS ?? 20_000);
const EXTRA_CYCLES = Number(process.env.OPTIINFRA_BENCH_CYCLES ?? 2);

/** The environment assignments and Node flags of the last command of package.json's `start` script. */
export function startCommand(): { env: Record<string, string>; nodeFlags: string[] } {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  const last = (scripts.start ?? '').split(';').pop()?.trim().split(/\s+/) ?? [];
  const env: Record<string, string> = {};
  let index = 0;
  for (; index < last.length && /^[A-Z_][A-Z0-9_]*=/.test(last[index] ?? ''); index += 1) {
    const [name = '', ...value] = (last[index] ?? '').split('=');
    env[name] = value.join('=');
  }
  const nodeFlags: string[] = [];
  for (index += 1; index < last.length && (last[index] ?? '').startsWith('--'); index += 1)
    nodeFlags.push(last[index] ?? '');
  return { env, nodeFlags };
}

/** Builds dist/ as `npm start` does; returns which code the service will run. */
function buildAsNpmStart(): 'dist' | 'src' | 'src (build failed)' {
  if (process.env.OPTIINFRA_BENCH_FROM_SOURCE) return 'src';
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return build.status === 0 ? 'dist' : 'src (build failed)';
}

/** Resident set size (VmRSS, or the peak VmHWM) of a process in MB, from /proc/<pid>/status. */
export function residentMegabytes(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/** Waits until a JSON log line with `msg` appears on the child's stderr. */
function waitForLog(
  child: ChildProcess,
  message: string,
  timeoutMs: number,
  lines: string[],
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`no "${message}" log within ${timeoutMs} ms; last lines:\n${lines.slice(-10).join('\n')}`)),
      timeoutMs,
    );
    const check = (): void => {
      for (const line of lines) {
        if (!line.includes(`"msg":"${message}"`)) continue;
        clearTimeout(timer);
        child.stderr?.off('data', check);
        child.off('exit', onExit);
        resolve(JSON.parse(line) as Record<string, unknown>);
        return;
      }
    };
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`run exited with ${code} before "${message}":\n${lines.slice(-10).join('\n')}`));
    };
    child.stderr?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

/** Builds, starts the simulator and `run`, measures RSS; returns one table row. */
export async function runIdleRssBench(): Promise<Array<Record<string, string | number>>> {
  const code = buildAsNpmStart();
  const directory = mkdtempSync(join(tmpdir(), 'optiinfra-rss-'));
  const simulations: Array<{ name: string; running: RunningSimulation }> = [];
  let child: ChildProcess | undefined;
  try {
    for (const provider of SIMULATED_PROVIDERS)
      simulations.push({ name: provider.name, running: await provider.start({ seed: 42 }) });
    const exporter = simulations.find(({ name }) => name === 'exporter_host')?.running.providerBlock;
    const providers: Record<string, Record<string, unknown>> = {};
    for (const { name, running } of simulations) providers[name] = { ...running.providerBlock, rate_limit: 1000 };
    // Every generic provider of the catalog without a simulator of its own scrapes the exporter host.
    for (const known of KNOWN_PROVIDERS) {
      if (providers[known.name] || known.collector_type !== 'generic' || !exporter) continue;
      providers[known.name] = {
        enabled: true,
        collector_type: 'generic',
        scrape_targets: exporter.scrape_targets,
        dcgm: true,
        vllm: true,
      };
    }
    const configPath = join(directory, 'providers.yaml');
    writeFileSync(
      configPath,
      stringify({
        storage: { url: `sqlite:${join(directory, 'rss.db')}` },
        collection: { interval: '1h', cost_history: '30d' },
        server: { listen: '127.0.0.1:0' },
        log: { level: 'info' },
        providers,
      }),
    );
    const started = performance.now();
    const lines: string[] = [];
    // The same command as the last step of `npm start` (its environment and Node flags), with the same Node.
    const start = startCommand();
    const env = {
      ...process.env,
      ...start.env,
      OPTIINFRA_LOG_LEVEL: 'info',
      ...(code === 'src' ? { OPTIINFRA_FROM_SOURCE: '1' } : {}),
    };
    const nodeFlags = [
      ...start.nodeFlags,
      ...(process.env.OPTIINFRA_BENCH_NODE_FLAGS ? process.env.OPTIINFRA_BENCH_NODE_FLAGS.split(' ') : []),
    ];
    child = spawn(process.execPath, [...nodeFlags, BIN, 'run', '--config', configPath], {
      cwd: directory,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let pending = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts);
    });
    const { url } = (await waitForLog(child, 'service started', 30_000, lines)) as { url: string };
    const startupRss = residentMegabytes(child.pid as number);
    await waitForLog(child, 'first cycle complete', 300_000, lines);
    const firstCycleMs = performance.now() - started;
    const afterCycleRss = residentMegabytes(child.pid as number);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const rss = residentMegabytes(child.pid as number);
    // More cycles (every provider, AWS in a fresh worker each time) must not grow the idle footprint.
    for (let cycle = 0; cycle < EXTRA_CYCLES; cycle += 1) {
      const response = await fetch(`${url}/api/v1/collect`, { method: 'POST' });
      if (!response.ok) throw new Error(`POST /api/v1/collect answered ${response.status}: ${await response.text()}`);
    }
    if (EXTRA_CYCLES > 0) await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const laterRss = residentMegabytes(child.pid as number);
    const peakRss = residentMegabytes(child.pid as number, 'VmHWM');
    const stopping = performance.now();
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const exitCode = await exited;
    const runs = lines.filter((line) => line.includes('"msg":"run finished"'));
    const failed = runs.filter((line) => line.includes('"status":"failed"')).length;
    return [
      {
        code,
        providers: Object.keys(providers).length,
        'runs (failed)': `${runs.length} (${failed})`,
        'first cycle s': Number((firstCycleMs / 1000).toFixed(1)),
        'RSS at start MB': Number(startupRss.toFixed(1)),
        'after 1st cycle MB': Number(afterCycleRss.toFixed(1)),
        'peak MB': Number(peakRss.toFixed(1)),
        [`idle (+${IDLE_MS / 1000} s) MB`]: Number(rss.toFixed(1)),
        [`idle after ${EXTRA_CYCLES} more cycles MB`]: Number(laterRss.toFixed(1)),
        'goal MB': `< ${GOAL_MB}`,
        verdict: Math.max(rss, laterRss) < GOAL_MB ? 'ok' : 'over',
        'SIGTERM -> exit s': Number(((performance.now() - stopping) / 1000).toFixed(2)),
        'exit code': exitCode ?? -1,
      },
    ];
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await Promise.allSettled(simulations.map(({ running }) => running.close()));
    rmSync(directory, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await runIdleRssBench());
}
