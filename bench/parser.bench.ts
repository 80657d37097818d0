// Benchmark of the exposition parser against the npm `parse-prometheus-text-format` and a bare byte loop.
// Run: `npx node bench/parser.bench.ts`. Pages come from the simulated exporter host (realistic dcgm-exporter,
// vLLM and node_exporter output); each kind is a corpus of distinct host pages totalling a few MB, parsed
// one page at a time as a collector does per scrape.
// Clock: the main thread's CPU time (`process.threadCpuUsage`), meaningful on a shared, busy machine where wall
// time also counts waiting for a core; wall time is shown beside it. That clock moves in coarse steps (~4 ms on
// a 250 Hz kernel, measured and printed), about a third of one pass, so every reading is a batch of repeated
// passes of at least BATCH_MIN_CPU_MS (the repeat count calibrated per measure after warm-up); the figures are
// per pass, medians over the batches. The measures of a corpus take turns batch by batch (in a rotating order),
// each between two batches of the byte loop, and a ratio is the median of its per-round ratios (to the mean of
// the two floor batches around it): the other core's load changes by the second, and a ratio of two batches
// seconds apart would compare different loads. The rounds come from PROCESSES child processes run in turn.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseExposition } from '../src/sources/_common/prometheus-text/index.ts';
import type { ExpositionSample } from '../src/sources/_common/prometheus-text/index.ts';
import { dcgmPage, nodeExporterPage, vllmPage } from '../src/simulator/exporter-host/pages.ts';

const TARGET_CORPUS_BYTES = 4 << 20;
/** Warm-up until the JIT settles: at least this many passes and this much time per measure. */
const WARMUP_PASSES = 8;
const WARMUP_MS = 400;
/** CPU per timed batch: 50 clock steps, so a step is ≤ 2 % of a reading. */
const BATCH_MIN_CPU_MS = 200;
/** Calibrated for this much, so a batch a little faster than the calibration still reaches the minimum. */
const BATCH_TARGET_CPU_MS = 220;
/**
 * Rounds per child process, and processes: a process's JIT leaves its code a few per cent faster or slower
 * than another's for the whole run, more than the rounds within one differ, so the rounds of several are pooled.
 */
const ROUNDS_PER_PROCESS = 3;
const PROCESSES = 3;

interface Corpus {
  kind: string;
  texts: string[];
  bytes: Uint8Array[];
  totalBytes: number;
  samples: number;
}

type PeerParser = (text: string) => unknown;

function buildCorpus(kind: string, pageForHost: (host: number) => string): Corpus {
  const texts: string[] = [];
  let totalBytes = 0;
  for (let host = 0; totalBytes < TARGET_CORPUS_BYTES; host++) {
    const text = pageForHost(host);
    texts.push(text);
    totalBytes += Buffer.byteLength(text);
  }
  const bytes = texts.map((text) => new Uint8Array(Buffer.from(text)));
  let samples = 0;
  for (const page of bytes) samples += parseExposition(page, () => {}).samples;
  return { kind, texts, bytes, totalBytes, samples };
}

function corpora(): Corpus[] {
  const models = [
    'meta-llama/Llama-3.1-8B-Instruct',
    'Qwen/Qwen2.5-72B-Instruct',
    'mistralai/Mistral-7B-Instruct-v0.3',
  ];
  return [
    buildCorpus('dcgm (8 GPUs)', (host) => dcgmPage({ host, gpus: 8, podGpus: [0, 1, 2, 3, 4, 5] })),
    buildCorpus('dcgm OpenMetrics', (host) =>
      dcgmPage({ host, gpus: 8, podGpus: [0, 1, 2, 3], format: 'openmetrics' }),
    ),
    buildCorpus('vllm (3 models)', (host) => vllmPage({ host, models })),
    buildCorpus('node_exporter (64 cpus)', (host) => nodeExporterPage({ host, cpus: 64 })),
  ];
}

