// Each stream's checkpoint advances on its own success: a provider whose Prometheus URL answers 404 still
// records its billing as collected, so the next run asks billing for restatement + month-to-date, not the
// whole cost history again (for AWS every Cost Explorer request is billed).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { silentLogger } from '../src/core/log.ts';
import { runCycle } from '../src/runtime/cycle.ts';
import type { RunningSimulation } from '../src/simulator/provider.ts';
import { startSimServer, type SimServer } from '../src/simulator/server.ts';
import { openSqliteSink } from '../src/sinks/sqlite/sink.ts';
import { configFrom, simJsonProvider, testRegistry } from './service-fixtures.ts';

let sim: RunningSimulation;
let prometheus: SimServer;

before(async () => {
  sim = await simJsonProvider.start({});
  // Every path answers 404: a Prometheus URL that points at the wrong thing.
  prometheus = await startSimServer({ name: 'not-prometheus', routes: [] });
});
after(async () => {
  await sim.close();
  await prometheus.close();
});

test('a Prometheus URL answering 404 holds back only the metrics checkpoint: billing is not re-swept', async () => {
  const config = configFrom({
    storage: { url: 'sqlite::memory:' },
    collection: { retries: 1, cost_history: '90d', cost_restatement: '3d' },
    providers: { acme: { ...sim.providerBlock, prometheus_url: prometheus.url } },
  });
  const sink = openSqliteSink(':memory:');
  const registry = testRegistry();
  const charges = (): number =>
    sim.servers[0]?.requests.filter((request) => request.path === '/v1/charges').length ?? 0;
  try {
    const first = await runCycle({
      config,
      registry,
      sink,
      log: silentLogger(),
      now: new Date('2026-11-20T10:00:00Z'),
    });
    assert.equal(first[0]?.status, 'partial', JSON.stringify(first[0]?.errors));
    assert.ok(first[0]?.errors.some((error) => error.code === 'BAD_REQUEST'));
    assert.deepEqual(await sink.getCheckpoint('acme', 'cost'), new Date('2026-11-20T10:00:00Z'));
    assert.equal(await sink.getCheckpoint('acme', 'metrics'), undefined, 'the failed stream keeps its checkpoint');

    const billed = charges();
    const second = await runCycle({
      config,
      registry,
      sink,
      log: silentLogger(),
      now: new Date('2026-11-20T10:05:00Z'),
    });
    assert.equal(second[0]?.status, 'partial');
    assert.equal(charges() - billed, 1);
    const [latest] = await sink.listRuns({ provider: 'acme', limit: 1 });
    assert.deepEqual(latest?.details.window, {
      start: '2026-11-01T00:00:00.000Z',
      end: '2026-11-21T00:00:00.000Z',
    });
  } finally {
    await sink.close();
  }
});
