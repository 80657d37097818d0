// The DigitalOcean API v2 seam: bearer auth per request, `links.pages.next` paging to the end, and 401/403 turned
// into permanent errors that name the scope the token lacks. Retries, pacing (ratelimit-* headers, Retry-After)
// and size caps belong to the runtime's HTTP client.

import { CollectorError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http.ts';
import type { DigitaloceanConfig } from './config.ts';
import type { DoLinks } from './map.ts';

/** Query parameters of one call. */
export type Query = Record<string, string | number | undefined>;

/** The custom scope a path needs (the OpenAPI spec's `security` of each operation). */
export function scopeFor(path: string): string {
  if (path.startsWith('/customers/my/')) return 'billing:read';
  if (path.startsWith('/sizes')) return 'sizes:read';
  return 'droplet:read';
}

/** DigitalOcean API v2 calls used by the collector. */
export interface DigitaloceanClient {
  /** GETs one JSON document. */
  get<T>(path: string, query?: Query): Promise<T>;
  /**
   * Pages through a list, yielding each whole page (items plus siblings such as `invoice_preview`). Follows
   * `links.pages.next` until it is absent. The next link's query (page, per_page, filters) is sent to `base_url`
   * and this path, never to the link's own host: the token only ever goes to the configured API.
   */
  pages<T extends object>(path: string, query?: Query): AsyncGenerator<T>;
}

/** Creates the client over the runtime's HTTP client; the token is sent as a Bearer token. */
export function createDigitaloceanClient(
  http: HttpClient,
  provider: string,
  config: DigitaloceanConfig,
): DigitaloceanClient {
  // The schema requires a non-empty token; this guard keeps a hand-built config from sending a bare request.
  if (config.api_key.trim() === '')
    throw new CollectorError('CONFIG_INVALID', `${provider}: api.api_key is empty: no request is sent without it`, {
      provider,
    });
  const headers = { authorization: `Bearer ${config.api_key}`, accept: 'application/json' };
  const get = async <T>(path: string, query: Query = {}): Promise<T> => {
    try {
      const operation = `digitalocean:GET ${path.replace(/\/invoices\/[^/]+$/, '/invoices/{uuid}')}`;
      return await http.json<T>({ url: `${config.base_url}${path}`, query, headers, operation });
    } catch (error) {
      throw explainAuthFailure(error, provider, path);
    }
  };
  return {
    get,
    async *pages<T extends object>(path: string, query: Query = {}) {
      const seen = new Set<string>();
      let current: Query = { ...query, per_page: config.per_page };
      for (;;) {
        const body = await get<T & { links?: DoLinks }>(path, current);
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          const message = `${provider}: GET ${path} returned ${Array.isArray(body) ? 'a list' : String(body)}, not an object`;
          throw new CollectorError('RESPONSE_MALFORMED', message, { provider, operation: path });
        }
        yield body;
        const next = body.links?.pages?.next;
        if (!next) return;
        current = queryOfLink(next, provider, path);
        const key = JSON.stringify(current);
        if (seen.has(key)) {
          const message = `${provider}: GET ${path} repeated the next page link (${key})`;
          throw new CollectorError('UPSTREAM_ERROR', message, { provider, operation: path });
        }
        seen.add(key);
      }
    },
  };
}

/** The query of a `links.pages.next` URL; it must name a page (`page` or `page_token`). */
function queryOfLink(link: string, provider: string, path: string): Query {
  let url: URL;
  try {
    url = new URL(link, 'https://api.digitalocean.com/v2/');
  } catch {
    throw new CollectorError('RESPONSE_MALFORMED', `${provider}: GET ${path}: next page link is not a URL`, {
      provider,
      operation: path,
    });
  }
  const query = Object.fromEntries(url.searchParams);
  // godo reads `page` (links.go pageForURL) and, on token-paged lists, `page_token` (pageTokenFromURL).
  if (!/^\d+$/.test(query.page ?? '') && !query.page_token)
    throw new CollectorError('RESPONSE_MALFORMED', `${provider}: GET ${path}: next page link names no page`, {
      provider,
      operation: path,
    });
  return query;
}

/** 401/403 become permanent errors that name the token and the scope it lacks. */
function explainAuthFailure(error: unknown, provider: string, path: string): unknown {
  if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
  const message =
    error.context.status === 403
      ? `${provider} (DigitalOcean): the token may not call GET ${path} (HTTP 403): give it the ` +
        `"${scopeFor(path)}" scope (a custom-scope, read-only token)`
      : `${provider} (DigitalOcean): the token was rejected on GET ${path} (HTTP 401): check api_key ` +
        `(a personal access token, dop_v1_…, not expired or revoked)`;
  return new CollectorError('AUTH_FAILED', message, error.context, { cause: error, kind: 'permanent' });
}
