#!/usr/bin/env node
// Entry point. Runs the compiled JavaScript in dist/ when `npm run build` produced it from the current
// sources: a long-running service then holds about 30 MB less than when Node type-strips every TypeScript
// module at start-up. Otherwise runs the TypeScript sources directly (Node 24 strips types), so no build
// step is ever required and a dist/ older than any source file is never run (OPTIINFRA_FROM_SOURCE=1 forces
// the sources).
import { readdirSync, statSync } from 'node:fs';

const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `optiinfra-collector needs Node.js 24 or later (this is ${process.version}); run it through npx or npm scripts, which use the node@24 devDependency.\n`,
  );
  process.exit(2);
}

// run/collect/demo re-execute themselves once with the memory settings of bin/runtime-tuning.js.
const { applyRuntimeTuning } = await import('./runtime-tuning.js');
applyRuntimeTuning();

const root = new URL('../', import.meta.url);
// Written by `npm run build` (postbuild) only after tsc succeeded.
const BUILD_STAMP = new URL('dist/.build-complete', root);
const BUILD_INPUTS = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

function modifiedAt(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
}

/** 'current', 'stale' (built, then a source changed) or 'absent'. */
function compiledState() {
  const builtAt = modifiedAt(BUILD_STAMP);
  if (builtAt === undefined || modifiedAt(new URL('dist/cli/main.js', root)) === undefined) return 'absent';
  for (const input of BUILD_INPUTS) if ((modifiedAt(new URL(input, root)) ?? 0) > builtAt) return 'stale';
  const sources = new URL('src/', root);
  for (const entry of readdirSync(sources, { recursive: true, withFileTypes: true })) {
    if (
      !entry.isFile() ||
      !entry.name.endsWith('.ts') ||
      entry.name.endsWith('.test.ts') ||
      entry.parentPath.includes('/testdata')
    )
      continue;
    if ((modifiedAt(`${entry.parentPath}/${entry.name}`) ?? 0) > builtAt) return 'stale';
  }
  return 'current';
}

const state = process.env.OPTIINFRA_FROM_SOURCE ? 'forced' : compiledState();
if (state === 'current') {
  await import('../dist/cli/main.js');
} else {
  if (state === 'stale')
    process.stderr.write(
      "optiinfra-collector: dist/ is older than src/ (run 'npm run build'); running the TypeScript sources\n",
    );
  // Caches compiled (type-stripped) modules on disk between runs: start-up drops to near plain-JS speed.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  await import('../src/cli/main.ts');
}
