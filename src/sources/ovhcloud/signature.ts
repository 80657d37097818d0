// The OVHcloud v1 request signature (go-ovh `ovh/ovh.go` NewRequest; python-ovh `ovh/client.py` raw_call). Pure.

import { createHash } from 'node:crypto';

/** What one signature covers: the exact method, URL and body bytes sent, and the corrected timestamp. */
export interface SignatureInput {
  applicationSecret: string;
  consumerKey: string;
  method: string;
  /** The full URL sent, query string included. */
  url: string;
  /** The body sent; empty for GET. */
  body: string;
  /** Unix seconds, already corrected by the offset to the server clock. */
  timestamp: number;
}

/** `"$1$" + sha1_hex(AS + "+" + CK + "+" + METHOD + "+" + URL + "+" + BODY + "+" + TIMESTAMP)`. */
export function ovhSignature(input: SignatureInput): string {
  const text = [
    input.applicationSecret,
    input.consumerKey,
    input.method.toUpperCase(),
    input.url,
    input.body,
    String(input.timestamp),
  ].join('+');
  return `$1$${createHash('sha1').update(text, 'utf8').digest('hex')}`;
}
