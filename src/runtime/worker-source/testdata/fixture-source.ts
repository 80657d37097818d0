// A source for the worker-source tests: `config.mode` picks what it does inside the worker thread.

import { threadId } from 'node:worker_threads';
import { CollectorError } from '../../../core/errors.ts';
import type { MetricSample } from '../../../core/model.ts';
import type { CollectContext, Source, SourceSettings } from '../../../core/source.ts';

function sample(provider: string, page: number, index: number): MetricSample {
  return { ts: '2025-01-01T00:00:00.000Z', provider, name: 'fixture.page', category: 'performance', value: page * 1000 + index, unit: '1', resource_id: `r-${page}`, labels: { page: String(page), thread: String(threadId) } };
}

function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

async function collect(config: Record<string, unknown>, context: CollectContext): Promise<void> {
  const provider = context.provider;
  switch (config.mode) {
    case 'stream': {
      const pages = Number(config.pages ?? 5);
      for (let page = 0; page < pages; page += 1) {
        await context.emit.metrics(Array.from({ length: 100 }, (_, index) => sample(provider, page, index)));
      }
      await context.emit.resources([]);
      await context.emit.costWindowComplete(context.costWindow, 'billing_api');
      return;
    }
    case 'calls': {
      let attempts = 0;
      const flaky = await context.call({ operation: 'fixture:Flaky' }, async () => {
        attempts += 1;
        if (attempts === 1) throw new CollectorError('RATE_LIMITED', 'fixture: slow down', { provider, retryAfterMs: 1 });
        return { attempts };
      });
      const body = await context.http.json<{ ok: boolean }>({ url: String(config.url), operation: 'fixture:GetThing' });
      context.emit.countCall('fixture:Manual', 2);
      await context.emit.metrics([{ ...sample(provider, 0, 0), value: flaky.attempts, labels: { http_ok: String(body.ok) } }]);
      return;
    }
    case 'partial':
      context.emit.partial(new CollectorError('TARGET_DOWN', 'fixture: region eu-west-1 is down', { provider, url: 'http://example.invalid/' }));
      await context.emit.metrics([sample(provider, 1, 1)]);
      return;
    case 'state': {
      const previous = (await context.state.get<{ runs: number }>('counter')) ?? { runs: 0 };
      await context.state.set('counter', { runs: previous.runs + 1, seenAt: context.now.toISOString() });
      return;
    }
    case 'log':
      context.log.warn({ region: 'us-east-1', detail: String(config.secret) }, `fixture: used key ${String(config.secret)}`);
      context.log.debug('fixture: dropped at info level');
      return;
    case 'abort':
      // Honours the signal: the run ends as soon as the main thread cancels it.
      await context.call({ operation: 'fixture:Wait' }, (signal) => waitForAbort(signal));
      return;
    case 'stubborn':
      // Ignores the signal: the main thread terminates the worker after the grace period.
      await new Promise(() => setInterval(() => undefined, 1_000));
      return;
    case 'throw':
      throw new CollectorError('AUTH_FAILED', `${provider}: access denied to ce:GetCostAndUsage; grant it to the collector's role`, { provider, operation: 'ce:GetCostAndUsage', status: 403 });
    case 'exit':
      process.exit(1);
      return;
    case 'uncaught':
      setTimeout(() => {
        throw new Error('fixture: uncaught in a timer');
      }, 1);
      await new Promise(() => setInterval(() => undefined, 1_000));
      return;
    case 'oom': {
      const hoard: unknown[] = [];
      for (;;) hoard.push(Array.from({ length: 100_000 }, (_, index) => ({ index })));
    }
    default:
      throw new Error(`fixture: unknown mode ${String(config.mode)}`);
  }
}

/** The fixture as a SourceFactory-shaped export. */
export const fixtureFactory = {
  create: (settings: SourceSettings<Record<string, unknown>>): Source => ({
    collect: (context) => collect(settings.config, context),
    shutdown: async () => undefined,
  }),
};

/** The fixture as a plain `(settings) => Source` function. */
export function createFixtureSource(settings: SourceSettings<Record<string, unknown>>): Source {
  return fixtureFactory.create(settings);
}
