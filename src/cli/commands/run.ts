// `run`: the long-running service. Schedules every enabled provider, serves the HTTP API on
// server.listen, prunes old samples, and on SIGINT/SIGTERM stops scheduling, lets in-flight runs settle
// within collection.shutdown_grace, closes the API and flushes and closes storage, then exits 0.

import { CollectorError } from '../../core/errors.ts';
import { createLogger } from '../../core/log.ts';
import { registerSecret } from '../../core/redact.ts';
import { createScheduler } from '../../runtime/scheduler.ts';
import { createSelfMetrics } from '../../runtime/self-metrics.ts';
import { createApp } from '../../server/app.ts';
import { assertListenAllowed, parseListen } from '../../server/auth.ts';
import { listen } from '../../server/listen.ts';
import { flushSpool, markInterruptedRunsAtStart, openSink, queriesOf, spoolDepthOf } from '../../sinks/open.ts';
import { loadConfigOrThrow } from '../load-config.ts';

/** Runs `run`; resolves with the exit code after a graceful shutdown. */
export async function run({ values }: { values: Record<string, unknown> }): Promise<number> {
  const { config, registry } = loadConfigOrThrow(values.config as string | undefined);
  const log = await createLogger({ level: process.env.OPTIINFRA_LOG_LEVEL ?? config.log.level });
  const token = process.env.OPTIINFRA_API_TOKEN === '' ? undefined : process.env.OPTIINFRA_API_TOKEN;
  registerSecret(token);
  const listenAt = typeof values.listen === 'string' ? values.listen : config.server.listen;
  const { host, port } = parseListen(listenAt);
  assertListenAllowed(host, token);

  // PostgreSQL is spooled: a database down at start-up or later loses nothing (SQLite ignores spoolDir).
  const sink = await openSink(config.storage.url, { spoolDir: config.storage.spool_dir, log });
  await markInterruptedRunsAtStart(sink, log);
  const metrics = createSelfMetrics();
  // The gauge counts batches (segments); the spool reports segments and bytes.
  if (spoolDepthOf(sink) !== undefined) metrics.watchSpool({ spoolDepth: () => spoolDepthOf(sink)?.segments ?? 0 });
  const scheduler = createScheduler({ config, registry, sink, log, metrics });
  metrics.watchCircuits(() => scheduler.circuitStates());
  let queries;
  try {
    queries = queriesOf(sink);
  } catch (error) {
    await sink.close();
    throw error;
  }
  const app = createApp({
    config,
    sink,
    queries,
    scheduler,
    metrics,
    ...(token === undefined ? {} : { token }),
    log: log.child({ component: 'api' }),
  });
  let server;
  try {
    server = await listen(app, host, port, log);
  } catch (error) {
    await sink.close();
    throw new CollectorError(
      'USAGE',
      `cannot listen on ${listenAt}: ${error instanceof Error ? error.message : String(error)} (set server.listen or --listen)`,
      {},
      { cause: error },
    );
  }
  const enabled = Object.values(config.providers)
    .filter((provider) => provider.enabled)
    .map((provider) => provider.name);
  log.info({ url: server.url, providers: enabled, storage: sink.kind, auth: token !== undefined }, 'service started');
  scheduler.start();
  void scheduler.firstCycle().then(() => log.info({ providers: enabled.length }, 'first cycle complete'));

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const grace = config.collection.shutdown_grace ?? 15_000;
  log.info({ signal, grace_ms: grace }, 'shutting down: no new runs; waiting for in-flight runs');
  // A second signal means "now": exit at once, without waiting for runs.
  const force = (): void => {
    log.warn('second signal: exiting immediately');
    process.exit(1);
  };
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  await scheduler.stop(grace);
  await server.close(2_000);
  const spooled = await flushSpool(sink);
  if (spooled !== undefined && spooled.segments > 0)
    log.warn(
      {
        code: 'STORAGE_UNAVAILABLE',
        spooled_batches: spooled.segments,
        spooled_bytes: spooled.bytes,
        spool_dir: config.storage.spool_dir,
      },
      'storage is still unreachable: spooled batches stay on disk and are replayed on the next start',
    );
  await sink.close();
  log.info('stopped');
  process.off('SIGINT', force);
  process.off('SIGTERM', force);
  // Everything is closed; should a library still hold a handle, do not hang after a clean shutdown.
  setTimeout(() => process.exit(), 2_000).unref();
  return 0;
}
