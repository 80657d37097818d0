// A small schema language for configuration: every field knows its type, default, doc line and whether it
// is a secret. Parsing reports every problem with its key path instead of stopping at the first.

import { closestMatch } from './did-you-mean.ts';
import { parseDuration } from '../duration.ts';

/** One configuration problem: what is wrong and where. */
export interface Problem {
  /** Dotted key path, e.g. `providers.runpod.api.base_url`. */
  path: string;
  message: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

/** Collects problems while parsing. */
export interface ParseContext {
  problems: Problem[];
  /** Secret values met while parsing, so they can be redacted. */
  secrets: string[];
}

/** A typed field: parses a raw YAML value at `path` or records a problem and returns undefined. */
export interface Field<T> {
  readonly kind: string;
  readonly doc: string;
  readonly secret: boolean;
  readonly required: boolean;
  readonly defaultValue: T | undefined;
  parse(raw: unknown, path: string, context: ParseContext): T | undefined;
}

interface FieldOptions<T> {
  doc?: string;
  default?: T;
  required?: boolean;
  secret?: boolean;
}

function describeType(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'a mapping';
  return `${typeof raw} ${JSON.stringify(raw)}`;
}

function field<T>(kind: string, options: FieldOptions<T>, parse: Field<T>['parse']): Field<T> {
  return {
    kind,
    doc: options.doc ?? '',
    secret: options.secret ?? false,
    required: options.required ?? false,
    defaultValue: options.default,
    parse,
  };
}

/** A string; `secret` marks it for redaction; `pattern` restricts it. */
export function string(options: FieldOptions<string> & { pattern?: RegExp; patternHint?: string; nonEmpty?: boolean } = {}): Field<string> {
  return field('string', options, (raw, path, context) => {
    if (typeof raw === 'number' && !options.secret) raw = String(raw);
    if (typeof raw !== 'string') {
      context.problems.push({ path, message: `expected a string, got ${options.secret ? typeof raw : describeType(raw)}` });
      return undefined;
    }
    if (options.secret && raw !== '') context.secrets.push(raw);
    if ((options.nonEmpty ?? false) && raw.trim() === '') {
      context.problems.push({ path, message: 'must not be empty' });
      return undefined;
    }
    if (options.pattern && !options.pattern.test(raw)) {
      context.problems.push({ path, message: `${options.secret ? 'value' : JSON.stringify(raw)} is not valid: expected ${options.patternHint ?? String(options.pattern)}` });
      return undefined;
    }
    return raw;
  });
}

/** An absolute http(s) URL (or the listed protocols). */
export function url(options: FieldOptions<string> & { protocols?: string[] } = {}): Field<string> {
  const protocols = options.protocols ?? ['http:', 'https:'];
  return field('url', options, (raw, path, context) => {
    if (typeof raw !== 'string') {
      context.problems.push({ path, message: `expected a URL, got ${describeType(raw)}` });
      return undefined;
    }
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      context.problems.push({ path, message: `${JSON.stringify(safeUrlText(raw))} is not a valid URL (expected e.g. ${protocols[0]}//host:port/path)` });
      return undefined;
    }
    if (!protocols.includes(parsed.protocol)) {
      context.problems.push({ path, message: `URL scheme ${JSON.stringify(parsed.protocol)} is not allowed here (use ${protocols.join(' or ')})` });
      return undefined;
    }
    if (parsed.password !== '') context.secrets.push(decodeURIComponent(parsed.password));
    return raw.replace(/\/+$/, '');
  });
}

function safeUrlText(raw: string): string {
  return raw.replace(/\/\/([^/@\s:]+):([^/@\s]+)@/, '//$1:[REDACTED]@');
}

/** true/false (also "true"/"false"/"1"/"0"/"yes"/"no" as strings from env overrides). */
export function boolean(options: FieldOptions<boolean> = {}): Field<boolean> {
  return field('boolean', options, (raw, path, context) => {
    if (typeof raw === 'boolean') return raw;
    if (typeof raw === 'string') {
      const lowered = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(lowered)) return true;
      if (['false', '0', 'no', 'off', ''].includes(lowered)) return false;
    }
    context.problems.push({ path, message: `expected true or false, got ${describeType(raw)}` });
    return undefined;
  });
}

/** A number within bounds (strings of digits accepted, for env overrides). */
export function number(options: FieldOptions<number> & { min?: number; max?: number; integer?: boolean } = {}): Field<number> {
  return field('number', options, (raw, path, context) => {
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      context.problems.push({ path, message: `expected a number, got ${describeType(raw)}` });
      return undefined;
    }
    if ((options.integer ?? false) && !Number.isInteger(value)) {
      context.problems.push({ path, message: `expected a whole number, got ${value}` });
      return undefined;
    }
    if (options.min !== undefined && value < options.min) {
      context.problems.push({ path, message: `must be at least ${options.min}, got ${value}` });
      return undefined;
    }
    if (options.max !== undefined && value > options.max) {
      context.problems.push({ path, message: `must be at most ${options.max}, got ${value}` });
      return undefined;
    }
    return value;
  });
}

