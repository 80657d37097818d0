// Child process of storage-outage.test.ts: collects through the spooling PostgreSQL sink, loses the
// database after the first cycle (its own proxy goes down) and keeps collecting into the spool until the
// test kills it with SIGKILL. Env: OUTAGE_PG_URL (with ?schema=), OUTAGE_SPOOL_DIR.

import { openPostgresSink } from '../../src/sinks/postgres/sink.ts';
import { openSpoolingSink } from '../../src/sinks/spool/spooling-sink.ts';
import { CYCLES, TcpProxy, runCycles, steadyRuntime } from './storage-outage-fixture.ts';

const url = new URL(process.env.OUTAGE_PG_URL ?? '');
const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
await proxy.up();
url.hostname = '127.0.0.1';
url.port = String(proxy.port);
const database = await openPostgresSink(url.toString(), { connectTimeoutMs: 1_000 });
const sink = await openSpoolingSink(database, {
  directory: process.env.OUTAGE_SPOOL_DIR ?? '',
  probeIntervalMs: 60_000,
});
const runtime = steadyRuntime();
const report = (message: Record<string, unknown>): void => {
  process.send?.(message);
};
await runCycles(runtime, sink, 0, 1, (index) => report({ cycle: index }));
await proxy.down();
report({ outage: true });
await runCycles(runtime, sink, 1, CYCLES, (index) => report({ cycle: index }));
report({ done: true, depth: sink.spoolDepth() });
// Stay alive (spooling) until killed, as a service would.
setInterval(() => undefined, 1_000);
