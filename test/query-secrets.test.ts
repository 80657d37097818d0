// Credentials in URL query strings, under names no pattern would guess, never reach the logs, collection_runs or
// the API: a provider whose scrape target and Prometheus URLs carry them fails, and every trace of the failure is
// redacted while the harmless parameters stay readable.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../src/core/log.ts';
import { buildSource } from '../src/runtime/build-source.ts';
import { createProviderRuntime, runProvider } from '../src/runtime/run-provider.ts';
import { createSelfMetrics } from '../src/runtime/self-metrics.ts';
import { createScheduler } from '../src/runtime/scheduler.ts';
import { createApp } from '../src/server/app.ts';
import { createSqliteQueries } from '../src/sinks/sqlite/queries.ts';
import { openSqliteSink } from '../src/sinks/sqlite/sink.ts';
import { configFrom, testRegistry } from './service-fixtures.ts';

const VALUES = ['tok-1a2b3c', 'sig-9z8y7x', 'AKIAEXAMPLE42', 'FQoGZXIvYXdzEJr', 'pw-hunter2', 'glpat-xyz'];

test('query-string credentials are redacted in logs, collection_runs and API answers', async () => {
  const target =
    `http://127.0.0.1:9/metrics?auth=${VALUES[0]}&sig=${VALUES[1]}&X-Amz-Credential=${VALUES[2]}` +
    `&X-Amz-Security-Token=${VALUES[3]}&X-Amz-Date=20260101T000000Z`;
  const config = configFrom({
    storage: { url: 'sqlite::memory:' },
    collection: { interval: '1h', retries: 1, timeout: '1s' },
    providers: {
      leaky: {
        enabled: true,
        collector_type: 'generic',
        scrape_targets: [target],
        prometheus_url: `http://127.0.0.1:9/?pwd=${VALUES[4]}&private_token=${VALUES[5]}&limit=5`,
      },
    },
  });
  let logs = '';
  const log = await createLogger({
    pretty: false,
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs += chunk.toString();
        done();
      },
    }),
  });
  const sink = openSqliteSink(':memory:');
  const provider = config.providers.leaky;
  assert.ok(provider);
  const summary = await runProvider(createProviderRuntime(provider, buildSource(provider, testRegistry())), {
    sink,
    log,
    retryPolicy: { baseDelayMs: 1, maxDelayMs: 2 },
  });
  assert.equal(summary.status, 'failed');
  const scheduler = createScheduler({ config, registry: testRegistry(), sink, log, retentionEveryMs: 0 });
  const app = createApp({
    config,
    sink,
    queries: createSqliteQueries(sink.database),
    scheduler,
    metrics: createSelfMetrics({ processMetrics: false }),
  });
  const api = await (await app(new Request('http://api.test/api/v1/runs'))).text();
  const stored = JSON.stringify(sink.database.prepare('SELECT error, details FROM collection_runs').all());
  log.flush();
  assert.match(stored, /X-Amz-Date=20260101T000000Z/, 'harmless parameters stay readable');
  assert.match(stored, /auth=\[REDACTED\]/);
  for (const [where, text] of [
    ['logs', logs],
    ['collection_runs', stored],
    ['the API', api],
    ['the run summary', JSON.stringify(summary)],
  ] as const)
    for (const value of VALUES) assert.ok(!text.includes(value), `${value} appears in ${where}`);
  await sink.close();
});
