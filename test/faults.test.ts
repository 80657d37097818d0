// Fault tests through the simulator, over every registered simulated provider plus the sim_json test
// provider: each fault is applied to half the providers while the other half runs clean in the same
// cycle. Checked: bounded retries, the error recorded in collection_runs with its stable code, the clean
// providers' data complete, the process alive; then no seeded secret anywhere (logs, API, rows, errors).

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { ERROR_CODES } from '../src/core/errors.ts';
import { createLogger, type Logger } from '../src/core/log.ts';
import { isSecretKey } from '../src/core/redact.ts';
import type { AppConfig } from '../src/core/config/types.ts';
import type { CollectionRun } from '../src/core/model.ts';
import { createScheduler } from '../src/runtime/scheduler.ts';
import type { RunSummary } from '../src/runtime/run-provider.ts';
import { createSelfMetrics } from '../src/runtime/self-metrics.ts';
import { createApp } from '../src/server/app.ts';
import type { Fault } from '../src/simulator/faults.ts';
import type { RunningSimulation } from '../src/simulator/provider.ts';
import { SIMULATED_PROVIDERS } from '../src/simulator/providers.ts';
import { createSqliteQueries } from '../src/sinks/sqlite/queries.ts';
import { openSqliteSink, type SqliteSink } from '../src/sinks/sqlite/sink.ts';
import { configFrom, simJsonProvider, testRegistry } from './service-fixtures.ts';

const RETRIES = 2;
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5_000 };

/** Each fault with the stable codes it may be recorded as (the first is the expected one). */
const FAULTS: Array<{ label: string; fault: Fault; codes: string[] }> = [
  { label: '429 without Retry-After', fault: { kind: 'rate_limit' }, codes: ['RATE_LIMITED'] },
  { label: '429 with Retry-After: 1', fault: { kind: 'rate_limit', retry_after: '1' }, codes: ['RATE_LIMITED'] },
  { label: '500', fault: { kind: 'server_error', status: 500 }, codes: ['UPSTREAM_UNAVAILABLE'] },
  { label: '502', fault: { kind: 'server_error', status: 502 }, codes: ['UPSTREAM_UNAVAILABLE'] },
  { label: '503', fault: { kind: 'server_error', status: 503 }, codes: ['UPSTREAM_UNAVAILABLE'] },
  { label: 'stalled response', fault: { kind: 'stall', ms: 30_000 }, codes: ['TIMEOUT'] },
  { label: 'reset connection', fault: { kind: 'reset' }, codes: ['NETWORK'] },
  { label: 'malformed JSON', fault: { kind: 'malformed' }, codes: ['RESPONSE_MALFORMED'] },
  { label: 'truncated body', fault: { kind: 'truncated' }, codes: ['RESPONSE_MALFORMED', 'NETWORK'] },
  {
    label: 'oversized body',
    fault: { kind: 'oversized', bytes: 2 * MAX_RESPONSE_BYTES },
    codes: ['RESPONSE_TOO_LARGE'],
  },
];

const simulations: Array<{ name: string; running: RunningSimulation }> = [];
const logLines: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
let config: AppConfig;
let sink: SqliteSink;
let log: Logger;
const baseline = new Map<string, RunSummary>();
const baselineRequests = new Map<string, number>();

const requestCount = (name: string): number =>
  simulations
    .find((simulation) => simulation.name === name)
    ?.running.servers.reduce((total, server) => total + server.requests.length, 0) ?? 0;

