// The Compute Engine REST seam: `instances.aggregatedList` paged by `pageToken`, a bearer token from the token
// source on every request, and 401/403 turned into errors naming the role to grant. Retries (429, 5xx with
// Retry-After), pacing and size caps belong to the runtime's HTTP client.

import { CollectorError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http.ts';
import type { TokenSource } from './auth.ts';
import type { ComputeAggregatedList } from './map.ts';
import { pagesByToken } from './paging.ts';

/** The public Compute Engine API root. */
export const COMPUTE_ENDPOINT = 'https://compute.googleapis.com';

/** Compute Engine calls used by the collector. */
export interface ComputeClient {
  /** Pages of `instances.aggregatedList` for one project, with returnPartialSuccess. */
  aggregatedInstances(projectId: string): AsyncGenerator<ComputeAggregatedList>;
}

/** Options of the Compute client. */
export interface ComputeClientOptions {
  provider: string;
  endpoint: string;
  maxResults: number;
  token: TokenSource;
}

/** Creates the client; sends nothing until the first page is asked for. */
export function createComputeClient(http: HttpClient, options: ComputeClientOptions): ComputeClient {
  const { provider, endpoint, maxResults, token } = options;
  return {
    aggregatedInstances(projectId) {
      return pagesByToken<ComputeAggregatedList>(http, {
        provider,
        url: `${endpoint}/compute/v1/projects/${encodeURIComponent(projectId)}/aggregated/instances`,
        query: { maxResults, returnPartialSuccess: true },
        token,
        operation: 'compute:instances.aggregatedList',
        subject: projectId,
        explain: (error) => explainAuthFailure(error, provider, projectId),
      });
    },
  };
}

/** 401/403 become permanent errors naming the project and the role that grants `compute.instances.list`. */
function explainAuthFailure(error: unknown, provider: string, projectId: string): unknown {
  if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
  const message =
    error.context.status === 401
      ? `${provider} (GCP): Compute Engine rejected the credentials (HTTP 401) for project ${projectId}: check ` +
        'access_token (it expires after about an hour) or credentials_file'
      : `${provider} (GCP): the credentials may not list instances in project ${projectId} (HTTP 403): grant ` +
        'roles/compute.viewer (permission compute.instances.list) on the project';
  return new CollectorError('AUTH_FAILED', message, error.context, { cause: error, kind: 'permanent' });
}
