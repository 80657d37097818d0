// `config validate`, `config env-example` and `config schema`.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadConfigFile, resolveConfigPath } from '../../core/config/load.ts';
import { defaultRegistry } from '../../sources/index.ts';
import { generateEnvExample } from '../../sources/env-example.ts';
import type { CommandArgs } from '../command-table.ts';
import { formatProblem } from '../load-config.ts';

/** Runs `config validate`: exit 0 valid, 2 invalid. */
export async function validate({ values }: CommandArgs): Promise<number> {
  const flag = values.config as string | undefined;
  const json = values.json === true;
  const path = resolveConfigPath(flag);
  const result = loadConfigFile(path, defaultRegistry());
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ valid: result.config !== undefined, path, problems: result.problems, warnings: result.warnings, overrides: result.overrides })}\n`,
    );
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
  process.stdout.write(
    `${path}: valid — ${providers.length} providers, ${enabled.length} enabled${enabled.length ? ` (${enabled.join(', ')})` : ''}\n`,
  );
  for (const override of result.overrides) process.stdout.write(`  ${override.path} set by ${override.variable}\n`);
  return 0;
}

/** Runs `config env-example [-o FILE] [--check]`. */
export async function envExample(args: CommandArgs): Promise<number> {
  return printOrWrite(args, 'env-example', generateEnvExample(defaultRegistry()));
}

/** Runs `config schema [-o FILE] [--check]`: the JSON Schema of providers.yaml, from the loader's own fields. */
export async function schema(args: CommandArgs): Promise<number> {
  const { providersJsonSchema } = await import('../../core/config/json-schema.ts');
  const registry = defaultRegistry();
  return printOrWrite(
    args,
    'schema',
    `${JSON.stringify(providersJsonSchema(registry.all(), registry.planned), null, 2)}\n`,
  );
}

/** Prints `text`, writes it to `-o FILE`, or with `--check` exits 1 when FILE differs from it. */
function printOrWrite({ values }: CommandArgs, command: string, text: string): number {
  const output = values.output as string | undefined;
  const check = values.check === true;
  if (output === undefined) {
    process.stdout.write(text);
    return 0;
  }
  if (check) {
    const current = existsSync(output) ? readFileSync(output, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${output} is out of date: run 'optiinfra-collector config ${command} -o ${output}'\n`);
      return 1;
    }
    process.stdout.write(`${output} is up to date\n`);
    return 0;
  }
  writeFileSync(output, text);
  process.stdout.write(`wrote ${output}\n`);
  return 0;
}
