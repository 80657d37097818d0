// Runs the CLI as a child process with the same Node (24) that runs the tests.

import { spawn } from 'node:child_process';
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
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<CliResult> {
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
