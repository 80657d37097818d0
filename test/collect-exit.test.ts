// `collect`'s exit code says whether anything was collected: a run whose upstream errors left it with nothing
// at all is `failed` and exits 1, even when some part answered (an empty page, a target with no samples).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { runCli } from './support/cli.ts';

test('a run that collected nothing because of upstream errors is failed: collect exits 1', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'optiinfra-nothing-'));
  // One target answers with an empty page; the other refuses connections.
  const empty = createHttpServer((_request, response) => response.end(''));
  await new Promise<void>((resolve) => empty.listen(0, '127.0.0.1', resolve));
  const refused = createServer();
  await new Promise<void>((resolve) => refused.listen(0, '127.0.0.1', resolve));
  const refusedPort = (refused.address() as { port: number }).port;
  await new Promise<void>((resolve) => refused.close(() => resolve()));
  try {
    const configPath = join(directory, 'providers.yaml');
    writeFileSync(
      configPath,
      stringify({
        storage: { url: `sqlite:${join(directory, 'nothing.db')}` },
        collection: { retries: 1 },
        providers: {
          hosts: {
            enabled: true,
            collector_type: 'generic',
            dcgm: true,
            scrape_targets: [
              `http://127.0.0.1:${(empty.address() as { port: number }).port}/metrics`,
              `http://127.0.0.1:${refusedPort}/metrics`,
            ],
          },
        },
      }),
    );
    const result = await runCli(['collect', '--json', '--config', configPath]);
    const [run] = (JSON.parse(result.stdout) as { runs: Array<Record<string, unknown>> }).runs;
    assert.deepEqual([run?.costs, run?.resources, run?.metrics], [0, 0, 0]);
    assert.equal(run?.status, 'failed', JSON.stringify(run));
    assert.equal(result.code, 1);
  } finally {
    empty.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
