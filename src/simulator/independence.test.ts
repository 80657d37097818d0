// The simulators are independent of the code they check: no file under src/simulator/ imports the adapters
// (src/sources/**) or product logic (src/core/**, src/runtime/**, ...); they share only their own infrastructure.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SIMULATOR = dirname(fileURLToPath(import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

test('no simulator imports anything outside src/simulator/ but Node built-ins', () => {
  const outside: string[] = [];
  for (const file of sourceFiles(SIMULATOR)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'/gm)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('node:')) continue;
      const target = relative(SIMULATOR, resolve(dirname(file), specifier));
      if (!specifier.startsWith('.') || target.startsWith('..'))
        outside.push(`${relative(SIMULATOR, file)} -> ${specifier}`);
    }
  }
  assert.deepEqual(outside, []);
});
