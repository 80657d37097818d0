// Query-parameter parsing for the HTTP API: each bad parameter becomes a 400 naming it and saying why.

/** An error answered as `{error: {code, message}}` with an HTTP status. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** The largest request body the API reads (POST /api/v1/collect takes a few names): larger is a 413. */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024;

/** A request body stream went past MAX_REQUEST_BODY_BYTES (a body without Content-Length). */
export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`the request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** A 400 for one parameter. */
export function invalidParameter(name: string, why: string): HttpError {
  return new HttpError(400, 'invalid_parameter', `${name}: ${why}`);
}

/** Reads a request's query with the accepted parameter names; unknown or repeated names are a 400. */
export class QueryParams {
  readonly #query: URLSearchParams;

  constructor(query: URLSearchParams, accepted: readonly string[]) {
    this.#query = query;
    for (const key of new Set(query.keys())) {
      if (!accepted.includes(key))
        throw invalidParameter(
          key,
          `unknown parameter; accepted: ${accepted.length > 0 ? accepted.join(', ') : 'none'}`,
        );
      if (query.getAll(key).length > 1) throw invalidParameter(key, 'given more than once');
    }
  }

  /** A non-empty string, or undefined when absent. */
  string(name: string): string | undefined {
    const value = this.#query.get(name);
    if (value === null) return undefined;
    if (value.trim() === '') throw invalidParameter(name, 'must not be empty');
    return value;
  }

  /** One of `values`. */
  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (!(values as readonly string[]).includes(value))
      throw invalidParameter(name, `${JSON.stringify(value)} is not one of ${values.join(', ')}`);
    return value as T;
  }

  /** An integer in [min, max]. */
  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value)) throw invalidParameter(name, `${JSON.stringify(value)} is not a whole number`);
    const number = Number(value);
    if (number < min || number > max) throw invalidParameter(name, `${number} is outside ${min}-${max}`);
    return number;
  }

  /** A time: `YYYY-MM-DD` (midnight UTC) or an ISO-8601 date-time with a zone; epoch ms. */
  time(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const parsed = parseTime(value);
    if (parsed === undefined)
      throw invalidParameter(
        name,
        `${JSON.stringify(value)} is not a date (YYYY-MM-DD) or an ISO-8601 date-time with a zone (2025-01-31T12:00:00Z)`,
      );
    return parsed;
  }
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|([+-])(\d{2}):(\d{2})))?$/;

/**
 * Epoch ms of `YYYY-MM-DD` or a date-time with a zone, or undefined. Every field must exist as written: Date.parse
 * would roll `2026-02-30` over into March and `T24:00` into the next day.
 */
export function parseTime(text: string): number | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((index) => Number(match[index] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const dateOnly = match[4] === undefined;
  if (!dateOnly && match[8] === undefined) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return undefined;
  const offsetHours = Number(match[10] ?? 0);
  const offsetMinutes = Number(match[11] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const fraction = match[7] === undefined ? 0 : Math.floor(Number(`0${match[7]}`) * 1000);
  const offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return local + fraction - offset;
}

/** Checks from < to. */
export function checkRange(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && from >= to)
    throw invalidParameter(
      'from',
      `must be before to (${new Date(from).toISOString()} >= ${new Date(to).toISOString()})`,
    );
}
