// Runs the CLI as a child process with the same Node (24) that runs the tests.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI entry point. */
export const BIN = fileURLToPath(new URL('../../bin/optiinfra-collector.js', import.meta.url));

/** Output of one CLI invocation. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `args` in `cwd`, with extra env; resolves when it exits. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, OPTIINFRA_LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A `run` service started as a child process, with its stderr (pino log) collected. */
export interface RunningService {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Resolves with the first match of `pattern` in stderr; throws after `timeoutMs` or if the process exits. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stderr(): string;
}

/** Starts `optiinfra-collector run --config PATH [...args]` with info-level logs on stderr. */
export function startRunService(
  configPath: string,
  options: { args?: string[]; env?: Record<string, string>; defaultTimeoutMs?: number } = {},
): RunningService {
  const child = spawn(process.execPath, [BIN, 'run', '--config', configPath, ...(options.args ?? [])], {
    env: { ...process.env, OPTIINFRA_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = options.defaultTimeoutMs ?? 30_000): Promise<RegExpExecArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(stderr);
      if (match) return match;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, exited, waitFor, stderr: () => stderr };
}
