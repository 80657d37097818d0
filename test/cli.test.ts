import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS, type Command } from '../src/cli/command-table.ts';
import { flagSynopsis, GLOBAL_FLAGS } from '../src/cli/flags.ts';
import { commandSynopsis } from '../src/cli/help.ts';
import { runCli } from './support/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const temp = (): string => mkdtempSync(join(tmpdir(), 'optiinfra-cli-'));

const words = (command: Command): string[] => command.name.split(' ');
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

test('--help answers without loading any cloud SDK or HTTP stack, nor any command module', async () => {
  const recorder = new URL('./support/record-modules.mjs', import.meta.url).href;
  for (const args of [['--help'], ['collect', '--help'], ['providers', 'add', '-h']]) {
    const record = join(temp(), 'modules.txt');
    const result = await runCli(args, { nodeArgs: ['--import', recorder], env: { RECORD_MODULES_FILE: record } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: optiinfra-collector /m);
    const modules = readFileSync(record, 'utf8').split('\n');
    for (const heavy of ['@aws-sdk', '@smithy', 'undici', 'pg/', 'prom-client', 'pino']) {
      assert.ok(!modules.some((url) => url.includes(`node_modules/${heavy}`)), `${args.join(' ')} loaded ${heavy}`);
    }
    const commandModules = modules.filter((url) => url.includes('/src/cli/commands/'));
    assert.deepEqual(commandModules, [], `${args.join(' ')} loaded a command`);
  }
});

test('--help lists every command of the command table and the global options', async () => {
  const result = await runCli(['--help']);
  assert.equal(result.code, 0);
  for (const command of COMMANDS) {
    const row = `^ {2}${escapeRegExp(commandSynopsis(command))} +${escapeRegExp(command.summary)}$`;
    assert.match(result.stdout, new RegExp(row, 'm'));
  }
  for (const flag of GLOBAL_FLAGS) assert.ok(result.stdout.includes(flagSynopsis(flag)), flag.name);
  // Command flags are in each command's own usage, not here.
  assert.ok(!result.stdout.includes('--scrape-target'), result.stdout);
  const helpWord = await runCli(['help']);
  assert.equal(helpWord.code, 0);
  assert.equal(helpWord.stdout, result.stdout);
});

test("<command> --help (or -h, or help <command>) prints that command's usage: its flags with their docs", async () => {
  for (const command of COMMANDS) {
    const result = await runCli([...words(command), '--help']);
    assert.equal(result.code, 0, `${command.name}: ${result.stderr}`);
    assert.equal(result.stderr, '');
    const usage = `Usage: optiinfra-collector ${commandSynopsis(command)} [options]\n`;
    assert.ok(result.stdout.startsWith(usage), result.stdout);
    const flags = [...command.flags, ...GLOBAL_FLAGS];
    for (const flag of flags) {
      const row = `^ +${escapeRegExp(flagSynopsis(flag))} +${escapeRegExp(flag.doc)}`;
      assert.match(result.stdout, new RegExp(row, 'm'), `${command.name} ${flag.name}`);
    }
    // Its own flags and the global ones, nothing else (no other command's).
    const rows = result.stdout.split('\n').filter((line) => /^ {2}(?:-\w, | {4})--/.test(line));
    assert.deepEqual(
      rows.map((row) => /--([\w-]+)/.exec(row)?.[1]),
      flags.map((flag) => flag.name),
    );
  }
  const short = await runCli(['providers', 'add', '-h']);
  const long = await runCli(['providers', 'add', '--help']);
  const word = await runCli(['help', 'providers', 'add']);
  assert.equal(short.code, 0);
  assert.equal(short.stdout, long.stdout);
  assert.equal(word.stdout, long.stdout);
  assert.match(long.stdout, /^ +--scrape-target URL +an exporter \/metrics URL \(repeatable\)$/m);
  // Help wins over a bad flag or a missing argument: the user asked how to use the command.
  const helpFirst = await runCli(['providers', 'add', '--nope', '--help']);
  assert.equal(helpFirst.code, 0);
  assert.equal(helpFirst.stdout, long.stdout);
});

test('a group of commands without a known subcommand exits 2 listing its commands; with --help exits 0', async () => {
  const help = await runCli(['providers', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: optiinfra-collector providers <command>/);
  assert.match(help.stdout, /^ {2}providers list +list configured/m);
  assert.match(help.stdout, /^ {2}providers add NAME +add a generic provider/m);
  const bare = await runCli(['providers']);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /^error: providers: a command is required\nUsage: optiinfra-collector providers <command>/);
  const unknown = await runCli(['config', 'frob']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^error: config: unknown command "frob"\n/);
  assert.match(unknown.stderr, /^ {2}config env-example +/m);
});

test("an unknown flag exits 2 naming every unknown flag and the command, then that command's usage", async () => {
  const result = await runCli(['collect', '--dcgm', '--check', '--output', 'x']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  const [first, ...usage] = result.stderr.split('\n');
  assert.equal(first, 'error: collect: unknown flags --dcgm, --check, --output');
  assert.equal(usage.join('\n'), (await runCli(['collect', '--help'])).stdout);
  // A flag of another command is unknown here, even before the command's words; a short one too.
  const other = await runCli(['--json', 'config', 'env-example', '-p', 'aws']);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /^error: config env-example: unknown flags --json, -p\nUsage: /);
  const run = await runCli(['run', '--provider', 'aws', '--config', '/nonexistent/providers.yaml']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^error: run: unknown flag --provider\n/);
  const boolean = await runCli(['collect', '--json=yes']);
  assert.equal(boolean.code, 2);
  assert.match(boolean.stderr, /^error: collect: --json takes no value\n/);
});

test('a missing flag value or argument, or an extra argument, exits 2 naming it and the command', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['collect', '--provider'], /^error: collect: --provider needs a value \(NAME\)\nUsage: optiinfra-collector /],
    [['config', 'validate', '--config', '--json'], /^error: config validate: --config needs a value \(PATH\)\n/],
    [['providers', 'add', 'lab', '--scrape-target'], /^error: providers add: --scrape-target needs a value \(URL\)\n/],
    [['providers', 'add', '--dcgm'], /^error: providers add: missing argument NAME\nUsage: /],
    [['collect', 'aws'], /^error: collect: unexpected argument "aws"\n/],
    [['providers', 'add', 'a', 'b', '--dcgm'], /^error: providers add: unexpected argument "b"\n/],
    [['--log-level'], /^error: --log-level needs a value \(LEVEL\)\nRun 'optiinfra-collector --help'/],
  ];
  for (const [args, pattern] of cases) {
    const result = await runCli(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, pattern, args.join(' '));
  }
});

