// CLI entry: finds the command in the command table, checks its flags, and lazily loads only the command
// that runs, so `--help` loads no SDK. The only place that sets the process exit code: 0 ok, 1 a provider
// failed, 2 bad config/usage.

import { CollectorError } from '../core/errors.ts';
import { redactText } from '../core/redact.ts';
import { COMMANDS } from './command-table.ts';
import { commandUsage, globalHelp, groupUsage } from './help.ts';
import { VERSION } from '../core/version.ts';
import { locate, parseFlags } from './parse.ts';

const POINTER = "Run 'optiinfra-collector --help' for usage.\n";

async function main(argv: string[]): Promise<number> {
  const { target, rest, help, version } = locate(argv, COMMANDS);
  if (version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (target.kind === 'unknown') {
    process.stderr.write(`error: unknown command ${JSON.stringify(target.word)}\n${POINTER}`);
    return 2;
  }
  if (target.kind === 'group') {
    if (help && target.subcommand === undefined) {
      process.stdout.write(groupUsage(target.group));
      return 0;
    }
    const problem =
      target.subcommand === undefined
        ? 'a command is required'
        : `unknown command ${JSON.stringify(target.subcommand)}`;
    process.stderr.write(`error: ${target.group}: ${problem}\n${groupUsage(target.group)}`);
    return 2;
  }
  if (target.kind === 'none') {
    if (help) {
      process.stdout.write(globalHelp());
      return 0;
    }
    const parsed = parseFlags(rest, []);
    if (!parsed.ok) {
      process.stderr.write(`error: ${parsed.problem}\n${POINTER}`);
      return 2;
    }
    process.stdout.write(globalHelp());
    return 2;
  }
  const { command } = target;
  if (help) {
    process.stdout.write(commandUsage(command));
    return 0;
  }
  const parsed = parseFlags(rest, command.flags, command.arguments);
  if (!parsed.ok) {
    process.stderr.write(`error: ${command.name}: ${parsed.problem}\n${commandUsage(command)}`);
    return 2;
  }
  if (typeof parsed.values['log-level'] === 'string') process.env.OPTIINFRA_LOG_LEVEL = parsed.values['log-level'];
  return command.run({ values: parsed.values, positionals: parsed.positionals });
}

// `... | head` closes stdout early: that is the reader being done, not a failure worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

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
    process.stderr.write(
      `internal error: ${redactText(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
    process.exitCode = 1;
  },
);
