// Loads providers.yaml: .env, ${VAR} interpolation, derived env overrides, then validation of the whole
// file against the registry's schemas. Every problem is reported at once, with key path and line.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { CollectorError } from '../errors.ts';
import { registerSecret } from '../redact.ts';
import type { SourceFactory } from '../source.ts';
import {
  apiCommonShape,
  collectionSchema,
  genericShape,
  logSchema,
  providerCommonShape,
  serverSchema,
  storageSchema,
} from './app-schema.ts';
import { withDotEnv } from './dotenv.ts';
import { applyEnvOverrides, type AppliedOverride } from './env-overrides.ts';
import { interpolateTree } from './interpolate.ts';
import * as s from './schema.ts';
import type { ApiConfig, AppConfig, CollectionConfig, GenericConfig, ProviderConfig, ProviderTiming } from './types.ts';
import { closestMatch } from './did-you-mean.ts';
import { cronProblem } from '../cron.ts';

/** What the loader needs from the registry. */
export interface ComponentLookup {
  /** The factory registered under `type`, if any. */
  get(type: string): SourceFactory | undefined;
  /** Types registered for a role. */
  typesOf(role: SourceFactory['role']): string[];
  /** Planned (not yet implemented) dedicated collectors, accepted while disabled. */
  planned?: readonly string[];
}

/** The outcome of loading: a config when there are no problems. */
export interface LoadResult {
  config?: AppConfig;
  problems: s.Problem[];
  warnings: s.Problem[];
  overrides: AppliedOverride[];
  path: string;
}

/** Where the config file is: --config, else OPTIINFRA_CONFIG, else ./providers.yaml. */
export function resolveConfigPath(
  flag: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string {
  return resolve(flag ?? env.OPTIINFRA_CONFIG ?? 'providers.yaml');
}

/** Reads and validates a config file. Throws CONFIG_NOT_FOUND when it does not exist. */
export function loadConfigFile(
  path: string,
  lookup: ComponentLookup,
  baseEnv: Record<string, string | undefined> = process.env,
): LoadResult {
  if (!existsSync(path)) {
    throw new CollectorError(
      'CONFIG_NOT_FOUND',
      `configuration file ${path} does not exist (pass --config PATH or set OPTIINFRA_CONFIG)`,
    );
  }
  let env = withDotEnv(baseEnv, resolve('.env'));
  env = withDotEnv(env, resolve(dirname(path), '.env'));
  return loadConfigText(readFileSync(path, 'utf8'), lookup, env, path);
}

/** Validates config text (used by loadConfigFile and tests). */
export function loadConfigText(
  text: string,
  lookup: ComponentLookup,
  env: Record<string, string | undefined>,
  path = '<inline>',
): LoadResult {
  const warnings: s.Problem[] = [];
  const { plain, lines, problems } = readYaml(text);
  if (problems.length > 0) return { problems, warnings, overrides: [], path };
  const envRefs = new Map<string, string[]>();
  const raw = interpolateTree(plain, env, '', (keyPath, variables, missing) => {
    envRefs.set(keyPath, variables);
    if (missing.length > 0 && !isDisabledProviderPath(plain, keyPath)) {
      warnings.push({ path: keyPath, message: `environment variable ${missing.join(', ')} is not set` });
    }
  });
  const context: s.ParseContext = { problems, secrets: [] };
  const document_ = isRecord(raw) ? raw : undefined;
  if (document_ === undefined) {
    const what =
      raw === null || raw === undefined ? 'the file is empty' : `expected a mapping at the top, got ${typeof raw}`;
    problems.push({
      path: '(file)',
      message: `${what}: declare at least \`providers:\` (see the providers.yaml shipped with the collector)`,
    });
    return { problems, warnings, overrides: [], path };
  }
  const top = s.parseObject(topLevelShape, document_, '', context, ['providers', 'version']);
  // Providers are checked even when a top-level key is wrong, so one pass reports every problem.
  const defaults = top?.collection ?? collectionSchema.parse({}, 'collection', { problems: [], secrets: [] });
  const overrides: AppliedOverride[] = [];
  // No prototype: a provider named `constructor` or `__proto__` is a key like any other.
  const providers: Record<string, ProviderConfig> = Object.create(null) as Record<string, ProviderConfig>;
  const rawProviders = document_.providers;
  if (
    rawProviders === null ||
    rawProviders === undefined ||
    (isRecord(rawProviders) && Object.keys(rawProviders).length === 0)
  ) {
    problems.push({ path: 'providers', message: 'is required: declare at least one provider (it may stay disabled)' });
  } else if (!isRecord(rawProviders)) {
    problems.push({ path: 'providers', message: 'expected a mapping of provider name to settings' });
  } else if (defaults !== undefined) {
    for (const [name, block] of Object.entries(rawProviders)) {
      const provider = parseProvider(name, block ?? {}, defaults, lookup, env, context, warnings, overrides);
      if (provider) providers[name] = provider;
    }
  }
  for (const secret of context.secrets) registerSecret(secret);
  for (const problem of [...problems, ...warnings]) attachLine(problem, lines, envRefs);
  if (problems.length > 0 || top === undefined) return { problems, warnings, overrides, path };
  const storageOverride = env.OPTIINFRA_STORAGE_URL;
  const config: AppConfig = {
    path,
    storage: { ...top.storage, url: storageOverride && storageOverride !== '' ? storageOverride : top.storage.url },
    collection: top.collection,
    server: top.server,
    log: top.log,
    providers,
  };
  return { config: deepFreeze(config), problems, warnings, overrides, path };
}

/**
 * Parses the YAML: its problems, the line of every key path and the plain value. A function of its own so the
 * document (every node of the file) is garbage once it returns: validation of a large file then runs in a small heap.
 */
function readYaml(text: string): { plain: unknown; lines: Map<string, number>; problems: s.Problem[] } {
  const lineCounter = new LineCounter();
  // Duplicate keys are found by indexLines in one pass: the yaml package's own check compares each key with every
  // earlier one of its map (quadratic: seconds for a few thousand providers).
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false });
  const problems: s.Problem[] = [];
  for (const error of document.errors) {
    const line = error.linePos?.[0]?.line;
    problems.push({
      path: '(yaml)',
      message: (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, ''),
      ...(line === undefined ? {} : { line }),
    });
  }
  const lines = new Map<string, number>();
  if (document.contents) indexLines(document.contents, '', lines, lineCounter, problems);
  if (problems.length > 0) return { plain: undefined, lines, problems };
  try {
    return { plain: document.toJS({ maxAliasCount: MAX_YAML_ALIASES }), lines, problems };
  } catch (error) {
    // An alias bomb (anchors of anchors, each repeated): bounded, and a problem of the file, not a crash.
    const reason = error instanceof Error ? error.message : String(error);
    problems.push({
      path: '(yaml)',
      message: /Excessive alias count/.test(reason)
        ? `alias expansion is limited to ${MAX_YAML_ALIASES} references (an alias bomb?): ${reason}`
        : reason,
    });
    return { plain: undefined, lines, problems };
  }
}

