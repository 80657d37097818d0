// `run`: the long-running service. Schedules every enabled provider, serves the HTTP API on
// server.listen, prunes old samples, and on SIGINT/SIGTERM stops scheduling, lets in-flight runs settle
// within collection.shutdown_grace, closes the API and flushes and closes storage, then exits 0.

import type { AppConfig } from '../../core/config/types.ts';
import { CollectorError } from '../../core/errors.ts';
import { createLogger, type Logger } from '../../core/log.ts';
import type { Registry } from '../../core/registry.ts';
import { registerSecret } from '../../core/redact.ts';
import { staleRunAfterMs } from '../../runtime/cycle.ts';
import { createScheduler } from '../../runtime/scheduler.ts';
import { createSelfMetrics } from '../../runtime/self-metrics.ts';
import { createApp } from '../../server/app.ts';
import { assertListenAllowed, parseListen } from '../../server/auth.ts';
import { listen } from '../../server/listen.ts';
import { flushSpool, markInterruptedRunsAtStart, openSink, queriesOf, spoolDepthOf } from '../../sinks/open.ts';
import { loadConfigOrThrow } from '../load-config.ts';

/** Signals this soon after the first are the same stop request delivered twice. */
const SAME_SIGNAL_MS = 1_000;

/**
 * Under npm (`npm start`, `npx optiinfra-collector run`) calls `onExit` when the process that started this one
 * exits. npm passes SIGTERM to its own child only: behind the shell `npx` runs bins with, the signal stops the
 * shell and never reaches us, and the service would go on orphaned, holding its port. Outside npm (systemd, a
 * container, nohup) the parent is not watched.
 */
function watchLauncher(onExit: () => void): () => void {
  if (process.env.npm_lifecycle_event === undefined) return () => undefined;
  const launcher = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(timer);
    onExit();
  }, 250);
  timer.unref();
  return () => clearInterval(timer);
}

/** Stop requests: the first signal (or the launcher exiting) resolves `requested`; see stopRequests. */
interface StopRequests {
  requested: Promise<NodeJS.Signals | 'launcher-exit'>;
  dispose(): void;
}

/**
 * One listener for the whole life of the service: between a `once` listener firing and the next being added,
 * a signal would meet none and take Node's default (an abrupt exit). A second signal means "now": exit at once,
 * without waiting for runs; one within a second of the first is the same request twice (Ctrl-C under
 * `npm start` reaches node from the terminal and again from npm).
 */
function stopRequests(log: Logger): StopRequests {
  let stopping: number | undefined;
  let resolveRequested: (reason: NodeJS.Signals | 'launcher-exit') => void = () => undefined;
  const requested = new Promise<NodeJS.Signals | 'launcher-exit'>((resolve) => {
    resolveRequested = resolve;
  });
  const request = (reason: NodeJS.Signals | 'launcher-exit'): boolean => {
    if (stopping !== undefined) return false;
    stopping = Date.now();
    resolveRequested(reason);
    return true;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (request(signal) || Date.now() - (stopping ?? 0) < SAME_SIGNAL_MS) return;
    log.warn('second signal: exiting immediately');
    process.exit(1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const unwatch = watchLauncher(() => request('launcher-exit'));
  return {
    requested,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      unwatch();
    },
  };
}

/** Runs `run`; resolves with the exit code after a graceful shutdown. */
export async function run({ values }: { values: Record<string, unknown> }): Promise<number> {
  const { config, registry } = loadConfigOrThrow(values.config as string | undefined);
  const log = await createLogger({ level: process.env.OPTIINFRA_LOG_LEVEL ?? config.log.level });
  // Listening for a stop before anything starts: a signal that arrives while the service starts up (its port
  // already open) stops it once started, instead of taking Node's default and dying without a word.
  const stop = stopRequests(log);
  try {
    return await serve(values, config, registry, log, stop);
  } finally {
    stop.dispose();
  }
}

async function serve(
  values: Record<string, unknown>,
  config: AppConfig,
  registry: Registry,
  log: Logger,
  stop: StopRequests,
): Promise<number> {
  const token = process.env.OPTIINFRA_API_TOKEN === '' ? undefined : process.env.OPTIINFRA_API_TOKEN;
  registerSecret(token);
  const listenAt = typeof values.listen === 'string' ? values.listen : config.server.listen;
  const { host, port } = parseListen(listenAt);
  assertListenAllowed(host, token);

  // PostgreSQL is spooled: a database down at start-up or later loses nothing (SQLite ignores spoolDir).
  const sink = await openSink(config.storage.url, { spoolDir: config.storage.spool_dir, log });
  await markInterruptedRunsAtStart(sink, { staleAfterMs: staleRunAfterMs(config), log });
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

  const signal = await stop.requested;
  const grace = config.collection.shutdown_grace ?? 15_000;
  log.info({ signal, grace_ms: grace }, 'shutting down: no new runs; waiting for in-flight runs');
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
  stop.dispose();
  // Everything is closed; should a library still hold a handle, do not hang after a clean shutdown.
  setTimeout(() => process.exit(), 2_000).unref();
  return 0;
}
