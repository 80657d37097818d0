// The Vultr API v2 seam: bearer auth per request, cursor pagination to the end, and 401/403 turned into
// permanent errors that name the ACL the token lacks. Retries, pacing and caps belong to the HTTP client.

import { CollectorError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http.ts';
import type { VultrConfig } from './config.ts';
import type { VultrMeta } from './map.ts';

/** Which Vultr user ACL a path needs (Account > Users > ACL, or the API key's owner). */
export function aclFor(path: string): string {
  if (path.startsWith('/billing') || path.startsWith('/account')) return 'billing';
  if (path.startsWith('/plans')) return 'none (plans are public)';
  return 'subscriptions_view';
}

/** Vultr API v2 calls used by the collector. */
export interface VultrClient {
  /** GETs one JSON document. */
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  /**
   * Pages through a cursor-paginated list, yielding each page's items under `key`. Follows
   * `meta.links.next` until it is empty; a repeated cursor is an upstream bug and stops with an error.
   */
  pages<T>(path: string, key: string, query?: Record<string, string | number | undefined>): AsyncGenerator<T[]>;
}

/** Creates the client over the runtime's HTTP client; the API key is sent as a Bearer token. */
export function createVultrClient(http: HttpClient, provider: string, config: VultrConfig): VultrClient {
  const headers = { authorization: `Bearer ${config.api_key}`, accept: 'application/json' };
  const get = async <T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> => {
    try {
      const operation = `vultr:GET ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
      return await http.json<T>({ url: `${config.base_url}${path}`, query, headers, operation });
    } catch (error) {
      throw explainAuthFailure(error, provider, path);
    }
  };
  return {
    get,
    async *pages<T>(path: string, key: string, query: Record<string, string | number | undefined> = {}) {
      const seen = new Set<string>();
      let cursor: string | undefined;
      for (;;) {
        const page = await get<Record<string, unknown>>(path, { ...query, per_page: config.per_page, cursor });
        const items = page[key];
        if (items !== undefined && !Array.isArray(items)) {
          const message = `${provider}: GET ${path} returned "${key}" that is not a list`;
          throw new CollectorError('RESPONSE_MALFORMED', message, { provider, operation: path });
        }
        yield (items ?? []) as T[];
        const next = (page.meta as VultrMeta | undefined)?.links?.next;
        if (!next) return;
        if (seen.has(next)) {
          const message = `${provider}: GET ${path} repeated the pagination cursor ${JSON.stringify(next)}`;
          throw new CollectorError('UPSTREAM_ERROR', message, { provider, operation: path });
        }
        seen.add(next);
        cursor = next;
      }
    },
  };
}

/** 401/403 become permanent errors that name the ACL the key lacks. */
function explainAuthFailure(error: unknown, provider: string, path: string): unknown {
  if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
  const message =
    error.context.status === 403
      ? `${provider} (Vultr): the API key may not call GET ${path}: it needs the "${aclFor(path)}" ACL on its user, ` +
        `and the collector's IP in the key's access control list (HTTP 403)`
      : `${provider} (Vultr): the API key was rejected on GET ${path} (HTTP 401): check api_key, ` +
        `or that the key's IP access control list allows this host`;
  return new CollectorError('AUTH_FAILED', message, error.context, { cause: error, kind: 'permanent' });
}