const PROVIDER_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** How far YAML aliases may expand (the yaml package's maxAliasCount: references times the aliases they hold). */
const MAX_YAML_ALIASES = 100;

/** Top-level sections beside `providers:`. */
const topLevelShape = { storage: storageSchema, collection: collectionSchema, server: serverSchema, log: logSchema };

/** Keys of a generic provider block beside `api:`. */
const genericBlockShape = { ...providerCommonShape, ...genericShape };

function parseProvider(
  name: string,
  rawBlock: unknown,
  defaults: CollectionConfig,
  lookup: ComponentLookup,
  env: Record<string, string | undefined>,
  context: s.ParseContext,
  warnings: s.Problem[],
  overrides: AppliedOverride[],
): ProviderConfig | undefined {
  const path = `providers.${name}`;
  if (!PROVIDER_NAME.test(name)) {
    const message = `provider name ${JSON.stringify(name)} must be lower-case letters, digits, '_' or '-', starting with a letter`;
    context.problems.push({ path, message });
    return undefined;
  }
  if (!isRecord(rawBlock)) {
    context.problems.push({ path, message: 'expected a mapping of settings' });
    return undefined;
  }
  const block = structuredClone(rawBlock);
  const declaredType = typeof block.type === 'string' ? block.type : name;
  const dedicatedFactory = lookup.get(declaredType)?.role === 'dedicated' ? lookup.get(declaredType) : undefined;
  const isPlanned = (lookup.planned ?? []).includes(declaredType);
  const collectorType = block.collector_type ?? (dedicatedFactory || isPlanned ? 'dedicated' : 'generic');
  const adapterName = adapterNameFor(name, block, lookup);
  const adapterFactory = adapterName === undefined ? undefined : lookup.get(adapterName);
  const extraOverrides = { ...dedicatedFactory?.envOverrides, ...adapterFactory?.envOverrides };
  overrides.push(...applyEnvOverrides(name, block, env, extraOverrides));

  const enabledProbe =
    s.boolean().parse(block.enabled ?? false, `${path}.enabled`, { problems: [], secrets: [] }) ?? false;
  // Disabled providers are checked for typos and types, but not for missing credentials.
  const scoped: s.ParseContext = enabledProbe ? context : { problems: [], secrets: context.secrets };
  let parsed: (Omit<ProviderConfig, 'name' | 'timing'> & { timing: TimingOverrides }) | undefined;
  if (collectorType === 'generic') {
    const generic = s.parseObject(genericBlockShape, block, path, scoped, ['api']);
    const api = block.api === undefined ? undefined : parseApi(name, block.api, adapterName, lookup, scoped);
    // A rate card prices providers without a billing API; with an adapter both would own the rate_card rows.
    if (generic?.rate_card !== undefined && block.api !== undefined)
      scoped.problems.push({
        path: `${path}.rate_card`,
        message: 'cannot be combined with api: (the adapter prices costs)',
      });
    if (generic !== undefined) {
      const { enabled, display_name, collector_type: _, type: __, ...rest } = generic;
      const { timing, settings } = splitTiming(rest);
      parsed = { enabled, display_name: display_name ?? name, collector_type: 'generic', timing, generic: settings };
      if (api) parsed.api = api;
    }
  } else {
    // A dedicated block: the common keys, plus the collector's own keys (any key while it is not in this build).
    const ownShape = dedicatedFactory?.configSchema.shape ?? {};
    const ownKeys = dedicatedFactory ? Object.keys(ownShape) : Object.keys(block);
    const common = s.parseObject(providerCommonShape, block, path, scoped, ownKeys);
    const ownBlock = Object.fromEntries(Object.entries(block).filter(([key]) => Object.hasOwn(ownShape, key)));
    const own = dedicatedFactory ? s.parseObject(ownShape, ownBlock, path, scoped) : {};
    if (own !== undefined && dedicatedFactory?.configSchema.check)
      dedicatedFactory.configSchema.check(own, path, scoped);
    if (common !== undefined && own !== undefined) {
      const { enabled, display_name, collector_type: _, type: __, ...timing } = common;
      parsed = {
        enabled,
        display_name: display_name ?? name,
        collector_type: 'dedicated',
        type: declaredType,
        timing,
        dedicated: own,
      };
    }
  }
  if (!enabledProbe) {
    // While disabled: missing credentials are fine, and an adapter not in this build is only a warning.
    for (const problem of scoped.problems) {
      if (problem.message.startsWith('is required')) continue;
      (problem.path.endsWith('.api.adapter') ? warnings : context.problems).push(problem);
    }
  }
  if (collectorType === 'dedicated' && !dedicatedFactory && enabledProbe) {
    const available = lookup.typesOf('dedicated').join(', ') || 'none';
    context.problems.push({
      path: `${path}.enabled`,
      message: `no dedicated collector ${JSON.stringify(declaredType)} is available yet${isPlanned ? ' (planned)' : ''}; available: ${available}`,
    });
  }
  if (parsed === undefined) return undefined;
  const own = parsed.timing;
  const timing: ProviderTiming = {
    interval: own.interval ?? defaults.interval,
    cost_interval: own.cost_interval ?? defaults.cost_interval,
    cost_history: own.cost_history ?? defaults.cost_history,
    cost_restatement: own.cost_restatement ?? defaults.cost_restatement,
    metrics_backfill: defaults.metrics_backfill,
    timeout: own.timeout ?? defaults.timeout,
    run_timeout: own.run_timeout ?? defaults.run_timeout,
    retries: defaults.retries,
    max_response_bytes: defaults.max_response_bytes,
    rate_limit: own.rate_limit ?? adapterFactory?.defaultRateLimit ?? dedicatedFactory?.defaultRateLimit,
  };
  if (own.schedule !== undefined) {
    const problem = cronProblem(own.schedule);
    if (problem) context.problems.push({ path: `${path}.schedule`, message: problem });
    else timing.schedule = own.schedule;
  }
  const provider: ProviderConfig = { ...parsed, name, timing };
  if (provider.collector_type === 'generic' && provider.enabled) checkGenericSources(path, provider, context, warnings);
  return provider;
}

/** A provider block's own timing keys (each overrides its `collection:` default). */
type TimingOverrides = Omit<
  s.Infer<typeof providerCommonShape>,
  'enabled' | 'display_name' | 'collector_type' | 'type'
>;

/** Splits a parsed generic block into its timing overrides and the generic collector's settings. */
function splitTiming(
  rest: Omit<s.Infer<typeof genericBlockShape>, 'enabled' | 'display_name' | 'collector_type' | 'type'>,
): {
  timing: TimingOverrides;
  settings: GenericConfig;
} {
  const {
    interval,
    schedule,
    cost_interval,
    cost_history,
    cost_restatement,
    timeout,
    run_timeout,
    rate_limit,
    ...settings
  } = rest;
  const timing = {
    interval,
    schedule,
    cost_interval,
    cost_history,
    cost_restatement,
    timeout,
    run_timeout,
    rate_limit,
  };
  return { timing, settings };
}

function adapterNameFor(name: string, block: Record<string, unknown>, lookup: ComponentLookup): string | undefined {
  if (isRecord(block.api) && typeof block.api.adapter === 'string') return block.api.adapter;
  return lookup.get(name)?.role === 'adapter' ? name : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseApi(
  provider: string,
  raw: unknown,
  adapterName: string | undefined,
  lookup: ComponentLookup,
  context: s.ParseContext,
): ApiConfig | undefined {
  const path = `providers.${provider}.api`;
  const factory = adapterName === undefined ? undefined : lookup.get(adapterName);
  if (factory === undefined || factory.role !== 'adapter') {
    const available = lookup.typesOf('adapter');
    const hint = adapterName === undefined ? undefined : closestMatch(adapterName, available);
    context.problems.push({
      path: `${path}.adapter`,
      message:
        adapterName === undefined
          ? `is required: no adapter is named ${JSON.stringify(provider)}; available: ${available.join(', ')}`
          : `unknown adapter ${JSON.stringify(adapterName)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}; available: ${available.join(', ')}`,
    });
    return undefined;
  }
  const parsed = s.parseObject({ ...apiCommonShape, ...factory.configSchema.shape }, raw, path, context);
  if (parsed === undefined) return undefined;
  factory.configSchema.check?.(parsed, path, context);
  return { ...parsed, adapter: factory.type };
}

function checkGenericSources(
  path: string,
  provider: ProviderConfig,
  context: s.ParseContext,
  warnings: s.Problem[],
): void {
  const generic = provider.generic;
  if (!generic) return;
  const hasPrometheus = generic.prometheus_url !== undefined;
  const hasScrape = generic.scrape_targets.length > 0;
  if (!hasPrometheus && !hasScrape && !provider.api) {
    context.problems.push({
      path,
      message: 'an enabled generic provider needs at least one source: prometheus_url, scrape_targets or an api block',
    });
  } else if (!hasPrometheus) {
    warnings.push({
      path: `${path}.prometheus_url`,
      message: `is not set: ${provider.name} is collected from ${hasScrape ? 'scrape_targets' : 'its API'} only, without Prometheus history`,
    });
  }
}

function isDisabledProviderPath(document: unknown, keyPath: string): boolean {
  const match = /^providers\.([^.[]+)/.exec(keyPath);
  if (!match || !isRecord(document) || !isRecord(document.providers)) return false;
  const name = match[1] ?? '';
  const block = Object.hasOwn(document.providers, name) ? document.providers[name] : undefined;
  const enabled = isRecord(block) ? block.enabled : undefined;
  return enabled !== true && !(typeof enabled === 'string' && enabled.includes('${'));
}

/** Records the line of every key path, and every duplicate key of a mapping as a problem (linear: a Set per map). */
function indexLines(
  node: YamlNode,
  path: string,
  lines: Map<string, number>,
  counter: LineCounter,
  problems: s.Problem[],
): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const childPath = path === '' ? key : `${path}.${key}`;
      const range = (isScalar(pair.key) ? pair.key.range : undefined) ?? (pair.value as YamlNode | null)?.range;
      const line = range ? counter.linePos(range[0]).line : undefined;
      if (seen.has(key)) {
        problems.push({
          path: '(yaml)',
          message: `duplicate key ${JSON.stringify(key)} in ${path === '' ? 'the top level' : path}: map keys must be unique`,
          ...(line === undefined ? {} : { line }),
        });
        continue;
      }
      seen.add(key);
      if (line !== undefined) lines.set(childPath, line);
      if (pair.value) indexLines(pair.value as YamlNode, childPath, lines, counter, problems);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const childPath = `${path}[${index}]`;
      const range = (item as YamlNode | null)?.range;
      if (range) lines.set(childPath, counter.linePos(range[0]).line);
      if (item) indexLines(item as YamlNode, childPath, lines, counter, problems);
    });
  }
}

function attachLine(problem: s.Problem, lines: Map<string, number>, envRefs: Map<string, string[]>): void {
  if (problem.line !== undefined) return;
  for (let path = problem.path; path !== ''; path = path.replace(/(\.[^.]*|\[\d+\])$/, '')) {
    const line = lines.get(path);
    if (line !== undefined) {
      problem.line = line;
      break;
    }
    if (!/[.[]/.test(path)) break;
  }
  const variables = envRefs.get(problem.path);
  if (variables && variables.length > 0 && !problem.message.includes('environment variable')) {
    problem.message += ` (value comes from \${${variables.join('}, ${')}})`;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
