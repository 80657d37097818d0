import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { currentRunOwner, runOwnerGone, type RunOwner } from './run-owner.ts';

test('a run owner is gone only when this host says so', () => {
  const self = currentRunOwner();
  const exited = spawnSync(process.execPath, ['-e', '']).pid;
  const cases: Array<[string, RunOwner, boolean]> = [
    ['this process', self, false],
    ['this pid, an earlier process (a restarted container)', { ...self, started_at: '2020-01-01T00:00:00.000Z' }, true],
    ['a live process of this host (the parent)', { ...self, pid: process.ppid }, false],
    ['an exited process of this host', { ...self, pid: exited }, true],
    ['a process of another host', { ...self, host: `not-${self.host}`, pid: exited }, false],
  ];
  for (const [name, owner, gone] of cases) assert.equal(runOwnerGone(owner, self), gone, name);
});
