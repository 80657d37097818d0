// Idle RSS of the service: starts `run` as a child process with every provider configured (each simulated
// provider plus every generic provider of the catalog, all pointing at the local simulator), waits for the
// first cycle to finish and the process to settle, then reads VmRSS from /proc. Goal: < 150 MB.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { RunningSimulation } from '../src/simulator/provider.ts';
import { SIMULATED_PROVIDERS } from '../src/simulator/providers.ts';
import { KNOWN_PROVIDERS } from '../src/sources/catalog.ts';

const BIN = fileURLToPath(new URL('../bin/optiinfra-collector.js', import.meta.url));
const GOAL_MB = 150;
const SETTLE_MS = 5_000;

/** Resident set size of a process in MB, from /proc/<pid>/status. */
export function residentMegabytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/** Waits until a JSON log line with `msg` appears on the child's stderr. */
function waitForLog(child: ChildProcess, message: string, timeoutMs: number, lines: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${message}" log within ${timeoutMs} ms; last lines:\n${lines.slice(-10).join('\n')}`)), timeoutMs);
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

/** Starts the simulator and `run`, measures idle RSS; returns one table row. */
export async function runIdleRssBench(): Promise<Array<Record<string, string | number>>> {
  const directory = mkdtempSync(join(tmpdir(), 'optiinfra-rss-'));
  const simulations: Array<{ name: string; running: RunningSimulation }> = [];
  let child: ChildProcess | undefined;
  try {
    for (const provider of SIMULATED_PROVIDERS) simulations.push({ name: provider.name, running: await provider.start({ seed: 42 }) });
    const exporter = simulations.find(({ name }) => name === 'exporter_host')?.running.providerBlock;
    const providers: Record<string, Record<string, unknown>> = {};
    for (const { name, running } of simulations) providers[name] = { ...running.providerBlock, rate_limit: 1000 };
    // Every generic provider of the catalog without a simulator of its own scrapes the exporter host.
    for (const known of KNOWN_PROVIDERS) {
      if (providers[known.name] || known.collector_type !== 'generic' || !exporter) continue;
      providers[known.name] = { enabled: true, collector_type: 'generic', scrape_targets: exporter.scrape_targets, dcgm: true, vllm: true };
    }
    const configPath = join(directory, 'providers.yaml');
    writeFileSync(configPath, stringify({
      storage: { url: `sqlite:${join(directory, 'rss.db')}` },
      collection: { interval: '1h', cost_history: '30d' },
      server: { listen: '127.0.0.1:0' },
      log: { level: 'info' },
      providers,
    }));
    const started = performance.now();
    const lines: string[] = [];
    child = spawn(process.execPath, [...(process.env.OPTIINFRA_BENCH_NODE_FLAGS ? process.env.OPTIINFRA_BENCH_NODE_FLAGS.split(' ') : []), BIN, 'run', '--config', configPath], { cwd: directory, env: { ...process.env, OPTIINFRA_LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let pending = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts);
    });
    await waitForLog(child, 'service started', 30_000, lines);
    const startupRss = residentMegabytes(child.pid as number);
    await waitForLog(child, 'first cycle complete', 300_000, lines);
    const firstCycleMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const rss = residentMegabytes(child.pid as number);
    const stopping = performance.now();
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const exitCode = await exited;
    const runs = lines.filter((line) => line.includes('"msg":"run finished"'));
    const failed = runs.filter((line) => line.includes('"status":"failed"')).length;
    return [{
      providers: Object.keys(providers).length,
      'runs (failed)': `${runs.length} (${failed})`,
      'first cycle s': Number((firstCycleMs / 1000).toFixed(1)),
      'RSS at start MB': Number(startupRss.toFixed(1)),
      'idle RSS MB': Number(rss.toFixed(1)),
      'goal MB': `< ${GOAL_MB}`,
      verdict: rss < GOAL_MB ? 'ok' : 'over',
      'SIGTERM -> exit s': Number(((performance.now() - stopping) / 1000).toFixed(2)),
      'exit code': exitCode ?? -1,
    }];
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await Promise.allSettled(simulations.map(({ running }) => running.close()));
    rmSync(directory, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await runIdleRssBench());
}