test('global flags work before the command as well as after it', async () => {
  const result = await runCli(['--config', join(ROOT, 'providers.yaml'), 'config', 'validate'], { cwd: ROOT });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /valid — /);
});

test("README's Commands table names only commands and flags the command table declares, and every command", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Commands\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const cells = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|')[1] ?? '');
  const named = new Set<string>();
  for (const segment of cells.flatMap((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''))) {
    const command = COMMANDS.filter((candidate) => `${segment} `.startsWith(`${candidate.name} `)).sort(
      (a, b) => b.name.length - a.name.length,
    )[0];
    assert.ok(command, `README names a command the CLI does not have: ${segment}`);
    named.add(command.name);
    const rest = segment.slice(command.name.length).trim();
    const expected = (command.arguments ?? []).join(' ');
    assert.ok(rest.startsWith(expected), `${segment}: ${expected} first`);
    for (const [, flag] of rest.matchAll(/(?:^|[\s[])(--?[a-z][a-z-]*)/g)) {
      const declared = [...command.flags, ...GLOBAL_FLAGS].some(
        (candidate) => flag === `--${candidate.name}` || flag === `-${candidate.short}`,
      );
      assert.ok(declared, `README: ${segment}: ${command.name} has no ${flag}`);
    }
  }
  assert.deepEqual([...named].sort(), COMMANDS.map((command) => command.name).sort());
  for (const flag of GLOBAL_FLAGS.filter((candidate) => candidate.value !== undefined)) {
    assert.ok(section.includes(`\`--${flag.name} ${flag.value}\``), `README: the global --${flag.name}`);
  }
});

test('config validate reports a misspelt key, a wrong type and a malformed URL, exits 2, prints no secret', async () => {
  const directory = temp();
  const path = join(directory, 'providers.yaml');
  writeFileSync(
    path,
    [
      'providers:',
      '  acme:',
      '    enabled: true',
      '    prometheus_urll: http://localhost:9090',
      '    dcgm: "sometimes"',
      '    scrape_targets: ["htp:/broken"]',
      '    prometheus_auth:',
      '      bearer_token: tok-SHOULD-NOT-LEAK-42',
      '    api:',
      '      adapter: no_such_adapter',
      '      api_key: sk-ALSO-SECRET-99',
      '',
    ].join('\n'),
  );
  const result = await runCli(['config', 'validate', '--config', path], { cwd: directory });
  assert.equal(result.code, 2);
  const output = result.stdout + result.stderr;
  // One line per problem: its key path, then the file and line, then the message.
  const line = (keyPath: string, number: number, message: string): RegExp =>
    new RegExp(`^ {2}- ${escapeRegExp(keyPath)} \\(${escapeRegExp(path)}:${number}\\): ${message}`, 'm');
  const unknownKey = 'unknown key "prometheus_urll" \\(did you mean "prometheus_url"\\?\\)$';
  assert.match(output, line('providers.acme.prometheus_urll', 4, unknownKey));
  assert.match(output, line('providers.acme.dcgm', 5, 'expected true or false'));
  assert.match(output, line('providers.acme.scrape_targets[0]', 6, '(?:.*not a valid URL|URL scheme "htp:")'));
  assert.match(output, line('providers.acme.api.adapter', 10, 'unknown adapter "no_such_adapter"'));
  assert.ok(!output.includes('SHOULD-NOT-LEAK') && !output.includes('ALSO-SECRET'), output);
});

