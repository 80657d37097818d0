import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from './command-table.ts';
import { locate, parseFlags as parseFlagsRaw } from './parse.ts';

const run = async (): Promise<number> => 0;
const COMMANDS: Command[] = [
  {
    name: 'collect',
    summary: 'collect',
    flags: [{ name: 'provider', short: 'p', value: 'NAME', repeatable: true, doc: 'd' }],
    run,
  },
  { name: 'things add', arguments: ['NAME'], summary: 'add', flags: [{ name: 'dry', doc: 'd' }], run },
  { name: 'things list', summary: 'list', flags: [], run },
];

// parseArgs returns its values in a null-prototype object; compare them as plain ones.
const parseFlags = (...args: Parameters<typeof parseFlagsRaw>): ReturnType<typeof parseFlagsRaw> => {
  const parsed = parseFlagsRaw(...args);
  return parsed.ok ? { ...parsed, values: { ...parsed.values } } : parsed;
};

test('locate finds the command by its leading words, with flags (and their values) anywhere', () => {
  const before = locate(['-p', 'things', 'collect', '--config', 'x.yaml'], COMMANDS);
  assert.equal(before.target.kind === 'command' && before.target.command.name, 'collect');
  assert.deepEqual(before.rest, ['-p', 'things', '--config', 'x.yaml']);
  const sub = locate(['things', '--dry', 'add', 'lab'], COMMANDS);
  assert.equal(sub.target.kind === 'command' && sub.target.command.name, 'things add');
  assert.deepEqual(sub.rest, ['--dry', 'lab']);
  assert.deepEqual(locate(['things'], COMMANDS).target, { kind: 'group', group: 'things', subcommand: undefined });
  assert.deepEqual(locate(['things', 'frob'], COMMANDS).target, { kind: 'group', group: 'things', subcommand: 'frob' });
  assert.deepEqual(locate(['frob', 'collect'], COMMANDS).target, { kind: 'unknown', word: 'frob' });
  assert.deepEqual(locate(['--config', 'collect'], COMMANDS).target, { kind: 'none' });
  const help = locate(['help', 'things', 'list'], COMMANDS);
  assert.equal(help.help, true);
  assert.equal(help.target.kind === 'command' && help.target.command.name, 'things list');
  assert.equal(locate(['collect', '-h'], COMMANDS).help, true);
  assert.equal(locate(['collect', '--config', '--help'], COMMANDS).help, false, '--help is the value of --config here');
});

test('parseFlags returns strict parseArgs values, or one line naming every problem', () => {
  assert.deepEqual(parseFlags(['-p', 'a', '--provider=b', '-c', 'x.yaml'], COMMANDS[0]?.flags ?? []), {
    ok: true,
    values: { provider: ['a', 'b'], config: 'x.yaml' },
    positionals: [],
  });
  const add = COMMANDS[1];
  assert.ok(add);
  const terminated = parseFlags(['lab', '--', '--dry'], add.flags, add.arguments);
  assert.deepEqual(terminated, { ok: false, problem: 'unexpected argument "--dry"' });
  assert.deepEqual(parseFlags(['-xy', '--dry=1', '--log-level'], add.flags, add.arguments), {
    ok: false,
    problem: 'unknown flags -x, -y; --dry takes no value; --log-level needs a value (LEVEL); missing argument NAME',
  });
  assert.deepEqual(parseFlags(['lab', '-c', '-'], add.flags, add.arguments), {
    ok: true,
    values: { config: '-' },
    positionals: ['lab'],
  });
});
