// The README stays true: its provider table lists every known provider with its catalog status, links
// docs that exist, and names the two quick-start commands CI and newcomers run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KNOWN_PROVIDERS } from '../src/sources/catalog.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(`${ROOT}README.md`, 'utf8');

test('the provider table matches the catalog', () => {
  const table = readme.slice(readme.indexOf('<!-- providers-table -->'), readme.indexOf('<!-- /providers-table -->'));
  const rows = table.split('\n').filter((line) => line.startsWith('| `'));
  assert.deepEqual(
    rows.map((row) => /^\| `([^`]+)`/.exec(row)?.[1]),
    KNOWN_PROVIDERS.map((provider) => provider.name),
  );
  for (const provider of KNOWN_PROVIDERS) {
    const row = rows.find((line) => line.startsWith(`| \`${provider.name}\``)) ?? '';
    const status = row.split('|')[4]?.trim() ?? '';
    assert.ok(
      status.startsWith(provider.status),
      `${provider.name}: README says "${status}", catalog says "${provider.status}"`,
    );
    for (const link of row.matchAll(/\]\(([^)]+)\)/g))
      assert.ok(existsSync(`${ROOT}${link[1]}`), `${provider.name}: ${link[1]} does not exist`);
  }
});

test('the quick start names exactly the two commands', () => {
  assert.match(readme, /npm ci && npm run demo/);
  assert.match(readme, /npm ci && npm test/);
  const ci = readFileSync(`${ROOT}.ci/run`, 'utf8');
  assert.match(ci, /npm ci/);
  assert.match(ci, /npm test/);
});
