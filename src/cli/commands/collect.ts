// `collect`: one cycle over the enabled providers, live progress on a terminal, then a summary.

import type { GpuCounts } from '../../core/gpu-count.ts';
import { createLogger } from '../../core/log.ts';
import type { Sink } from '../../core/sink.ts';
import { redactText } from '../../core/redact.ts';
import { runCycle, staleRunAfterMs } from '../../runtime/cycle.ts';
import type { RunSummary } from '../../runtime/run-provider.ts';
import { flushSpool, markInterruptedRunsAtStart, openSink } from '../../sinks/open.ts';
import { gpuCountsTable } from '../gpu-table.ts';
import { loadConfigOrThrow } from '../load-config.ts';
import { renderTable } from '../table.ts';

/** Runs `collect`. */
export async function run({ values }: { values: Record<string, unknown> }): Promise<number> {
  const json = values.json === true;
  const { config, registry } = loadConfigOrThrow(values.config as string | undefined);
  const log = await createLogger({ level: process.env.OPTIINFRA_LOG_LEVEL ?? (json ? 'warn' : config.log.level) });
  // PostgreSQL is spooled: batches written while it is down are kept on disk, never lost.
  const sink = await openSink(config.storage.url, { spoolDir: config.storage.spool_dir, log });
  const live = !json && process.stderr.isTTY;
  try {
    await markInterruptedRunsAtStart(sink, { staleAfterMs: staleRunAfterMs(config), log });
    const summaries = await runCycle({
      config,
      registry,
      sink,
      log,
      only: values.provider as string[] | undefined,
      progress: {
        started: (provider) => {
          if (live) process.stderr.write(`… ${provider}: collecting\n`);
        },
        finished: (summary) => {
          if (live)
            process.stderr.write(
              `${summary.status === 'ok' ? '✔' : summary.status === 'partial' ? '▲' : '✖'} ${summary.provider}: ${summary.status} in ${(summary.duration_ms / 1000).toFixed(1)}s\n`,
            );
        },
      },
    });
    await sink.pruneMetrics(new Date(Date.now() - config.storage.retention));
    // Exit 1 while batches remain spooled: the data is safe on disk but not yet in the database.
    const spooled = await flushSpool(sink);
    const gpus = spooled !== undefined && spooled.segments > 0 ? undefined : await storedGpuCounts(sink);
    const gpuTable =
      gpus === undefined ? '' : gpuCountsTable(gpus, 'GPUs in storage by model (physical, each counted once)');
    process.stdout.write(
      json
        ? `${JSON.stringify({ runs: summaries.map(toJson), ...(gpus === undefined ? {} : { gpus }) })}\n`
        : `${summaryTable(summaries)}${gpuTable === '' ? '' : `\n${gpuTable}`}`,
    );
    if (spooled !== undefined && spooled.segments > 0) {
      process.stderr.write(
        `warning: storage ${redactText(config.storage.url)} is unreachable: ${spooled.segments} batches (${spooled.bytes} bytes) stay spooled in ${config.storage.spool_dir} and are replayed by the next collect or run\n`,
      );
      return 1;
    }
    if (!json) process.stdout.write(`stored in ${redactText(config.storage.url)}\n`);
    return summaries.some((summary) => summary.status === 'failed') ? 1 : 0;
  } finally {
    await sink.close();
  }
}

/** Physical GPUs per model over everything stored (not only this cycle's providers); undefined if storage cannot say. */
async function storedGpuCounts(sink: Sink): Promise<GpuCounts | undefined> {
  if (typeof sink.queries !== 'function') return undefined;
  try {
    return await sink.queries().gpuCounts({});
  } catch {
    return undefined;
  }
}

function toJson(summary: RunSummary): Record<string, unknown> {
  return {
    provider: summary.provider,
    status: summary.status,
    costs: summary.costs,
    resources: summary.resources,
    metrics: summary.metrics,
    duration_ms: summary.duration_ms,
    errors: summary.errors,
    calls: summary.calls,
    deferred: summary.deferred,
    dropped: summary.dropped,
  };
}

/** The summary table printed after a cycle. */
export function summaryTable(summaries: RunSummary[]): string {
  if (summaries.length === 0)
    return 'no enabled providers: enable one in providers.yaml (or run `optiinfra-collector demo`)\n';
  const deferred = summaries
    .filter((summary) => summary.deferred.length > 0)
    .map((summary) => `${summary.provider} (${summary.deferred.join(', ')})`);
  const dropped = summaries
    .filter((summary) => Object.keys(summary.dropped).length > 0)
    .map(
      (summary) =>
        `${summary.provider} (${Object.entries(summary.dropped)
          .map(([reason, count]) => `${count} ${reason.replace(/_/g, ' ')}`)
          .join(', ')})`,
    );
  const note =
    (deferred.length === 0
      ? ''
      : `deferred until storage answers (re-collected from the stored checkpoints then): ${deferred.join('; ')}\n`) +
    (dropped.length === 0 ? '' : `dropped, not stored: ${dropped.join('; ')}\n`);
  return `${renderTable(
    ['PROVIDER', 'STATUS', 'COSTS', 'RESOURCES', 'SAMPLES', 'DURATION', 'CALLS', 'FIRST ERROR'],
    summaries.map((summary) => [
      summary.provider,
      summary.status,
      summary.costs,
      summary.resources,
      summary.metrics,
      `${(summary.duration_ms / 1000).toFixed(2)}s`,
      Object.values(summary.calls).reduce((total, count) => total + count, 0),
      summary.errors[0] ? `${summary.errors[0].code}: ${summary.errors[0].message}`.slice(0, 120) : '',
    ]),
  )}${note}`;
}
