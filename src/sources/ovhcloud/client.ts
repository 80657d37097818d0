// The OVHcloud API v1 seam: AK/AS/CK-signed GETs through the runtime's HTTP client, the clock offset from
// GET /auth/time (measured once per client, i.e. once per run), OVH error documents classified (signature and
// credentials -> AUTH_FAILED, "Query out of time" -> CLOCK_SKEW), and ID lists fetched detail by detail with
// bounded concurrency. Retries (429, 5xx), pacing and size caps belong to the HTTP client.

import { CollectorError, codeForHttpStatus, type ErrorContext } from '../../core/errors.ts';
import type { HttpClient, HttpResponse } from '../../core/http.ts';
import { OVH_ENDPOINTS, type OvhConfig } from './config.ts';
import { ovhSignature } from './signature.ts';

/** OVHcloud API calls used by the collector. */
export interface OvhClient {
  /** A signed GET of `path` (under the endpoint) with `query`; the parsed JSON body. */
  get<T>(path: string, query?: Record<string, string>): Promise<T>;
  /** GETs each ID's detail, at most `concurrency` in flight, in the order of `ids`. */
  details<T>(ids: readonly string[], path: (id: string) => string): Promise<T[]>;
}

/** OVH auth error codes (python-ovh `ovh/client.py` call(): errorCode -> exception) that no other call can pass. */
const CREDENTIAL_ERRORS = new Set(['INVALID_SIGNATURE', 'INVALID_KEY', 'INVALID_CREDENTIAL', 'NOT_CREDENTIAL']);

/** An OVH error answer: the collector error plus what OVH said. */
export class OvhApiError extends CollectorError {
  /** `errorCode` of the body (`INVALID_SIGNATURE`, `QUERY_TIME_OUT`, `NOT_GRANTED_CALL`...), if any. */
  readonly ovhErrorCode: string | undefined;
  /** The `X-Ovh-Queryid` response header, which OVH support asks for. */
  readonly queryId: string | undefined;

  constructor(
    code: CollectorError['code'],
    message: string,
    context: ErrorContext,
    details: { ovhErrorCode?: string | undefined; queryId?: string | undefined },
  ) {
    super(code, message, context);
    this.ovhErrorCode = details.ovhErrorCode;
    this.queryId = details.queryId;
  }
}

/** Fails the run: a rejected signature or credential, or a clock the API refuses; no other part can succeed. */
export function isFatalOvhError(error: CollectorError): boolean {
  if (error.code === 'CLOCK_SKEW') return true;
  if (error.code !== 'AUTH_FAILED') return false;
  return error.context.status === 401 || CREDENTIAL_ERRORS.has((error as Partial<OvhApiError>).ovhErrorCode ?? '');
}

/** The API root the client signs against: base_url when set, else the endpoint's. */
export function ovhBaseUrl(config: Pick<OvhConfig, 'endpoint' | 'base_url'>): string {
  return (config.base_url ?? OVH_ENDPOINTS[config.endpoint]).replace(/\/+$/, '');
}

