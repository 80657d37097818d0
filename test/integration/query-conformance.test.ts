// The read-side conformance suite against SQLite and the real local PostgreSQL, then the HTTP API itself over
// both engines loaded with the same data: every read endpoint answers byte-for-byte the same body.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { silentLogger } from '../../src/core/log.ts';
import type { Sink } from '../../src/core/sink.ts';
import { createScheduler } from '../../src/runtime/scheduler.ts';
import { createSelfMetrics } from '../../src/runtime/self-metrics.ts';
import { createApp, type AppHandler } from '../../src/server/app.ts';
import { queriesOf } from '../../src/sinks/open.ts';
import { openPostgresSink } from '../../src/sinks/postgres/sink.ts';
import { loadQueryDataset, runQueryConformance } from '../support/query-conformance.ts';
import { openSqliteSink } from '../../src/sinks/sqlite/sink.ts';
import { configFrom, testRegistry } from '../service-fixtures.ts';
import { dropSchema, ensureTestDatabase, schemaUrl, uniqueSchema } from './postgres-test-db.ts';

before(ensureTestDatabase);

runQueryConformance('sqlite', async () => {
  const sink = openSqliteSink(':memory:');
  return { sink, dispose: () => sink.close() };
});

runQueryConformance('postgres', async () => {
  const schema = uniqueSchema('queries');
  const sink = await openPostgresSink(schemaUrl(schema));
  return {
    sink,
    dispose: async () => {
      await sink.close();
      await dropSchema(schema);
    },
  };
});

const TOKEN = 'query-conformance-token-0123456789';
const dormant = { enabled: false, collector_type: 'generic', scrape_targets: ['http://127.0.0.1:9/metrics'] };

function appOver(sink: Sink): AppHandler {
  const config = configFrom({
    storage: { url: 'sqlite::memory:' },
    collection: { interval: '1h' },
    providers: { acme: dormant, other: dormant },
  });
  const metrics = createSelfMetrics({ processMetrics: false });
  const scheduler = createScheduler({
    config,
    registry: testRegistry(),
    sink,
    log: silentLogger(),
    metrics,
    firstRunDelayMs: 3_600_000,
    retentionEveryMs: 0,
  });
  return createApp({
    config,
    sink,
    queries: queriesOf(sink),
    scheduler,
    metrics,
    token: TOKEN,
    latestWindowMs: Date.now(),
  });
}

test('the HTTP API answers the same bodies over SQLite and PostgreSQL: costs (each group_by), resources, metrics, runs, /metrics samples', async () => {
  const schema = uniqueSchema('api_same');
  const sqlite = openSqliteSink(':memory:');
  const postgres = await openPostgresSink(schemaUrl(schema));
  try {
    await loadQueryDataset(sqlite);
    await loadQueryDataset(postgres);
    const apps = { sqlite: appOver(sqlite), postgres: appOver(postgres) };
    const paths = [
      ...['provider', 'service', 'region', 'resource', 'day'].flatMap((groupBy) => [
        `/api/v1/costs?from=2026-11-01&to=2026-12-01&group_by=${groupBy}`,
        `/api/v1/costs?from=2000-01-01&to=2100-01-01&group_by=${groupBy}&provider=acme`,
        `/api/v1/costs?from=2026-11-02T00:00:00Z&to=2026-11-02T23:00:00Z&group_by=${groupBy}`,
      ]),
      '/api/v1/resources',
      '/api/v1/resources?provider=other',
      '/api/v1/resources?type=bucket&limit=2',
      '/api/v1/resources?limit=1',
      '/api/v1/metrics',
      '/api/v1/metrics?name=hw.gpu.utilization&limit=3',
      '/api/v1/metrics?provider=acme&from=2026-11-26T10:05:00Z&to=2026-11-26T10:10:00Z',
      '/api/v1/runs',
      '/api/v1/runs?provider=acme&limit=1',
    ];
    let compared = 0;
    for (const path of paths) {
      const bodies: Record<string, { status: number; text: string }> = {};
      for (const [engine, app] of Object.entries(apps)) {
        const response = await app(
          new Request(`http://api.test${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }),
        );
        bodies[engine] = { status: response.status, text: await response.text() };
      }
      assert.equal(bodies.sqlite?.status, 200, `${path}: ${bodies.sqlite?.text}`);
      assert.deepEqual(bodies.postgres, bodies.sqlite, path);
      compared++;
    }
    const exposition = async (app: AppHandler): Promise<string> => {
      const text = await (
        await app(new Request('http://api.test/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }))
      ).text();
      return text
        .split('\n')
        .filter((line) => line !== '' && !line.includes('optiinfra_collector_'))
        .join('\n');
    };
    const samples = await exposition(apps.sqlite);
    assert.match(
      samples,
      /^optiinfra_hw_gpu_utilization\{provider="acme",resource_id="GPU-0",Hostname="h1",gpu="0"\} 2\.7$/m,
    );
    assert.equal(await exposition(apps.postgres), samples);
    const costs = JSON.parse(
      await (
        await apps.postgres(
          new Request('http://api.test/api/v1/costs?from=2026-11-01&to=2026-12-01&group_by=provider', {
            headers: { authorization: `Bearer ${TOKEN}` },
          }),
        )
      ).text(),
    ) as { totals: Array<{ currency: string; billed_cost: string }> };
    assert.deepEqual(
      costs.totals.map((total) => [total.currency, total.billed_cost]),
      [
        ['EUR', '100000000000000.29'],
        ['USD', '1234567658.32345679'],
      ],
    );
    assert.equal(compared, paths.length);
  } finally {
    await sqlite.close();
    await postgres.close();
    await dropSchema(schema);
  }
});
