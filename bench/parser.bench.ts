// Benchmark of the exposition parser against the npm `parse-prometheus-text-format` and a bare byte loop.
// Run: `npx node bench/parser.bench.ts`. Pages come from the simulated exporter host (realistic dcgm-exporter,
// vLLM and node_exporter output); each kind is a corpus of distinct host pages totalling a few MB, parsed
// one page at a time as a collector does per scrape. Medians of several timed runs after warm-up.
// Two clocks: wall time, and the main thread's CPU time (`process.threadCpuUsage`), which stays meaningful on
// a shared, busy machine where wall time also counts waiting for a core. "MB/s (1 core)" uses the latter.

import { fileURLToPath } from 'node:url';
import { parseExposition } from '../src/sources/_common/prometheus-text/index.ts';
import type { ExpositionSample } from '../src/sources/_common/prometheus-text/index.ts';
import { dcgmPage, nodeExporterPage, vllmPage } from '../src/simulator/exporter-host/pages.ts';

const TARGET_CORPUS_BYTES = 4 << 20;
/** Warm-up until the JIT settles: at least this many runs and this much time. */
const WARMUP_RUNS = 8;
const WARMUP_MS = 1000;
const TIMED_RUNS = 9;

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
  return [
    buildCorpus('dcgm (8 GPUs)', (host) => dcgmPage({ host, gpus: 8, podGpus: [0, 1, 2, 3, 4, 5] })),
    buildCorpus('dcgm OpenMetrics', (host) => dcgmPage({ host, gpus: 8, podGpus: [0, 1, 2, 3], format: 'openmetrics' })),
    buildCorpus('vllm (3 models)', (host) => vllmPage({ host, models: ['meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen2.5-72B-Instruct', 'mistralai/Mistral-7B-Instruct-v0.3'] })),
    buildCorpus('node_exporter (64 cpus)', (host) => nodeExporterPage({ host, cpus: 64 })),
  ];
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function threadCpuMs(): number {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median wall and thread-CPU time (ms) of `run` after warm-up. */
function measure(run: () => number): Timing {
  let sink = 0;
  const warmupEnd = performance.now() + WARMUP_MS;
  for (let i = 0; i < WARMUP_RUNS || performance.now() < warmupEnd; i++) sink += run();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const wallStart = performance.now();
    const cpuStart = threadCpuMs();
    sink += run();
    cpus.push(threadCpuMs() - cpuStart);
    walls.push(performance.now() - wallStart);
  }
  if (sink === -1) console.log('unreachable');
  return { wallMs: median(walls), cpuMs: median(cpus) };
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

/** Runs every parser over every corpus; one row per (corpus, parser) with MB/s, samples/s and ours/peer (CPU time). */
export async function runParserBench(): Promise<Array<Record<string, string | number>>> {
  // A variable specifier: the package ships no types, and this is its only use.
  const peerSpecifier = 'parse-prometheus-text-format';
  const peerModule = (await import(peerSpecifier)) as { default: PeerParser };
  const peer = peerModule.default;
  const rows: Array<Record<string, string | number>> = [];
  for (const corpus of corpora()) {
    const megabytes = corpus.totalBytes / 1e6;
    const row = (parser: string, timing: Timing, peer?: Timing): Record<string, string | number> => ({
      page: corpus.kind,
      parser,
      'MB/s (1 core)': Math.round(megabytes / (timing.cpuMs / 1000)),
      'MB/s (wall)': Math.round(megabytes / (timing.wallMs / 1000)),
      'samples/s (1 core)': Math.round(corpus.samples / (timing.cpuMs / 1000)),
      'ours/peer': peer === undefined ? '' : Number((peer.cpuMs / timing.cpuMs).toFixed(2)),
    });
    const peerTiming = measure(() => peerOnStrings(corpus, peer));
    const oursTiming = measure(() => oursOnBytes(corpus));
    const oursStringTiming = measure(() => oursOnStrings(corpus));
    const firstName = corpus.texts[0]!.split('\n').find((line) => !line.startsWith('#'))!.split(/[{ ]/)[0]!;
    const filteredTiming = measure(() => oursOnBytes(corpus, (name) => name === firstName));
    const bareTiming = measure(() => bareByteLoop(corpus));
    rows.push(row('ours (bytes)', oursTiming, peerTiming));
    rows.push(row('ours (string input)', oursStringTiming, peerTiming));
    rows.push(row(`ours, wantName: ${firstName} only`, filteredTiming, peerTiming));
    rows.push(row('parse-prometheus-text-format', peerTiming));
    rows.push(row('bare byte loop', bareTiming));
  }
  return rows;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await runParserBench();
  console.table(rows);
}
