// A Source that runs another source in a worker thread living for one collect(): a heavy SDK loaded by
// that source is freed with the worker's heap when the run ends, instead of staying in the service for good.
// The main thread keeps everything stateful: the sink (emits are acknowledged one page at a time, so pages
// never pile up between threads), checkpoints and state, the retry loop, circuit breaker, rate limiter and
// per-call timeout (each SDK/HTTP attempt runs in the worker, driven by the main thread's context.call),
// and logging (lines are re-logged through the main logger, where redaction applies).

import { Worker } from 'node:worker_threads';
import { CollectorError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { CollectContext, Source, SourceSettings } from '../../core/source.ts';
import {
  deserializeError,
  serializeAbortReason,
  serializeError,
  type MainMessage,
  type WorkerMessage,
  type WorkerSourceData,
} from './protocol.ts';

// Running from TypeScript sources the worker entry is a .ts file; from the compiled dist/ it is .js.
const WORKER_ENTRY = new URL(
  import.meta.url.endsWith('.ts') ? './worker-main.ts' : './worker-main.js',
  import.meta.url,
);

/** Knobs of an isolated source. */
export interface WorkerSourceOptions {
  /** Per-attempt HTTP timeout and response cap of the worker's HTTP clients (the provider's timing). */
  http?: { timeoutMs: number; maxResponseBytes: number };
  /** How long a cancelled worker may take to stop on its own before it is terminated. Default 5 s. */
  abortGraceMs?: number;
  /** Heap limits of the worker: reaching them fails the run, not the process. */
  resourceLimits?: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number };
}

const DEFAULT_HTTP = { timeoutMs: 30_000, maxResponseBytes: 64 * 1024 * 1024 };

/**
 * Creates a Source whose every collect() starts a worker thread that imports `modulePath` (a file URL),
 * takes its export `exportName` (a SourceFactory, or a function `(settings) => Source`), builds the source
 * from `settings` and collects once. A crash or out-of-memory in the worker fails the run, never the process.
 */
export function createWorkerSource(
  modulePath: string,
  exportName: string,
  settings: SourceSettings<Record<string, unknown>>,
  options: WorkerSourceOptions = {},
): Source {
  const running = new Set<Worker>();
  return {
    async collect(context: CollectContext): Promise<void> {
      if (context.signal.aborted)
        throw new CollectorError('CANCELLED', `${settings.provider}: cancelled before the run started`, {
          provider: settings.provider,
        });
      const data: WorkerSourceData = {
        module: modulePath,
        export: exportName,
        settings: { provider: settings.provider, config: settings.config },
        now: context.now,
        costWindow: context.costWindow,
        metricsWindow: context.metricsWindow,
        collectCosts: context.collectCosts,
        logLevel: context.log.level,
        http: options.http ?? DEFAULT_HTTP,
      };
      const worker = new Worker(WORKER_ENTRY, {
        workerData: data,
        ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
      });
      running.add(worker);
      try {
        await superviseWorker(worker, context, settings.provider, options.abortGraceMs ?? 5_000);
      } finally {
        running.delete(worker);
      }
    },
    async shutdown(): Promise<void> {
      await Promise.allSettled([...running].map((worker) => worker.terminate()));
    },
  };
}

