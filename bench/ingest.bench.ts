// Ingest benchmark: metric samples per second into SQLite and PostgreSQL through our sinks, side by side
// with a raw floor measured in the same run on the same table definition — a bare prepared-statement
// loop in one transaction on node:sqlite, and one raw COPY on PostgreSQL. Goal: the sink ≥ 70% of the floor.
// Run: `npx node bench/ingest.bench.ts` (OPTIINFRA_BENCH_PG_URL or OPTIINFRA_TEST_PG_URL selects the
// database; PostgreSQL is skipped when unreachable). Samples arrive in pages, as a collector writes them.
// Clocks: SQLite runs in this process, so its measures read this process's CPU time (microsecond resolution),
// which waiting for a core on a loaded machine does not inflate; PostgreSQL's work is in the server's processes,
// so its measures read wall time. Every figure is a median of RUNS runs, the measures taking turns; each ratio to
// the floor is the median of the per-run ratios. A SQLite write takes ~60 ms, so one SQLite run is
// SQLITE_REPEATS writes into fresh files.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { MetricSample } from '../src/core/model.ts';
import { copyPointsBinary, copyRows } from '../src/sinks/postgres/copy.ts';
import { openPostgresSink, type PointWriteMode } from '../src/sinks/postgres/sink.ts';
import { openSqliteSink } from '../src/sinks/sqlite/sink.ts';
import { createMetricBatcher, METRIC_BATCH_SAMPLES } from '../src/runtime/run-provider.ts';
import type { Sink } from '../src/core/sink.ts';

const HOSTS = 50;
const GPUS = 8;
const METRICS = [
  'hw.gpu.utilization',
  'hw.gpu.memory.usage',
  'hw.gpu.power.draw',
  'hw.gpu.temperature',
  'hw.gpu.clock.sm',
];
const SCRAPES = 60;
const PAGE_SIZES = [2_000, 10_000];
/** Page size a source emits in the product-path measure (runProvider's emitter gathers them into batches). */
const PRODUCT_PAGE = 2_000;
const RUNS = 9;
const SQLITE_REPEATS = 4;
const GOAL = 0.7;

/** One measured line of the report. */
export interface IngestResult {
  engine: 'sqlite' | 'postgres';
  path: string;
  samples: number;
  /** Per write: this process's CPU seconds on SQLite, wall seconds on PostgreSQL. */
  seconds: number;
  samplesPerSecond: number;
  /** Rate relative to the engine's raw floor (1 for the floor itself): the median of the per-run ratios. */
  ofFloor: number;
}

/** A measure's median seconds per write, and its median per-run rate relative to the floor. */
interface Timed {
  seconds: number;
  ofFloor: number;
}

/** Scrapes of a GPU fleet: HOSTS × GPUS × METRICS series, SCRAPES timestamps 15 s apart. */
function fleetSamples(): MetricSample[] {
  const samples: MetricSample[] = [];
  const start = Date.UTC(2026, 10, 26, 0, 0, 0);
  for (let scrape = 0; scrape < SCRAPES; scrape++) {
    const ts = new Date(start + scrape * 15_000).toISOString();
    for (let host = 0; host < HOSTS; host++) {
      for (let gpu = 0; gpu < GPUS; gpu++) {
        for (const [index, name] of METRICS.entries()) {
          samples.push({
            ts,
            provider: 'bench',
            name,
            category: 'gpu',
            value: (scrape * 7 + host * 3 + gpu + index) % 100,
            unit: '1',
            resource_id: `host-${host}/gpu-${gpu}`,
            labels: { gpu: String(gpu), Hostname: `host-${host}`, modelName: 'NVIDIA H100 80GB HBM3' },
          });
        }
      }
    }
  }
  return samples;
}

function pages<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let offset = 0; offset < items.length; offset += size) result.push(items.slice(offset, offset + size));
  return result;
}

