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

test('a field a child logger is bound to is written once: dropped when equal, kept as <key>_field when not', async () => {
  let output = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const log = (await createLogger({ pretty: false, destination, level: 'debug' })).child({ provider: 'vultr' });
  log.debug({ provider: 'vultr', entries: 10 }, 'read');
  log.info({ provider: 'other', code: 'X' }, 'odd');
  log.warn('plain message');
  log.flush();
  const lines = output.trim().split('\n');
  assert.equal(lines.length, 3);
  for (const line of lines) assert.equal(line.match(/"provider":/g)?.length, 1, line);
  const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual([first?.provider, first?.entries], ['vultr', 10]);
  assert.deepEqual([second?.provider, second?.provider_field, second?.code], ['vultr', 'other', 'X']);
});
