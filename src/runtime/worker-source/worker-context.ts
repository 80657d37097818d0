// The CollectContext a source sees inside the worker thread: every method forwards to the main thread's
// context over the message port. Emits and state calls wait for the main thread's answer (backpressure);
// call() and HTTP requests run each attempt here while the main thread's call runner owns the retry loop,
// circuit breaker, pacing, per-attempt timeout and call counting, exactly as for an in-process source.

import type { MessagePort } from 'node:worker_threads';
import { pino } from 'pino';
import type { CollectorError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { CallOptions, CollectContext } from '../../core/source.ts';
import { anySignal, type HttpClient, type HttpRequest, type HttpResponse } from '../../core/http.ts';
import { ResilientHttpClient, type HttpClientOptions } from '../http/client.ts';
import {
  abortReasonError,
  deserializeError,
  serializeError,
  type MainMessage,
  type WorkerMessage,
  type WorkerSourceData,
} from './protocol.ts';

type CallFunction = CollectContext['call'];

/** An HTTP client whose every attempt goes through the main thread's call runner (one attempt per call here). */
class RoutedHttpClient extends ResilientHttpClient {
  readonly #call: CallFunction;

  constructor(options: HttpClientOptions, call: CallFunction) {
    super(options);
    this.#call = call;
  }

  override request<T = HttpResponse>(request: HttpRequest, parse?: (response: HttpResponse) => T): Promise<T> {
    const method = request.method ?? (request.body !== undefined || request.json !== undefined ? 'POST' : 'GET');
    const operation = request.operation ?? `${method} ${new URL(request.url.toString()).pathname}`;
    return this.#call({ operation }, (signal) =>
      super.request(
        {
          ...request,
          operation,
          signal: anySignal([request.signal, signal]) ?? signal,
          retry: { ...request.retry, attempts: 1 },
        },
        parse,
      ),
    );
  }
}

/** The worker's context plus what the worker entry needs to finish. */
export interface WorkerContext {
  context: CollectContext;
  /** Closes the HTTP clients. */
  close(): Promise<void>;
}

/** Builds the forwarding context on `port` from the worker data. */
export function createWorkerContext(port: MessagePort, data: WorkerSourceData): WorkerContext {
  const { provider } = data.settings;
  const controller = new AbortController();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: CollectorError) => void }>();
  const calls = new Map<
    number,
    {
      attempt: (signal: AbortSignal) => Promise<unknown>;
      classify: (thrown: unknown) => CollectorError;
      result?: unknown;
      resolve: (value: unknown) => void;
      reject: (error: CollectorError) => void;
    }
  >();
  const attemptControllers = new Map<number, AbortController>();
  let nextId = 0;
  const post = (message: WorkerMessage): void => port.postMessage(message);
  const request = <T>(build: (id: number) => WorkerMessage): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      post(build(id));
    });

  port.on('message', (message: MainMessage) => {
    switch (message.type) {
      case 'reply': {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(deserializeError(message.error));
        else waiter?.resolve(message.value);
        return;
      }
      case 'attempt': {
        const call = calls.get(message.callId);
        if (!call) return;
        const attemptController = new AbortController();
        attemptControllers.set(message.attemptId, attemptController);
        const signal = anySignal([controller.signal, attemptController.signal]) ?? attemptController.signal;
        call
          .attempt(signal)
          .then(
            (result) => {
              call.result = result;
              post({ type: 'attempt-result', attemptId: message.attemptId });
            },
            (thrown: unknown) =>
              post({
                type: 'attempt-result',
                attemptId: message.attemptId,
                error: serializeError(call.classify(thrown)),
              }),
          )
          .finally(() => attemptControllers.delete(message.attemptId));
        return;
      }
      case 'attempt-abort':
        attemptControllers.get(message.attemptId)?.abort(abortReasonError(message.reason));
        return;
      case 'call-done': {
        const call = calls.get(message.callId);
        calls.delete(message.callId);
        if (message.error) call?.reject(deserializeError(message.error));
        else call?.resolve(call.result);
        return;
      }
      case 'abort':
        controller.abort(abortReasonError(message.reason));
        return;
    }
  });

  const call = <T>(options: CallOptions, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const callId = nextId++;
      const classify = (thrown: unknown): CollectorError =>
        options.classify
          ? options.classify(thrown)
          : deserializeError(serializeError(thrown, { provider, operation: options.operation }));
      calls.set(callId, { attempt, classify, resolve: resolve as (value: unknown) => void, reject });
      post({ type: 'call-start', callId, operation: options.operation });
    });

  const clients: HttpClient[] = [];
  const log: Logger = pino(
    { level: data.logLevel, base: undefined },
    { write: (line: string) => post({ type: 'log', line }) },
  );
  const makeClient = (extra: { tls?: HttpClientOptions['tls']; headers?: Record<string, string> } = {}): HttpClient => {
    const client = new RoutedHttpClient(
      {
        provider,
        timeoutMs: data.http.timeoutMs,
        maxResponseBytes: data.http.maxResponseBytes,
        log,
        signal: controller.signal,
        ...extra,
      },
      call,
    );
    clients.push(client);
    return client;
  };

  const context: CollectContext = {
    provider,
    now: data.now,
    costWindow: data.costWindow,
    metricsWindow: data.metricsWindow,
    collectCosts: data.collectCosts,
    signal: controller.signal,
    log,
    http: makeClient(),
    httpWith: makeClient,
    call,
    emit: {
      costs: (rows) => request((id) => ({ type: 'emit', id, kind: 'costs', rows })),
      resources: (rows) => request((id) => ({ type: 'emit', id, kind: 'resources', rows })),
      metrics: (rows) => request((id) => ({ type: 'emit', id, kind: 'metrics', rows })),
      costWindowComplete: (window, costSource) =>
        request((id) => ({ type: 'window-complete', id, window, costSource })),
      partial: (error, streams) =>
        post({ type: 'partial', error: serializeError(error, { provider }), ...(streams ? { streams } : {}) }),
      countCall: (operation, count = 1) => post({ type: 'count', operation, count }),
      dropped: (reason, count) => post({ type: 'dropped', reason, count }),
    },
    state: {
      get: <T>(key: string) => request<T | undefined>((id) => ({ type: 'state-get', id, key })),
      set: (key, value) => request<void>((id) => ({ type: 'state-set', id, key, value })),
    },
  };
  return {
    context,
    close: async () => {
      await Promise.allSettled(clients.map((client) => client.close()));
    },
  };
}
