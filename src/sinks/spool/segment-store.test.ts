import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorruptSegmentError, SegmentStore, segmentName } from './segment-store.ts';

const directory = (): string => mkdtempSync(join(tmpdir(), 'optiinfra-spool-'));

test('segments are appended in order, survive a reopen and are removed one by one', async () => {
  const dir = directory();
  const store = new SegmentStore(dir);
  await store.append({ n: 1 });
  await store.append({ n: 2 });
  assert.equal(store.depth().segments, 2);
  const reopened = new SegmentStore(dir);
  assert.deepEqual(await Promise.all(reopened.list().map((segment) => reopened.read(segment))), [{ n: 1 }, { n: 2 }]);
  assert.equal(reopened.depth().bytes, store.depth().bytes);
  await reopened.remove(reopened.list()[0]!);
  const third = await reopened.append({ n: 3 });
  assert.equal(third.seq, 3, 'sequence numbers keep rising');
  assert.deepEqual(readdirSync(dir).sort(), [segmentName(2), segmentName(3)]);
});

test('a torn write (temp file left by kill -9) is deleted on open; later segments are intact', async () => {
  const dir = directory();
  const store = new SegmentStore(dir);
  await store.append({ n: 1 });
  writeFileSync(join(dir, `${segmentName(2)}.tmp`), '{"half": ');
  const reopened = new SegmentStore(dir);
  assert.deepEqual(readdirSync(dir), [segmentName(1)]);
  const next = await reopened.append({ n: 2 });
  assert.equal(next.seq, 2);
  assert.deepEqual(await reopened.read(next), { n: 2 });
});

test('a damaged segment fails its checksum and can be moved aside', async () => {
  const dir = directory();
  const store = new SegmentStore(dir);
  const segment = await store.append({ value: 'abc' });
  writeFileSync(segment.path, readFileSync(segment.path, 'utf8').replace('abc', 'abd'));
  await assert.rejects(store.read(segment), CorruptSegmentError);
  await store.reject(segment);
  assert.equal(store.depth().segments, 0);
  assert.deepEqual(readdirSync(join(dir, 'rejected')), [segmentName(1)]);
  assert.equal(new SegmentStore(dir).list().length, 0);
  assert.equal((await new SegmentStore(dir).append({})).seq, 2, 'no name is reused after a rejection');
});
