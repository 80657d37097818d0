// The scrape seam: GET an exporter's /metrics with content negotiation (OpenMetrics preferred, text 0.0.4
// accepted), gzip, timeout and size cap from the shared HTTP client, then feed the body to the parser.
// Like Prometheus: redirects are followed (at most 10 hops, Go's http.Client default), anything but a 200 at the
// end fails the scrape, and sample_limit / label_limit / label_value_length_limit fail it as soon as they are passed.

import { CollectorError } from '../../core/errors.ts';
import type { HttpClient, HttpResponse } from '../../core/http.ts';
import { redactText } from '../../core/redact.ts';
import {
  createExpositionParser,
  type ExpositionSample,
  type FamilyMeta,
  type ParseResult,
} from '../_common/prometheus-text/index.ts';

/** What Prometheus itself sends: OpenMetrics first, then text 0.0.4. */
export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** Redirects followed per scrape: Go's http.Client stops after 10, and Prometheus scrapes with it. */
export const MAX_REDIRECTS = 10;

/** Per-target limits, as Prometheus's scrape_config has them; 0 is no limit. */
export interface ScrapeLimits {
  /** Most samples the page may have among the names read (`wantName`); one more fails the scrape. */
  sampleLimit: number;
  /** Most labels on one series (its name not counted). */
  labelLimit: number;
  /** Longest label value in UTF-8 bytes. */
  labelValueLengthLimit: number;
}

/** How one target is scraped, beyond the consumer. */
export interface ScrapeOptions {
  limits?: ScrapeLimits;
  /** The client sends credentials: a redirect to another host fails instead of carrying them there. */
  credentials?: boolean;
}

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
  options: ScrapeOptions = {},
): Promise<ScrapeResult> {
  const { onSample, wantName, onFamily } = consumer;
  const response = await fetchPage(http, url, provider, options.credentials === true);
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
    ...(options.limits
      ? {
          sampleLimit: options.limits.sampleLimit,
          labelLimit: options.limits.labelLimit,
          labelValueLengthLimit: options.limits.labelValueLengthLimit,
        }
      : {}),
  });
  consumer.onResponse?.(scrapedAtMs);
  // The shared client hands back the decompressed, size-capped body; it is pushed in slices so the parser's
  // streaming path is the one exercised (and a future streaming client can feed it chunk by chunk). A limit
  // stops the parser at the sample that passes it: the rest of the page is never parsed.
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
  if (parse.limitExceeded !== undefined)
    throw new CollectorError(
      'TARGET_LIMIT_EXCEEDED',
      `${provider}: scrape of ${url} failed: ${parse.limitExceeded.message}; none of its samples are kept`,
      { provider, url },
    );
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

/**
 * GETs the page, following redirects (at most MAX_REDIRECTS), and insists on a 200 with a body: a 204, another
 * 2xx or a redirect left unfollowed is not an exposition, and reading it as an empty page would store nothing
 * while reporting success.
 */
async function fetchPage(http: HttpClient, url: string, provider: string, credentials: boolean): Promise<HttpResponse> {
  const origin = new URL(url);
  let current = url;
  for (let hops = 0; ; hops++) {
    const response = await http.request({
      url: current,
      headers: { accept: SCRAPE_ACCEPT },
      operation: 'scrape:GET /metrics',
    });
    const via = current === url ? '' : ` (redirected to ${current})`;
    if (response.status >= 300 && response.status < 400) {
      response.release?.();
      const location = response.headers.location;
      const fail = (why: string): CollectorError =>
        new CollectorError(
          'BAD_REQUEST',
          redactText(`${provider}: scrape of ${url}${via} answered HTTP ${response.status} ${why}`),
          { provider, url, status: response.status },
        );
      if (location === undefined || location.trim() === '') throw fail('without a Location header');
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw fail(`with an invalid Location ${JSON.stringify(location.slice(0, 200))}`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:')
        throw fail(`redirecting to ${next.protocol} (${location.slice(0, 200)}), not http(s)`);
      if (hops + 1 > MAX_REDIRECTS) throw fail(`to ${next.href}: stopped after ${MAX_REDIRECTS} redirects`);
      if (credentials && next.host !== origin.host)
        throw fail(
          `redirecting to another host (${next.href}): scrape_auth credentials are not sent there; scrape that URL instead`,
        );
      current = next.href;
      continue;
    }
    if (response.status !== 200) {
      response.release?.();
      throw new CollectorError(
        'TARGET_DOWN',
        redactText(
          `${provider}: scrape of ${url}${via} answered HTTP ${response.status}${response.status === 204 ? ' No Content' : ''}, not 200 with an exposition`,
        ),
        { provider, url, status: response.status },
      );
    }
    if (response.body.length === 0)
      throw new CollectorError(
        'RESPONSE_MALFORMED',
        redactText(`${provider}: scrape of ${url}${via} answered HTTP 200 with an empty body, not an exposition`),
        { provider, url, status: response.status },
      );
    return response;
  }
}
