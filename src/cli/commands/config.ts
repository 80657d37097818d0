// `config validate` and `config env-example`.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadConfigFile, resolveConfigPath } from '../../core/config/load.ts';
import { CollectorError } from '../../core/errors.ts';
import { defaultRegistry } from '../../sources/index.ts';
import { generateEnvExample } from '../../sources/env-example.ts';
import { formatProblem } from '../load-config.ts';

/** Runs `config <subcommand>`. */
export async function run({ values, positionals }: { values: Record<string, unknown>; positionals: string[] }): Promise<number> {
  const [subcommand] = positionals;
  if (subcommand === 'validate') return validate(values.config as string | undefined, values.json === true);
  if (subcommand === 'env-example') return envExample(values.output as string | undefined, values.check === true);
  throw new CollectorError('USAGE', `config: expected 'validate' or 'env-example', got ${JSON.stringify(subcommand ?? '')}`);
}

function validate(flag: string | undefined, json: boolean): number {
  const path = resolveConfigPath(flag);
  const result = loadConfigFile(path, defaultRegistry());
  if (json) {
    process.stdout.write(`${JSON.stringify({ valid: result.config !== undefined, path, problems: result.problems, warnings: result.warnings, overrides: result.overrides })}\n`);
    return result.config ? 0 : 2;
  }
  for (const warning of result.warnings) process.stderr.write(`warning: ${formatProblem(warning, path)}\n`);
  if (!result.config) {
    process.stderr.write(`${path}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}\n`);
    for (const problem of result.problems) process.stderr.write(`  - ${formatProblem(problem, path)}\n`);
    return 2;
  }
  const providers = Object.values(result.config.providers);
  const enabled = providers.filter((provider) => provider.enabled).map((provider) => provider.name);
  process.stdout.write(`${path}: valid — ${providers.length} providers, ${enabled.length} enabled${enabled.length ? ` (${enabled.join(', ')})` : ''}\n`);
  for (const override of result.overrides) process.stdout.write(`  ${override.path} set by ${override.variable}\n`);
  return 0;
}

function envExample(output: string | undefined, check: boolean): number {
  const text = generateEnvExample(defaultRegistry());
  if (output === undefined) {
    process.stdout.write(text);
    return 0;
  }
  if (check) {
    const current = existsSync(output) ? readFileSync(output, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${output} is out of date: run 'optiinfra-collector config env-example -o ${output}'\n`);
      return 1;
    }
    process.stdout.write(`${output} is up to date\n`);
    return 0;
  }
  writeFileSync(output, text);
  process.stdout.write(`wrote ${output}\n`);
  return 0;
}
