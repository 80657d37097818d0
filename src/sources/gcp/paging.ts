// One `pageToken` pager for Google REST list calls (Compute aggregatedList, Monitoring timeSeries.list): a fresh
// bearer token per request, a repeated token is an upstream error instead of an endless loop, and auth failures are
// explained by the caller (each API names its own role).

import { CollectorError } from '../../core/errors.ts';
import { parseJsonBody, type HttpClient } from '../../core/http.ts';
import type { TokenSource } from './auth.ts';

/** One paged list call. */
export interface PagedCall {
  provider: string;
  url: string;
  /** The query of every page; `pageToken` is added after the first. */
  query: Record<string, string | number | boolean>;
  token: TokenSource;
  /** e.g. `compute:instances.aggregatedList`: counters and error messages. */
  operation: string;
  /** What the pages are of, for the repeated-token message (e.g. the project). */
  subject: string;
  /** Rewrites a failed request's error (401/403 naming the role). */
  explain: (error: unknown) => unknown;
}

/** Yields each page until one has no `nextPageToken`. */
export async function* pagesByToken<Page extends { nextPageToken?: string | null }>(
  http: HttpClient,
  call: PagedCall,
): AsyncGenerator<Page> {
  const seen = new Set<string>();
  let pageToken: string | undefined;
  do {
    const query = pageToken === undefined ? call.query : { ...call.query, pageToken };
    const authorization = `Bearer ${await call.token()}`;
    let page: Page;
    try {
      page = await http.request(
        { url: call.url, query, headers: { authorization, accept: 'application/json' }, operation: call.operation },
        (response) => parseJsonBody<Page>(response, call.provider),
      );
    } catch (error) {
      throw call.explain(error);
    }
    yield page;
    pageToken = page.nextPageToken || undefined;
    if (pageToken !== undefined) {
      if (seen.has(pageToken)) {
        const method = call.operation.split(':').pop() ?? call.operation;
        throw new CollectorError(
          'UPSTREAM_ERROR',
          `${call.provider}: ${method} repeated pageToken for ${call.subject}`,
          {
            provider: call.provider,
            operation: call.operation,
          },
        );
      }
      seen.add(pageToken);
    }
  } while (pageToken !== undefined);
}