async function cycle(faulted: ReadonlySet<string>, fault: Fault | undefined): Promise<Map<string, RunSummary>> {
  for (const { name, running } of simulations)
    for (const server of running.servers) {
      server.faults.clear();
      if (fault && faulted.has(name)) server.faults.add(fault);
    }
  // A scheduler per cycle: fresh breakers, so one case's open circuit never leaks into the next.
  const scheduler = createScheduler({
    config,
    registry: testRegistry(),
    sink,
    log,
    firstRunDelayMs: 3_600_000,
    retentionEveryMs: 0,
    retryPolicy: FAST_RETRY,
  });
  scheduler.start();
  try {
    const summaries = await scheduler.trigger().done;
    return new Map(summaries.map((summary) => [summary.provider, summary]));
  } finally {
    await scheduler.stop(1_000);
    for (const { running } of simulations) for (const server of running.servers) server.faults.clear();
  }
}

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  for (const provider of [...SIMULATED_PROVIDERS, simJsonProvider])
    simulations.push({ name: provider.name, running: await provider.start({ seed: 7 }) });
  config = configFrom({
    storage: { url: 'sqlite::memory:' },
    collection: {
      interval: '1h',
      retries: RETRIES,
      timeout: '1s',
      run_timeout: '60s',
      concurrency: 16,
      max_response_bytes: MAX_RESPONSE_BYTES,
    },
    // rate_limit: the simulator is local; provider pacing would only slow the test down.
    providers: Object.fromEntries(
      simulations.map(({ name, running }) => [name, { ...running.providerBlock, rate_limit: 1000 }]),
    ),
  });
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  log = await createLogger({ level: 'debug', pretty: false, destination: capture });
  sink = openSqliteSink(':memory:');
  const before = new Map(simulations.map(({ name }) => [name, requestCount(name)]));
  for (const [name, summary] of await cycle(new Set(), undefined)) {
    baseline.set(name, summary);
    baselineRequests.set(name, requestCount(name) - (before.get(name) ?? 0));
  }
});

after(async () => {
  process.off('unhandledRejection', onUnhandled);
  await sink?.close();
  await Promise.allSettled(simulations.map(({ running }) => running.close()));
});

test('baseline: every simulated provider collects cleanly', () => {
  assert.ok(simulations.length >= 2, 'at least the exporter host and a JSON API provider');
  for (const [name, summary] of baseline)
    assert.equal(summary.status, 'ok', `${name}: ${JSON.stringify(summary.errors)}`);
  assert.equal(baseline.size, simulations.length);
});

// Provider behaviour found wrong by these tests and owned elsewhere: reported as todo (visible, not failing)
// until fixed. Key: `${provider}/${fault label}`.
const KNOWN_DEVIATIONS: Record<string, string> = {};

// Transport faults on scrape targets are recorded as TARGET_DOWN (the message keeps the cause).
const TRANSPORT_KINDS = new Set(['server_error', 'stall', 'reset', 'truncated']);

for (const { label, fault, codes } of FAULTS) {
  test(`fault: ${label} -> bounded retries, ${codes[0]} recorded, the other providers complete`, async (t) => {
    const names = simulations.map(({ name }) => name);
    const accepted = TRANSPORT_KINDS.has(fault.kind) ? [...codes, 'TARGET_DOWN'] : codes;
    const outcomes = new Map<
      string,
      { summary: RunSummary | undefined; made: number; run: CollectionRun | undefined }
    >();
    for (const half of [0, 1]) {
      const faulted = new Set(names.filter((_, index) => index % 2 === half));
      const requestsBefore = new Map(names.map((name) => [name, requestCount(name)]));
      const summaries = await cycle(faulted, fault);
      for (const name of names) {
        const summary = summaries.get(name);
        if (faulted.has(name)) {
          const [run] = await sink.listRuns({ provider: name, limit: 1 });
          outcomes.set(name, { summary, made: requestCount(name) - (requestsBefore.get(name) ?? 0), run });
          continue;
        }
        assert.ok(summary, `${name}: no run`);
        assert.equal(summary.status, 'ok', `${name} (clean while others fail): ${JSON.stringify(summary.errors)}`);
        assert.equal(summary.resources, baseline.get(name)?.resources, `${name}: inventory incomplete`);
      }
    }
    for (const [name, { summary, made, run }] of outcomes) {
      const todo = KNOWN_DEVIATIONS[`${name}/${label}`];
      await t.test(name, todo === undefined ? {} : { todo }, async () => {
        assert.ok(summary, `${name}: no run`);
        assert.notEqual(summary.status, 'ok', `${name} under ${label} reported ok`);
        const recorded = summary.errors.map((error) => error.code);
        for (const code of recorded) assert.ok(code in ERROR_CODES, `${name}: unknown code ${code}`);
        assert.ok(
          recorded.some((code) => accepted.includes(code)),
          `${name} under ${label}: expected ${accepted.join(' or ')}, got ${JSON.stringify(summary.errors)}`,
        );
        const bound = RETRIES * Math.max(1, baselineRequests.get(name) ?? 1) + RETRIES;
        assert.ok(made <= bound, `${name} under ${label}: ${made} requests, more than ${bound} (retries unbounded?)`);
        assert.equal(run?.status, summary.status);
        assert.match(run?.error ?? '', /^[A-Z_]+: /, `${name}: collection_runs.error`);
        assert.deepEqual(
          run?.details.errors.map((error) => error.code),
          recorded,
        );
      });
    }
  });
}

