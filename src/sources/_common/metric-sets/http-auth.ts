// The HTTP client for Prometheus or scrape targets: bearer, basic auth, custom headers, CA file and
// skip-verify applied ONLY when configured; otherwise the runtime's shared client.

import type { HttpAuthConfig } from '../../../core/config/types.ts';
import type { CollectContext } from '../../../core/source.ts';
import type { HttpClient } from '../../../core/http.ts';

/** Request headers the auth block asks for (Authorization and custom headers). */
export function authHeaders(auth: HttpAuthConfig | undefined): Record<string, string> {
  const headers: Record<string, string> = { ...(auth?.headers ?? {}) };
  if (auth?.bearer_token) headers.authorization = `Bearer ${auth.bearer_token}`;
  else if (auth?.username !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`;
  return headers;
}

/** A client honouring the auth block: `context.http` when nothing is configured, else `context.httpWith`. */
export function httpClientFor(context: CollectContext, auth: HttpAuthConfig | undefined): HttpClient {
  const headers = authHeaders(auth);
  const tls = {
    ...(auth?.ca_file ? { caFile: auth.ca_file } : {}),
    ...(auth?.insecure_skip_verify ? { insecureSkipVerify: true } : {}),
  };
  if (Object.keys(headers).length === 0 && Object.keys(tls).length === 0) return context.http;
  return context.httpWith({ ...(Object.keys(tls).length > 0 ? { tls } : {}), headers });
}
