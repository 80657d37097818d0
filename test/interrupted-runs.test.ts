// Runs left `running` are marked interrupted only when the process that ran them is gone: a manual `collect`
// next to the service leaves the service's in-flight runs alone, and still closes the runs of a process that
// was killed (same host, its pid gone) or that a build without run owners left behind.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import type { CollectionRun } from '../src/core/model.ts';
import { exporterHostProvider } from '../src/simulator/exporter-host/provider.ts';
import { openSqliteSink } from '../src/sinks/sqlite/sink.ts';
import { runCli, startRunService } from './support/cli.ts';

function leftRunning(id: string, owner?: CollectionRun['details']['owner']): CollectionRun {
  return {
    id,
    provider: 'quick',
    started_at: new Date(Date.now() - 60_000).toISOString(),
    finished_at: null,
    status: 'running',
    costs: 0,
    resources: 0,
    metrics: 0,
    error: null,
    details: { errors: [], calls: {}, ...(owner ? { owner } : {}) },
  };
}

test("a manual collect leaves the service's in-flight runs running, and marks those of dead processes", async () => {
  const directory = mkdtempSync(join(tmpdir(), 'optiinfra-interrupted-'));
  const host = await exporterHostProvider.start({ seed: 2 });
  // A scrape target that accepts and never answers: the service's run of `stuck` stays in flight.
  let scraping = false;
  const silent = createServer(() => {
    scraping = true;
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const database = join(directory, 'runs.db');
  const configPath = join(directory, 'providers.yaml');
  writeFileSync(
    configPath,
    stringify({
      storage: { url: `sqlite:${database}` },
      collection: { interval: '10s', timeout: '60s', shutdown_grace: '1s' },
      server: { listen: '127.0.0.1:0' },
      providers: {
        stuck: {
          enabled: true,
          collector_type: 'generic',
          scrape_targets: [`http://127.0.0.1:${(silent.address() as { port: number }).port}/metrics`],
        },
        quick: host.providerBlock,
      },
    }),
  );
  const service = startRunService(configPath);
  try {
    await service.waitFor(/"msg":"service started"/);
    const deadline = Date.now() + 10_000;
    while (!scraping) {
      assert.ok(Date.now() < deadline, 'the stuck run never started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Runs two earlier collectors left behind: one killed on this host, one from a build without run owners.
    const exited = spawnSync(process.execPath, ['-e', '']);
    const seed = openSqliteSink(database);
    await seed.saveRun(
      leftRunning('killed-here', { host: hostname(), pid: exited.pid, started_at: new Date().toISOString() }),
    );
    await seed.saveRun(leftRunning('legacy'));
    await seed.close();

    const collected = await runCli(['collect', '--provider', 'quick', '--config', configPath]);
    assert.equal(collected.code, 0, collected.stderr);

    const store = openSqliteSink(database);
    const runs = await store.listRuns({ limit: 100 });
    await store.close();
    const stuck = runs.filter((run) => run.provider === 'stuck');
    assert.equal(stuck.length, 1);
    assert.equal(stuck[0]?.status, 'running', `the service's run was marked: ${stuck[0]?.error}`);
    assert.equal(stuck[0]?.details.owner?.pid, service.child.pid);
    for (const id of ['killed-here', 'legacy']) {
      const run = runs.find((candidate) => candidate.id === id);
      assert.equal(run?.status, 'failed', id);
      assert.equal(run?.error, 'CANCELLED: interrupted: the collector stopped before this run finished', id);
    }
  } finally {
    service.child.kill('SIGTERM');
    await service.exited;
    silent.close();
    await host.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
