// Loads and validates the configuration for a command, printing every problem (exit 2 on any).

import { loadConfigFile, resolveConfigPath, type LoadResult } from '../core/config/load.ts';
import type { Problem } from '../core/config/schema.ts';
import type { AppConfig } from '../core/config/types.ts';
import { CollectorError } from '../core/errors.ts';
import { redactText } from '../core/redact.ts';
import { defaultRegistry } from '../sources/index.ts';
import type { Registry } from '../core/registry.ts';

/** Formats one problem as `path (line N): message`. */
export function formatProblem(problem: Problem, file: string): string {
  const where = problem.line === undefined ? problem.path : `${problem.path} (${file}:${problem.line})`;
  return redactText(`${where}: ${problem.message}`);
}

/** Loads the config or throws CONFIG_INVALID listing every problem; warnings go to stderr. */
export function loadConfigOrThrow(
  flag: string | undefined,
  registry: Registry = defaultRegistry(),
  quiet = false,
): { config: AppConfig; result: LoadResult; registry: Registry } {
  const path = resolveConfigPath(flag);
  const result = loadConfigFile(path, registry);
  if (!quiet) for (const warning of result.warnings) process.stderr.write(`warning: ${formatProblem(warning, path)}\n`);
  if (!result.config) {
    const lines = result.problems.map((problem) => `  - ${formatProblem(problem, path)}`);
    throw new CollectorError(
      'CONFIG_INVALID',
      `${path} has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
    );
  }
  return { config: result.config, result, registry };
}
