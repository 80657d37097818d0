// Secret redaction: every secret value the configuration holds is registered here and scrubbed from
// any text that leaves the process (logs, stored errors, API responses). Query strings are redacted by default:
// only the values of parameters on a short allow-list of harmless names (paging, windows, PromQL) are shown, since
// credentials travel under any name (`auth=`, `sig=`, `X-Amz-Credential`, `client_secret`, `private_token`...).

const REDACTED = '[REDACTED]';
/** Secrets of at least this length are redacted wherever they occur; shorter ones where they stand alone. */
const SUBSTRING_MIN_LENGTH = 8;
const secrets = new Set<string>();
let shortSecrets: RegExp | undefined;
const SECRET_KEY_PATTERN =
  /(pass(word)?|secret|token|api[_-]?key|credential|private[_-]?key|authorization|access[_-]?key|session)/i;
// Credentials embedded in text: URL userinfo, an Authorization header's value (any length), bearer tokens in prose
// (8 characters or more, so "a bearer token" stays readable).
const INLINE_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/(\/\/)([^/@\s:]+):([^/@\s]+)@/g, `$1$2:${REDACTED}@`],
  [
    /(\bauthorization\b["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token)\s+|(?!(?:bearer|basic|token)\b)))[^\s"',;<]+/gi,
    `$1${REDACTED}`,
  ],
  [/(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
];
/**
 * One query (or fragment) parameter: separator, name, value. A value ends at `&`, `#`, whitespace, a quote or a
 * backslash, so a URL inside a JSON string is redacted without breaking the string's escapes.
 */
const QUERY_PARAMETER = /([?&#])([^=&#\s"'\\<>]+)=([^&#\s"'\\<>]*)/g;
/** Query parameters whose values are shown: paging, time windows, PromQL, AWS signing metadata (never secret). */
const HARMLESS_QUERY_NAMES = new Set([
  'limit',
  'offset',
  'page',
  'per_page',
  'page_size',
  'start',
  'end',
  'from',
  'to',
  'since',
  'until',
  'starttime',
  'endtime',
  'time',
  'step',
  'timeout',
  'query',
  'match[]',
  'type',
  'status',
  'region',
  'format',
  'bucketsize',
  'grouping',
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
]);

function isHarmlessQueryName(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // Not valid percent-encoding: judged as written.
  }
  return HARMLESS_QUERY_NAMES.has(decoded.toLowerCase());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a configuration key names a secret (api_key, token, password, ...). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

/**
 * Registers a secret value so it is scrubbed everywhere, whatever its length: from 8 characters wherever it occurs,
 * shorter ones where they stand alone (not inside a longer word). Blank values are ignored.
 */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string' || value.trim() === '' || secrets.has(value)) return;
  secrets.add(value);
  const short = [...secrets].filter((secret) => secret.length < SUBSTRING_MIN_LENGTH);
  shortSecrets =
    short.length === 0
      ? undefined
      : new RegExp(`(?<![\\w.~+/=-])(?:${short.map(escapeRegExp).join('|')})(?![\\w.~+/=-])`, 'g');
}

/** Replaces every registered secret, inline credential and non-harmless query value in `text`. */
export function redactText(text: string): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= SUBSTRING_MIN_LENGTH && result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  if (shortSecrets) result = result.replace(shortSecrets, REDACTED);
  for (const [pattern, replacement] of INLINE_PATTERNS) result = result.replace(pattern, replacement);
  return result.replace(QUERY_PARAMETER, (match: string, separator: string, name: string, value: string) =>
    value === '' || value === REDACTED || isHarmlessQueryName(name) ? match : `${separator}${name}=${REDACTED}`,
  );
}

/** Deep copy of a JSON-like value with secret-named keys and registered secret values redacted. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = isSecretKey(key) && item !== null && item !== undefined && item !== '' ? REDACTED : redactValue(item);
    }
    return copy as T;
  }
  return value;
}
