// Benchmark: `--help` start-up time against a bare `node -e ""` floor in the same run, and proof that
// no cloud SDK is loaded. Run: npx node bench/help.bench.ts

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/optiinfra-collector.js', import.meta.url));
const RECORDER = new URL('../test/support/record-modules.mjs', import.meta.url).href;

function medianMs(args: string[], runs: number): number {
  const times: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/** Measures --help start-up; returns one row for the bench table. */
export async function runHelpBench(): Promise<Array<Record<string, string | number>>> {
  medianMs(['-e', ''], 2);
  const floor = medianMs(['-e', ''], 9);
  const help = medianMs([BIN, '--help'], 9);
  const record = join(mkdtempSync(join(tmpdir(), 'optiinfra-bench-')), 'modules.txt');
  spawnSync(process.execPath, ['--import', RECORDER, BIN, '--help'], {
    stdio: 'ignore',
    env: { ...process.env, RECORD_MODULES_FILE: record },
  });
  const modules = readFileSync(record, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const sdk = modules.filter((url) =>
    /node_modules\/(@aws-sdk|@smithy|@google-cloud|@azure|undici|pg\/)/.test(url),
  ).length;
  return [
    {
      bench: '--help start-up',
      'node -e "" (floor) ms': floor.toFixed(1),
      '--help ms': help.toFixed(1),
      'overhead ms': (help - floor).toFixed(1),
      'modules loaded': modules.length,
      'SDK/HTTP modules loaded': sdk,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await runHelpBench());
}