test('the process stayed healthy: no unhandled rejections, no unexpected simulator requests', () => {
  assert.deepEqual(unhandled, []);
  for (const { name, running } of simulations)
    for (const server of running.servers)
      assert.deepEqual(
        server.unexpected.map((request) => `${request.method} ${request.path}`),
        [],
        name,
      );
});

test('seeded API keys never appear in logs, API responses, error messages or stored rows', async () => {
  const secrets = new Set<string>();
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' && isSecretKey(key) && item.length >= 4) secrets.add(item);
      else walk(item);
    }
  };
  for (const { running } of simulations) walk(running.providerBlock);
  assert.ok(secrets.size >= 1, 'the simulated providers seed at least one API key');

  const metrics = createSelfMetrics({ processMetrics: false });
  const scheduler = createScheduler({
    config,
    registry: testRegistry(),
    sink,
    log,
    firstRunDelayMs: 3_600_000,
    retentionEveryMs: 0,
    retryPolicy: FAST_RETRY,
  });
  scheduler.start();
  // One more cycle with auth failures everywhere: error paths are where keys tend to leak.
  for (const { running } of simulations)
    for (const server of running.servers) server.faults.add({ kind: 'unauthorized', count: 1 });
  const summaries = await scheduler.trigger().done;
  for (const summary of summaries) metrics.recordRun(summary);
  const app = createApp({ config, sink, queries: createSqliteQueries(sink.database), scheduler, metrics, log });
  const responses: string[] = [];
  for (const path of [
    '/healthz',
    '/readyz',
    '/metrics',
    '/api/v1/providers',
    '/api/v1/runs?limit=1000',
    '/api/v1/costs?from=2000-01-01&group_by=resource',
    '/api/v1/resources?limit=10000',
    '/api/v1/metrics?limit=10000',
    '/openapi.json',
    '/api/v1/costs?provider=nope',
  ]) {
    responses.push(await (await app(new Request(`http://api.test${path}`))).text());
  }
  responses.push(await (await app(new Request('http://api.test/api/v1/collect', { method: 'POST' }))).text());
  await scheduler.stop(1_000);
  for (const { running } of simulations) for (const server of running.servers) server.faults.clear();

  const tables = (
    sink.database.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").all() as Array<{
      name: string;
    }>
  ).map((row) => row.name);
  const dump = tables
    .map((table) => JSON.stringify(sink.database.prepare(`SELECT * FROM "${table}"`).all()))
    .join('\n');
  const errors = summaries.flatMap((summary) => summary.errors.map((error) => error.message)).join('\n');
  assert.ok(logLines.length > 0, 'logs were captured');
  assert.ok(errors.length > 0, 'the auth failures produced error messages');
  for (const secret of secrets) {
    for (const [where, text] of [
      ['logs', logLines.join('')],
      ['API responses', responses.join('\n')],
      ['error messages', errors],
      ['stored rows', dump],
    ] as const) {
      assert.ok(!text.includes(secret), `a seeded API key (${secret.slice(0, 3)}…) appears in ${where}`);
    }
  }
});

/** Keys that occur more than once at the top level of a JSON object's text (JSON.parse would keep only the last). */
function repeatedTopLevelKeys(line: string): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  let depth = 0;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (char === '"') {
      let end = index + 1;
      while (end < line.length && line[end] !== '"') end += line[end] === '\\' ? 2 : 1;
      const text = line.slice(index + 1, end);
      if (depth === 1 && line[end + 1] === ':') {
        if (seen.has(text)) repeated.push(text);
        seen.add(text);
      }
      index = end;
    } else if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') depth -= 1;
  }
  return repeated;
}

test('every log line of every provider run (workers included) names each key once', () => {
  assert.ok(logLines.length > 0);
  const lines = logLines
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const repeated = lines
    .map((line) => [repeatedTopLevelKeys(line), line] as const)
    .filter(([keys]) => keys.length > 0)
    .map(([keys, line]) => `${keys.join(', ')}: ${line.slice(0, 160)}`);
  assert.deepEqual(repeated.slice(0, 5), []);
  assert.ok(lines.some((line) => /"provider":"vultr"/.test(line)));
});
