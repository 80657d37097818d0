// The runtime's implementation of core's HttpClient: per-attempt timeout, bounded retries with full jitter that
// honour Retry-After and rate-limit headers, pacing, a per-provider circuit breaker, response size caps and
// redacted, classified errors. The runtime builds one per provider; adapters call it and never retry on their own.

import { readFileSync } from 'node:fs';
import {
  brotliDecompress,
  brotliDecompressSync,
  gunzip,
  gunzipSync,
  inflate,
  inflateSync,
  type BrotliOptions,
  type ZlibOptions,
} from 'node:zlib';
import type { Readable } from 'node:stream';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { CollectorError, codeForHttpStatus, toCollectorError, type ErrorCode } from '../../core/errors.ts';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, withRetry, type RetryPolicy } from '../../core/retry.ts';
import type { CircuitBreaker } from '../../core/circuit-breaker.ts';
import type { RateLimiter } from '../../core/rate-limiter.ts';
import { redactText } from '../../core/redact.ts';
import type { Logger } from '../../core/log.ts';
import {
  anySignal,
  DEFAULT_MAX_RESPONSE_BYTES,
  errorMessageFromBody,
  parseJsonBody,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type TlsOptions,
} from '../../core/http.ts';
import { VERSION } from '../../core/version.ts';
import { rateLimitPauseMs } from './rate-limit-headers.ts';

