// The HTTP client every source is handed (CollectContext.http): the interface and the pure helpers sources use on
// its responses. The runtime implements it (src/runtime/http/client.ts) with timeouts, retries, pacing, a circuit
// breaker and a response size cap; sources depend on this interface only.

import { CollectorError } from './errors.ts';
import type { RetryPolicy } from './retry.ts';
import { redactText } from './redact.ts';

/** TLS settings for one client (Prometheus with a private CA, a Kubernetes API server...). */
export interface TlsOptions {
  /** PEM text of extra CAs. */
  ca?: string;
  /** Path to a PEM file of extra CAs. */
  caFile?: string;
  /** Client certificate and key (PEM text). */
  cert?: string;
  key?: string;
  /** Skip certificate verification; only when the configuration asks for it. */
  insecureSkipVerify?: boolean;
}

/** One request. */
export interface HttpRequest {
  method?: string;
  url: string | URL;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Serialized as JSON with content-type application/json. */
  json?: unknown;
  /** Name for counters and error messages; defaults to `METHOD path`. */
  operation?: string;
  maxBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Statuses the caller handles itself instead of them becoming errors (e.g. 410 for Kubernetes). */
  acceptStatus?: readonly number[];
  /** Override the client's retry policy for this call. */
  retry?: Partial<RetryPolicy>;
}

/** A fully read response. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  url: string;
  /**
   * Frees the body's memory now instead of at the next full garbage collection (only when the body is a buffer
   * of its own: decompressed or joined from chunks). The body is empty afterwards: call it once done with it.
   */
  release?: () => void;
}

/** Default cap on one response body (after decompression); `collection.max_response_bytes` overrides it. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** One provider's HTTP client: every call timed out, retried per policy, paced, size-capped and redacted. */
export interface HttpClient {
  /** The provider this client belongs to. */
  readonly provider: string;
  /** The response size cap, for SDK clients that cannot use this client but must honour the same cap. */
  readonly maxResponseBytes: number;
  /** Sends a request (retried per policy) and parses the body with `parse` inside the retried attempt. */
  request<T = HttpResponse>(request: HttpRequest, parse?: (response: HttpResponse) => T): Promise<T>;
  /** GET/POST and parse a JSON body; malformed JSON is retried, then fails as RESPONSE_MALFORMED. */
  json<T>(request: HttpRequest): Promise<T>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

/**
 * Parses a JSON body; malformed or truncated JSON becomes RESPONSE_MALFORMED, and so does a body that is JSON but
 * no document (`null`, a string, a number): no API this collector reads answers with one.
 */
export function parseJsonBody<T>(response: HttpResponse, provider: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch (error) {
    throw new CollectorError(
      'RESPONSE_MALFORMED',
      `${provider}: ${redactText(response.url)} returned malformed JSON (${response.body.length} bytes): ${error instanceof Error ? error.message : String(error)}`,
      { provider, url: redactText(response.url) },
      { cause: error },
    );
  }
  if (parsed === null || typeof parsed !== 'object')
    throw new CollectorError(
      'RESPONSE_MALFORMED',
      `${provider}: ${redactText(response.url)} returned JSON ${parsed === null ? 'null' : `a ${typeof parsed}`}, not a document`,
      { provider, url: redactText(response.url) },
    );
  return parsed as T;
}

/** Extracts a human message from common error documents: {message}, {error:{message}}, {errors:[…]}. */
export function errorMessageFromBody(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object') {
      const document = parsed as Record<string, unknown>;
      const nested = document.error;
      if (typeof nested === 'string') return nested;
      if (
        nested !== null &&
        typeof nested === 'object' &&
        typeof (nested as Record<string, unknown>).message === 'string'
      )
        return String((nested as Record<string, unknown>).message);
      if (typeof document.message === 'string') return document.message;
      if (Array.isArray(document.errors) && document.errors.length > 0) {
        return document.errors
          .map((item: unknown) =>
            item !== null && typeof item === 'object'
              ? String(
                  (item as Record<string, unknown>).message ??
                    (item as Record<string, unknown>).reason ??
                    JSON.stringify(item),
                )
              : String(item),
          )
          .join('; ');
      }
    }
  } catch {
    // not JSON: fall through to the raw excerpt
  }
  return body.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** An AbortSignal that aborts when any given signal does. */
export function anySignal(signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return AbortSignal.any(present);
}
