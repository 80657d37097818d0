// Benchmark of the exposition parser against the npm `parse-prometheus-text-format` and a bare byte loop.
// Run: `npx node bench/parser.bench.ts`. Pages come from the simulated exporter host (realistic dcgm-exporter,
// vLLM and node_exporter output); each kind is a corpus of distinct host pages totalling a few MB, parsed
// one page at a time as a collector does per scrape.
// Clock: the main thread's CPU time (`process.threadCpuUsage`), meaningful on a shared, busy machine where wall
// time also counts waiting for a core; wall time is shown beside it. That clock moves in coarse steps (~4 ms on
// a 250 Hz kernel, measured and printed), about a third of one pass, so every reading is a batch of repeated
// passes of at least BATCH_MIN_CPU_MS (the repeat count calibrated per measure after warm-up); the figures are
// per pass, the median of BATCHES batches. The measures of a corpus take turns batch by batch, and each ratio
// is the median of its per-batch ratios, so a change of load on the machine hits both sides of a ratio alike.

import { fileURLToPath } from 'node:url';
import { parseExposition } from '../src/sources/_common/prometheus-text/index.ts';
import type { ExpositionSample } from '../src/sources/_common/prometheus-text/index.ts';
import { dcgmPage, nodeExporterPage, vllmPage } from '../src/simulator/exporter-host/pages.ts';

const TARGET_CORPUS_BYTES = 4 << 20;
/** Warm-up until the JIT settles: at least this many passes and this much time per measure. */
const WARMUP_PASSES = 8;
const WARMUP_MS = 600;
/** CPU per timed batch: 50 clock steps, so a step is ≤ 2 % of a reading. */
const BATCH_MIN_CPU_MS = 200;
/** Calibrated for this much, so a batch a little faster than the calibration still reaches the minimum. */
const BATCH_TARGET_CPU_MS = 240;
const BATCHES = 7;

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

/** The step of the thread CPU clock (ms): the median of the non-zero increments seen while spinning. */
export function threadClockStepMs(spinMs = 200): number {
  const steps: number[] = [];
  let last = threadCpuMs();
  const end = performance.now() + spinMs;
  while (performance.now() < end) {
    const now = threadCpuMs();
    if (now !== last) steps.push(now - last);
    last = now;
  }
  return steps.length === 0 ? Number.NaN : median(steps);
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

/** Median over the batches of a's CPU per pass over b's in the same round. */
function pairedRatio(a: Measure, b: Measure): number {
  return median(a.cpuMs.map((cpu, batch) => cpu / b.cpuMs[batch]!));
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

/**
 * Runs every parser over every corpus: one row per (corpus, parser) with per-pass CPU and wall time, MB/s and
 * samples/s, CPU time relative to the bare byte loop, and ours/peer (the peer's CPU time over ours).
 */
export async function runParserBench(): Promise<{ results: Array<Record<string, string | number>>; notes: string[] }> {
  // A variable specifier: the package ships no types, and this is its only use.
  const peerSpecifier = 'parse-prometheus-text-format';
  const peerModule = (await import(peerSpecifier)) as { default: PeerParser };
  const peer = peerModule.default;
  const stepMs = threadClockStepMs();
  const results: Array<Record<string, string | number>> = [];
  let smallestBatchMs = Infinity;
  const passCounts: number[] = [];
  for (const corpus of corpora()) {
    const megabytes = corpus.totalBytes / 1e6;
    const firstName = corpus.texts[0]!.split('\n').find((line) => !line.startsWith('#'))!.split(/[{ ]/)[0]!;
    const measure = (name: string, pass: () => number): Measure => ({
      name,
      pass,
      passes: 0,
      cpuMs: [],
      wallMs: [],
      batchPasses: [],
      batchCpuMs: [],
    });
    const peerMeasure = measure('parse-prometheus-text-format', () => peerOnStrings(corpus, peer));
    const floor = measure('bare byte loop', () => bareByteLoop(corpus));
    const ours = [
      measure('ours (bytes)', () => oursOnBytes(corpus)),
      measure('ours (string input)', () => oursOnStrings(corpus)),
      measure(`ours, wantName: ${firstName} only`, () => oursOnBytes(corpus, (name) => name === firstName)),
    ];
    const all = [...ours, peerMeasure, floor];
    for (const entry of all) calibrate(entry);
    for (let batch = 0; batch < BATCHES; batch++) for (const entry of all) timeBatch(entry);
    for (const entry of all) {
      const cpuMs = median(entry.cpuMs);
      const wallMs = median(entry.wallMs);
      smallestBatchMs = Math.min(smallestBatchMs, ...entry.batchCpuMs);
      passCounts.push(...entry.batchPasses);
      results.push({
        page: corpus.kind,
        parser: entry.name,
        'CPU ms/pass': round(cpuMs, 2),
        'wall ms/pass': round(wallMs, 2),
        'MB/s (1 core)': Math.round(megabytes / (cpuMs / 1000)),
        'samples/s (1 core)': Math.round(corpus.samples / (cpuMs / 1000)),
        'CPU x floor': round(pairedRatio(entry, floor), 2),
        'ours/peer': ours.includes(entry) ? round(pairedRatio(peerMeasure, entry), 2) : '',
        'passes/batch': median(entry.batchPasses),
      });
    }
  }
  const notes = [
    `thread CPU clock step: ${round(stepMs, 2)} ms (measured); each figure is the median of ${BATCHES} batches ` +
      `of ${Math.min(...passCounts)}-${Math.max(...passCounts)} passes, >= ${BATCH_MIN_CPU_MS} ms CPU each ` +
      `(smallest: ${round(smallestBatchMs, 1)} ms), so one clock step is <= ` +
      `${round((100 * stepMs) / smallestBatchMs, 1)} % of a batch.`,
    "'CPU x floor': CPU time per pass over the bare byte loop's; 'ours/peer': the peer's CPU time over ours " +
      '(both the median of per-batch ratios).',
  ];
  if (sink === -1) notes.push('unreachable');
  return { results, notes };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { results, notes } = await runParserBench();
  console.table(results);
  for (const note of notes) console.log(`  ${note}`);
}
