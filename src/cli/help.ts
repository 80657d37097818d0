// Usage text, rendered from the command table (command-table.ts) so it cannot drift from what is parsed.
// Kept free of heavy imports so `--help` is instant.

import { COMMANDS, type Command } from './command-table.ts';
import { flagSynopsis, GLOBAL_FLAGS, type Flag } from './flags.ts';
import { VERSION } from '../core/version.ts';

const PROGRAM = 'optiinfra-collector';
const EXIT_CODES = 'Exit codes: 0 success, 1 a provider failed, 2 bad configuration or usage.\n';

/** `name ARGUMENT...` as the global help lists a command. */
export function commandSynopsis(command: Command): string {
  return [command.name, ...(command.arguments ?? [])].join(' ');
}

/** `optiinfra-collector --help`: every command with its summary, and the global flags. */
export function globalHelp(): string {
  const [commands, globals] = columns(COMMANDS.map(commandRow), flagRows(GLOBAL_FLAGS));
  return `${PROGRAM} ${VERSION}
Collects cost (FOCUS 1.2), metrics and inventory from AWS, GPU clouds and any Prometheus.

Usage: ${PROGRAM} <command> [options]

Commands:
${commands}
Options (every command):
${globals}
Run '${PROGRAM} <command> --help' for the options of a command.
${EXIT_CODES}`;
}

/** `optiinfra-collector <command> --help`: what it does, its own flags, then the global ones. */
export function commandUsage(command: Command): string {
  const [own, globals] = columns(flagRows(command.flags), flagRows(GLOBAL_FLAGS));
  const summary = `${command.summary.charAt(0).toUpperCase()}${command.summary.slice(1)}.`;
  return `Usage: ${PROGRAM} ${commandSynopsis(command)} [options]

${summary}
${command.details === undefined ? '' : `${command.details}\n`}${own === '' ? '' : `\nOptions:\n${own}`}
Global options:
${globals}
${EXIT_CODES}`;
}

/** `optiinfra-collector providers --help`: the commands that start with `group`. */
export function groupUsage(group: string): string {
  const [commands] = columns(COMMANDS.filter((command) => command.name.startsWith(`${group} `)).map(commandRow));
  return `Usage: ${PROGRAM} ${group} <command> [options]

Commands:
${commands}
Run '${PROGRAM} ${group} <command> --help' for the options of a command.
`;
}

type Row = [left: string, right: string];

function commandRow(command: Command): Row {
  return [commandSynopsis(command), command.summary];
}

function flagRows(flags: readonly Flag[]): Row[] {
  // Long-only flags are indented to line up with the long names of those that have a short one.
  return flags.map((flag) => [
    `${flag.short === undefined ? '    ' : ''}${flagSynopsis(flag)}`,
    `${flag.doc}${flag.repeatable ? ' (repeatable)' : ''}`,
  ]);
}

/** Each section as aligned lines, one column width across all of them (so a page lines up). */
function columns(...sections: Row[][]): string[] {
  const width = Math.max(26, ...sections.flat().map(([left]) => left.length + 2));
  return sections.map((rows) => rows.map(([left, right]) => `  ${left.padEnd(width)}${right}\n`).join(''));
}
