// Paged Kubernetes lists: `limit` + `continue` until the continue token is empty. A 410 Expired (stale token,
// etcd compaction) restarts the list from scratch: the only way to get a consistent list again.

import { CollectorError } from '../../../core/errors.ts';
import type { HttpClient } from '../../../core/http.ts';

/** A Kubernetes `*List` object. */
export interface KubeList<T> {
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items?: T[];
}

/** One page of a list, and whether the list was restarted before it (consumers must be idempotent). */
export interface KubePage<T> {
  items: T[];
  restarts: number;
}

/** Options of one paged list. */
export interface ListOptions {
  /** Full URL of the collection, e.g. `https://host:6443/api/v1/nodes`. */
  url: string;
  limit: number;
  /** Name for counters, e.g. `k8s:ListNodes`. */
  operation: string;
  provider: string;
  /** Restarts allowed after 410 Expired before giving up (retryable). */
  maxRestarts?: number;
}

type Answer<T> = { expired: true; message: string } | { expired: false; list: KubeList<T> };

/** Yields each page in turn, restarting on 410 Expired. */
export async function* listPages<T>(http: HttpClient, options: ListOptions): AsyncGenerator<KubePage<T>> {
  const maxRestarts = options.maxRestarts ?? 3;
  let restarts = 0;
  let token: string | undefined;
  for (;;) {
    const answer = await http.request<Answer<T>>(
      {
        url: options.url,
        query: { limit: options.limit, continue: token },
        operation: options.operation,
        acceptStatus: [410],
        headers: { accept: 'application/json' },
      },
      (response) => {
        const body = JSON.parse(response.body.toString('utf8')) as KubeList<T> & { message?: string };
        return response.status === 410
          ? { expired: true, message: body.message ?? 'Expired' }
          : { expired: false, list: body };
      },
    );
    if (answer.expired) {
      if (token === undefined || restarts >= maxRestarts) {
        throw new CollectorError(
          'UPSTREAM_UNAVAILABLE',
          `${options.provider}: ${options.operation} kept answering 410 Expired after ${restarts} restarts: ${answer.message}`,
          { provider: options.provider, status: 410 },
        );
      }
      restarts += 1;
      token = undefined;
      continue;
    }
    yield { items: answer.list.items ?? [], restarts };
    const next = answer.list.metadata?.continue;
    if (next === undefined || next === '') return;
    token = next;
  }
}
