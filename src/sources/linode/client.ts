// The Linode API v4 seam: bearer auth per request, `page`/`pages` pagination to the end, and 401/403 turned
// into permanent errors that name the token scope missing. Retries, pacing (X-RateLimit-*, Retry-After) and
// caps belong to the runtime's HTTP client.

import { CollectorError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http.ts';
import type { LinodeConfig } from './config.ts';
import type { LinodePage } from './map.ts';

/** Which personal-access-token scope a path needs (Cloud Manager > API Tokens; OAuth `<scope>:read_only`). */
export function scopeFor(path: string): string {
  if (path.startsWith('/account')) return 'Account (read only), OAuth account:read_only';
  if (path.startsWith('/linode/types')) return 'none (types are public)';
  return 'Linodes (read only), OAuth linodes:read_only';
}

/** Linode API v4 calls used by the collector. */
export interface LinodeClient {
  /** GETs one JSON document. */
  get<T>(path: string): Promise<T>;
  /**
   * Pages through a list from page 1 until `page >= pages`, yielding each page's `data`. A page number the
   * server does not echo, or a `pages` that grows past what was announced on page 1, is an upstream error.
   */
  pages<T>(path: string): AsyncGenerator<T[]>;
}

/** Creates the client over the runtime's HTTP client; the token is sent as a Bearer token. */
export function createLinodeClient(http: HttpClient, provider: string, config: LinodeConfig): LinodeClient {
  if (!config.api_key) {
    // The loader requires it; a source built around the loader must still never call without credentials.
    throw new CollectorError('CONFIG_INVALID', `${provider} (Linode): api.api_key is empty; no request was made`, {
      provider,
    });
  }
  const headers = { authorization: `Bearer ${config.api_key}`, accept: 'application/json' };
  const get = async <T>(path: string, query: Record<string, number> = {}): Promise<T> => {
    try {
      const operation = `linode:GET ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
      return await http.json<T>({ url: `${config.base_url}${path}`, query, headers, operation });
    } catch (error) {
      throw explainAuthFailure(error, provider, path);
    }
  };
  return {
    get: (path) => get(path),
    async *pages<T>(path: string) {
      let announced: number | undefined;
      for (let page = 1; ; page++) {
        const body = await get<LinodePage<T>>(path, { page, page_size: config.page_size });
        if (!Array.isArray(body.data) || body.page !== page || !Number.isInteger(body.pages)) {
          const message = `${provider}: GET ${path} page ${page} is not a Linode page ({data, page, pages})`;
          throw new CollectorError('RESPONSE_MALFORMED', message, { provider, operation: path });
        }
        announced ??= body.pages;
        if (body.pages > announced + 1) {
          const message = `${provider}: GET ${path} grew from ${announced} to ${body.pages} pages while paging`;
          throw new CollectorError('UPSTREAM_ERROR', message, { provider, operation: path });
        }
        yield body.data;
        if (page >= body.pages) return;
      }
    },
  };
}

/** 401/403 become permanent errors that name the scope the token lacks. */
function explainAuthFailure(error: unknown, provider: string, path: string): unknown {
  if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
  const message =
    error.context.status === 403
      ? `${provider} (Linode): the token may not call GET ${path} (HTTP 403): it needs the ${scopeFor(path)} scope`
      : `${provider} (Linode): the token was rejected on GET ${path} (HTTP 401): check api_key (expired or ` +
        `revoked), or that it has the ${scopeFor(path)} scope`;
  return new CollectorError('AUTH_FAILED', message, error.context, { cause: error, kind: 'permanent' });
}
