// `npm run bench`: runs every benchmark in turn and prints its table. Benchmarks compare ratios measured in
// the same run (ours vs a peer or a raw floor); absolute times vary on shared machines.

const BENCHES: Array<[string, string, string]> = [
  ['CLI --help start-up', './help.bench.ts', 'runHelpBench'],
  ['Exposition parser throughput', './parser.bench.ts', 'runParserBench'],
  ['Scrape cycle: 1,000 simulated 8-GPU hosts into SQLite', './scrape-cycle.bench.ts', 'runScrapeCycleBench'],
  ['Storage ingest vs raw floor', './ingest.bench.ts', 'runIngestBench'],
  ['Idle RSS of `run`', './idle-rss.bench.ts', 'runIdleRssBench'],
];

const only = process.argv.slice(2);
for (const [title, path, exported] of BENCHES) {
  if (only.length > 0 && !only.some((name) => path.includes(name))) continue;
  process.stdout.write(`\n## ${title}\n`);
  let module: Record<string, unknown>;
  try {
    module = (await import(path)) as Record<string, unknown>;
  } catch (error) {
    process.stdout.write(`(not available: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})\n`);
    continue;
  }
  const run = module[exported];
  if (typeof run !== 'function') {
    process.stdout.write(`(${path} does not export ${exported})\n`);
    continue;
  }
  const output = (await (run as () => Promise<unknown>)()) ?? [];
  // A bench returns its rows, or { results, notes } when it has remarks to print under the table.
  if (Array.isArray(output)) {
    console.table(output);
  } else {
    const { results, notes } = output as { results?: unknown[]; notes?: string[] };
    console.table(results ?? []);
    for (const note of notes ?? []) process.stdout.write(`  ${note}\n`);
  }
}