/** (series_id, ts_ms, value) rows as the floor writes them: series ids assigned up front, not timed. */
function pointRows(samples: MetricSample[]): Array<[number, number, number]> {
  const ids = new Map<string, number>();
  return samples.map((sample) => {
    const key = `${sample.name}|${sample.resource_id}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(key, id);
    }
    return [id, Date.parse(sample.ts), sample.value];
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * RUNS runs of each measure, the measures taking turns (floor, sink, floor, sink...), each run starting one
 * measure further on: on a shared machine the load drifts, and measuring every run of the floor before every run
 * of the sink compared different loads. The first measure is the floor; each ratio is the median of the per-run
 * ratios (a slow spell hits both sides of a pair), and the median, unlike the best, is not one lucky run.
 */
async function interleavedMedian(measures: ReadonlyArray<() => Promise<number>>): Promise<Timed[]> {
  const runs = measures.map((): number[] => []);
  for (let run = 0; run < RUNS; run++) {
    for (let turn = 0; turn < measures.length; turn++) {
      const index = (run + turn) % measures.length;
      runs[index]!.push(await measures[index]!());
    }
  }
  const floor = runs[0]!;
  return runs.map((seconds) => ({
    seconds: median(seconds),
    ofFloor: median(seconds.map((value, run) => floor[run]! / value)),
  }));
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const usage = process.cpuUsage(start);
  return (usage.user + usage.system) / 1e6;
}

/** `measure` run `times` times (each into a fresh database): the mean seconds of one. */
function repeated(measure: () => Promise<number>, times: number): () => Promise<number> {
  return async () => {
    let seconds = 0;
    for (let index = 0; index < times; index++) seconds += await measure();
    return seconds / times;
  };
}

/**
 * What `collect`/`run` do: a source emits pages of PRODUCT_PAGE samples, runProvider's emitter (createMetricBatcher)
 * gathers them into sink writes of up to METRIC_BATCH_SAMPLES, flushed at the end of the run.
 */
async function writeThroughRunEmitter(sink: Sink, samples: MetricSample[]): Promise<void> {
  const batcher = createMetricBatcher((batch, pageEnds) => sink.writeMetrics(batch, pageEnds));
  for (const page of pages(samples, PRODUCT_PAGE)) await batcher.add(page);
  await batcher.flush();
}

/** A fresh SQLite file with the sink's pragmas and metric_points; the loop commits every `perTransaction` rows. */
async function sqliteFloor(rows: Array<[number, number, number]>, perTransaction: number): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'optiinfra-bench-'));
  try {
    const db = new DatabaseSync(join(directory, 'floor.sqlite'));
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    db.exec(
      'CREATE TABLE metric_points (series_id INTEGER NOT NULL, ts_ms INTEGER NOT NULL, value REAL, ' +
        'PRIMARY KEY (ts_ms, series_id)) WITHOUT ROWID;',
    );
    const insert = db.prepare('INSERT INTO metric_points (series_id, ts_ms, value) VALUES (?, ?, ?)');
    const started = process.cpuUsage();
    for (const page of pages(rows, perTransaction)) {
      db.exec('BEGIN');
      for (const row of page) insert.run(row[0], row[1], row[2]);
      db.exec('COMMIT');
    }
    const seconds = cpuSecondsSince(started);
    db.close();
    return seconds;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function sqliteResults(samples: MetricSample[]): Promise<IngestResult[]> {
  const rows = pointRows(samples);
  const sinkRun = (size: number | 'product') => async (): Promise<number> => {
    const directory = mkdtempSync(join(tmpdir(), 'optiinfra-bench-'));
    try {
      const sink = openSqliteSink(join(directory, 'sink.sqlite'));
      const started = process.cpuUsage();
      if (size === 'product') await writeThroughRunEmitter(sink, samples);
      else for (const batch of pages(samples, size)) await sink.writeMetrics(batch);
      const seconds = cpuSecondsSince(started);
      await sink.close();
      return seconds;
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  };
  const measures = [
    () => sqliteFloor(rows, rows.length),
    sinkRun('product'),
    ...PAGE_SIZES.flatMap((size) => [sinkRun(size), () => sqliteFloor(rows, size)]),
  ];
  const timed = await interleavedMedian(measures.map((measure) => repeated(measure, SQLITE_REPEATS)));
  const [floor, product, ...paged] = timed;
  const row = (path: string, timed: Timed | undefined): IngestResult => result('sqlite', path, samples.length, timed!);
  const results = [row('raw floor: prepared INSERT loop, one transaction', floor), row(productPath(), product)];
  for (const [index, size] of PAGE_SIZES.entries()) {
    results.push(row(`our sink: writeMetrics, pages of ${size}`, paged[index * 2]));
    results.push(row(`  (reference: the raw loop committing every ${size} rows)`, paged[index * 2 + 1]));
  }
  return results;
}

async function postgresResults(samples: MetricSample[], url: string): Promise<IngestResult[]> {
  const rows = pointRows(samples);
  const schema = `bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    const rawCopy =
      (perTransaction: number, format: 'text' | 'binary' = 'text') =>
      async (): Promise<number> => {
        await admin.query(
          `DROP TABLE IF EXISTS ${schema}.floor_points; ` +
            `CREATE TABLE ${schema}.floor_points (series_id bigint NOT NULL, ts_ms bigint NOT NULL, ` +
            `value double precision, PRIMARY KEY (series_id, ts_ms)); CREATE INDEX ON ${schema}.floor_points (ts_ms)`,
        );
        const table = `${schema}.floor_points (series_id, ts_ms, value)`;
        const started = performance.now();
        for (const page of pages(rows, perTransaction)) {
          await admin.query('BEGIN');
          if (format === 'binary') {
            const column = (index: 0 | 1 | 2): number[] => page.map((row) => row[index]);
            await copyPointsBinary(admin, table, column(0), column(1), column(2));
          } else await copyRows(admin, table, page);
          await admin.query('COMMIT');
        }
        return (performance.now() - started) / 1000;
      };
    const sinkRun = (mode: PointWriteMode, size: number | 'product') => async (): Promise<number> => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema}_sink CASCADE`);
      const target = new URL(url);
      target.searchParams.set('schema', `${schema}_sink`);
      const sink = await openPostgresSink(target.toString(), { pointWrites: mode });
      try {
        const started = performance.now();
        if (size === 'product') await writeThroughRunEmitter(sink, samples);
        else for (const batch of pages(samples, size)) await sink.writeMetrics(batch);
        return (performance.now() - started) / 1000;
      } finally {
        await sink.close();
      }
    };
    const [floor, binary, product, batchCopy, upsert, ...paged] = await interleavedMedian([
      rawCopy(rows.length),
      rawCopy(rows.length, 'binary'),
      sinkRun('copy', 'product'),
      rawCopy(METRIC_BATCH_SAMPLES),
      sinkRun('upsert', PAGE_SIZES[0] as number),
      ...PAGE_SIZES.flatMap((size) => [sinkRun('copy', size), rawCopy(size)]),
    ]);
    const row = (path: string, timed: Timed | undefined): IngestResult =>
      result('postgres', path, samples.length, timed!);
    const results = [row('raw floor: one COPY of every row (text format)', floor)];
    // The sink writes binary COPY (since the points COPY went binary); the floor stays the plain COPY.
    results.push(row('  (reference: one raw COPY, binary format)', binary));
    results.push(row(productPath(), product));
    results.push(row(`  (reference: raw COPY committing every ${METRIC_BATCH_SAMPLES} rows)`, batchCopy));
    for (const [index, size] of PAGE_SIZES.entries()) {
      results.push(row(`our sink: writeMetrics (COPY new points), pages of ${size}`, paged[index * 2]));
      results.push(row(`  (reference: raw COPY committing every ${size} rows)`, paged[index * 2 + 1]));
    }
    results.push(row(`our sink, upsert mode (unnest + ON CONFLICT), pages of ${PAGE_SIZES[0]}`, upsert));
    return results;
  } finally {
    const drop = `DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_sink CASCADE`;
    await admin.query(drop).catch(() => undefined);
    await admin.end();
  }
}

function productPath(): string {
  return `product path: pages of ${PRODUCT_PAGE} via runProvider's emitter (writes of ${METRIC_BATCH_SAMPLES})`;
}

function result(engine: IngestResult['engine'], path: string, samples: number, timed: Timed): IngestResult {
  return {
    engine,
    path,
    samples,
    seconds: Number(timed.seconds.toFixed(4)),
    samplesPerSecond: Math.round(samples / timed.seconds),
    ofFloor: Number(timed.ofFloor.toFixed(3)),
  };
}

function summaryLine(samples: number): string {
  const clocks = `SQLite: CPU time, ${SQLITE_REPEATS} writes per run; PostgreSQL: wall time`;
  const runs = `median of ${RUNS} alternating runs (${clocks})`;
  return (
    `ingest: ${samples} samples (${HOSTS * GPUS * METRICS.length} series × ${SCRAPES} scrapes), ${runs}; ` +
    `goal ≥ ${GOAL * 100}% of the floor`
  );
}

/** Runs the benchmark; PostgreSQL results are omitted (with a note) when `postgresUrl` is unreachable. */
export async function runIngestBench(
  postgresUrl = process.env.OPTIINFRA_BENCH_PG_URL ??
    process.env.OPTIINFRA_TEST_PG_URL ??
    'postgres://postgres@127.0.0.1:5432/optiinfra_test',
): Promise<{ results: IngestResult[]; notes: string[] }> {
  const samples = fleetSamples();
  const notes = [`${summaryLine(samples.length)}; ofFloor is the median of the per-run ratios.`];
  const results = await sqliteResults(samples);
  try {
    results.push(...(await postgresResults(samples, postgresUrl)));
  } catch (error) {
    notes.push(`PostgreSQL skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { results, notes };
}

/** The report as text lines. */
export function formatIngestReport(report: { results: IngestResult[]; notes: string[] }): string {
  const lines: string[] = [];
  for (const entry of report.results) {
    const floor = entry.path.startsWith('raw floor');
    const verdict = floor || entry.path.startsWith(' ') ? '' : entry.ofFloor >= GOAL ? '  ok' : '  BELOW GOAL';
    const rate = Math.round(entry.samplesPerSecond).toLocaleString('en-US').padStart(12);
    const ofFloor = (entry.ofFloor * 100).toFixed(0).padStart(5);
    lines.push(`${entry.engine.padEnd(9)}${entry.path.padEnd(72)}${rate} samples/s ${ofFloor}%${verdict}`);
  }
  return [...report.notes, ...lines].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${formatIngestReport(await runIngestBench())}\n`);
}
