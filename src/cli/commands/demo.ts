// `demo`: starts every simulated provider, writes a config pointing at them, runs a real collection
// into SQLite, and prints the summary, a few highlights and where the data is.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadConfigText } from '../../core/config/load.ts';
import { createLogger } from '../../core/log.ts';
import { CollectorError } from '../../core/errors.ts';
import { runCycle } from '../../runtime/cycle.ts';
import { defaultRegistry } from '../../sources/index.ts';
import { SIMULATED_PROVIDERS } from '../../simulator/providers.ts';
import type { RunningSimulation } from '../../simulator/provider.ts';
import { openSqliteSink } from '../../sinks/sqlite/sink.ts';
import { formatProblem } from '../load-config.ts';
import { summaryTable } from './collect.ts';
import { demoHighlights } from './demo-highlights.ts';

/** Runs `demo`. */
export async function run({ values }: { values: Record<string, unknown> }): Promise<number> {
  const directory = resolve('data/demo');
  const databasePath = resolve(directory, 'optiinfra-demo.db');
  mkdirSync(directory, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
  const log = await createLogger({ level: process.env.OPTIINFRA_LOG_LEVEL ?? 'warn' });
  process.stdout.write(`Starting ${SIMULATED_PROVIDERS.length} simulated providers on 127.0.0.1 …\n`);
  const simulations: Array<{ name: string; running: RunningSimulation }> = [];
  try {
    for (const provider of SIMULATED_PROVIDERS)
      simulations.push({ name: provider.name, running: await provider.start({ seed: 42 }) });
    const document = {
      storage: { url: `sqlite:${databasePath}` },
      collection: { cost_history: '30d', concurrency: 4 },
      providers: Object.fromEntries(simulations.map(({ name, running }) => [name, running.providerBlock])),
    };
    const configPath = resolve(directory, 'providers.yaml');
    const text = `# Written by \`optiinfra-collector demo\`: every provider points at the local simulator.\n${stringify(document)}`;
    writeFileSync(configPath, text);
    const result = loadConfigText(text, defaultRegistry(), process.env, configPath);
    if (!result.config)
      throw new CollectorError(
        'CONFIG_INVALID',
        `demo configuration is invalid:\n${result.problems.map((problem) => `  - ${formatProblem(problem, configPath)}`).join('\n')}`,
      );
    const sink = openSqliteSink(databasePath);
    try {
      // Two cycles, the first dated three hours back: providers without a billing API derive cost from the
      // runtime they have observed, so the second cycle shows three hours of derived cost; billing-API
      // providers re-collect the same window and nothing is duplicated.
      const now = new Date();
      const cycle = (at: Date, label: string) =>
        runCycle({
          config: result.config as NonNullable<typeof result.config>,
          registry: defaultRegistry(),
          sink,
          log,
          now: at,
          progress: {
            started: () => undefined,
            finished: (summary) =>
              process.stdout.write(
                `  ${label} ${summary.status === 'ok' ? '✔' : summary.status === 'partial' ? '▲' : '✖'} ${summary.provider} (${summary.status}, ${(summary.duration_ms / 1000).toFixed(1)}s)\n`,
              ),
          },
        });
      process.stdout.write('Cycle 1, dated 3 hours ago:\n');
      const first = await cycle(new Date(now.getTime() - 3 * 3_600_000), '');
      process.stdout.write('Cycle 2, now:\n');
      const summaries = await cycle(now, '');
      if (first.some((summary) => summary.status === 'failed'))
        process.stdout.write('(some providers failed in cycle 1; see collection_runs)\n');
      process.stdout.write(`\n${summaryTable(summaries)}\n`);
      process.stdout.write(demoHighlights(sink.database, await sink.queries().gpuCounts({})));
      process.stdout.write(
        `\nData: ${databasePath}\n  try: sqlite3 ${databasePath} "SELECT provider, service_name, billed_cost FROM cost_records LIMIT 10"\nConfig used: ${configPath}\n`,
      );
      if (values['keep-running'] === true) {
        process.stdout.write(
          'Simulator still running (Ctrl-C to stop); collect again with: npx optiinfra-collector collect --config data/demo/providers.yaml\n',
        );
        await new Promise<void>((resolveWait) => process.once('SIGINT', () => resolveWait()));
      }
      return summaries.some((summary) => summary.status === 'failed') ? 1 : 0;
    } finally {
      await sink.close();
    }
  } finally {
    await Promise.allSettled(simulations.map(({ running }) => running.close()));
  }
}
