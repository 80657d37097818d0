// The architecture as a lint rule: which layer of src/ may import which. Each layer lists what it may import
// (besides npm packages and node: built-ins); a relative import that lands in any other layer is an error naming
// the rule it breaks. Tests (*.test.ts) and code outside src/ (test/, bench/) are free to import anything.

import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Layer -> the layers it may import and why. A layer is the first folder under src/ (or the file, for files
 * directly in src/). Order of checks: the exceptions, then the layer's allow list.
 */
export const LAYERS = {
  core: {
    may: ['core'],
    why: 'core imports nothing of the project: every other layer depends on it, never the reverse',
  },
  sources: {
    may: ['core', 'sources'],
    why: "sources only collect: they see core's contracts, never sinks, runtime internals or the simulator",
  },
  sinks: { may: ['core', 'sinks'], why: "sinks implement core's Sink and StoreQueries and know nothing of who writes" },
  runtime: {
    may: ['core', 'sources', 'runtime'],
    why: "the runtime runs sources against core's Sink interface, never a concrete sink",
  },
  server: {
    may: ['core', 'runtime', 'server'],
    why: "the server reads storage through core's interfaces (StoreQueries, Sink), never a sink",
  },
  cli: {
    may: ['core', 'runtime', 'sources', 'sinks', 'server', 'cli'],
    why: 'the CLI wires everything; the simulator is for the demo only',
  },
  simulator: {
    may: ['simulator'],
    why: 'a simulator must not share the code it checks (a shared misreading would pass)',
  },
};

/** Files allowed one import outside their layer's list, each with the reason. */
export const EXCEPTIONS = [
  { file: 'src/cli/commands/demo.ts', target: 'simulator', why: 'the demo starts the simulator by design' },
];

function layerOf(path) {
  const parts = path.split(sep);
  if (parts[0] !== 'src') return parts[0] === 'test' || parts[0] === 'bench' ? parts[0] : undefined;
  return parts.length > 2 ? parts[1] : 'src';
}

/** The problem with `file` importing `specifier`, or undefined. Paths are relative to the repository root. */
export function boundaryProblem(file, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const from = relative(ROOT, resolve(ROOT, file));
  if (!from.startsWith(`src${sep}`) || from.endsWith('.test.ts')) return undefined;
  const to = relative(ROOT, resolve(ROOT, dirname(from), specifier));
  const source = layerOf(from);
  const target = layerOf(to);
  if (target === 'test' || target === 'bench' || to.endsWith('.test.ts')) {
    return `production code imports ${to.split(sep).join('/')}: test and bench code never ships`;
  }
  const rule = LAYERS[source];
  if (rule === undefined || target === undefined || rule.may.includes(target)) return undefined;
  const posix = from.split(sep).join('/');
  if (EXCEPTIONS.some((exception) => exception.file === posix && exception.target === target)) return undefined;
  return `src/${source} may not import src/${target} (${to.split(sep).join('/')}): ${rule.why}`;
}

const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforces which layer of src/ may import which (eslint-rules/import-boundaries.mjs)' },
    schema: [],
    messages: { forbidden: '{{problem}}' },
  },
  create(context) {
    const file = relative(ROOT, context.filename);
    const check = (node) => {
      if (node?.type !== 'Literal' || typeof node.value !== 'string') return;
      const problem = boundaryProblem(file, node.value);
      if (problem !== undefined) context.report({ node, messageId: 'forbidden', data: { problem } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

/** The plugin, and the config block eslint.config.js and the rule's test share. */
export const boundariesPlugin = { rules: { imports: importBoundaries } };
export const boundariesConfig = {
  files: ['src/**/*.ts'],
  plugins: { boundaries: boundariesPlugin },
  rules: { 'boundaries/imports': 'error' },
};
