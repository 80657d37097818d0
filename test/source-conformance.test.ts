// One conformance suite over every factory in SOURCE_FACTORIES (STYLE habit 7): registering a factory is
// enough for it to get every check below. Provider-specific behaviour stays in each folder's own tests.

import assert from 'node:assert/strict';
import dns from 'node:dns';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import tls from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { apiCommonShape, genericShape } from '../src/core/config/app-schema.ts';
import { envPrefix } from '../src/core/config/env-overrides.ts';
import { loadConfigText, type LoadResult } from '../src/core/config/load.ts';
import type { Problem } from '../src/core/config/schema.ts';
import type { ProviderConfig } from '../src/core/config/types.ts';
import type { Source, SourceFactory } from '../src/core/source.ts';
import { buildSource } from '../src/runtime/build-source.ts';
import { createRegistry } from '../src/core/registry.ts';
import { SIMULATED_PROVIDERS } from '../src/simulator/providers.ts';
import { defaultRegistry, SOURCE_FACTORIES } from '../src/sources/index.ts';
import { runCli } from './support/cli.ts';

/**
 * The `## ` sections every provider README (src/sources/<folder>/README.md) has; a heading matches when it
 * contains the name, case-insensitively ("Token and permissions", "Configuration keys (`providers.aws`)").
 */
export const REQUIRED_README_SECTIONS = [
  'What it collects',
  'Permissions',
  'Configuration',
  'Example output',
  'Tests',
] as const;

/** What a factory's create() receives, whatever SourceFactory's config typing is. */
type Settings = Parameters<SourceFactory['create']>[0];

const SOURCES_DIR = fileURLToPath(new URL('../src/sources/', import.meta.url));
const registry = defaultRegistry();

