// The Paperspace API seam: `GET /machines` paged with `limit`/`after` <- `nextPage` until `hasMore` is false.

import { CollectorError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http.ts';
import type { PaperspaceConfig } from './config.ts';
import type { PaperspaceMachinePage } from './map.ts';

/** Paperspace API calls used by the collector. */
export interface PaperspaceClient {
  /** Yields each page of machines in turn (streamed, never the whole account at once). */
  machinePages(): AsyncGenerator<PaperspaceMachinePage>;
}

/** Creates the client; the API key is sent as a Bearer token. */
export function createPaperspaceClient(http: HttpClient, provider: string, config: PaperspaceConfig): PaperspaceClient {
  const headers = { authorization: `Bearer ${config.api_key}`, accept: 'application/json' };
  return {
    async *machinePages() {
      let after: string | undefined;
      const seen = new Set<string>();
      for (;;) {
        let page: PaperspaceMachinePage;
        try {
          const query = { limit: config.page_size, after };
          const url = `${config.base_url}/machines`;
          page = await http.json<PaperspaceMachinePage>({ url, query, headers, operation: 'paperspace:ListMachines' });
        } catch (error) {
          throw explainAuthFailure(error, provider);
        }
        yield page;
        const next = page.nextPage ?? undefined;
        if (!page.hasMore || next === undefined || next === '') return;
        // A cursor that repeats would loop forever: fail loudly instead.
        if (seen.has(next)) {
          const message = `${provider}: GET /machines returned the cursor ${JSON.stringify(next)} twice`;
          throw new CollectorError('RESPONSE_MALFORMED', message, { provider });
        }
        seen.add(next);
        after = next;
      }
    },
  };
}

/** 401/403 become permanent errors that name the provider and what the key is missing. */
function explainAuthFailure(error: unknown, provider: string): unknown {
  if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
  const what =
    error.context.status === 403
      ? 'the Paperspace API key may not list machines (HTTP 403): use a team API key whose role can read machines'
      : 'the Paperspace API rejected the API key (HTTP 401): set api.api_key to a key from the console (Team settings > API keys)';
  return new CollectorError('AUTH_FAILED', `${provider}: ${what}`, error.context, { cause: error });
}
