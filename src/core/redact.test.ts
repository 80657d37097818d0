import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactText, registerSecret } from './redact.ts';

test('every query value is redacted unless its name is on the allow-list of harmless ones', () => {
  const cases: Array<[string, string]> = [
    ['GET https://h/x?auth=abc123', 'GET https://h/x?auth=[REDACTED]'],
    ['https://h/x?sig=Zm9v&limit=5', 'https://h/x?sig=[REDACTED]&limit=5'],
    [
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-Security-Token=FQoGZXIvYXdzE&X-Amz-SignedHeaders=host&X-Amz-Signature=0f1e2d',
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[REDACTED]&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-Security-Token=[REDACTED]&X-Amz-SignedHeaders=host&X-Amz-Signature=[REDACTED]',
    ],
    [
      'https://h/oauth?client_id=app&client_secret=s3cr3t',
      'https://h/oauth?client_id=[REDACTED]&client_secret=[REDACTED]',
    ],
    ['http://db/?user=admin&pwd=hunter2&pass=x', 'http://db/?user=[REDACTED]&pwd=[REDACTED]&pass=[REDACTED]'],
    [
      'https://gitlab/api?private_token=glpat-1&auth_token=a',
      'https://gitlab/api?private_token=[REDACTED]&auth_token=[REDACTED]',
    ],
    [
      'https://h/cb#access_token=ya29.a0&token_type=Bearer',
      'https://h/cb#access_token=[REDACTED]&token_type=[REDACTED]',
    ],
    // A name spelled in percent-escapes is still a name that is not on the list.
    ['https://h/x?%61uth=abc', 'https://h/x?%61uth=[REDACTED]'],
    // Harmless ones stay readable: paging, windows, PromQL, AWS signing metadata, Kubernetes limits.
    [
      'GET http://p:9090/api/v1/query_range?query=up%7Bjob%3D%22gpu%22%7D&start=1&end=2&step=60&timeout=30s',
      'GET http://p:9090/api/v1/query_range?query=up%7Bjob%3D%22gpu%22%7D&start=1&end=2&step=60&timeout=30s',
    ],
    [
      'https://api.vultr.com/v2/plans?type=all&per_page=100&page=2',
      'https://api.vultr.com/v2/plans?type=all&per_page=100&page=2',
    ],
    [
      'https://k8s/api/v1/nodes?limit=500&continue=eyJ2IjoibWV0YS5r',
      'https://k8s/api/v1/nodes?limit=500&continue=[REDACTED]',
    ],
    ['http://h/metrics?match%5B%5D=up&LIMIT=5', 'http://h/metrics?match%5B%5D=up&LIMIT=5'],
    // Empty values have nothing to hide; text without a query is untouched.
    ['https://h/x?token=&limit=1', 'https://h/x?token=&limit=1'],
    ['a plain message: 3 = 3, a & b', 'a plain message: 3 = 3, a & b'],
  ];
  for (const [input, expected] of cases) assert.equal(redactText(input), expected, input);
});

test('query redaction keeps a JSON log line valid', () => {
  const line = JSON.stringify({ msg: 'GET http://h/x?page=1&sig=abc\\"def', url: 'http://h/y?auth=q"z' });
  const redacted = redactText(line);
  const parsed = JSON.parse(redacted) as { msg: string; url: string };
  assert.ok(!parsed.msg.includes('abc') && !parsed.url.includes('auth=q'), redacted);
  assert.match(parsed.msg, /page=1&sig=\[REDACTED\]/);
});

test('bearer and basic credentials and registered secrets are redacted whatever their length', () => {
  assert.equal(redactText('Authorization: Bearer abc'), 'Authorization: Bearer [REDACTED]');
  assert.equal(redactText('authorization: basic dTpw'), 'authorization: basic [REDACTED]');
  assert.equal(redactText('{"authorization":"Bearer x"}'), '{"authorization":"Bearer [REDACTED]"}');
  assert.equal(redactText('send Bearer tok-0123456789'), 'send Bearer [REDACTED]');
  // Prose about credentials stays readable.
  for (const prose of [
    'set a bearer token',
    'basic auth failed',
    'missing Authorization: Bearer <OPTIINFRA_API_TOKEN>',
  ])
    assert.equal(redactText(prose), prose);
  registerSecret('k9Z');
  registerSecret('sixteen-chars-ok');
  assert.equal(redactText('key k9Z failed; sixteen-chars-ok too'), 'key [REDACTED] failed; [REDACTED] too');
  // A short secret is redacted where it stands alone, not inside other words.
  assert.equal(redactText('k9Zebra and (k9Z)'), 'k9Zebra and ([REDACTED])');
  registerSecret('   ');
  assert.equal(redactText('a   b'), 'a   b');
});
