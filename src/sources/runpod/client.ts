// The RunPod seam. Which API serves what is decided here and only here: pods and billing from REST v2
// (REST v1 retires 2026-11-15), balance and spend rate from GraphQL `myself` (REST v2 has no balance yet;
// GraphQL retires in early 2027). 401/403 become permanent errors naming the key permission needed.

import { CollectorError } from '../../core/errors.ts';
import type { TimeWindow } from '../../core/window.ts';
import type { HttpClient } from '../../core/http.ts';
import type { RunpodConfig } from './config.ts';
import type {
  RunpodBillingRecord,
  RunpodBillingResponse,
  RunpodMyself,
  RunpodPod,
  RunpodPodBillingRecord,
} from './map.ts';

const MYSELF_QUERY = 'query Myself { myself { id email clientBalance currentSpendPerHr spendLimit } }';

/** RunPod calls used by the collector. */
export interface RunpodClient {
  /** Every pod (`GET /v2/pods`; the list is not paginated). */
  pods(): Promise<RunpodPod[]>;
  /** Per-pod billing buckets in [window.start, window.end) (`GET /v2/billing/pods`). */
  podBilling(window: TimeWindow): Promise<RunpodBillingResponse<RunpodPodBillingRecord>>;
  /** Account-wide billing buckets across resource families (`GET /v2/billing`). */
  accountBilling(window: TimeWindow): Promise<RunpodBillingResponse<RunpodBillingRecord>>;
  /** Balance and spend rate (GraphQL `myself`). */
  myself(): Promise<RunpodMyself>;
}

/** Creates the client over the runtime's HTTP client; the API key is sent as a Bearer token. */
export function createRunpodClient(http: HttpClient, provider: string, config: RunpodConfig): RunpodClient {
  const authorization = `Bearer ${config.api_key}`;
  const rest = async <T>(path: string, query: Record<string, string>, permission: string): Promise<T> => {
    try {
      const headers = { authorization, accept: 'application/json' };
      return await http.json<T>({
        url: `${config.base_url}${path}`,
        query,
        headers,
        operation: `runpod:GET /v2${path}`,
      });
    } catch (error) {
      throw explainAuthFailure(error, provider, `GET /v2${path}`, permission);
    }
  };
  const list = <T>(items: T[] | undefined, path: string, key: string): T[] => {
    if (Array.isArray(items)) return items;
    const message = `${provider} (RunPod): GET ${path} returned no "${key}" list`;
    throw new CollectorError('RESPONSE_MALFORMED', message, { provider, operation: path });
  };
  const windowQuery = (window: TimeWindow): Record<string, string> => ({
    startTime: window.start.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    endTime: window.end.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    bucketSize: config.bucket_size,
  });
  const billing = async <R>(path: string, window: TimeWindow): Promise<RunpodBillingResponse<R>> => {
    const body = await rest<RunpodBillingResponse<R>>(path, windowQuery(window), 'Billing: Read');
    return { ...body, records: list(body.records, path, 'records') };
  };
  return {
    async pods() {
      const body = await rest<{ pods?: RunpodPod[] }>('/pods', {}, 'Pods: Read');
      return list(body.pods, '/pods', 'pods');
    },
    podBilling: (window) => billing<RunpodPodBillingRecord>('/billing/pods', window),
    accountBilling: (window) => billing<RunpodBillingRecord>('/billing', window),
    async myself() {
      let body: { data?: { myself?: RunpodMyself | null } | null; errors?: Array<{ message?: string }> };
      try {
        body = await http.json({
          url: config.graphql_url,
          method: 'POST',
          json: { query: MYSELF_QUERY },
          headers: { authorization },
          operation: 'runpod:graphql myself',
        });
      } catch (error) {
        throw explainAuthFailure(error, provider, 'GraphQL myself', 'GraphQL: Read Only (or a legacy Read key)');
      }
      const message = body.errors?.map((item) => item.message ?? 'unknown error').join('; ');
      if (message) {
        const denied = /unauthori[sz]ed|forbidden|permission|access denied/i.test(message);
        const text = `${provider} (RunPod): GraphQL myself failed: ${message}${denied ? ' (the API key needs GraphQL read access)' : ''}`;
        const context = { provider, operation: 'graphql myself', ...(denied ? { status: 403 } : {}) };
        throw new CollectorError(denied ? 'AUTH_FAILED' : 'UPSTREAM_ERROR', text, context);
      }
      const myself = body.data?.myself;
      if (!myself) {
        const text = `${provider} (RunPod): GraphQL myself returned no data`;
        throw new CollectorError('RESPONSE_MALFORMED', text, { provider, operation: 'graphql myself' });
      }
      return myself;
    },
  };
}

/** 401/403 become permanent errors that name the key permission needed. */
function explainAuthFailure(error: unknown, provider: string, call: string, permission: string): unknown {
  if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
  const message =
    error.context.status === 403
      ? `${provider} (RunPod): the API key may not call ${call} (HTTP 403): give it "${permission}" access ` +
        `(a Read Only or All key, or a Restricted key with that permission)`
      : `${provider} (RunPod): the API key was rejected on ${call} (HTTP 401): check api_key (Settings > API Keys)`;
  return new CollectorError('AUTH_FAILED', message, error.context, { cause: error, kind: 'permanent' });
}
