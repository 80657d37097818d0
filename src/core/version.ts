// The collector's version, read from package.json so a release bump changes it everywhere (CLI, /healthz, OpenAPI,
// the User-Agent). src/ and dist/ sit at the same depth, so the relative path holds in both.

import { readFileSync } from 'node:fs';

/** The version field of the package's package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
