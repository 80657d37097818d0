// Secret redaction: every secret value the configuration holds is registered here and scrubbed from
// any text that leaves the process (logs, stored errors, API responses).

const REDACTED = '[REDACTED]';
const secrets = new Set<string>();
const SECRET_KEY_PATTERN =
  /(pass(word)?|secret|token|api[_-]?key|credential|private[_-]?key|authorization|access[_-]?key|session)/i;
// Credentials embedded in text: URL userinfo, bearer tokens, query parameters named like secrets.
const INLINE_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/(\/\/)([^/@\s:]+):([^/@\s]+)@/g, `$1$2:${REDACTED}@`],
  [/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  [
    /([?&](?:api[_-]?key|token|access_token|key|secret|password|signature|x-amz-signature)=)[^&\s"']+/gi,
    `$1${REDACTED}`,
  ],
];

/** Whether a configuration key names a secret (api_key, token, password, ...). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

/** Registers a secret value so it is scrubbed everywhere; short values are ignored to avoid mangling text. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === 'string' && value.length >= 4) secrets.add(value);
}

/** Replaces every registered secret and inline credential in `text`. */
export function redactText(text: string): string {
  let result = text;
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of INLINE_PATTERNS) result = result.replace(pattern, replacement);
  return result;
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