test('a YAML alias bomb is CONFIG_INVALID, exit 2, no stack trace, in every command that loads the config', async () => {
  const directory = temp();
  const path = join(directory, 'providers.yaml');
  const lines = ['providers:', '  x:', '    enabled: false', '    metrics: &a ["lol", "lol", "lol", "lol", "lol"]'];
  let previous = 'a';
  for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h']) {
    lines.push(`    queries_${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`);
    previous = name;
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  for (const args of [['config', 'validate'], ['collect'], ['providers', 'list']]) {
    const result = await runCli([...args, '--config', path], { cwd: directory });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /alias expansion is limited to 100 references/, args.join(' '));
    assert.doesNotMatch(result.stderr, /^\s+at /m, `${args.join(' ')} printed a stack trace`);
  }
});

test('config validate on the shipped providers.yaml passes', async () => {
  const result = await runCli(['config', 'validate', '--config', join(ROOT, 'providers.yaml')], { cwd: ROOT });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /valid — 15 providers, 0 enabled/);
});

test('the committed .env.example is what `config env-example` generates', async () => {
  const result = await runCli(['config', 'env-example'], { cwd: ROOT });
  assert.equal(result.code, 0);
  assert.equal(
    readFileSync(join(ROOT, '.env.example'), 'utf8'),
    result.stdout,
    'run: npx optiinfra-collector config env-example -o .env.example',
  );
});

test('usage errors exit 2 with a pointer to --help', async () => {
  const unknown = await runCli(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const badFlag = await runCli(['collect', '--nope']);
  assert.equal(badFlag.code, 2);
  const missing = await runCli(['collect', '--config', '/nonexistent/providers.yaml']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /CONFIG_NOT_FOUND/);
});

test('providers add edits providers.yaml keeping comments, and refuses an invalid result', async () => {
  const directory = temp();
  const path = join(directory, 'providers.yaml');
  writeFileSync(
    path,
    '# my fleet\nproviders:\n  # the lab\n  onprem:\n    enabled: false\n    prometheus_url: http://localhost:9090\n',
  );
  const added = await runCli(
    ['providers', 'add', 'vastai', '--scrape-target', 'http://127.0.0.1:9400/metrics', '--dcgm', '--config', path],
    { cwd: directory },
  );
  assert.equal(added.code, 0, added.stderr);
  const text = readFileSync(path, 'utf8');
  assert.match(text, /# my fleet/);
  assert.match(text, /# the lab/);
  assert.match(
    text,
    /vastai:\n\s+enabled: true\n\s+collector_type: generic\n\s+scrape_targets:\n\s+- http:\/\/127\.0\.0\.1:9400\/metrics\n\s+dcgm: true/,
  );
  const duplicate = await runCli(
    ['providers', 'add', 'vastai', '--scrape-target', 'http://x/metrics', '--config', path],
    { cwd: directory },
  );
  assert.equal(duplicate.code, 2);
  const noSource = await runCli(['providers', 'add', 'empty', '--config', path], { cwd: directory });
  assert.equal(noSource.code, 2);
  const badUrl = await runCli(['providers', 'add', 'broken', '--prometheus-url', 'not a url', '--config', path], {
    cwd: directory,
  });
  assert.equal(badUrl.code, 2);
  assert.equal(readFileSync(path, 'utf8'), text, 'nothing written on failure');
  const list = await runCli(['providers', 'list', '--json', '--config', path], { cwd: directory });
  const providers = (JSON.parse(list.stdout) as { providers: Array<{ name: string; env_prefix: string }> }).providers;
  assert.deepEqual(
    providers.map((provider) => provider.name),
    ['onprem', 'vastai'],
  );
  assert.equal(providers[1]?.env_prefix, 'VASTAI');
});
