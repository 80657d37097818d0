// The README stays true: its provider table lists every known provider with its catalog status, links
// docs that exist, and names the two quick-start commands CI and newcomers run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KNOWN_PROVIDERS } from '../src/sources/catalog.ts';
import { mappingTable, SEMCONV_GENAI_VERSION, SEMCONV_VERSION } from '../src/sources/_common/metric-sets/index.ts';

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

test('the metric mapping table is the rule tables, with the semantic-conventions versions they follow', () => {
  const open = '<!-- metric-mappings -->\n';
  const close = '<!-- /metric-mappings -->';
  const start = readme.indexOf(open);
  const end = readme.indexOf(close);
  assert.ok(start >= 0 && end > start, 'README has the metric-mappings markers');
  const table = mappingTable();
  // UPDATE_README=1 rewrites the table from the rules (then review the diff).
  if (process.env.UPDATE_README === '1' && readme.slice(start + open.length, end) !== table)
    writeFileSync(`${ROOT}README.md`, readme.slice(0, start + open.length) + table + readme.slice(end));
  else
    assert.equal(
      readme.slice(start + open.length, end),
      table,
      'README metric table differs from the rules: run UPDATE_README=1 npx node --test test/readme.test.ts',
    );
  assert.match(readme, new RegExp(`\\*\\*v${SEMCONV_VERSION.replaceAll('.', '\\.')}\\*\\*`));
  assert.match(readme, new RegExp(`\\*\\*v${SEMCONV_GENAI_VERSION.replaceAll('.', '\\.')}\\*\\*`));
});