/** How one provider's HTTP client behaves. */
export interface HttpClientOptions {
  provider: string;
  /** Per-attempt timeout covering connect, headers and the whole body. */
  timeoutMs?: number;
  /** Response bodies (after decompression) larger than this fail with RESPONSE_TOO_LARGE. */
  maxResponseBytes?: number;
  retry?: RetryPolicy;
  rateLimiter?: RateLimiter;
  breaker?: CircuitBreaker;
  tls?: TlsOptions;
  headers?: Record<string, string>;
  /** Counts every attempt by operation name. */
  onCall?: (operation: string) => void;
  log?: Logger;
  /** Aborts every request (shutdown, run deadline). */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const USER_AGENT = `optiinfra-collector/${VERSION}`;
const DEFAULT_MAX_BYTES = DEFAULT_MAX_RESPONSE_BYTES;

/** Creates a client for one provider. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  return new ResilientHttpClient(options);
}

/** See createHttpClient; a class so the worker thread's routed client can extend it. */
export class ResilientHttpClient implements HttpClient {
  readonly #options: HttpClientOptions;
  readonly #dispatcher: Dispatcher;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    const tls = options.tls ?? {};
    const ca = tls.ca ?? (tls.caFile ? readFileSync(tls.caFile, 'utf8') : undefined);
    this.#dispatcher = new Agent({
      connect: {
        ...(ca === undefined ? {} : { ca }),
        ...(tls.cert === undefined ? {} : { cert: tls.cert, key: tls.key }),
        rejectUnauthorized: !(tls.insecureSkipVerify ?? false),
      },
      keepAliveTimeout: 10_000,
      connections: 16,
    });
  }

  /** The provider this client belongs to. */
  get provider(): string {
    return this.#options.provider;
  }

  /** The response size cap, for SDK clients that cannot use this client but must honour the same cap. */
  get maxResponseBytes(): number {
    return this.#options.maxResponseBytes ?? DEFAULT_MAX_BYTES;
  }

  /** Sends a request (retried per policy) and parses the body with `parse` inside the retried attempt. */
  async request<T = HttpResponse>(request: HttpRequest, parse?: (response: HttpResponse) => T): Promise<T> {
    const url = buildUrl(request.url, request.query);
    const method = request.method ?? (request.body !== undefined || request.json !== undefined ? 'POST' : 'GET');
    const operation = request.operation ?? `${method} ${url.pathname}`;
    const policy = { ...(this.#options.retry ?? DEFAULT_RETRY_POLICY), ...request.retry };
    const signal = anySignal([request.signal, this.#options.signal]);
    return withRetry(
      async () => {
        this.#options.breaker?.check();
        await this.#options.rateLimiter?.acquire(signal);
        this.#options.onCall?.(operation);
        try {
          const response = await this.#send(url, method, request, signal);
          const result = parse ? parseOrThrow(parse, response, this.#options.provider, operation) : (response as T);
          this.#options.breaker?.success();
          return result;
        } catch (thrown) {
          const error = classifyTransportError(thrown, this.#options.provider, method, url);
          this.#options.breaker?.failure(error);
          throw error;
        }
      },
      {
        policy,
        signal,
        onRetry: (error, attempt, delayMs) =>
          this.#options.log?.warn(
            { provider: this.#options.provider, code: error.code, attempt, delayMs },
            `retrying ${operation}: ${error.message}`,
          ),
      },
    );
  }

  /** GET/POST and parse a JSON body; malformed JSON is retried, then fails as RESPONSE_MALFORMED. */
  json<T>(request: HttpRequest): Promise<T> {
    return this.request(request, (response) => parseJsonBody<T>(response, this.#options.provider));
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    await this.#dispatcher.close();
  }

  async #send(url: URL, method: string, request: HttpRequest, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const timeoutMs = request.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = request.maxBytes ?? this.#options.maxResponseBytes ?? DEFAULT_MAX_BYTES;
    const headers: Record<string, string> = {
      'user-agent': USER_AGENT,
      'accept-encoding': 'gzip, deflate, br',
      ...this.#options.headers,
      ...request.headers,
    };
    let body = request.body;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] ??= 'application/json';
    }
    // The attempt's deadline: one timer cleared when the attempt ends (AbortSignal.timeout + AbortSignal.any left a
    // live timer and a composite signal per request for timeoutMs after it finished).
    const attempt = new AbortController();
    const timer = setTimeout(
      () => attempt.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      timeoutMs,
    );
    const cancel = (): void => attempt.abort(signal?.reason);
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await this.#attempt(url, method, headers, body, request, attempt.signal, timeoutMs, maxBytes);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }

  async #attempt(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    request: HttpRequest,
    attemptSignal: AbortSignal,
    timeoutMs: number,
    maxBytes: number,
  ): Promise<HttpResponse> {
    const response = await undiciRequest(url, {
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
      signal: attemptSignal,
      dispatcher: this.#dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const responseHeaders = flattenHeaders(response.headers);
    const pauseMs = rateLimitPauseMs(responseHeaders);
    if (pauseMs !== undefined) this.#options.rateLimiter?.pauseUntil(Date.now() + pauseMs);
    const declared = Number(responseHeaders['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes && responseHeaders['content-encoding'] === undefined) {
      response.body.destroy();
      throw new CollectorError(
        'RESPONSE_TOO_LARGE',
        `${this.#options.provider}: ${method} ${redactText(url.toString())} declared ${declared} bytes, over the ${maxBytes}-byte cap`,
        { provider: this.#options.provider, url: redactText(url.toString()) },
      );
    }
    const encoding = contentEncoding(responseHeaders['content-encoding']);
    const tooLarge = (): CollectorError =>
      new CollectorError(
        'RESPONSE_TOO_LARGE',
        `${this.#options.provider}: ${method} ${redactText(url.toString())} returned more than the ${maxBytes}-byte cap`,
        { provider: this.#options.provider, url: redactText(url.toString()) },
      );
    // A compressed body is read whole (bounded: a body that fits the cap after decompression cannot be much larger
    // compressed) and decompressed in one call capped at maxBytes: no stream objects and no zlib state left for GC.
    const raw = await readCapped(
      response.body,
      encoding === undefined ? maxBytes : compressedBound(maxBytes),
      tooLarge,
    );
    const buffer = encoding === undefined ? raw.body : await decompress(raw.body, encoding, maxBytes, tooLarge);
    const result: HttpResponse = {
      status: response.statusCode,
      headers: responseHeaders,
      body: buffer,
      url: url.toString(),
    };
    if (encoding !== undefined || raw.joined) result.release = () => releaseBuffer(buffer);
    if (response.statusCode >= 400 && !(request.acceptStatus ?? []).includes(response.statusCode)) {
      throw httpStatusError(result, method, this.#options.provider, pauseMs);
    }
    return result;
  }
}

function buildUrl(base: string | URL, query: HttpRequest['query']): URL {
  const url = new URL(base.toString());
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  }
  return url;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

type ContentEncoding = 'gzip' | 'deflate' | 'br';

function contentEncoding(header: string | undefined): ContentEncoding | undefined {
  switch (header?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return 'gzip';
    case 'deflate':
      return 'deflate';
    case 'br':
      return 'br';
    default:
      return undefined;
  }
}

/** The largest compressed size of a body of `maxBytes` (stored blocks add 5 bytes per 16 KiB, plus headers). */
function compressedBound(maxBytes: number): number {
  return maxBytes + Math.ceil(maxBytes / 16_384) * 5 + 1024;
}

/** Bodies up to this size (compressed) are decompressed synchronously: cheaper than a trip to the thread pool. */
const SYNC_DECOMPRESS_BYTES = 256 * 1024;

type Decompress = (
  input: Buffer,
  options: ZlibOptions & BrotliOptions,
  callback: (error: Error | null, result: Buffer) => void,
) => void;
const DECOMPRESSORS: Record<
  ContentEncoding,
  { sync: (input: Buffer, options: ZlibOptions & BrotliOptions) => Buffer; async: Decompress }
> = {
  gzip: { sync: gunzipSync, async: gunzip },
  deflate: { sync: inflateSync, async: inflate },
  br: { sync: brotliDecompressSync, async: brotliDecompress },
};

/**
 * zlib's output chunk size for `raw`: a gzip member ends with its uncompressed size (ISIZE, mod 2^32), so a
 * chunk one byte larger holds the whole page and zlib returns it without concatenating 16 KiB chunks (a copy
 * of every scraped byte). A wrong or multi-member ISIZE only costs the concatenation again; bounded by the cap.
 */
function outputChunkSize(raw: Buffer, encoding: ContentEncoding, maxBytes: number): number {
  const fallback = 16 * 1024;
  if (encoding !== 'gzip' || raw.length < 18) return fallback;
  const declared = raw.readUInt32LE(raw.length - 4) + 1;
  return Math.max(fallback, Math.min(declared, maxBytes + 1, MAX_OUTPUT_CHUNK_BYTES));
}

/** Largest single zlib output chunk (a bigger page is returned in several and concatenated). */
const MAX_OUTPUT_CHUNK_BYTES = 16 * 1024 * 1024;

/** Decompresses `raw`; more than `maxBytes` of output is RESPONSE_TOO_LARGE (zlib stops at maxOutputLength). */
async function decompress(
  raw: Buffer,
  encoding: ContentEncoding,
  maxBytes: number,
  tooLarge: () => CollectorError,
): Promise<Buffer> {
  // maxOutputLength is the cap + 1: exactly maxBytes is allowed, one byte more is over.
  const options = { maxOutputLength: maxBytes + 1, chunkSize: outputChunkSize(raw, encoding, maxBytes) };
  const { sync, async } = DECOMPRESSORS[encoding];
  let output: Buffer;
  try {
    output =
      raw.length <= SYNC_DECOMPRESS_BYTES
        ? sync(raw, options)
        : await new Promise<Buffer>((resolve, reject) =>
            async(raw, options, (error, result) => (error ? reject(error) : resolve(result))),
          );
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw error;
  }
  if (output.length > maxBytes) throw tooLarge();
  return output;
}

/**
 * Detaches `buffer`'s ArrayBuffer, which frees it at once: scraped pages otherwise outlive the young generation
 * (they are held across awaits) and pile up as external memory until a full collection. Only when the buffer
 * fills its ArrayBuffer (zlib's chunk is one byte longer) and is too long to be a slice of Node's shared pool
 * (pooled allocations are shorter than Buffer.poolSize / 2); small pages stay with the pool.
 */
function releaseBuffer(buffer: Buffer): void {
  const arrayBuffer = buffer.buffer as ArrayBuffer;
  if (
    arrayBuffer.detached ||
    buffer.byteOffset !== 0 ||
    arrayBuffer.byteLength - buffer.byteLength > 1 ||
    buffer.byteLength < Buffer.poolSize >>> 1
  )
    return;
  arrayBuffer.transfer(0);
}

async function readCapped(
  stream: Readable,
  maxBytes: number,
  tooLarge: () => CollectorError,
): Promise<{ body: Buffer; joined: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      stream.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  // One chunk (a small page): no copy; it is a view of the socket's read buffer, so it is never released.
  return chunks.length === 1
    ? { body: chunks[0]!, joined: false }
    : { body: Buffer.concat(chunks, total), joined: true };
}

function httpStatusError(
  response: HttpResponse,
  method: string,
  provider: string,
  pauseMs: number | undefined,
): CollectorError {
  const code: ErrorCode = codeForHttpStatus(response.status);
  const retryAfterMs =
    parseRetryAfter(response.headers['retry-after']) ?? (response.status === 429 ? pauseMs : undefined);
  const detail = errorMessageFromBody(response.body.toString('utf8'));
  const hint =
    response.status === 401
      ? ' (check the API key or token)'
      : response.status === 403
        ? ' (the credentials lack a permission this call needs)'
        : '';
  const url = redactText(response.url);
  return new CollectorError(
    code,
    redactText(`${provider}: ${method} ${url} -> HTTP ${response.status}${hint}${detail ? `: ${detail}` : ''}`),
    {
      provider,
      url,
      status: response.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  );
}

function parseOrThrow<T>(
  parse: (response: HttpResponse) => T,
  response: HttpResponse,
  provider: string,
  operation: string,
): T {
  try {
    return parse(response);
  } catch (error) {
    if (error instanceof CollectorError) throw error;
    throw new CollectorError(
      'RESPONSE_MALFORMED',
      `${provider}: ${operation} returned a body that could not be read: ${error instanceof Error ? error.message : String(error)}`,
      { provider, url: redactText(response.url) },
      { cause: error },
    );
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNABORTED',
]);

function classifyTransportError(thrown: unknown, provider: string, method: string, url: URL): CollectorError {
  if (thrown instanceof CollectorError) return thrown;
  const where = `${provider}: ${method} ${redactText(url.toString())}`;
  const context = { provider, url: redactText(url.toString()) };
  const error = thrown as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = error.code ?? error.cause?.code;
  if (
    error.name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new CollectorError('TIMEOUT', `${where} timed out`, context, { cause: thrown });
  }
  if (error.name === 'AbortError')
    return new CollectorError('CANCELLED', `${where} was cancelled`, context, { cause: thrown });
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
    return new CollectorError('RESPONSE_MALFORMED', `${where} returned a truncated or corrupt body`, context, {
      cause: thrown,
    });
  }
  if (code !== undefined && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) {
    return new CollectorError(
      'NETWORK',
      `${where} failed: ${code}${error.message ? ` (${redactText(error.message)})` : ''}`,
      context,
      { cause: thrown },
    );
  }
  if (code !== undefined && /CERT|SSL|TLS/i.test(code)) {
    return new CollectorError(
      'NETWORK',
      `${where} failed TLS verification: ${code} (set a CA file, or insecure_skip_verify only if you must)`,
      context,
      { cause: thrown, kind: 'permanent' },
    );
  }
  const converted = toCollectorError(thrown, context);
  return converted.code === 'INTERNAL'
    ? new CollectorError('NETWORK', `${where} failed: ${redactText(converted.message)}`, context, { cause: thrown })
    : converted;
}