function threadCpuMs(): number {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The steps of the thread CPU clock (ms) while spinning: the largest and the median non-zero increment. The
 * thread's run time is brought up to date at each scheduler tick and context switch, so on a busy machine some
 * steps are shorter than a tick; the largest is the resolution.
 */
export function threadClockSteps(spinMs = 200): { largest: number; median: number } {
  const steps: number[] = [];
  let last = threadCpuMs();
  const end = performance.now() + spinMs;
  while (performance.now() < end) {
    const now = threadCpuMs();
    if (now !== last) steps.push(now - last);
    last = now;
  }
  if (steps.length === 0) return { largest: Number.NaN, median: Number.NaN };
  return { largest: Math.max(...steps), median: median(steps) };
}

/** One measured parser: a pass over the whole corpus, and what its timed batches read. */
interface Measure {
  name: string;
  pass: () => number;
  /** Calibrated passes per batch. */
  passes: number;
  /** Per batch: CPU and wall time per pass (ms), and the passes it ran. */
  cpuMs: number[];
  wallMs: number[];
  batchPasses: number[];
  batchCpuMs: number[];
  /** Per batch: the floor batch just before it (the next one follows it). */
  floorBefore: number[];
}

let sink = 0;

/** Warms `measure` up, then sets how many passes a batch needs to reach BATCH_TARGET_CPU_MS. */
function calibrate(measure: Measure): void {
  const warmupEnd = performance.now() + WARMUP_MS;
  for (let i = 0; i < WARMUP_PASSES || performance.now() < warmupEnd; i++) sink += measure.pass();
  // Long enough (≥ 25 clock steps) that the estimate of one pass is good to a few per cent.
  let passes = 0;
  const cpuStart = threadCpuMs();
  while (threadCpuMs() - cpuStart < 100) {
    sink += measure.pass();
    passes++;
  }
  measure.passes = Math.ceil((passes * BATCH_TARGET_CPU_MS) / (threadCpuMs() - cpuStart));
}

/** One batch: the calibrated passes, and more while it is short of BATCH_MIN_CPU_MS. */
function timeBatch(measure: Measure): void {
  const wallStart = performance.now();
  const cpuStart = threadCpuMs();
  let passes = 0;
  for (; passes < measure.passes || threadCpuMs() - cpuStart < BATCH_MIN_CPU_MS; passes++) sink += measure.pass();
  const cpuMs = threadCpuMs() - cpuStart;
  measure.cpuMs.push(cpuMs / passes);
  measure.wallMs.push((performance.now() - wallStart) / passes);
  measure.batchPasses.push(passes);
  measure.batchCpuMs.push(cpuMs);
}

function oursOnBytes(corpus: Corpus, wantName?: (name: string) => boolean): number {
  let touched = 0;
  const onSample = (sample: ExpositionSample): void => {
    touched += sample.value === sample.value ? 1 : 0;
  };
  for (const page of corpus.bytes) parseExposition(page, onSample, wantName === undefined ? {} : { wantName });
  return touched;
}

function oursOnStrings(corpus: Corpus): number {
  let touched = 0;
  for (const text of corpus.texts) parseExposition(text, () => touched++);
  return touched;
}

function peerOnStrings(corpus: Corpus, peer: PeerParser): number {
  let touched = 0;
  for (const text of corpus.texts) touched += (peer(text) as unknown[]).length;
  return touched;
}

function bareByteLoop(corpus: Corpus): number {
  let lines = 0;
  for (const page of corpus.bytes) {
    for (let i = 0; i < page.length; i++) if (page[i] === 0x0a) lines++;
  }
  return lines;
}

/** What one child process measured of one parser on one corpus, per round. */
interface MeasureReport {
  name: string;
  ours: boolean;
  /** CPU and wall time per pass (ms) of each batch (the floor has one more batch than rounds per measure). */
  cpuMs: number[];
  wallMs: number[];
  batchPasses: number[];
  batchCpuMs: number[];
  /** Per round: CPU per pass over the mean of the floor batches either side. */
  toFloor: number[];
  /** Per round (ours only): the peer's CPU per pass over this one's. */
  peerOverThis: number[];
}

interface CorpusReport {
  kind: string;
  megabytes: number;
  samples: number;
  measures: MeasureReport[];
}

interface ChildReport {
  clock: { largest: number; median: number };
  corpora: CorpusReport[];
  sink: number;
}

/** Child mode: ROUNDS_PER_PROCESS rounds of every parser on every corpus. */
async function measureInThisProcess(): Promise<ChildReport> {
  // A variable specifier: the package ships no types, and this is its only use.
  const peerSpecifier = 'parse-prometheus-text-format';
  const peerModule = (await import(peerSpecifier)) as { default: PeerParser };
  const peer = peerModule.default;
  const clock = threadClockSteps();
  const reports: CorpusReport[] = [];
  for (const corpus of corpora()) {
    const firstName = corpus.texts[0]!.split('\n')
      .find((line) => !line.startsWith('#'))!
      .split(/[{ ]/)[0]!;
    const measure = (name: string, pass: () => number): Measure => ({
      name,
      pass,
      passes: 0,
      cpuMs: [],
      wallMs: [],
      batchPasses: [],
      batchCpuMs: [],
      floorBefore: [],
    });
    const peerMeasure = measure('parse-prometheus-text-format', () => peerOnStrings(corpus, peer));
    const floor = measure('bare byte loop', () => bareByteLoop(corpus));
    const ours = [
      measure('ours (bytes)', () => oursOnBytes(corpus)),
      measure('ours (string input)', () => oursOnStrings(corpus)),
      measure(`ours, wantName: ${firstName} only`, () => oursOnBytes(corpus, (name) => name === firstName)),
    ];
    const others = [...ours, peerMeasure];
    for (const entry of [...others, floor]) calibrate(entry);
    for (let round = 0; round < ROUNDS_PER_PROCESS; round++) {
      for (let turn = 0; turn < others.length; turn++) {
        const entry = others[(round + turn) % others.length]!;
        timeBatch(floor);
        entry.floorBefore.push(floor.cpuMs.length - 1);
        timeBatch(entry);
      }
    }
    timeBatch(floor);
    const report = (entry: Measure): MeasureReport => ({
      name: entry.name,
      ours: ours.includes(entry),
      cpuMs: entry.cpuMs,
      wallMs: entry.wallMs,
      batchPasses: entry.batchPasses,
      batchCpuMs: entry.batchCpuMs,
      toFloor:
        entry === floor
          ? []
          : entry.cpuMs.map((cpu, round) => {
              const before = entry.floorBefore[round]!;
              return cpu / ((floor.cpuMs[before]! + floor.cpuMs[before + 1]!) / 2);
            }),
      peerOverThis: ours.includes(entry) ? entry.cpuMs.map((cpu, round) => peerMeasure.cpuMs[round]! / cpu) : [],
    });
    reports.push({
      kind: corpus.kind,
      megabytes: corpus.totalBytes / 1e6,
      samples: corpus.samples,
      measures: [...ours.map(report), report(peerMeasure), report(floor)],
    });
  }
  return { clock, corpora: reports, sink };
}

function runChild(): Promise<ChildReport> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject).once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(output) as ChildReport);
      else reject(new Error(`parser bench child exited with ${code}`));
    });
  });
}

