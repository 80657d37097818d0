import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CollectorError, codeForHttpStatus, ERROR_CODES, toSourceError } from './errors.ts';

test('docs/errors.md lists exactly the codes in the catalog, with the same summary and retry kind', () => {
  const text = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...text.matchAll(/^\| `([A-Z_]+)` \| (yes|no) \| (.+) \|$/gm)].map((match) => [
    match[1],
    match[2],
    match[3],
  ]);
  assert.deepEqual(
    rows,
    Object.entries(ERROR_CODES).map(([code, entry]) => [
      code,
      entry.kind === 'retryable' ? 'yes' : 'no',
      entry.summary,
    ]),
  );
});

test('HTTP statuses map to codes: 4xx permanent except 408/429, 5xx retryable', () => {
  const cases: Array<[number, string]> = [
    [400, 'BAD_REQUEST'],
    [401, 'AUTH_FAILED'],
    [403, 'AUTH_FAILED'],
    [404, 'BAD_REQUEST'],
    [408, 'TIMEOUT'],
    [429, 'RATE_LIMITED'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
  ];
  for (const [status, code] of cases) assert.equal(codeForHttpStatus(status), code, String(status));
});

test('toSourceError: a wrong-shaped answer is an upstream error; anything else keeps its class', () => {
  const wrongShape = new TypeError("Cannot read properties of null (reading 'items')");
  const direct = toSourceError(wrongShape, { provider: 'acme' });
  assert.equal(direct.code, 'RESPONSE_MALFORMED');
  assert.equal(
    direct.message,
    "acme: Cannot read properties of null (reading 'items') (the provider's answer did not have the documented shape)",
  );
  const wrapped = new CollectorError('INTERNAL', 'pods: boom', { provider: 'acme' }, { cause: wrongShape });
  assert.equal(toSourceError(wrapped, { provider: 'acme' }).code, 'RESPONSE_MALFORMED');
  assert.equal(toSourceError(new RangeError('Invalid time value'), { provider: 'acme' }).code, 'RESPONSE_INVALID');
  assert.equal(toSourceError(new Error('something else'), { provider: 'acme' }).code, 'INTERNAL');
  assert.equal(toSourceError(new RangeError('Maximum call stack size exceeded')).code, 'INTERNAL');
  const classified = new CollectorError('AUTH_FAILED', 'denied');
  assert.equal(toSourceError(classified), classified);
});