/** A duration such as "30s", "5m", "90d"; parsed to milliseconds. */
export function duration(options: FieldOptions<number> & { min?: number } = {}): Field<number> {
  return field('duration', options, (raw, path, context) => {
    const value = typeof raw === 'string' || typeof raw === 'number' ? parseDuration(raw) : undefined;
    if (value === undefined) {
      context.problems.push({ path, message: `expected a duration like "30s", "5m", "1h" or "90d", got ${describeType(raw)}` });
      return undefined;
    }
    if (options.min !== undefined && value < options.min) {
      context.problems.push({ path, message: `must be at least ${options.min / 1000}s` });
      return undefined;
    }
    return value;
  });
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(values: readonly T[], options: FieldOptions<T> = {}): Field<T> {
  return field(`one of ${values.join(' | ')}`, options, (raw, path, context) => {
    if (typeof raw === 'string' && (values as readonly string[]).includes(raw)) return raw as T;
    const hint = typeof raw === 'string' ? closestMatch(raw, values) : undefined;
    context.problems.push({
      path,
      message: `expected one of ${values.map((value) => JSON.stringify(value)).join(', ')}, got ${describeType(raw)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`,
    });
    return undefined;
  });
}

/** A list of items; a comma-separated string is accepted too (env overrides). */
export function list<T>(item: Field<T>, options: FieldOptions<T[]> = {}): Field<T[]> {
  return field(`list of ${item.kind}`, { default: [], ...options }, (raw, path, context) => {
    const items = typeof raw === 'string' ? raw.split(',').map((part) => part.trim()).filter((part) => part !== '') : raw;
    if (!Array.isArray(items)) {
      context.problems.push({ path, message: `expected a list, got ${describeType(raw)}` });
      return undefined;
    }
    const parsed: T[] = [];
    let failed = false;
    items.forEach((value: unknown, index) => {
      const result = item.parse(value, `${path}[${index}]`, context);
      if (result === undefined) failed = true;
      else parsed.push(result);
    });
    return failed ? undefined : parsed;
  });
}

/** A mapping of free keys to values of one type (headers, rate cards). */
export function record<T>(item: Field<T>, options: FieldOptions<Record<string, T>> = {}): Field<Record<string, T>> {
  return field(`mapping of ${item.kind}`, { default: {}, ...options }, (raw, path, context) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      context.problems.push({ path, message: `expected a mapping, got ${describeType(raw)}` });
      return undefined;
    }
    const parsed: Record<string, T> = {};
    let failed = false;
    for (const [key, value] of Object.entries(raw)) {
      const result = item.parse(value, `${path}.${key}`, context);
      if (result === undefined) failed = true;
      else parsed[key] = result;
    }
    return failed ? undefined : parsed;
  });
}

/** Field definitions of an object. */
export type Shape = Record<string, Field<unknown>>;

/** The parsed type of a shape. */
export type Infer<S extends Shape> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/** An object field: unknown keys are rejected with a did-you-mean, every field is checked. */
export interface ObjectField<S extends Shape> extends Field<Infer<S>> {
  readonly shape: S;
}

/** An object with known keys. `extraKeys` allows keys validated elsewhere (e.g. an adapter's own fields). */
export function object<S extends Shape>(shape: S, options: FieldOptions<Infer<S>> & { extraKeys?: readonly string[] } = {}): ObjectField<S> {
  const base = field<Infer<S>>('mapping', options, (raw, path, context) => parseObject(shape, raw ?? {}, path, context, options.extraKeys ?? []));
  return { ...base, shape };
}

/** Parses `raw` against `shape`; unknown keys (not in shape nor extraKeys) are problems. */
export function parseObject<S extends Shape>(shape: S, raw: unknown, path: string, context: ParseContext, extraKeys: readonly string[] = []): Infer<S> | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    context.problems.push({ path, message: `expected a mapping, got ${describeType(raw)}` });
    return undefined;
  }
  const result: Record<string, unknown> = {};
  let failed = false;
  const known = Object.keys(shape);
  for (const key of Object.keys(raw)) {
    if (key in shape || extraKeys.includes(key)) continue;
    const hint = closestMatch(key, [...known, ...extraKeys]);
    context.problems.push({
      path: join(path, key),
      message: `unknown key ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`,
    });
    failed = true;
  }
  for (const [key, definition] of Object.entries(shape)) {
    const value = (raw as Record<string, unknown>)[key];
    if (value === undefined || value === null) {
      if ('shape' in definition) {
        // An absent section still gets its defaults.
        const nested = definition.parse({}, join(path, key), context);
        if (nested === undefined) failed = true;
        result[key] = nested;
      } else if (definition.required) {
        context.problems.push({ path: join(path, key), message: `is required (${definition.doc || definition.kind})` });
        failed = true;
      } else {
        result[key] = definition.defaultValue;
      }
      continue;
    }
    const parsed = definition.parse(value, join(path, key), context);
    if (parsed === undefined) failed = true;
    result[key] = parsed;
  }
  return failed ? undefined : (result as Infer<S>);
}

/** Joins key paths. */
export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Allows either a boolean switch or a mapping for the same key (`dcgm: true` or `dcgm: {enabled: true}`). */
export function switchOrObject<S extends Shape & { enabled: Field<boolean> }>(inner: ObjectField<S>, options: FieldOptions<Infer<S>> = {}): Field<Infer<S>> {
  return field(`boolean or ${inner.kind}`, options, (raw, path, context) => {
    if (typeof raw === 'boolean' || typeof raw === 'string') {
      const enabled = boolean().parse(raw, path, context);
      return enabled === undefined ? undefined : inner.parse({ enabled }, path, context);
    }
    return inner.parse(raw, path, context);
  });
}
