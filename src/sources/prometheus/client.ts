// The Prometheus HTTP API seam: /api/v1/query, /api/v1/query_range and /api/v1/label/<name>/values through the
// shared HTTP client.
// Error documents (`status: error`, errorType, error) become CollectorErrors naming provider, URL and query.
// A query answering more series than the limit fails (TARGET_LIMIT_EXCEEDED); the limit (+1) is also sent as
// `limit`, so a Prometheus that knows the parameter (3.x) truncates on its side and the answer stays small.

import { CollectorError } from '../../core/errors.ts';
import { redactText } from '../../core/redact.ts';
import { parseJsonBody, type HttpClient, type HttpResponse } from '../../core/http.ts';

/** A `[seconds, "value"]` pair; values are strings ("NaN", "+Inf" included). */
export type PromPoint = [number, string];

/** The `data` of a query answer. */
export type PromData =
  | { resultType: 'vector'; result: Array<{ metric: Record<string, string>; value: PromPoint }> }
  | { resultType: 'matrix'; result: Array<{ metric: Record<string, string>; values: PromPoint[] }> }
  | { resultType: 'scalar' | 'string'; result: PromPoint };

/** The API envelope. */
export interface PromEnvelope {
  status: 'success' | 'error';
  /** A query's data, or a label-values list. */
  data?: PromData | string[];
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}

/** A successful answer with its warnings and infos. */
export interface PromAnswer {
  data: PromData;
  warnings: string[];
  infos: string[];
}

/** Talks to one Prometheus. */
export class PrometheusClient {
  readonly #http: HttpClient;
  readonly #baseUrl: string;
  readonly #provider: string;
  readonly #seriesLimit: number;

  /** `seriesLimit`: most series one query may answer (0: no limit). */
  constructor(http: HttpClient, baseUrl: string, provider: string, seriesLimit = 0) {
    this.#http = http;
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
    this.#provider = provider;
    this.#seriesLimit = seriesLimit;
  }

  /** The API base URL (for messages). */
  get url(): string {
    return this.#baseUrl;
  }

  /** Instant query at `time`. */
  query(expression: string, time: Date): Promise<PromAnswer> {
    return this.#get(
      '/api/v1/query',
      expression,
      { query: expression, time: time.getTime() / 1000 },
      'prometheus:query',
    );
  }

  /** Range query over [start, end] every `stepSeconds`. */
  queryRange(expression: string, start: Date, end: Date, stepSeconds: number): Promise<PromAnswer> {
    return this.#get(
      '/api/v1/query_range',
      expression,
      { query: expression, start: start.getTime() / 1000, end: end.getTime() / 1000, step: stepSeconds },
      'prometheus:query_range',
    );
  }

  /** Values of label `name` (e.g. `__name__`: the metric names) over series matching `match` in [start, end]. */
  async labelValues(name: string, match: string | undefined, start: Date, end: Date): Promise<string[]> {
    const query: Record<string, string | number> = { start: start.getTime() / 1000, end: end.getTime() / 1000 };
    if (match !== undefined) query['match[]'] = match;
    const answer = await this.#http.request(
      {
        url: `${this.#baseUrl}/api/v1/label/${encodeURIComponent(name)}/values`,
        query,
        operation: 'prometheus:label_values',
        acceptStatus: [400, 422],
      },
      (response): unknown => this.#envelope(response, `label ${name} values${match ? ` of ${match}` : ''}`).data,
    );
    return Array.isArray(answer) ? answer.filter((value): value is string => typeof value === 'string') : [];
  }

  #get(
    path: string,
    expression: string,
    query: Record<string, string | number>,
    operation: string,
  ): Promise<PromAnswer> {
    // 400 (bad_data) and 422 (execution) carry the API's error document: read it rather than a bare status.
    if (this.#seriesLimit > 0) query = { ...query, limit: this.#seriesLimit + 1 };
    return this.#http.request(
      { url: `${this.#baseUrl}${path}`, query, operation, acceptStatus: [400, 422] },
      (response) => this.#answer(response, expression),
    );
  }

  #answer(response: HttpResponse, expression: string): PromAnswer {
    const envelope = this.#envelope(response, `query ${expression}`);
    const data = envelope.data;
    if (data === undefined || Array.isArray(data))
      throw new CollectorError(
        'RESPONSE_MALFORMED',
        `${this.#provider}: Prometheus ${this.#baseUrl} answered query ${expression} without a result`,
        { provider: this.#provider, url: this.#baseUrl },
      );
    const limit = this.#seriesLimit;
    if (limit > 0 && (data.resultType === 'vector' || data.resultType === 'matrix') && data.result.length > limit)
      throw new CollectorError(
        'TARGET_LIMIT_EXCEEDED',
        `${this.#provider}: Prometheus ${this.#baseUrl} answered query ${expression} with more than ${limit} series (prometheus_series_limit); none of them are kept`,
        { provider: this.#provider, url: this.#baseUrl },
      );
    return { data, warnings: envelope.warnings ?? [], infos: envelope.infos ?? [] };
  }

  /** The success envelope of an answer, else a CollectorError naming `what` was asked. */
  #envelope(response: HttpResponse, what: string): PromEnvelope {
    const url = redactText(response.url.split('?')[0] ?? response.url);
    let envelope: PromEnvelope;
    try {
      envelope = parseJsonBody<PromEnvelope>(response, this.#provider);
    } catch (error) {
      if (response.status >= 400)
        throw new CollectorError(
          'BAD_REQUEST',
          `${this.#provider}: Prometheus ${url} -> HTTP ${response.status} for ${what}: ${response.body.toString('utf8').slice(0, 200)}`,
          { provider: this.#provider, url, status: response.status },
          { cause: error },
        );
      throw error;
    }
    if (envelope.status !== 'success' || envelope.data === undefined) {
      const code = response.status === 400 ? 'BAD_REQUEST' : 'UPSTREAM_ERROR';
      throw new CollectorError(
        code,
        `${this.#provider}: Prometheus ${url} rejected ${what}: ${envelope.errorType ?? 'error'}: ${envelope.error ?? 'no error message'}`,
        { provider: this.#provider, url, status: response.status },
      );
    }
    return envelope;
  }
}
