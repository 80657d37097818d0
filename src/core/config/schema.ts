// A small schema language for configuration, and the single source of truth for its types: every field knows
// its type, default, doc line, whether it is a secret and whether a parsed value is always present, so
// `Infer<shape>` is the exact type the loader produces and `jsonSchema` is what editors check the file against.
// Parsing reports every problem with its key path instead of stopping at the first.

import { closestMatch } from './did-you-mean.ts';
import { DURATION_PATTERN, formatDuration, parseDuration } from '../duration.ts';

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

/** A JSON Schema (draft 2020-12) fragment describing a field, for `config schema`. */
export type JsonSchema = { [key: string]: unknown };

/**
 * A typed field: parses a raw YAML value at `path` or records a problem and returns undefined.
 * `Present` is true when a parsed value is always there (required, defaulted, or a section of defaults).
 */
export interface Field<T, Present extends boolean = boolean> {
  readonly kind: string;
  readonly doc: string;
  readonly secret: boolean;
  readonly required: boolean;
  readonly defaultValue: T | undefined;
  /** True when the loader always yields a value for this key (it is required or has a default). */
  readonly present: Present;
  /** What editors validate the YAML value against. */
  readonly jsonSchema: JsonSchema;
  parse(raw: unknown, path: string, context: ParseContext): T | undefined;
}

interface FieldOptions<T> {
  doc?: string;
  default?: T;
  required?: boolean;
  secret?: boolean;
}

/** Whether options make a field always present: `required: true` or a `default`. */
type PresenceOf<O> = O extends { required: true } ? true : O extends { default: unknown } ? true : false;

function describeType(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'a mapping';
  return `${typeof raw} ${JSON.stringify(raw)}`;
}

// `${VAR}` references are resolved before validation, so editors must accept them in any scalar position.
const INTERPOLATED: JsonSchema = { type: 'string', pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}' };

function withDocs(schema: JsonSchema, options: FieldOptions<unknown>, defaultJson?: unknown): JsonSchema {
  return {
    ...(options.doc ? { description: options.doc } : {}),
    ...(defaultJson !== undefined ? { default: defaultJson } : {}),
    ...(options.secret ? { writeOnly: true } : {}),
    ...schema,
  };
}

function field<T, O extends FieldOptions<T>>(
  kind: string,
  options: O,
  jsonSchema: JsonSchema,
  parse: Field<T>['parse'],
): Field<T, PresenceOf<O>> {
  const required = options.required ?? false;
  return {
    kind,
    doc: options.doc ?? '',
    secret: options.secret ?? false,
    required,
    defaultValue: options.default,
    present: (required || options.default !== undefined) as PresenceOf<O>,
    jsonSchema,
    parse,
  };
}

type StringOptions = FieldOptions<string> & { pattern?: RegExp; patternHint?: string; nonEmpty?: boolean };

/** A string; `secret` marks it for redaction; `pattern` restricts it. */
export function string<O extends StringOptions>(options: O = {} as O): Field<string, PresenceOf<O>> {
  const plain = { type: 'string', ...(options.nonEmpty ? { minLength: 1 } : {}) };
  const restricted = options.pattern ? { anyOf: [{ ...plain, pattern: options.pattern.source }, INTERPOLATED] } : plain;
  const schema = withDocs(restricted, options, options.default);
  return field<string, O>('string', options, schema, (raw, path, context) => {
    if (typeof raw === 'number' && !options.secret) raw = String(raw);
    if (typeof raw !== 'string') {
      const got = options.secret ? typeof raw : describeType(raw);
      context.problems.push({ path, message: `expected a string, got ${got}` });
      return undefined;
    }
    if (options.secret && raw !== '') context.secrets.push(raw);
    if ((options.nonEmpty ?? false) && raw.trim() === '') {
      context.problems.push({ path, message: 'must not be empty' });
      return undefined;
    }
    if (options.pattern && !options.pattern.test(raw)) {
      const shown = options.secret ? 'value' : JSON.stringify(raw);
      context.problems.push({
        path,
        message: `${shown} is not valid: expected ${options.patternHint ?? String(options.pattern)}`,
      });
      return undefined;
    }
    return raw;
  });
}

type UrlOptions = FieldOptions<string> & { protocols?: string[] };

