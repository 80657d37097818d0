// `.env` loading: values from the file fill variables the environment does not already set.

import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/** Returns env with the `.env` file's values added under existing ones (the real environment wins). */
export function withDotEnv(env: Record<string, string | undefined>, path: string): Record<string, string | undefined> {
  if (!existsSync(path)) return env;
  const fromFile = parseEnv(readFileSync(path, 'utf8'));
  return { ...fromFile, ...Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) };
}
