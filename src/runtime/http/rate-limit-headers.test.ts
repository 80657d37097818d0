import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateLimitPauseMs } from './rate-limit-headers.ts';

const NOW = Date.parse('2026-11-26T10:00:00Z');

test('rate-limit headers become a pause only when nothing remains', () => {
  const cases: Array<[string, Record<string, string>, number | undefined]> = [
    ['remaining left', { 'ratelimit-remaining': '5', 'ratelimit-reset': String(NOW / 1000 + 30) }, undefined],
    [
      'DigitalOcean/Hetzner epoch reset',
      { 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW / 1000 + 30) },
      30_000,
    ],
    ['Linode X- epoch reset', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 2) }, 2_000],
    ['delta seconds reset', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' }, 7_000],
    ['IETF structured, exhausted', { ratelimit: '"minute";r=0;t=12' }, 12_000],
    ['IETF structured, quota left', { ratelimit: '"minute";r=40;t=12' }, undefined],
    ['IETF structured, two policies', { ratelimit: '"second";r=0;t=1, "minute";r=0;t=20' }, 20_000],
    ['no headers', {}, undefined],
  ];
  for (const [name, headers, expected] of cases) assert.equal(rateLimitPauseMs(headers, NOW), expected, name);
});
