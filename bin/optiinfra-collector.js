#!/usr/bin/env node
// Entry point: runs the TypeScript sources directly (Node 24 strips types), so no build step is needed.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(`optiinfra-collector needs Node.js 24 or later (this is ${process.version}); run it through npx or npm scripts, which use the node@24 devDependency.\n`);
  process.exit(2);
}
// Caches compiled (type-stripped) modules on disk between runs: start-up drops to near plain-JS speed.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
await import('../src/cli/main.ts');
