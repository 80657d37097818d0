// Environment overrides derived from a provider's name, for every provider including new ones:
// `<NAME>_ENABLED`, `<NAME>_PROMETHEUS_URL`, `<NAME>_API_KEY`, `<NAME>_API_URL`, ...

/** Suffix -> key path inside the provider block; the same for every provider. */
export const DERIVED_OVERRIDES: Readonly<Record<string, string>> = Object.freeze({
  ENABLED: 'enabled',
  PROMETHEUS_URL: 'prometheus_url',
  PROMETHEUS_SELECTOR: 'prometheus_selector',
  SCRAPE_TARGETS: 'scrape_targets',
  INTERVAL: 'interval',
  API_KEY: 'api.api_key',
  API_URL: 'api.base_url',
});

/** The env-var prefix of a provider: upper-cased, other characters to `_` (`lambda-labs` -> `LAMBDA_LABS`). */
export function envPrefix(provider: string): string {
  return provider.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** One override applied: which variable set which key. */
export interface AppliedOverride {
  variable: string;
  path: string;
}

/**
 * Applies the overrides present in `env` to a provider block (a plain object from YAML), in place.
 * `extra` adds component-specific suffixes (e.g. `REGIONS` -> `regions`).
 */
export function applyEnvOverrides(
  provider: string,
  block: Record<string, unknown>,
  env: Record<string, string | undefined>,
  extra: Readonly<Record<string, string>> = {},
): AppliedOverride[] {
  const applied: AppliedOverride[] = [];
  const prefix = envPrefix(provider);
  for (const [suffix, keyPath] of Object.entries({ ...DERIVED_OVERRIDES, ...extra })) {
    const variable = `${prefix}_${suffix}`;
    const value = env[variable];
    if (value === undefined || value === '') continue;
    setPath(block, keyPath.split('.'), value);
    applied.push({ variable, path: `providers.${provider}.${keyPath}` });
  }
  return applied;
}

function setPath(target: Record<string, unknown>, keys: string[], value: string): void {
  const [head, ...rest] = keys;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = target[head];
  const next =
    child !== null && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
  target[head] = next;
  setPath(next, rest, value);
}
