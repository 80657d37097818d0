// JSON responses of the HTTP API. Every body passes through secret redaction on its way out.

import { redactText } from '../core/redact.ts';

/** A JSON response with no-store caching. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(redactText(JSON.stringify(body)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