/** Creates the client; `clock` (ms since epoch) is injectable for tests. No request is made until the first call. */
export function createOvhClient(
  http: HttpClient,
  provider: string,
  config: OvhConfig,
  clock: () => number = Date.now,
): OvhClient {
  const base = ovhBaseUrl(config);
  let offsetMs: Promise<number> | undefined;

  const requireCredentials = (): void => {
    const keys = ['application_key', 'application_secret', 'consumer_key', 'project_id'] as const;
    const missing = keys.filter((key) => !(config[key] as string | undefined)?.trim());
    if (missing.length > 0) {
      const keys = missing.map((key) => `api.${key}`).join(', ');
      throw new CollectorError('AUTH_FAILED', `${provider}: OVHcloud credentials missing (${keys}): no request sent`, {
        provider,
      });
    }
  };

  // go-ovh getTimeDelta: delta = local - server, measured once (an atomic), then timestamp = local - delta.
  const measureOffset = async (): Promise<number> => {
    const serverSeconds = await http.request(
      {
        url: `${base}/auth/time`,
        headers: { accept: 'application/json', 'x-ovh-application': config.application_key },
        operation: 'ovh:GET /auth/time',
      },
      (response) => Number(response.body.toString('utf8').trim()),
    );
    if (!Number.isSafeInteger(serverSeconds) || serverSeconds <= 0) {
      throw new CollectorError('RESPONSE_MALFORMED', `${provider}: GET /auth/time did not return Unix seconds`, {
        provider,
        operation: 'ovh:GET /auth/time',
      });
    }
    return clock() - serverSeconds * 1000;
  };

  const send = async <T>(url: string, operation: string): Promise<T> => {
    offsetMs ??= measureOffset();
    const offset = await offsetMs.catch((error: unknown) => {
      offsetMs = undefined;
      throw error;
    });
    const timestamp = Math.floor((clock() - offset) / 1000);
    const signature = ovhSignature({
      applicationSecret: config.application_secret,
      consumerKey: config.consumer_key,
      method: 'GET',
      url,
      body: '',
      timestamp,
    });
    return http.request<T>(
      {
        url,
        headers: {
          accept: 'application/json',
          'x-ovh-application': config.application_key,
          'x-ovh-consumer': config.consumer_key,
          'x-ovh-timestamp': String(timestamp),
          'x-ovh-signature': signature,
        },
        operation,
        // OVH reports signature, credential and clock failures as 400/403 error documents: classified below.
        acceptStatus: [400, 401, 403, 404, 409, 460],
      },
      (response) => parseOrClassify<T>(response, provider, operation),
    );
  };

  const get = async <T>(path: string, query: Record<string, string> = {}): Promise<T> => {
    requireCredentials();
    // The URL is built once and signed exactly as sent: the HTTP client sends this string unchanged.
    const target = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(query)) target.searchParams.append(key, value);
    const url = target.toString();
    const operation = `ovh:GET ${path.replace(/\/(project|bill|details|history)\/[^/]+/g, '/$1/{id}')}`;
    try {
      return await send<T>(url, operation);
    } catch (error) {
      // A timestamp can age while a retry waits out Retry-After: sign once more with a fresh one, same offset.
      if (error instanceof OvhApiError && error.ovhErrorCode === 'QUERY_TIME_OUT') return send<T>(url, operation);
      throw error;
    }
  };

  return {
    get,
    async details<T>(ids: readonly string[], path: (id: string) => string): Promise<T[]> {
      const results: T[] = new Array<T>(ids.length);
      let next = 0;
      let failed = false;
      // After one failure the other workers take no new ID: the part fails as a whole, without more calls.
      const worker = async (): Promise<void> => {
        while (next < ids.length && !failed) {
          const index = next++;
          try {
            results[index] = await get<T>(path(ids[index] as string));
          } catch (error) {
            failed = true;
            throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(config.concurrency, ids.length) }, worker));
      return results;
    },
  };
}

/** The JSON body of a 2xx answer; an OVH error document becomes a classified OvhApiError. */
function parseOrClassify<T>(response: HttpResponse, provider: string, operation: string): T {
  const text = response.body.toString('utf8');
  if (response.status < 400) return JSON.parse(text) as T;
  let body: { errorCode?: unknown; message?: unknown; class?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: the status alone classifies it
  }
  const ovhErrorCode = typeof body.errorCode === 'string' ? body.errorCode : undefined;
  const said = typeof body.message === 'string' ? body.message : text.slice(0, 200);
  const queryId = response.headers['x-ovh-queryid'];
  const where = `${provider}: ${operation} -> HTTP ${response.status}`;
  const suffix = `${queryId ? ` (X-Ovh-Queryid ${queryId})` : ''}`;
  const context: ErrorContext = { provider, operation, status: response.status };
  const details = { ovhErrorCode, queryId };
  if (ovhErrorCode === 'QUERY_TIME_OUT' || /query out of time/i.test(said)) {
    const message =
      `${where} "${said}": the signed timestamp (this host's clock corrected by GET /auth/time) is outside ` +
      `what OVHcloud accepts; check the host clock (NTP)${suffix}`;
    return throwError(new OvhApiError('CLOCK_SKEW', message, context, { ...details, ovhErrorCode: 'QUERY_TIME_OUT' }));
  }
  if (ovhErrorCode === 'INVALID_SIGNATURE' || /invalid signature/i.test(said)) {
    const message =
      `${where} "${said}": OVHcloud recomputed a different signature; check api.application_secret and ` +
      `api.consumer_key belong to api.application_key${suffix}`;
    return throwError(
      new OvhApiError('AUTH_FAILED', message, context, { ...details, ovhErrorCode: 'INVALID_SIGNATURE' }),
    );
  }
  if (response.status === 401 || response.status === 403 || (ovhErrorCode && CREDENTIAL_ERRORS.has(ovhErrorCode))) {
    const grant =
      ovhErrorCode === 'NOT_GRANTED_CALL'
        ? `the consumer key lacks an access rule for this call (add GET ${operation.replace(/^ovh:GET /, '')})`
        : 'the application key or consumer key was rejected (revoked, expired or not validated)';
    return throwError(new OvhApiError('AUTH_FAILED', `${where} "${said}": ${grant}${suffix}`, context, details));
  }
  const code = codeForHttpStatus(response.status);
  return throwError(new OvhApiError(code, `${where}: ${said}${suffix}`, context, details));
}

function throwError(error: CollectorError): never {
  throw error;
}
