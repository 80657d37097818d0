// Entry point of an isolated source's worker thread: imports the source module named in the worker data,
// builds the source, collects once through the forwarding context, reports done and lets the thread end.

import { parentPort, workerData } from 'node:worker_threads';
import { CollectorError } from '../../core/errors.ts';
import type { Source, SourceFactory, SourceSettings } from '../../core/source.ts';
import { serializeError, type SerializedError, type WorkerMessage, type WorkerSourceData } from './protocol.ts';
import { createWorkerContext } from './worker-context.ts';

type SourceBuilder = SourceFactory | ((settings: SourceSettings<Record<string, unknown>>) => Source);

async function main(port: NonNullable<typeof parentPort>, data: WorkerSourceData): Promise<void> {
  const { provider } = data.settings;
  const { context, close } = createWorkerContext(port, data);
  let source: Source | undefined;
  let error: SerializedError | undefined;
  try {
    const loaded = (await import(data.module)) as Record<string, SourceBuilder | undefined>;
    const builder = loaded[data.export];
    if (typeof builder === 'function') source = builder(data.settings);
    else if (builder && typeof builder.create === 'function') source = builder.create(data.settings);
    else
      throw new CollectorError(
        'INTERNAL',
        `${provider}: ${data.module} has no source factory export ${JSON.stringify(data.export)}`,
        { provider },
      );
    await source.collect(context);
  } catch (thrown) {
    error = serializeError(thrown, { provider });
  } finally {
    await Promise.allSettled([source?.shutdown(), close()]);
  }
  port.postMessage({ type: 'done', ...(error ? { error } : {}) } satisfies WorkerMessage);
}

if (parentPort) await main(parentPort, workerData as WorkerSourceData);
