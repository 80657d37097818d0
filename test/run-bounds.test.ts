// A dead endpoint must not make a run take minutes: `collect` against a refused port with `timeout: 2s,
// retries: 2` ends in seconds (it took 121 s when the open circuit's 60 s pause was slept inside the run).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { runCli } from './support/cli.ts';

/** A loopback port nothing listens on (bound, then closed). */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('collect against a refused port ends within seconds: the open circuit fails calls fast, never sleeps', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'optiinfra-dead-'));
  try {
    const configPath = join(directory, 'providers.yaml');
    writeFileSync(
      configPath,
      stringify({
        storage: { url: `sqlite:${join(directory, 'dead.db')}` },
        collection: { timeout: '2s', retries: 2 },
        providers: {
          vultr: {
            enabled: true,
            collector_type: 'generic',
            api: {
              adapter: 'vultr',
              api_key: 'dead-endpoint-key-0123',
              base_url: `http://127.0.0.1:${await refusedPort()}/v2`,
            },
          },
        },
      }),
    );
    const started = performance.now();
    const result = await runCli(['collect', '--config', configPath, '--json'], { timeoutMs: 200_000 });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(result.code, 1, result.stderr);
    const [run] = (JSON.parse(result.stdout) as { runs: Array<{ status: string; errors: Array<{ code: string }> }> })
      .runs;
    assert.equal(run?.status, 'failed');
    assert.ok(
      run?.errors.some((error) => error.code === 'CIRCUIT_OPEN'),
      JSON.stringify(run?.errors),
    );
    assert.ok(seconds < 15, `collect took ${seconds.toFixed(1)} s`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
