// The Hetzner Cloud API seam: Bearer project token, `page`/`per_page` paging to the end (`meta.pagination.next_page`,
// else the `Link` header's rel="next"), and 401/403 turned into errors naming the token. Retries, pacing (including
// the RateLimit-* headers) and size caps belong to the runtime's HTTP client.

import { CollectorError } from '../../core/errors.ts';
import { parseJsonBody, type HttpClient } from '../../core/http.ts';
import type { HetznerConfig } from './config.ts';
import type { HetznerPagination } from './map.ts';

/** Hetzner Cloud API calls used by the collector. */
export interface HetznerClient {
  /** GETs one JSON document (e.g. `/pricing`). */
  get<T>(path: string): Promise<T>;
  /** Pages through a list, yielding each page's items under `key`; stops with an error on a repeated page. */
  pages<T>(path: string, key: string): AsyncGenerator<T[]>;
}

/** One page as read: the body and the `Link` header. */
interface PageResponse {
  body: Record<string, unknown>;
  link: string | undefined;
}

/** Creates the client. Refuses to send a request without a token (the schema requires one; this is the backstop). */
export function createHetznerClient(http: HttpClient, provider: string, config: HetznerConfig): HetznerClient {
  if (!config.api_key) {
    throw new CollectorError('CONFIG_INVALID', `${provider}: api.api_key is empty: no request is sent without it`, {
      provider,
    });
  }
  const headers = { authorization: `Bearer ${config.api_key}`, accept: 'application/json' };
  const read = async (url: string, path: string): Promise<PageResponse> => {
    try {
      return await http.request({ url, headers, operation: `hetzner:GET ${path}` }, (response) => ({
        body: parseJsonBody<Record<string, unknown>>(response, provider),
        link: response.headers.link,
      }));
    } catch (error) {
      throw explainAuthFailure(error, provider, path);
    }
  };
  return {
    async get<T>(path: string): Promise<T> {
      return (await read(`${config.base_url}${path}`, path)).body as T;
    },
    async *pages<T>(path: string, key: string) {
      const seen = new Set<string>();
      let url: string | undefined = pageUrl(config.base_url, path, 1, config.per_page);
      while (url !== undefined) {
        if (seen.has(url)) {
          throw new CollectorError('UPSTREAM_ERROR', `${provider}: GET ${path} repeated the page ${url}`, {
            provider,
            operation: path,
          });
        }
        seen.add(url);
        const { body, link } = await read(url, path);
        const items = body[key];
        if (items !== undefined && !Array.isArray(items)) {
          const message = `${provider}: GET ${path} returned "${key}" that is not a list`;
          throw new CollectorError('RESPONSE_MALFORMED', message, { provider, operation: path });
        }
        yield (items ?? []) as T[];
        url = nextPageUrl(config.base_url, path, config.per_page, body, link, provider);
      }
    },
  };
}

function pageUrl(base: string, path: string, page: number, perPage: number): string {
  return `${base}${path}?page=${page}&per_page=${perPage}`;
}

/**
 * The next page: `meta.pagination.next_page` when the body has it (null = last page), else the `Link` header's
 * rel="next" — followed only when it points under base_url, so the token never goes to another host.
 */
export function nextPageUrl(
  base: string,
  path: string,
  perPage: number,
  body: Record<string, unknown>,
  link: string | undefined,
  provider: string,
): string | undefined {
  const pagination = (body.meta as { pagination?: HetznerPagination | null } | undefined)?.pagination;
  if (pagination) {
    return typeof pagination.next_page === 'number' ? pageUrl(base, path, pagination.next_page, perPage) : undefined;
  }
  const next = linkRelations(link).get('next');
  if (next === undefined) return undefined;
  const resolved = new URL(next, base);
  const root = new URL(base);
  if (resolved.origin !== root.origin || !resolved.pathname.startsWith(root.pathname)) {
    throw new CollectorError(
      'UPSTREAM_ERROR',
      `${provider}: GET ${path} sent a Link rel="next" outside ${root.origin}${root.pathname}; not followed`,
      { provider, operation: path },
    );
  }
  return resolved.toString();
}

/** Parses an RFC 8288 `Link` header into rel -> URL. */
export function linkRelations(header: string | undefined): Map<string, string> {
  const relations = new Map<string, string>();
  for (const match of (header ?? '').matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel="?([^";,]+)"?/i.exec(match[2] ?? '')?.[1];
    if (rel && match[1] !== undefined) for (const name of rel.split(/\s+/)) relations.set(name.toLowerCase(), match[1]);
  }
  return relations;
}

/** 401/403 become permanent errors naming the provider and what the token lacks. */
function explainAuthFailure(error: unknown, provider: string, path: string): unknown {
  if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
  const message =
    error.context.status === 403
      ? `${provider} (Hetzner Cloud): the project token may not call GET ${path} (HTTP 403 forbidden)`
      : `${provider} (Hetzner Cloud): the API rejected the project token on GET ${path} (HTTP 401): set api.api_key ` +
        'to a token of the project (Console > Security > API tokens; Read is enough)';
  return new CollectorError('AUTH_FAILED', message, error.context, { cause: error, kind: 'permanent' });
}
