import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from './log.ts';
import { registerSecret } from './redact.ts';

test('logs are JSON lines with secrets redacted, by value and by key', async () => {
  let output = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  registerSecret('rp_live_0123456789abcdef');
  const log = await createLogger({ pretty: false, destination, level: 'info' });
  log.info(
    { provider: 'runpod', config: { runpod: { api_key: 'whatever-key-here' } } },
    'calling https://api.runpod.io/graphql?api_key=rp_live_0123456789abcdef',
  );
  log.warn(
    { err: new Error('401 for key rp_live_0123456789abcdef') },
    'failed with Authorization: Bearer rp_live_0123456789abcdef',
  );
  log.flush();
  assert.ok(!output.includes('rp_live_0123456789abcdef'), output);
  assert.ok(!output.includes('whatever-key-here'), output);
  const lines = output
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(lines.length, 2);
  assert.equal(lines[0]?.provider, 'runpod');
  assert.match(String(lines[0]?.msg), /\[REDACTED\]/);
});
