// Builds a real CollectContext for tests: a real HttpClient (real sockets to the simulator), the shared
// retry policy with short delays, and a MemoryEmitter to assert on.

import { silentLogger } from '../../src/core/log.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/core/retry.ts';
import type { CollectContext, SourceFactory, SourceState } from '../../src/core/source.ts';
import type { TimeWindow } from '../../src/core/window.ts';
import type { HttpClient, TlsOptions } from '../../src/core/http.ts';
import { createHttpClient } from '../../src/runtime/http/client.ts';
import { createCallRunner } from '../../src/runtime/call.ts';
import { createMemoryEmitter, type MemoryEmitter } from './memory-emitter.ts';

/** Options for a test context. */
export interface TestContextOptions {
  provider: string;
  now?: Date;
  costWindow?: TimeWindow;
  metricsWindow?: TimeWindow;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

/** A context plus the emitter and client behind it. */
export interface TestContext {
  context: CollectContext;
  emitter: MemoryEmitter;
  http: HttpClient;
  close(): Promise<void>;
}

/** A SourceState kept in memory (tests). */
export function createMemoryState(): SourceState & { readonly values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    get: async <T>(key: string) => (values.has(key) ? (structuredClone(values.get(key)) as T) : undefined),
    set: async (key: string, value: unknown) => {
      values.set(key, structuredClone(value));
    },
  };
}

/** Creates a test context; retries are fast (10 ms base) unless overridden. */
export function createTestContext(options: TestContextOptions): TestContext {
  const now = options.now ?? new Date();
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    baseDelayMs: 10,
    maxDelayMs: 50,
    maxRetryAfterMs: 5_000,
    ...options.retry,
  };
  const emitter = createMemoryEmitter();
  const controller = new AbortController();
  const clients: HttpClient[] = [];
  const makeClient = (extra: { tls?: TlsOptions; headers?: Record<string, string> } = {}): HttpClient => {
    const client = createHttpClient({
      provider: options.provider,
      retry: policy,
      timeoutMs: options.timeoutMs ?? 5_000,
      ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
      onCall: (operation) => emitter.countCall(operation),
      signal: controller.signal,
      ...extra,
    });
    clients.push(client);
    return client;
  };
  const http = makeClient();
  const day = 86_400_000;
  const context: CollectContext = {
    provider: options.provider,
    now,
    collectCosts: true,
    costWindow: options.costWindow ?? { start: new Date(now.getTime() - 30 * day), end: now },
    metricsWindow: options.metricsWindow ?? { start: new Date(now.getTime() - 300_000), end: now },
    signal: controller.signal,
    log: silentLogger(),
    http,
    httpWith: (extra) => makeClient(extra),
    call: createCallRunner({
      provider: options.provider,
      policy,
      timeoutMs: options.timeoutMs ?? 5_000,
      signal: controller.signal,
      countCall: (operation) => emitter.countCall(operation),
    }),
    emit: emitter,
    state: createMemoryState(),
  };
  return {
    context,
    emitter,
    http,
    close: async () => {
      controller.abort();
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}

/** Creates `factory`'s source for `provider` with `config`, collects once in a test context, and returns its emitter. */
export async function collectOnce(
  factory: SourceFactory,
  provider: string,
  config: Record<string, unknown>,
  options: Omit<TestContextOptions, 'provider'> & { state?: SourceState } = {},
): Promise<MemoryEmitter> {
  const { state, ...contextOptions } = options;
  const harness = createTestContext({ provider, ...contextOptions });
  if (state) harness.context.state = state;
  const source = factory.create({ provider, config });
  try {
    await source.collect(harness.context);
    return harness.emitter;
  } finally {
    await source.shutdown();
    await harness.close();
  }
}
