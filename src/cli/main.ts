// CLI entry: parses the command line and lazily loads only the command that runs, so `--help` loads
// no SDK. The only place that sets the process exit code: 0 ok, 1 a provider failed, 2 bad config/usage.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CollectorError } from '../core/errors.ts';
import { redactText } from '../core/redact.ts';
import { HELP, VERSION } from './help.ts';

/** A command module: runs with parsed flags and positionals, returns the exit code. */
export interface CommandModule {
  run(args: { values: Record<string, unknown>; positionals: string[] }): Promise<number>;
}

const OPTIONS: ParseArgsConfig['options'] = {
  config: { type: 'string', short: 'c' },
  provider: { type: 'string', short: 'p', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'prometheus-url': { type: 'string' },
  'prometheus-selector': { type: 'string' },
  'scrape-target': { type: 'string', multiple: true },
  adapter: { type: 'string' },
  'api-url': { type: 'string' },
  dcgm: { type: 'boolean' },
  vllm: { type: 'boolean' },
  disabled: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  check: { type: 'boolean' },
  'keep-running': { type: 'boolean' },
  listen: { type: 'string' },
  'log-level': { type: 'string' },
};

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  collect: () => import('./commands/collect.ts'),
  providers: () => import('./commands/providers.ts'),
  config: () => import('./commands/config.ts'),
  demo: () => import('./commands/demo.ts'),
  run: () => import('./commands/run.ts'),
};

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\nRun 'optiinfra-collector --help' for usage.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined && !values.help ? 2 : 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    process.stderr.write(`error: unknown command ${JSON.stringify(command)}\nRun 'optiinfra-collector --help' for usage.\n`);
    return 2;
  }
  if (typeof values['log-level'] === 'string') process.env.OPTIINFRA_LOG_LEVEL = values['log-level'];
  const module = await load();
  return module.run({ values: values as Record<string, unknown>, positionals: rest });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CollectorError) {
      process.stderr.write(`error [${error.code}]: ${redactText(error.message)}\n`);
      process.exitCode = ['CONFIG_INVALID', 'CONFIG_NOT_FOUND', 'USAGE'].includes(error.code) ? 2 : 1;
      return;
    }
    process.stderr.write(`internal error: ${redactText(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
    process.exitCode = 1;
  },
);