/** Serves one worker's requests until it reports done, crashes or is terminated after an abort. */
function superviseWorker(
  worker: Worker,
  context: CollectContext,
  provider: string,
  abortGraceMs: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let outcome: { error?: CollectorError } | undefined;
    let crash: Error | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const attempts = new Map<number, { resolve: () => void; reject: (error: CollectorError) => void }>();
    let nextAttemptId = 0;
    const post = (message: MainMessage): void => {
      try {
        worker.postMessage(message);
      } catch {
        // The worker is gone; its exit handler settles the run.
      }
    };
    const reply = (id: number, work: Promise<unknown>): void => {
      work.then(
        (value) => post({ type: 'reply', id, value }),
        (thrown: unknown) => post({ type: 'reply', id, error: serializeError(thrown, { provider }) }),
      );
    };
    const onAbort = (): void => {
      post({ type: 'abort', reason: serializeAbortReason(context.signal.reason) });
      graceTimer = setTimeout(() => {
        outcome ??= {
          error: new CollectorError(
            'CANCELLED',
            `${provider}: the isolated source did not stop within ${abortGraceMs / 1000}s of being cancelled; its worker was terminated`,
            { provider },
          ),
        };
        void worker.terminate();
      }, abortGraceMs);
    };
    context.signal.addEventListener('abort', onAbort, { once: true });

    // One call: the retry loop, breaker, pacing, per-attempt timeout and counting run here; each attempt runs in the worker.
    const runCall = (callId: number, operation: string): void => {
      context
        .call(
          { operation },
          (signal) =>
            new Promise<void>((resolveAttempt, rejectAttempt) => {
              const attemptId = nextAttemptId++;
              const abortAttempt = (): void =>
                post({ type: 'attempt-abort', attemptId, reason: serializeAbortReason(signal.reason) });
              signal.addEventListener('abort', abortAttempt, { once: true });
              attempts.set(attemptId, {
                resolve: () => {
                  signal.removeEventListener('abort', abortAttempt);
                  resolveAttempt();
                },
                reject: (error) => {
                  signal.removeEventListener('abort', abortAttempt);
                  rejectAttempt(error);
                },
              });
              post({ type: 'attempt', callId, attemptId });
            }),
        )
        .then(
          () => post({ type: 'call-done', callId }),
          (thrown: unknown) =>
            post({ type: 'call-done', callId, error: serializeError(thrown, { provider, operation }) }),
        );
    };

    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'emit':
          if (message.kind === 'costs') reply(message.id, context.emit.costs(message.rows));
          else if (message.kind === 'resources') reply(message.id, context.emit.resources(message.rows));
          else reply(message.id, context.emit.metrics(message.rows));
          return;
        case 'window-complete':
          reply(message.id, context.emit.costWindowComplete(message.window, message.costSource));
          return;
        case 'state-get':
          reply(message.id, context.state.get(message.key));
          return;
        case 'state-set':
          reply(message.id, context.state.set(message.key, message.value));
          return;
        case 'partial':
          context.emit.partial(deserializeError(message.error), message.streams);
          return;
        case 'count':
          context.emit.countCall(message.operation, message.count);
          return;
        case 'dropped':
          context.emit.dropped(message.reason, message.count);
          return;
        case 'log':
          relogLine(context.log, message.line);
          return;
        case 'call-start':
          runCall(message.callId, message.operation);
          return;
        case 'attempt-result': {
          const attempt = attempts.get(message.attemptId);
          attempts.delete(message.attemptId);
          if (message.error) attempt?.reject(deserializeError(message.error));
          else attempt?.resolve();
          return;
        }
        case 'done':
          outcome ??= message.error ? { error: deserializeError(message.error) } : {};
          // Lingering handles (keep-alive sockets, SDK timers) must not keep the worker's memory alive.
          void worker.terminate();
          return;
      }
    });
    worker.on('error', (error) => {
      crash = error;
    });
    worker.on('exit', (code) => {
      context.signal.removeEventListener('abort', onAbort);
      clearTimeout(graceTimer);
      const failure = outcome ? outcome.error : crashError(provider, code, crash);
      // Attempts still waiting for the worker can never finish now.
      for (const attempt of attempts.values())
        attempt.reject(
          failure ?? new CollectorError('CANCELLED', `${provider}: the isolated source ended`, { provider }),
        );
      attempts.clear();
      if (failure) reject(failure);
      else resolve();
    });
  });
}

function crashError(provider: string, code: number, crash: Error | undefined): CollectorError {
  const reason = crash
    ? `${(crash as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'ran out of memory' : 'crashed'}: ${crash.message}`
    : `exited with code ${code} before finishing`;
  return new CollectorError(
    'INTERNAL',
    `${provider}: the isolated source's worker thread ${reason}`,
    { provider },
    crash ? { cause: crash } : undefined,
  );
}

const LEVEL_NAMES: Readonly<Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** Writes a pino JSON line from the worker through the main logger (its bindings, level and redaction). */
function relogLine(log: Logger, line: string): void {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    log.info(line.trim());
    return;
  }
  const { level, msg, ...fields } = parsed;
  delete fields.time;
  const name = LEVEL_NAMES[typeof level === 'number' ? level : 30] ?? 'info';
  log[name](fields, typeof msg === 'string' ? msg : '');
}
