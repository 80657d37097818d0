// `${VAR}` and `${VAR:-default}` interpolation in configuration strings; `$${` is a literal `${`.

/** Result of interpolating one string. */
export interface Interpolated {
  /** undefined when the string was exactly one reference to an unset variable without default. */
  value: string | undefined;
  /** Variables referenced but unset (and without default). */
  missing: string[];
}

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g;

/** Replaces variable references using `env`. */
export function interpolate(text: string, env: Record<string, string | undefined>): Interpolated {
  const missing: string[] = [];
  let onlyMissing = false;
  const value = text.replace(
    REFERENCE,
    (match, name: string | undefined, fallback: string | undefined, offset: number) => {
      if (match === '$${') return '${';
      const found = env[name ?? ''];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      missing.push(name ?? '');
      if (offset === 0 && match.length === text.length) onlyMissing = true;
      return '';
    },
  );
  // A reference that resolves to nothing (`${VAR:-}` or an unset variable) leaves the key unset.
  return { value: onlyMissing || value === '' ? undefined : value, missing };
}

/** Interpolates every string in a YAML-derived tree; records which env var fed which key path. */
export function interpolateTree(
  node: unknown,
  env: Record<string, string | undefined>,
  path: string,
  onReference: (path: string, variables: string[], missing: string[]) => void,
): unknown {
  if (typeof node === 'string') {
    if (!node.includes('${')) return node;
    const result = interpolate(node, env);
    const variables = [...node.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? '');
    onReference(path, variables, result.missing);
    return result.value;
  }
  if (Array.isArray(node))
    return node.map((item, index) => interpolateTree(item, env, `${path}[${index}]`, onReference));
  if (node !== null && typeof node === 'object') {
    const entries: Array<[string, unknown]> = [];
    for (const [key, value] of Object.entries(node)) {
      const interpolated = interpolateTree(value, env, path === '' ? key : `${path}.${key}`, onReference);
      if (interpolated !== undefined) entries.push([key, interpolated]);
    }
    // fromEntries defines own properties: a `__proto__` key stays a key (assignment would set the prototype).
    return Object.fromEntries(entries);
  }
  return node;
}
