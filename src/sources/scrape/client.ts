// The scrape seam: GET an exporter's /metrics with content negotiation (OpenMetrics preferred, text 0.0.4
// accepted), gzip, timeout and size cap from the shared HTTP client, then feed the body to the parser.

import { CollectorError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http.ts';
import {
  createExpositionParser,
  type ExpositionSample,
  type FamilyMeta,
  type ParseResult,
} from '../_common/prometheus-text/index.ts';

/** What Prometheus itself sends: OpenMetrics first, then text 0.0.4. */
export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** One scrape's outcome. */
export interface ScrapeResult {
  format: 'text' | 'openmetrics';
  parse: ParseResult;
  /** When the response was complete (ms since epoch). */
  scrapedAtMs: number;
  bytes: number;
}

/** What a scrape hands its samples to. */
export interface ScrapeConsumer {
  /** Called when the response is complete, before the first sample: the scrape's timestamp (ms since epoch). */
  onResponse?: (scrapedAtMs: number) => void;
  /** Every sample whose name `wantName` accepts, in one reused object: copy what you keep. */
  onSample: (sample: ExpositionSample) => void;
  wantName: (name: string) => boolean;
  /** Called with each family's metadata (type, unit) before its samples; only when given (custom globs). */
  onFamily?: (meta: FamilyMeta) => void;
}

/** Scrapes `url` into `consumer`. */
export async function scrapeTarget(
  http: HttpClient,
  url: string,
  provider: string,
  consumer: ScrapeConsumer,
): Promise<ScrapeResult> {
  const { onSample, wantName, onFamily } = consumer;
  const response = await http.request({ url, headers: { accept: SCRAPE_ACCEPT }, operation: 'scrape:GET /metrics' });
  const scrapedAtMs = Date.now();
  const contentType = response.headers['content-type'] ?? '';
  // Like Prometheus 3, refuse a declared type that is not an exposition (a JSON error or HTML page with 200).
  if (contentType !== '' && !/^\s*(text\/plain|application\/openmetrics-text)\b/i.test(contentType)) {
    throw new CollectorError(
      'RESPONSE_MALFORMED',
      `${provider}: scrape of ${url} returned Content-Type ${contentType}, not Prometheus text or OpenMetrics`,
      { provider, url },
    );
  }
  const format = /application\/openmetrics-text/i.test(contentType) ? 'openmetrics' : 'text';
  // Shared label sets: the same (frozen) object per series scrape after scrape, so normalization and the sink
  // cache their work per series by identity instead of copying and hashing labels per sample.
  const parser = createExpositionParser(onSample, {
    format,
    wantName,
    sharedLabels: true,
    reuseSample: true,
    ...(onFamily ? { onFamily } : {}),
  });
  consumer.onResponse?.(scrapedAtMs);
  // The shared client hands back the decompressed, size-capped body; it is pushed in slices so the parser's
  // streaming path is the one exercised (and a future streaming client can feed it chunk by chunk).
  const slice = 1 << 20;
  const bytes = response.body.length;
  let parse: ParseResult;
  try {
    for (let offset = 0; offset < bytes; offset += slice) parser.push(response.body.subarray(offset, offset + slice));
    parse = parser.end();
  } finally {
    // Parsed (names and labels are copies): the page's memory is freed now, not at the next full collection.
    response.release?.();
  }
  if (format === 'openmetrics' && !parse.sawEof) {
    throw new CollectorError(
      'RESPONSE_MALFORMED',
      `${provider}: scrape of ${url} returned an OpenMetrics page without # EOF (truncated)`,
      { provider, url },
    );
  }
  if (parse.samples + parse.skipped === 0 && parse.errors.length > 0) {
    // Not an exposition at all (an HTML login page, a JSON error with status 200): the target is not usable.
    throw new CollectorError(
      'RESPONSE_MALFORMED',
      `${provider}: scrape of ${url} returned no valid exposition line (first error, line ${parse.errors[0]!.line}: ${parse.errors[0]!.message})`,
      { provider, url },
    );
  }
  return { format, parse, scrapedAtMs, bytes };
}
