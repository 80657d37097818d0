// A simulated exporter host: serves dcgm-exporter, node_exporter and vLLM pages over HTTP with content
// negotiation (OpenMetrics when the Accept header prefers it, else text 0.0.4) and gzip when allowed.
// Values evolve per tick (wall clock or manual), so counters increase; tests read back exactly what was served.

import { gzipSync } from 'node:zlib';
import { startSimServer, type SimRequest, type SimResponse, type SimServer } from '../server.ts';
import {
  CONTENT_TYPES,
  hostFamilies,
  renderOpenMetrics,
  renderText,
  servedSamples,
  type ExporterHostPages,
  type ExpositionFormat,
  type ServedSample,
} from './pages.ts';

/** Options for an exporter host. */
export interface ExporterHostOptions {
  seed?: number;
  /** Exporters on host 0 (`/metrics`); default: 8-GPU DCGM, node_exporter and vLLM (new names). */
  pages?: ExporterHostPages;
  /** Extra hosts served at `/hosts/<n>/metrics` (n = 0..hosts-1), each with its own GPUs (benchmarks). */
  hosts?: number;
  /** Exporters of the extra hosts; default: 8-GPU DCGM only. */
  hostPages?: ExporterHostPages;
  /** `time`: the tick advances every `tickMs`; `manual`: only setTick/advance change it. Default `time`. */
  clock?: 'time' | 'manual';
  /** Default 1000 ms. */
  tickMs?: number;
  port?: number;
}

/** A page the host served: which path, tick and format. */
export interface ServedPage {
  path: string;
  tick: number;
  format: ExpositionFormat;
  gzip: boolean;
}

/** A running exporter host. */
export interface ExporterHost {
  readonly server: SimServer;
  /** Base URL, no trailing slash. */
  readonly url: string;
  /** `${url}/metrics`. */
  readonly metricsUrl: string;
  /** The current tick. */
  tick(): number;
  /** Sets the tick (switches nothing else; meant for `clock: 'manual'`). */
  setTick(tick: number): void;
  /** Advances the manual tick. */
  advance(ticks?: number): void;
  /** The exact samples a path serves at a tick (`/metrics`, `/dcgm/metrics`, `/hosts/3/metrics`...). */
  samplesAt(path: string, tick: number): ServedSample[];
  /** Every page served, oldest first. */
  readonly served: readonly ServedPage[];
  close(): Promise<void>;
}

const DEFAULT_PAGES: ExporterHostPages = { dcgm: { gpus: 8 }, node: {}, vllm: { names: 'new' } };

/** Picks OpenMetrics or text 0.0.4 from an Accept header by q-value, as a real client_golang exporter does. */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'text';
  let best: { format: ExpositionFormat; q: number } = { format: 'text', q: -1 };
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((item) => item.trim().toLowerCase());
    const qParam = params.find((param) => param.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const format: ExpositionFormat | undefined =
      type === 'application/openmetrics-text'
        ? 'openmetrics'
        : type === 'text/plain' || type === '*/*'
          ? 'text'
          : undefined;
    if (format !== undefined && q > best.q) best = { format, q };
  }
  return best.format;
}

function acceptsGzip(header: string | undefined): boolean {
  return (
    header !== undefined &&
    header.split(',').some((part) => {
      const [coding = '', ...params] = part.split(';').map((item) => item.trim().toLowerCase());
      return coding === 'gzip' && !params.includes('q=0');
    })
  );
}

/** Starts an exporter host on a loopback port. */
export async function startExporterHost(options: ExporterHostOptions = {}): Promise<ExporterHost> {
  const seed = options.seed ?? 1;
  const pages = options.pages ?? DEFAULT_PAGES;
  const tickMs = options.tickMs ?? 1_000;
  const started = Date.now();
  let manualTick = 0;
  const tick = (): number => (options.clock === 'manual' ? manualTick : Math.floor((Date.now() - started) / tickMs));
  const served: ServedPage[] = [];
  const cache = new Map<string, { key: string; body: Buffer }>();

  const pagesFor = (path: string): ExporterHostPages | undefined => {
    const withSeed = (set: ExporterHostPages, host: number): ExporterHostPages => ({
      dcgm: set.dcgm === false || set.dcgm === undefined ? false : { seed, host, ...set.dcgm },
      node:
        set.node === false || set.node === undefined
          ? false
          : {
              seed,
              host,
              secondsPerTick: tickMs / 1000,
              // One machine: node_exporter's nodename is the DCGM page's Hostname.
              ...(set.dcgm && set.dcgm.hostname ? { hostname: set.dcgm.hostname } : {}),
              ...set.node,
            },
      vllm: set.vllm === false || set.vllm === undefined ? false : { seed, host, ...set.vllm },
    });
    if (path === '/metrics') return withSeed(pages, 0);
    if (path === '/dcgm/metrics') return withSeed({ dcgm: pages.dcgm ?? false }, 0);
    if (path === '/node/metrics') return withSeed({ node: pages.node ?? false }, 0);
    if (path === '/vllm/metrics') return withSeed({ vllm: pages.vllm ?? false }, 0);
    const match = /^\/hosts\/(\d+)\/metrics$/.exec(path);
    if (match && Number(match[1]) < (options.hosts ?? 0))
      return withSeed(options.hostPages ?? { dcgm: { gpus: 8 } }, Number(match[1]));
    return undefined;
  };

  const handle = (request: SimRequest): SimResponse => {
    const set = pagesFor(request.path);
    if (!set) return { status: 404, body: 'not found\n' };
    const now = tick();
    const format = negotiateFormat(request.headers.accept);
    const gzip = acceptsGzip(request.headers['accept-encoding']);
    const key = `${now}|${format}|${gzip}`;
    const cacheKey = `${request.path}|${format}|${gzip}`;
    let entry = cache.get(cacheKey);
    if (entry?.key !== key) {
      const families = hostFamilies(set, now);
      const text = format === 'openmetrics' ? renderOpenMetrics(families) : renderText(families);
      entry = { key, body: gzip ? gzipSync(text) : Buffer.from(text) };
      cache.set(cacheKey, entry);
    }
    if (served.length < 100_000) served.push({ path: request.path, tick: now, format, gzip });
    return {
      status: 200,
      headers: { 'content-type': CONTENT_TYPES[format], ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
      body: entry.body,
    };
  };

  const server = await startSimServer(
    { name: 'exporter_host', routes: [{ method: 'GET', path: /^\/.*metrics$/, handle }] },
    options.port ?? 0,
  );
  return {
    server,
    url: server.url,
    metricsUrl: `${server.url}/metrics`,
    tick,
    setTick: (value) => {
      manualTick = value;
    },
    advance: (ticks = 1) => {
      manualTick += ticks;
    },
    samplesAt: (path, at) => {
      const set = pagesFor(path);
      return set ? servedSamples(hostFamilies(set, at)) : [];
    },
    served,
    close: () => server.close(),
  };
}
