// The Lambda Cloud API seam: two GETs through the shared HTTP client (which paces, retries and classifies).

import { CollectorError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http.ts';
import type { LambdaConfig } from './config.ts';
import type { LambdaInstance, LambdaInstanceTypes } from './map.ts';

/** Lambda Cloud API calls used by the collector. */
export interface LambdaClient {
  /** `GET /instances`: every instance of the account (the API does not paginate it). */
  listInstances(): Promise<LambdaInstance[]>;
  /** `GET /instance-types`: the price list, keyed by type name. */
  listInstanceTypes(): Promise<LambdaInstanceTypes>;
}

/** Creates the client; the API key is sent as a Bearer token (the docs' recommended form). */
export function createLambdaClient(http: HttpClient, provider: string, config: LambdaConfig): LambdaClient {
  const headers = { authorization: `Bearer ${config.api_key}`, accept: 'application/json' };
  const get = async <T>(path: string, operation: string): Promise<T> => {
    try {
      return await http.json<T>({ url: `${config.base_url}${path}`, headers, operation });
    } catch (error) {
      throw explainAuthFailure(error, provider, path);
    }
  };
  return {
    listInstances: async () =>
      (await get<{ data?: LambdaInstance[] }>('/instances', 'lambda:ListInstances')).data ?? [],
    listInstanceTypes: () => get<LambdaInstanceTypes>('/instance-types', 'lambda:ListInstanceTypes'),
  };
}

/** 401/403 become permanent errors that name the provider and what the key is missing. */
function explainAuthFailure(error: unknown, provider: string, path: string): unknown {
  if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
  const what =
    error.context.status === 403
      ? `the Lambda Cloud API key is not allowed to read ${path} (HTTP 403: account inactive or key without read access to instances and instance types)`
      : `the Lambda Cloud API rejected the API key on ${path} (HTTP 401): set api.api_key to a key from https://cloud.lambda.ai/api-keys`;
  return new CollectorError('AUTH_FAILED', `${provider}: ${what}`, error.context, { cause: error });
}