/** An absolute http(s) URL (or the listed protocols); a trailing slash is removed. */
export function url<O extends UrlOptions>(options: O = {} as O): Field<string, PresenceOf<O>> {
  const protocols = options.protocols ?? ['http:', 'https:'];
  const schemes = protocols.map((protocol) => protocol.replace(/:$/, '')).join('|');
  const schema = withDocs(
    { anyOf: [{ type: 'string', format: 'uri', pattern: `^(${schemes})://` }, INTERPOLATED] },
    options,
    options.default,
  );
  return field<string, O>('url', options, schema, (raw, path, context) => {
    if (typeof raw !== 'string') {
      context.problems.push({ path, message: `expected a URL, got ${describeType(raw)}` });
      return undefined;
    }
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      context.problems.push({
        path,
        message: `${JSON.stringify(safeUrlText(raw))} is not a valid URL (expected e.g. ${protocols[0]}//host:port/path)`,
      });
      return undefined;
    }
    if (!protocols.includes(parsed.protocol)) {
      context.problems.push({
        path,
        message: `URL scheme ${JSON.stringify(parsed.protocol)} is not allowed here (use ${protocols.join(' or ')})`,
      });
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
export function boolean<O extends FieldOptions<boolean>>(options: O = {} as O): Field<boolean, PresenceOf<O>> {
  const schema = withDocs({ anyOf: [{ type: 'boolean' }, INTERPOLATED] }, options, options.default);
  return field<boolean, O>('boolean', options, schema, (raw, path, context) => {
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

type NumberOptions = FieldOptions<number> & { min?: number; max?: number; integer?: boolean };

/** A number within bounds (strings of digits accepted, for env overrides). */
export function number<O extends NumberOptions>(options: O = {} as O): Field<number, PresenceOf<O>> {
  const bounds = {
    type: options.integer ? 'integer' : 'number',
    ...(options.min === undefined ? {} : { minimum: options.min }),
    ...(options.max === undefined ? {} : { maximum: options.max }),
  };
  const schema = withDocs({ anyOf: [bounds, INTERPOLATED] }, options, options.default);
  return field<number, O>('number', options, schema, (raw, path, context) => {
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

type DurationOptions = FieldOptions<number> & { min?: number };

/** A duration with a unit, such as "30s", "5m", "1h30m", "90d"; parsed to milliseconds. */
export function duration<O extends DurationOptions>(options: O = {} as O): Field<number, PresenceOf<O>> {
  const text = options.default === undefined ? undefined : formatDuration(options.default);
  const schema = withDocs(
    { anyOf: [{ type: 'string', pattern: DURATION_PATTERN.source }, INTERPOLATED] },
    options,
    text,
  );
  return field<number, O>('duration', options, schema, (raw, path, context) => {
    const value = typeof raw === 'string' ? parseDuration(raw) : undefined;
    if (value === undefined) {
      const unitless = typeof raw === 'number' || (typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(raw));
      const hint = unitless ? ` (a number needs a unit: "${String(raw).trim()}s" or "${String(raw).trim()}m")` : '';
      context.problems.push({
        path,
        message: `expected a duration like "30s", "5m", "1h" or "90d", got ${describeType(raw)}${hint}`,
      });
      return undefined;
    }
    if (options.min !== undefined && value < options.min) {
      context.problems.push({ path, message: `must be at least ${formatDuration(options.min)}` });
      return undefined;
    }
    return value;
  });
}

type OneOfOptions<T> = FieldOptions<NoInfer<T>>;

/** One of a fixed set of strings (overloads: a default or `required` makes it always present). */
export function oneOf<T extends string>(
  values: readonly T[],
  options: OneOfOptions<T> & { default: NoInfer<T> },
): Field<T, true>;
export function oneOf<T extends string>(
  values: readonly T[],
  options: OneOfOptions<T> & { required: true },
): Field<T, true>;
export function oneOf<T extends string>(values: readonly T[], options?: OneOfOptions<T>): Field<T, false>;
export function oneOf<T extends string>(values: readonly T[], options: OneOfOptions<T> = {}): Field<T> {
  const schema = withDocs({ anyOf: [{ enum: [...values] }, INTERPOLATED] }, options, options.default);
  return field<T, OneOfOptions<T>>(`one of ${values.join(' | ')}`, options, schema, (raw, path, context) => {
    if (typeof raw === 'string' && (values as readonly string[]).includes(raw)) return raw as T;
    const hint = typeof raw === 'string' ? closestMatch(raw, values) : undefined;
    const expected = values.map((value) => JSON.stringify(value)).join(', ');
    context.problems.push({
      path,
      message: `expected one of ${expected}, got ${describeType(raw)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`,
    });
    return undefined;
  });
}

/** A list of items (default empty); a comma-separated string is accepted too (env overrides). */
export function list<T>(item: Field<T>, options: FieldOptions<T[]> = {}): Field<T[], true> {
  const schema = withDocs({ type: 'array', items: item.jsonSchema }, options, options.default);
  return field<T[], { default: T[] }>(
    `list of ${item.kind}`,
    { default: [], ...options },
    schema,
    (raw, path, context) => {
      const items =
        typeof raw === 'string'
          ? raw
              .split(',')
              .map((part) => part.trim())
              .filter((part) => part !== '')
          : raw;
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
    },
  );
}

/** A mapping of free keys to values of one type (headers, rate cards); default empty. */
export function record<T>(
  item: Field<T>,
  options: FieldOptions<Record<string, T>> = {},
): Field<Record<string, T>, true> {
  const schema = withDocs({ type: 'object', additionalProperties: item.jsonSchema }, options);
  const defaulted = { default: {}, ...options };
  return field<Record<string, T>, { default: Record<string, T> }>(
    `mapping of ${item.kind}`,
    defaulted,
    schema,
    (raw, path, context) => {
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
    },
  );
}

/** Field definitions of an object. */
export type Shape = Record<string, Field<unknown>>;

type ValueOf<F> = F extends Field<infer T> ? T : never;
type PresentKeys<S extends Shape> = { [K in keyof S]: S[K] extends Field<unknown, true> ? K : never }[keyof S];
type Flatten<T> = { [K in keyof T]: T[K] };

/**
 * The parsed type of a shape: keys that are required or defaulted are always there, the others are optional.
 * This is exactly what `parseObject` returns, so components never restate their config as an interface.
 */
export type Infer<S extends Shape> = Flatten<
  { [K in PresentKeys<S>]: ValueOf<S[K]> } & { [K in Exclude<keyof S, PresentKeys<S>>]?: ValueOf<S[K]> | undefined }
>;

/** A rule across keys of one object (e.g. "kubeconfig, or base_url with api_key"), run after its keys parsed. */
export type ObjectCheck<S extends Shape> = (value: Infer<S>, path: string, context: ParseContext) => void;

/** An object field: unknown keys are rejected with a did-you-mean, every field is checked. */
export interface ObjectField<S extends Shape> extends Field<Infer<S>, true> {
  readonly shape: S;
  /** The cross-key rule, if any; `parse` runs it, and so does the loader when it merges shapes. */
  check?(value: Infer<S>, path: string, context: ParseContext): void;
}

type ObjectOptions<S extends Shape> = FieldOptions<Infer<S>> & {
  extraKeys?: readonly string[];
  check?: ObjectCheck<S>;
};

/** An object with known keys. `extraKeys` allows keys validated elsewhere (e.g. an adapter's own fields). */
export function object<S extends Shape>(shape: S, options: ObjectOptions<S> = {}): ObjectField<S> {
  return {
    kind: 'mapping',
    doc: options.doc ?? '',
    secret: false,
    required: options.required ?? false,
    defaultValue: undefined,
    // An absent section is parsed as {}: it always yields its defaults (or problems for its required keys).
    present: true,
    jsonSchema: withDocs(objectJsonSchema(shape, options.extraKeys !== undefined), options),
    shape,
    ...(options.check ? { check: options.check } : {}),
    parse(raw, path, context) {
      const parsed = parseObject(shape, raw ?? {}, path, context, options.extraKeys ?? []);
      if (parsed !== undefined) options.check?.(parsed, path, context);
      return parsed;
    },
  };
}

/** The JSON Schema of a shape: its properties, which are required, and no other keys unless `open`. */
export function objectJsonSchema(shape: Shape, open = false): JsonSchema {
  const required = Object.entries(shape)
    .filter(([, definition]) => definition.required)
    .map(([key]) => key);
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(shape).map(([key, definition]) => [key, definition.jsonSchema])),
    ...(required.length > 0 ? { required } : {}),
    ...(open ? {} : { additionalProperties: false }),
  };
}

/** Parses `raw` against `shape`; unknown keys (not in shape nor extraKeys) are problems. */
export function parseObject<S extends Shape>(
  shape: S,
  raw: unknown,
  path: string,
  context: ParseContext,
  extraKeys: readonly string[] = [],
): Infer<S> | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    context.problems.push({ path, message: `expected a mapping, got ${describeType(raw)}` });
    return undefined;
  }
  const result: Record<string, unknown> = {};
  let failed = false;
  const known = Object.keys(shape);
  for (const key of Object.keys(raw)) {
    if (Object.hasOwn(shape, key) || extraKeys.includes(key)) continue;
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
      } else if (definition.defaultValue !== undefined) {
        result[key] = definition.defaultValue;
      }
      continue;
    }
    const parsed = definition.parse(value, join(path, key), context);
    if (parsed === undefined) failed = true;
    result[key] = parsed;
  }
  // Every key of the shape was checked above: the result has exactly the type Infer<S> describes.
  return failed ? undefined : (result as Infer<S>);
}

/** Joins key paths. */
export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
