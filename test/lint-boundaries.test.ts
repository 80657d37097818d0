// The layering rule (eslint-rules/import-boundaries.mjs): a table of imports it must allow and refuse, then the
// rule run through ESLint itself on planted files, as `npm run lint` runs it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { boundariesConfig, boundaryProblem } from '../eslint-rules/import-boundaries.mjs';

/** [importing file, specifier, the layer named in the refusal or undefined when allowed]. */
const CASES: Array<[string, string, string | undefined]> = [
  ['src/core/source.ts', './http.ts', undefined],
  ['src/core/source.ts', '../runtime/http/client.ts', 'src/runtime'],
  ['src/core/config/load.ts', '../../sources/index.ts', 'src/sources'],
  ['src/sources/vultr/client.ts', '../../core/http.ts', undefined],
  ['src/sources/vultr/client.ts', '../_common/account-resource.ts', undefined],
  ['src/sources/vultr/client.ts', '../../sinks/sqlite/sink.ts', 'src/sinks'],
  ['src/sources/vultr/client.ts', '../../runtime/call.ts', 'src/runtime'],
  ['src/sources/vultr/client.ts', '../../simulator/server.ts', 'src/simulator'],
  ['src/sources/vultr/source.test.ts', '../../simulator/vultr/index.ts', undefined],
  ['src/server/routes.ts', '../sinks/sqlite/queries.ts', 'src/sinks'],
  ['src/server/app.ts', '../runtime/scheduler.ts', undefined],
  ['src/runtime/cycle.ts', '../sinks/open.ts', 'src/sinks'],
  ['src/runtime/build-source.ts', '../sources/generic/source.ts', undefined],
  ['src/sinks/sqlite/sink.ts', '../../runtime/scheduler.ts', 'src/runtime'],
  ['src/simulator/vultr/index.ts', '../../sources/vultr/map.ts', 'src/sources'],
  ['src/cli/commands/demo.ts', '../../simulator/providers.ts', undefined],
  ['src/cli/commands/collect.ts', '../../simulator/providers.ts', 'src/simulator'],
  ['src/runtime/run-provider.ts', '../../test/support/test-context.ts', 'test and bench'],
  ['src/sinks/sqlite/sink.ts', './sink.test.ts', 'test and bench'],
  ['src/core/log.ts', 'pino', undefined],
  ['test/faults.test.ts', '../src/simulator/server.ts', undefined],
];

for (const [file, specifier, refused] of CASES) {
  test(`${file} importing ${specifier}: ${refused === undefined ? 'allowed' : `refused (${refused})`}`, () => {
    const problem = boundaryProblem(file, specifier);
    if (refused === undefined) assert.equal(problem, undefined);
    else assert.ok(problem?.includes(refused), `${problem}`);
  });
}

test('ESLint with the project rule fails on a planted forbidden import and names the file and layers', async () => {
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, boundariesConfig],
  });
  const planted =
    "import type { Sink } from '../sinks/open.ts';\nimport { x } from './ok.ts';\nexport type S = Sink;\nexport { x };\n";
  const [result] = await eslint.lintText(planted, { filePath: 'src/core/planted.ts' });
  assert.equal(result?.errorCount, 1, JSON.stringify(result?.messages));
  assert.equal(result?.messages[0]?.ruleId, 'boundaries/imports');
  assert.equal(result?.messages[0]?.line, 1);
  assert.match(result?.messages[0]?.message ?? '', /src\/core may not import src\/sinks \(src\/sinks\/open\.ts\)/);
  const [dynamic] = await eslint.lintText("export const load = () => import('../../simulator/providers.ts');\n", {
    filePath: 'src/sources/vultr/planted.ts',
  });
  assert.equal(dynamic?.errorCount, 1, 'a dynamic import is checked too');
});