/**
 * Runs every parser over every corpus in PROCESSES child processes, one after the other, and pools their rounds:
 * one row per (corpus, parser) with per-pass CPU and wall time, MB/s and samples/s, CPU time relative to the bare
 * byte loop, and ours/peer (the peer's CPU time over ours).
 */
export async function runParserBench(): Promise<{ results: Array<Record<string, string | number>>; notes: string[] }> {
  const children: ChildReport[] = [];
  for (let index = 0; index < PROCESSES; index++) children.push(await runChild());
  const pooled = (corpus: number, measure: number, pick: (report: MeasureReport) => number[]): number[] =>
    children.flatMap((child) => pick(child.corpora[corpus]!.measures[measure]!));
  const results: Array<Record<string, string | number>> = [];
  for (const [corpusIndex, corpus] of children[0]!.corpora.entries()) {
    for (const [index, entry] of corpus.measures.entries()) {
      const cpuMs = median(pooled(corpusIndex, index, (report) => report.cpuMs));
      const wallMs = median(pooled(corpusIndex, index, (report) => report.wallMs));
      const toFloor = pooled(corpusIndex, index, (report) => report.toFloor);
      const peerOverThis = pooled(corpusIndex, index, (report) => report.peerOverThis);
      results.push({
        page: corpus.kind,
        parser: entry.name,
        'CPU ms/pass': round(cpuMs, 2),
        'wall ms/pass': round(wallMs, 2),
        'MB/s (1 core)': Math.round(corpus.megabytes / (cpuMs / 1000)),
        'samples/s (1 core)': Math.round(corpus.samples / (cpuMs / 1000)),
        'CPU x floor': toFloor.length === 0 ? 1 : round(median(toFloor), 2),
        'ours/peer': entry.ours ? round(median(peerOverThis), 2) : '',
        'passes/batch': median(pooled(corpusIndex, index, (report) => report.batchPasses)),
      });
    }
  }
  const all = children.flatMap((child) => child.corpora.flatMap((corpus) => corpus.measures));
  const batchCpuMs = all.flatMap((entry) => entry.batchCpuMs);
  const passes = all.flatMap((entry) => entry.batchPasses);
  const smallestBatchMs = Math.min(...batchCpuMs);
  const largestStep = Math.max(...children.map((child) => child.clock.largest));
  const medianStep = median(children.map((child) => child.clock.median));
  const stepShare = round((100 * largestStep) / smallestBatchMs, 1);
  const notes = [
    `thread CPU clock: steps of up to ${round(largestStep, 2)} ms (median ${round(medianStep, 2)} ms), measured.`,
    `Each figure: the median of ${PROCESSES} processes x ${ROUNDS_PER_PROCESS} rounds = ` +
      `${PROCESSES * ROUNDS_PER_PROCESS} batches of ${Math.min(...passes)}-${Math.max(...passes)} passes, ` +
      `>= ${BATCH_MIN_CPU_MS} ms CPU each (smallest: ${round(smallestBatchMs, 1)} ms), so one clock step is ` +
      `<= ${stepShare} % of a batch.`,
    "'CPU x floor': CPU time per pass over the bare byte loop's (batches either side); 'ours/peer': the peer's " +
      'CPU time over ours in the same round; both the median of per-round ratios.',
  ];
  return { results, notes };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(await measureInThisProcess()));
} else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { results, notes } = await runParserBench();
  console.table(results);
  for (const note of notes) console.log(`  ${note}`);
}
