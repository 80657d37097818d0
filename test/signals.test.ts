// Stopping the service stops it however it was started: `npm start` and `npx optiinfra-collector run` in their
// own process group, SIGTERM sent to the top process only (what a supervisor or `kill PID` does), and SIGINT to
// the whole group (Ctrl-C): the port is released, no process of the group remains, and the service shut down
// gracefully (its log ends with "stopped"). npm passes a signal to its own child only, so a shell between npm
// and node used to leave node running, orphaned, holding the port.
//
// The package is a temporary directory whose package.json carries this repository's `start` script verbatim,
// with a no-op `build` (the test must not write dist/ into the working tree), and links to bin/ and to node 24.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { startRunService } from './support/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
let directory: string;

before(() => {
  directory = mkdtempSync(join(tmpdir(), 'optiinfra-signals-'));
  writeFileSync(
    join(directory, 'package.json'),
    JSON.stringify({
      name: 'optiinfra-signals-test',
      private: true,
      type: 'module',
      scripts: { build: 'true', start: manifest.scripts.start },
    }),
  );
  symlinkSync(join(ROOT, 'bin'), join(directory, 'bin'));
  mkdirSync(join(directory, 'node_modules', '.bin'), { recursive: true });
  // npm puts node_modules/.bin first on PATH: `node` is the node@24 devDependency, as in the repository, and
  // `npx optiinfra-collector` finds the bin there (as in a project depending on the collector: nothing installed).
  symlinkSync(process.execPath, join(directory, 'node_modules', '.bin', 'node'));
  symlinkSync(
    join(ROOT, 'bin', 'optiinfra-collector.js'),
    join(directory, 'node_modules', '.bin', 'optiinfra-collector'),
  );
});
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Every live process of process group `group`, as `pid command line` (from /proc). */
function groupMembers(group: number): string[] {
  const members: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: state ppid pgrp ...
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== group || state === 'Z') continue;
      members.push(`${entry} ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim()}`);
    } catch {
      // The process exited meanwhile.
    }
  }
  return members;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts `command args` in its own process group with a config serving the API on a fresh port. */
async function startGroup(
  command: string,
  args: string[],
): Promise<{ child: ChildProcess; port: number; log: () => string }> {
  const port = await freePort();
  const configPath = join(directory, `providers-${port}.yaml`);
  writeFileSync(
    configPath,
    stringify({
      storage: { url: `sqlite:${join(directory, `signals-${port}.db`)}` },
      server: { listen: `127.0.0.1:${port}` },
      providers: {
        idle: { enabled: false, collector_type: 'generic', scrape_targets: ['http://127.0.0.1:9/metrics'] },
      },
    }),
  );
  const child = spawn(command, args, {
    cwd: directory,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OPTIINFRA_CONFIG: configPath, OPTIINFRA_LOG_LEVEL: 'info' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await until(`the service on port ${port}`, () => listening(port), 60_000).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${output}`);
  });
  return { child, port, log: () => output };
}

async function stopsCleanly(command: string, args: string[], send: (child: ChildProcess) => void): Promise<void> {
  const { child, port, log } = await startGroup(command, args);
  const group = child.pid as number;
  try {
    assert.ok(
      groupMembers(group).some((member) => member.includes('optiinfra-collector')),
      groupMembers(group).join('\n'),
    );
    send(child);
    await until('the port to be released', async () => !(await listening(port)), 30_000);
    await until('every process of the group to exit', () => groupMembers(group).length === 0, 30_000).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}: ${groupMembers(group).join('; ')}\n${log()}`);
      },
    );
    assert.match(log(), /"msg":"stopped"/, `not a graceful shutdown:\n${log()}`);
  } finally {
    if (groupMembers(group).length > 0) process.kill(-group, 'SIGKILL');
  }
}

test('npm start: SIGTERM to npm stops the service (the script execs node)', async () => {
  assert.match(manifest.scripts.start ?? '', /; exec node bin\/optiinfra-collector\.js run$/);
  await stopsCleanly('npm', ['start'], (child) => child.kill('SIGTERM'));
});

test('npm start: Ctrl-C (SIGINT to the whole group) is one graceful shutdown, not a forced exit', async () => {
  await stopsCleanly('npm', ['start'], (child) => process.kill(-(child.pid as number), 'SIGINT'));
});

test('npx optiinfra-collector run: SIGTERM to npx stops the service behind its shell', async () => {
  await stopsCleanly('npx', ['optiinfra-collector', 'run'], (child) => child.kill('SIGTERM'));
});

test('a signal repeated within a second is the same stop request; one after that exits at once (code 1)', async () => {
  // A scrape target that accepts and never answers keeps a run in flight, so shutdown waits for it.
  let scraping = false;
  const silent = createServer(() => {
    scraping = true;
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const configPath = join(directory, 'providers-stuck.yaml');
  writeFileSync(
    configPath,
    stringify({
      storage: { url: `sqlite:${join(directory, 'stuck.db')}` },
      // 10s: the first run starts within 1 s (its jitter is at most 10% of the interval).
      collection: { interval: '10s', timeout: '60s', shutdown_grace: '60s' },
      server: { listen: '127.0.0.1:0' },
      providers: {
        stuck: {
          enabled: true,
          collector_type: 'generic',
          scrape_targets: [`http://127.0.0.1:${(silent.address() as { port: number }).port}/metrics`],
        },
      },
    }),
  );
  const service = startRunService(configPath);
  try {
    await service.waitFor(/"msg":"service started"/);
    await until('the scrape to start', () => scraping, 10_000);
    service.child.kill('SIGTERM');
    service.child.kill('SIGTERM');
    await service.waitFor(/"msg":"waiting for in-flight runs to finish"/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(service.child.exitCode, null, 'the repeated signal did not force an exit');
    await new Promise((resolve) => setTimeout(resolve, 700));
    const forced = performance.now();
    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 1);
    assert.ok(performance.now() - forced < 3_000);
    assert.match(service.stderr(), /"msg":"second signal: exiting immediately"/);
  } finally {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    silent.close();
  }
});
