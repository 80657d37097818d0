// The RunPod seam. Which API serves what is decided here and only here: pods and billing from REST v2
// (REST v1 retires 2026-11-15), balance and spend rate from GraphQL `myself` (REST v2 has no balance yet;
// GraphQL retires in early 2027). 401/403 become permanent errors naming the key permission needed.

import { CollectorError } from '../../core/errors.ts';
import type { TimeWindow } from '../../core/window.ts';
import type { HttpClient } from '../_common/http/client.ts';
import type { RunpodConfig } from './config.ts';
import type { RunpodBillingRecord, RunpodBillingResponse, RunpodMyself, RunpodPod, RunpodPodBillingRecord } from './payloads.ts';

const MYSELF_QUERY = 'query Myself { myself { id email clientBalance currentSpendPerHr spendLimit } }';

/** A thin RunPod client over the collector's HTTP client. */
export class RunpodClient {
  readonly #http: HttpClient;
  readonly #config: RunpodConfig;
  readonly #provider: string;

  constructor(http: HttpClient, config: RunpodConfig, provider: string) {
    this.#http = http;
    this.#config = config;
    this.#provider = provider;
  }

  /** Every pod (`GET /v2/pods`; the list is not paginated). */
  async pods(): Promise<RunpodPod[]> {
    const body = await this.#rest<{ pods?: RunpodPod[] }>('/pods', {}, 'Pods: Read');
    return this.#list(body.pods, '/pods', 'pods');
  }

  /** Per-pod billing buckets in [window.start, window.end) (`GET /v2/billing/pods`). */
  async podBilling(window: TimeWindow): Promise<RunpodBillingResponse<RunpodPodBillingRecord>> {
    const body = await this.#rest<RunpodBillingResponse<RunpodPodBillingRecord>>('/billing/pods', this.#windowQuery(window), 'Billing: Read');
    return { ...body, records: this.#list(body.records, '/billing/pods', 'records') };
  }

  /** Account-wide billing buckets across resource families (`GET /v2/billing`). */
  async accountBilling(window: TimeWindow): Promise<RunpodBillingResponse<RunpodBillingRecord>> {
    const body = await this.#rest<RunpodBillingResponse<RunpodBillingRecord>>('/billing', this.#windowQuery(window), 'Billing: Read');
    return { ...body, records: this.#list(body.records, '/billing', 'records') };
  }

  /** Balance and spend rate (GraphQL `myself`). */
  async myself(): Promise<RunpodMyself> {
    let body: { data?: { myself?: RunpodMyself | null } | null; errors?: Array<{ message?: string }> };
    try {
      body = await this.#http.json({
        url: this.#config.graphql_url,
        method: 'POST',
        json: { query: MYSELF_QUERY },
        headers: { authorization: `Bearer ${this.#config.api_key}` },
        operation: 'runpod:graphql myself',
      });
    } catch (error) {
      throw this.#explainAuth(error, 'GraphQL myself', 'GraphQL: Read Only (or a legacy Read key)');
    }
    const message = body.errors?.map((item) => item.message ?? 'unknown error').join('; ');
    if (message) {
      const denied = /unauthori[sz]ed|forbidden|permission|access denied/i.test(message);
      throw new CollectorError(denied ? 'AUTH_FAILED' : 'UPSTREAM_ERROR', `${this.#provider} (RunPod): GraphQL myself failed: ${message}${denied ? ' (the API key needs GraphQL read access)' : ''}`, { provider: this.#provider, operation: 'graphql myself', ...(denied ? { status: 403 } : {}) });
    }
    const myself = body.data?.myself;
    if (!myself) throw new CollectorError('RESPONSE_MALFORMED', `${this.#provider} (RunPod): GraphQL myself returned no data`, { provider: this.#provider, operation: 'graphql myself' });
    return myself;
  }

  #windowQuery(window: TimeWindow): Record<string, string> {
    return { startTime: window.start.toISOString().replace(/\.\d{3}Z$/, 'Z'), endTime: window.end.toISOString().replace(/\.\d{3}Z$/, 'Z'), bucketSize: this.#config.bucket_size };
  }

  #list<T>(items: T[] | undefined, path: string, key: string): T[] {
    if (Array.isArray(items)) return items;
    throw new CollectorError('RESPONSE_MALFORMED', `${this.#provider} (RunPod): GET ${path} returned no "${key}" list`, { provider: this.#provider, operation: path });
  }

  async #rest<T>(path: string, query: Record<string, string>, permission: string): Promise<T> {
    try {
      return await this.#http.json<T>({
        url: `${this.#config.base_url}${path}`,
        query,
        headers: { authorization: `Bearer ${this.#config.api_key}`, accept: 'application/json' },
        operation: `runpod:GET /v2${path}`,
      });
    } catch (error) {
      throw this.#explainAuth(error, `GET /v2${path}`, permission);
    }
  }

  #explainAuth(error: unknown, call: string, permission: string): unknown {
    if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
    const message = error.context.status === 403
      ? `${this.#provider} (RunPod): the API key may not call ${call} (HTTP 403): give it "${permission}" access (a Read Only or All key, or a Restricted key with that permission)`
      : `${this.#provider} (RunPod): the API key was rejected on ${call} (HTTP 401): check api_key (Settings > API Keys)`;
    return new CollectorError('AUTH_FAILED', message, error.context, { cause: error, kind: 'permanent' });
  }
}
