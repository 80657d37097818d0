// A hostile exporter page of 1,000,000 DCGM series (8 GPUs, one extra label making every series distinct),
// generated as it is sent by a child process. The product's `collect` runs in another child (its own V8 and
// allocator settings) once with a normal target alone and once with the hostile one beside it: the hostile
// target fails with TARGET_LIMIT_EXCEEDED (sample_limit), the normal one is stored, and the peak RSS the
// hostile page adds stays bounded. Prints the figures (docs/service.md quotes them).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../test/support/cli.ts';
import { startExporterHost } from '../../simulator/exporter-host/server.ts';

const SERIES = Number(process.env.HOSTILE_SERIES ?? 1_000_000);
const support = (name: string): string => fileURLToPath(new URL(`../../../test/support/${name}`, import.meta.url));

/** Starts test/support/hostile-exporter.ts in a child process; resolves with its URL and what it logged. */
async function startHostileExporter(
  series: number,
): Promise<{ url: string; stderr: () => string; close(): Promise<void> }> {
  const child = spawn(process.execPath, [support('hostile-exporter.ts'), String(series)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return {
    url: line,
    stderr: () => stderr,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

interface CollectOutcome {
  peakRssMb: number;
  runs: Array<{
    provider: string;
    status: string;
    samples?: number;
    errors?: Array<{ code: string; message: string }>;
  }>;
}

/** `collect --json` over `targets` (one generic provider, SQLite in `dir`), with its peak RSS. */
async function collect(dir: string, name: string, targets: string[]): Promise<CollectOutcome> {
  const config = join(dir, `${name}.yaml`);
  const peakFile = join(dir, `${name}.peak`);
  writeFileSync(
    config,
    [
      `storage:\n  url: sqlite:${join(dir, `${name}.db`)}\n  spool_dir: ${join(dir, `${name}-spool`)}`,
      'providers:\n  onprem:\n    enabled: true\n    collector_type: generic\n    scrape_targets:',
      ...targets.map((target) => `      - ${target}`),
      '',
    ].join('\n'),
  );
  const result = await runCli(['collect', '--json', '--config', config], {
    nodeArgs: ['--import', support('report-peak-rss.mjs')],
    env: { PEAK_RSS_FILE: peakFile },
    timeoutMs: 120_000,
  });
  assert.ok(result.stdout.trim().startsWith('{'), `collect printed ${result.stdout}\n${result.stderr}`);
  const { runs } = JSON.parse(result.stdout) as Pick<CollectOutcome, 'runs'>;
  return { runs, peakRssMb: Number(readFileSync(peakFile, 'utf8')) / 2 ** 20 };
}

test('scrape: a page of 1M series fails that target alone (TARGET_LIMIT_EXCEEDED), memory stays bounded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optiinfra-hostile-'));
  const hostile = await startHostileExporter(SERIES);
  const host = await startExporterHost({ clock: 'manual' });
  try {
    const alone = await collect(dir, 'alone', [host.metricsUrl]);
    const beside = await collect(dir, 'beside', [hostile.url, host.metricsUrl]);
    const growthMb = beside.peakRssMb - alone.peakRssMb;
    console.log(
      `hostile page of ${SERIES} series: collect peak RSS ${beside.peakRssMb.toFixed(0)} MB, ` +
        `${alone.peakRssMb.toFixed(0)} MB without it: +${growthMb.toFixed(0)} MB`,
    );
    assert.equal(alone.runs[0]!.status, 'ok', JSON.stringify(alone.runs));
    const [run] = beside.runs;
    assert.equal(run!.status, 'partial', JSON.stringify(beside.runs));
    assert.equal(run!.errors?.length, 1, JSON.stringify(run!.errors));
    assert.equal(run!.errors![0]!.code, 'TARGET_LIMIT_EXCEEDED');
    assert.ok(run!.errors![0]!.message.includes(hostile.url), run!.errors![0]!.message);
    assert.match(run!.errors![0]!.message, /more than \d+ samples \(sample_limit\)/);
    // The other target is stored whole: as many samples as alone.
    assert.equal(run!.samples, alone.runs[0]!.samples);
    assert.equal(hostile.stderr(), '', 'the hostile exporter saw only GET /metrics');
    assert.ok(growthMb < 150, `the hostile page added ${growthMb.toFixed(0)} MB of peak RSS`);
  } finally {
    await host.close();
    await hostile.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