/** Folder under src/sources/ of each factory: the one whose factory.ts exports it (factories do not say). */
const folders = new Map<SourceFactory, string>();
for (const entry of readdirSync(SOURCES_DIR, { withFileTypes: true })) {
  const file = join(SOURCES_DIR, entry.name, 'factory.ts');
  if (!entry.isDirectory() || !existsSync(file)) continue;
  const exports: Record<string, unknown> = await import(pathToFileURL(file).href);
  for (const factory of SOURCE_FACTORIES) {
    if (Object.values(exports).includes(factory)) folders.set(factory, entry.name);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Problems as `path: message` lines, for assertion messages. */
function describeProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n');
}

/** A folder's sample.yaml: its text, its one provider block, and a value for every `${VAR}` it names. */
interface Sample {
  text: string;
  name: string;
  block: Record<string, unknown>;
  env: Record<string, string>;
}

function readSample(folder: string): Sample {
  const text = readFileSync(join(SOURCES_DIR, folder, 'sample.yaml'), 'utf8');
  const document: unknown = parse(text);
  const entries = isRecord(document) ? Object.entries(document) : [];
  const [first] = entries;
  assert.ok(entries.length === 1 && first !== undefined, `${folder}/sample.yaml: expected exactly one provider block`);
  const [name, block] = first;
  assert.ok(isRecord(block), `${folder}/sample.yaml: the ${name} block is not a mapping`);
  // As a user would: every variable the sample refers to is set (secrets come from the environment).
  const variables = [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? '');
  const env = Object.fromEntries(variables.map((variable) => [variable, `conformance-${variable}`]));
  return { text, name, block, env };
}

function loadProviders(providers: Record<string, unknown>, env: Record<string, string> = {}): LoadResult {
  return loadConfigText(JSON.stringify({ providers }), registry, env);
}

/** The settings buildSource hands each factory for `provider`, by factory type (nothing is really created). */
function settingsByType(provider: ProviderConfig): Map<string, Settings> {
  const captured = new Map<string, Settings>();
  const recording = SOURCE_FACTORIES.map((factory): SourceFactory => ({
    ...factory,
    // In-process, so that buildSource calls create() rather than starting a worker thread.
    isolate: undefined,
    create: (settings) => {
      captured.set(factory.type, settings);
      return { collect: async () => {}, shutdown: async () => {} };
    },
  }));
  buildSource(provider, createRegistry(recording));
  return captured;
}

/** The settings the runtime would pass `factory` for its sample.yaml. */
function sampleSettings(factory: SourceFactory, folder: string): Settings {
  const sample = readSample(folder);
  const result = loadProviders({ [sample.name]: sample.block }, sample.env);
  const provider = result.config?.providers[sample.name];
  assert.ok(provider, `${folder}/sample.yaml does not load:\n${describeProblems(result.problems)}`);
  const settings = settingsByType(provider).get(factory.type);
  assert.ok(settings, `${folder}/sample.yaml does not configure ${factory.type}`);
  return withThrowingHttp(settings);
}

/** An HttpClient stand-in every call of which throws: a factory must not call its API while it is created. */
const throwingHttpClient = new Proxy(
  {},
  {
    get: (_target, property) => () => {
      throw new Error(`conformance: HttpClient.${String(property)}() called during create()`);
    },
  },
);

/** `settings` with the throwing HttpClient in place of the one it carries, if it carries one. */
function withThrowingHttp<T extends object>(settings: T): T {
  return 'http' in settings ? { ...settings, http: throwingHttpClient } : settings;
}

/** Ways out to the network patched while a guarded action runs: [owner, property, label]. */
const NETWORK_ENTRY_POINTS: ReadonlyArray<readonly [object, string, string]> = [
  [globalThis, 'fetch', 'fetch'],
  [net.Socket.prototype, 'connect', 'net.Socket#connect'],
  [net, 'connect', 'net.connect'],
  [net, 'createConnection', 'net.createConnection'],
  [tls, 'connect', 'tls.connect'],
  [dns, 'lookup', 'dns.lookup'],
  [dns.promises, 'lookup', 'dns.promises.lookup'],
  [http, 'request', 'http.request'],
  [http, 'get', 'http.get'],
  [https, 'request', 'https.request'],
  [https, 'get', 'https.get'],
];

/** Runs `action` with every network entry point throwing; returns the attempts (also ones `action` swallowed). */
async function networkAttemptsDuring(action: () => void): Promise<string[]> {
  const attempts: string[] = [];
  const originals = NETWORK_ENTRY_POINTS.map(([owner, property]) => Reflect.get(owner, property));
  for (const [owner, property, label] of NETWORK_ENTRY_POINTS) {
    Reflect.set(owner, property, () => {
      attempts.push(label);
      throw new Error(`conformance: ${label} during create()`);
    });
  }
  syncBuiltinESMExports();
  try {
    action();
    // Work create() started without awaiting (a promise, a microtask) runs under the guard too.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    NETWORK_ENTRY_POINTS.forEach(([owner, property], index) => Reflect.set(owner, property, originals[index]));
    syncBuiltinESMExports();
  }
  return attempts;
}

/** `key` with one letter dropped, not itself a key of `keys`: a typo the loader should recognize. */
function nearMissOf(key: string, keys: readonly string[]): string {
  for (let offset = 0; offset < key.length; offset += 1) {
    const index = (Math.floor(key.length / 2) + offset) % key.length;
    const candidate = key.slice(0, index) + key.slice(index + 1);
    if (!keys.includes(candidate)) return candidate;
  }
  throw new Error(`no near miss of ${key}`);
}

/** The keys a factory's settings come from, and where they sit in a provider block. */
function schemaKeysOf(factory: SourceFactory): { keys: string[]; inApiBlock: boolean } {
  const own = Object.keys(factory.configSchema.shape);
  // Metrics paths have no keys of their own: they read the generic provider block's keys.
  if (factory.role === 'metrics') return { keys: [...own, ...Object.keys(genericShape)], inApiBlock: false };
  return { keys: own, inApiBlock: factory.role === 'adapter' };
}

/** What one simulation's provider block loads to: the factories it configures, or its problems. */
interface SimulatedBlock {
  name: string;
  problems: Problem[];
  types: string[];
}

const simulatedBlocks: SimulatedBlock[] = [];

before(async () => {
  for (const simulated of SIMULATED_PROVIDERS) {
    const simulation = await simulated.start({ seed: 1 });
    try {
      const result = loadProviders({ [simulated.name]: simulation.providerBlock });
      const provider = result.config?.providers[simulated.name];
      const types = provider ? [...settingsByType(provider).keys()] : [];
      simulatedBlocks.push({ name: simulated.name, problems: result.problems, types });
    } finally {
      await simulation.close();
    }
  }
});

it('the network guard catches every entry point it patches', async () => {
  const attempts = await networkAttemptsDuring(() => {
    const tries: Array<() => unknown> = [
      () => fetch('http://127.0.0.1:9/'),
      () => new net.Socket().connect(9, '127.0.0.1'),
      () => net.connect(9, '127.0.0.1'),
      () => tls.connect(9, '127.0.0.1'),
      () => dns.lookup('localhost', () => {}),
      () => http.get('http://127.0.0.1:9/'),
      () => https.request('https://127.0.0.1:9/'),
    ];
    for (const attempt of tries) {
      try {
        attempt();
      } catch {
        // Expected: the guard throws; what matters is that it recorded the attempt.
      }
    }
  });
  assert.deepEqual(attempts, [
    'fetch',
    'net.Socket#connect',
    'net.connect',
    'tls.connect',
    'dns.lookup',
    'http.get',
    'https.request',
  ]);
});

it('every registered factory lives in a folder of src/sources/ with a factory.ts exporting it', () => {
  assert.deepEqual(
    SOURCE_FACTORIES.filter((factory) => !folders.has(factory)).map((factory) => factory.type),
    [],
  );
});

for (const factory of SOURCE_FACTORIES) {
  const folder = folders.get(factory) ?? `<no folder for ${factory.type}>`;

  describe(`source ${factory.type} (src/sources/${folder}, role ${factory.role})`, () => {
    it('sample.yaml loads with no problems', () => {
      const sample = readSample(folder);
      const indented = sample.text
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n');
      const result = loadConfigText(`providers:\n${indented}\n`, registry, sample.env);
      assert.equal(describeProblems(result.problems), '');
      assert.ok(result.config?.providers[sample.name]);
    });

    it("a simulator's provider block configures it and validates", () => {
      const serving = simulatedBlocks.filter((block) => block.types.includes(factory.type));
      const invalid = simulatedBlocks.filter((block) => block.problems.length > 0);
      const invalidText = invalid.map((block) => `${block.name}:\n${describeProblems(block.problems)}`).join('\n');
      const unvalidated = invalid.length > 0 ? `; blocks that do not validate:\n${invalidText}` : '';
      const where = 'src/simulator/providers.ts';
      assert.ok(serving.length > 0, `no simulation in ${where} configures ${factory.type}${unvalidated}`);
    });

    if (factory.role === 'adapter') {
      it('config validate exits 2 naming the missing credential under providers.<name>.api', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
        try {
          const file = join(dir, 'providers.yaml');
          const block = { enabled: true, collector_type: 'generic', api: { adapter: factory.type } };
          writeFileSync(file, stringify({ providers: { [factory.type]: block } }));
          // No credential may come from this process's environment either (`<NAME>_API_KEY`, ...).
          const prefix = `${envPrefix(factory.type)}_`;
          const inherited = Object.keys(process.env).filter((key) => key.startsWith(prefix));
          const env = Object.fromEntries(inherited.map((key) => [key, '']));
          const result = await runCli(['config', 'validate', '--config', file], { cwd: dir, env });
          const output = `${result.stdout}${result.stderr}`;
          assert.equal(result.code, 2, `expected exit 2 without a credential, got ${result.code}:\n${output}`);
          const apiKeys = Object.keys({ ...apiCommonShape, ...factory.configSchema.shape });
          const keys = apiKeys.filter((key) => key !== 'adapter');
          const named = keys.filter((key) => output.includes(`providers.${factory.type}.api.${key}`));
          assert.ok(named.length > 0, `no key under providers.${factory.type}.api named in:\n${output}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }

    it('a near miss of each of its keys gets a did-you-mean naming the key', () => {
      const sample = readSample(folder);
      const { keys, inApiBlock } = schemaKeysOf(factory);
      const allKeys = [...keys, ...Object.keys(apiCommonShape)];
      assert.ok(keys.length > 0, `${factory.type} has no configuration keys to check`);
      for (const key of keys) {
        const typo = nearMissOf(key, allKeys);
        const block = structuredClone(sample.block);
        const target = inApiBlock ? block.api : block;
        assert.ok(isRecord(target), `${folder}/sample.yaml has no ${inApiBlock ? 'api: block' : 'block'}`);
        target[typo] = true;
        const path = `providers.${sample.name}.${inApiBlock ? 'api.' : ''}${typo}`;
        const problems = loadProviders({ [sample.name]: block }, sample.env).problems;
        const problem = problems.find((candidate) => candidate.path === path);
        assert.ok(problem, `no problem at ${path}:\n${describeProblems(problems)}`);
        assert.ok(problem.message.includes(`did you mean "${key}"`), `${path}: ${problem.message}`);
      }
    });

    it('create() attempts no network I/O', async () => {
      const settings = sampleSettings(factory, folder);
      let source: Source | undefined;
      const attempts = await networkAttemptsDuring(() => {
        source = factory.create(settings);
      });
      assert.deepEqual(attempts, []);
      await source?.shutdown();
    });

    it('shutdown() twice resolves', async () => {
      const source = factory.create(sampleSettings(factory, folder));
      await source.shutdown();
      await source.shutdown();
    });

    it(`README.md has the sections ${REQUIRED_README_SECTIONS.join(', ')}`, () => {
      const readme = readFileSync(join(SOURCES_DIR, folder, 'README.md'), 'utf8');
      const headings = readme
        .split('\n')
        .filter((line) => line.startsWith('## '))
        .map((line) => line.slice(3));
      const has = (section: string): boolean =>
        headings.some((heading) => heading.toLowerCase().includes(section.toLowerCase()));
      const missing = REQUIRED_README_SECTIONS.filter((section) => !has(section));
      assert.deepEqual(missing, [], `src/sources/${folder}/README.md lacks ## sections`);
    });
  });
}
