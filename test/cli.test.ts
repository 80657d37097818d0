import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './support/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const temp = (): string => mkdtempSync(join(tmpdir(), 'optiinfra-cli-'));

test('--help answers without loading any cloud SDK or HTTP stack', async () => {
  const record = join(temp(), 'modules.txt');
  const result = await runCli(['--help'], { nodeArgs: ['--import', new URL('./support/record-modules.mjs', import.meta.url).href], env: { RECORD_MODULES_FILE: record } });
  assert.equal(result.code, 0);
  assert.match(result.stdout, /Usage: optiinfra-collector <command>/);
  const modules = readFileSync(record, 'utf8').split('\n');
  for (const heavy of ['@aws-sdk', '@smithy', 'undici', 'pg/', 'prom-client', 'pino']) {
    assert.ok(!modules.some((url) => url.includes(`node_modules/${heavy}`)), `--help loaded ${heavy}`);
  }
});

test('config validate reports a misspelt key, a wrong type and a malformed URL, exits 2, prints no secret', async () => {
  const directory = temp();
  const path = join(directory, 'providers.yaml');
  writeFileSync(path, [
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
  ].join('\n'));
  const result = await runCli(['config', 'validate', '--config', path], { cwd: directory });
  assert.equal(result.code, 2);
  const output = result.stdout + result.stderr;
  assert.match(output, /providers\.acme\.prometheus_urll \(.*providers\.yaml:4\): unknown key "prometheus_urll" \(did you mean "prometheus_url"\?\)/);
  assert.match(output, /providers\.acme\.dcgm \(.*:5\): expected true or false/);
  assert.match(output, /providers\.acme\.scrape_targets\[0\] \(.*:6\): .*not a valid URL|URL scheme/);
  assert.ok(!output.includes('SHOULD-NOT-LEAK') && !output.includes('ALSO-SECRET'), output);
});

test('config validate on the shipped providers.yaml passes', async () => {
  const result = await runCli(['config', 'validate', '--config', join(ROOT, 'providers.yaml')], { cwd: ROOT });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /valid — 15 providers, 0 enabled/);
});

test('the committed .env.example is what `config env-example` generates', async () => {
  const result = await runCli(['config', 'env-example'], { cwd: ROOT });
  assert.equal(result.code, 0);
  assert.equal(readFileSync(join(ROOT, '.env.example'), 'utf8'), result.stdout, 'run: npx optiinfra-collector config env-example -o .env.example');
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
  writeFileSync(path, '# my fleet\nproviders:\n  # the lab\n  onprem:\n    enabled: false\n    prometheus_url: http://localhost:9090\n');
  const added = await runCli(['providers', 'add', 'vastai', '--scrape-target', 'http://127.0.0.1:9400/metrics', '--dcgm', '--config', path], { cwd: directory });
  assert.equal(added.code, 0, added.stderr);
  const text = readFileSync(path, 'utf8');
  assert.match(text, /# my fleet/);
  assert.match(text, /# the lab/);
  assert.match(text, /vastai:\n\s+enabled: true\n\s+collector_type: generic\n\s+scrape_targets:\n\s+- http:\/\/127\.0\.0\.1:9400\/metrics\n\s+dcgm: true/);
  const duplicate = await runCli(['providers', 'add', 'vastai', '--scrape-target', 'http://x/metrics', '--config', path], { cwd: directory });
  assert.equal(duplicate.code, 2);
  const noSource = await runCli(['providers', 'add', 'empty', '--config', path], { cwd: directory });
  assert.equal(noSource.code, 2);
  const badUrl = await runCli(['providers', 'add', 'broken', '--prometheus-url', 'not a url', '--config', path], { cwd: directory });
  assert.equal(badUrl.code, 2);
  assert.equal(readFileSync(path, 'utf8'), text, 'nothing written on failure');
  const list = await runCli(['providers', 'list', '--json', '--config', path], { cwd: directory });
  const providers = (JSON.parse(list.stdout) as { providers: Array<{ name: string; env_prefix: string }> }).providers;
  assert.deepEqual(providers.map((provider) => provider.name), ['onprem', 'vastai']);
  assert.equal(providers[1]?.env_prefix, 'VASTAI');
});
