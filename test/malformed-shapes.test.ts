// Well-formed JSON of the wrong shape (`null`, a string, lists of nulls, numbers where text belongs, numbers no
// clock has) from every simulated provider, rewritten by a proxy in front of its servers: each run records an
// upstream error (RESPONSE_MALFORMED or RESPONSE_INVALID), never INTERNAL ("a bug in the collector").

import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { silentLogger } from '../src/core/log.ts';
import type { AppConfig } from '../src/core/config/types.ts';
import { buildSource } from '../src/runtime/build-source.ts';
import { createProviderRuntime, runProvider } from '../src/runtime/run-provider.ts';
import type { RunningSimulation } from '../src/simulator/provider.ts';
import { SIMULATED_PROVIDERS } from '../src/simulator/providers.ts';
import { openSqliteSink } from '../src/sinks/sqlite/sink.ts';
import { configFrom, simJsonProvider, testRegistry } from './service-fixtures.ts';

type Reshape = (document: unknown) => unknown;

/** Applies `change` to every value of a document (depth first); undefined keeps the value and descends. */
const everywhere =
  (change: (value: unknown) => unknown): Reshape =>
  (document) => {
    const walk = (value: unknown): unknown => {
      const changed = change(value);
      if (changed !== undefined) return changed;
      if (Array.isArray(value)) return value.map(walk);
      if (value !== null && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
      return value;
    };
    return walk(document);
  };

const RESHAPES: Record<string, Reshape> = {
  'the document is null': () => null,
  'the document is a string': () => 'maintenance',
  'every list holds one null': everywhere((value) => (Array.isArray(value) && value.length > 0 ? [null] : undefined)),
  'every string is a number': everywhere((value) => (typeof value === 'string' ? 7 : undefined)),
  'every number is 1e308': everywhere((value) => (typeof value === 'number' ? 1e308 : undefined)),
  'every top-level field is null': (document) =>
    document !== null && typeof document === 'object' && !Array.isArray(document)
      ? Object.fromEntries(Object.keys(document).map((key) => [key, null]))
      : document,
};

const current: { reshape?: Reshape } = {};
const simulations: RunningSimulation[] = [];
const proxies: Server[] = [];
let config: AppConfig;

/** A proxy to `target` that rewrites 200 JSON bodies with the current reshape. */
async function reshapingProxy(target: string): Promise<string> {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: incoming.url,
          method: incoming.method,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            let payload = Buffer.concat(body);
            const headers = { ...answer.headers };
            delete headers['content-length'];
            delete headers['content-encoding'];
            if (current.reshape && answer.statusCode === 200 && /json/.test(String(headers['content-type'])))
              payload = Buffer.from(JSON.stringify(current.reshape(JSON.parse(payload.toString('utf8')))));
            outgoing.writeHead(answer.statusCode ?? 502, headers);
            outgoing.end(payload);
          });
        },
      );
      forwarded.on('error', () => outgoing.writeHead(502).end());
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxies.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

before(async () => {
  const blocks: Record<string, unknown> = {};
  for (const provider of [...SIMULATED_PROVIDERS, simJsonProvider]) {
    const running = await provider.start({ seed: 7 });
    simulations.push(running);
    let block = JSON.stringify(running.providerBlock);
    for (const server of running.servers)
      block = block.split(server.url.replace(/\/$/, '')).join(await reshapingProxy(server.url));
    blocks[provider.name] = { ...(JSON.parse(block) as Record<string, unknown>), rate_limit: 1000 };
  }
  config = configFrom({
    storage: { url: 'sqlite::memory:' },
    collection: { interval: '1h', retries: 1, timeout: '2s', run_timeout: '30s' },
    providers: blocks,
  });
});

after(async () => {
  for (const server of proxies) server.close();
  await Promise.allSettled(simulations.map((running) => running.close()));
});

for (const [label, reshape] of Object.entries(RESHAPES))
  test(`${label}: every provider records an upstream error, never INTERNAL`, async () => {
    current.reshape = reshape;
    const internal: string[] = [];
    for (const provider of Object.values(config.providers)) {
      const sink = openSqliteSink(':memory:');
      const runtime = createProviderRuntime(provider, buildSource(provider, testRegistry()));
      try {
        const summary = await runProvider(runtime, {
          sink,
          log: silentLogger(),
          retryPolicy: { baseDelayMs: 1, maxDelayMs: 2 },
        });
        for (const error of summary.errors)
          if (error.code === 'INTERNAL') internal.push(`${provider.name}: ${error.message}`);
      } finally {
        await runtime.source.shutdown();
        await sink.close();
      }
    }
    current.reshape = undefined;
    assert.deepEqual(internal, []);
  });
