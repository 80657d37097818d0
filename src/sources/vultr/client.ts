// The Vultr API v2 seam: bearer auth per request, cursor pagination to the end, and 401/403 turned into
// permanent errors that name the ACL the token lacks. Retries, pacing and caps belong to the HTTP client.

import { CollectorError } from '../../core/errors.ts';
import type { HttpClient } from '../_common/http/client.ts';
import type { VultrConfig } from './config.ts';
import type { VultrMeta } from './payloads.ts';

/** Which Vultr user ACL a path needs (Account > Users > ACL, or the API key's owner). */
export function aclFor(path: string): string {
  if (path.startsWith('/billing') || path.startsWith('/account')) return 'billing';
  if (path.startsWith('/plans')) return 'none (plans are public)';
  return 'subscriptions_view';
}

/** A thin Vultr client over the collector's HTTP client. */
export class VultrClient {
  readonly #http: HttpClient;
  readonly #config: VultrConfig;
  readonly #provider: string;

  constructor(http: HttpClient, config: VultrConfig, provider: string) {
    this.#http = http;
    this.#config = config;
    this.#provider = provider;
  }

  /** GETs one JSON document. */
  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    try {
      return await this.#http.json<T>({
        url: `${this.#config.base_url}${path}`,
        query,
        headers: { authorization: `Bearer ${this.#config.api_key}`, accept: 'application/json' },
        operation: `vultr:GET ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`,
      });
    } catch (error) {
      throw this.#explainAuth(error, path);
    }
  }

  /**
   * Pages through a cursor-paginated list, yielding each page's items under `key`. Follows
   * `meta.links.next` until it is empty; a repeated cursor is an upstream bug and stops with an error.
   */
  async *pages<T>(path: string, key: string, query: Record<string, string | number | undefined> = {}): AsyncGenerator<T[]> {
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const page = await this.get<Record<string, unknown>>(path, { ...query, per_page: this.#config.per_page, cursor });
      const items = page[key];
      if (items !== undefined && !Array.isArray(items)) {
        throw new CollectorError('RESPONSE_MALFORMED', `${this.#provider}: GET ${path} returned "${key}" that is not a list`, { provider: this.#provider, operation: path });
      }
      yield (items ?? []) as T[];
      const next = (page.meta as VultrMeta | undefined)?.links?.next;
      if (!next) return;
      if (seen.has(next)) throw new CollectorError('UPSTREAM_ERROR', `${this.#provider}: GET ${path} repeated the pagination cursor ${JSON.stringify(next)}`, { provider: this.#provider, operation: path });
      seen.add(next);
      cursor = next;
    }
  }

  #explainAuth(error: unknown, path: string): unknown {
    if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
    const status = error.context.status;
    const message = status === 403
      ? `${this.#provider} (Vultr): the API key may not call GET ${path}: it needs the "${aclFor(path)}" ACL on its user, and the collector's IP in the key's access control list (HTTP 403)`
      : `${this.#provider} (Vultr): the API key was rejected on GET ${path} (HTTP 401): check api_key, or that the key's IP access control list allows this host`;
    return new CollectorError('AUTH_FAILED', message, error.context, { cause: error, kind: 'permanent' });
  }
}
