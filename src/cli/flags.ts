// Flag declarations: what a command accepts, written once and used for parsing and for its usage text.
// Kept free of heavy imports so `--help` stays instant.

import type { ParseArgsOptionsConfig } from 'node:util';

/** One command-line flag. */
export interface Flag {
  /** Long name without the dashes, e.g. `scrape-target`; also the key in the parsed values. */
  name: string;
  /** One-letter alias, e.g. `p` for `-p`. */
  short?: string;
  /** Placeholder of the value it takes (`URL`); absent for a switch. */
  value?: string;
  /** May be given more than once; the parsed value is then an array. */
  repeatable?: boolean;
  /** One line saying what it does (usage text appends "(repeatable)"). */
  doc: string;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: readonly Flag[] = [
  {
    name: 'config',
    short: 'c',
    value: 'PATH',
    doc: 'configuration file (else $OPTIINFRA_CONFIG, else ./providers.yaml)',
  },
  { name: 'log-level', value: 'LEVEL', doc: 'trace|debug|info|warn|error (default info; $OPTIINFRA_LOG_LEVEL)' },
  { name: 'help', short: 'h', doc: 'print usage (of the command when one is given)' },
  { name: 'version', short: 'v', doc: 'the version' },
];

/** The node:util parseArgs options for `flags`. */
export function parseArgsOptions(flags: readonly Flag[]): ParseArgsOptionsConfig {
  return Object.fromEntries(
    flags.map((flag) => [
      flag.name,
      {
        type: flag.value === undefined ? ('boolean' as const) : ('string' as const),
        ...(flag.short === undefined ? {} : { short: flag.short }),
        ...(flag.repeatable ? { multiple: true } : {}),
      },
    ]),
  );
}

/** How a flag is written in usage text: `-p, --provider NAME`. */
export function flagSynopsis(flag: Flag): string {
  const long = `--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`;
  return flag.short === undefined ? long : `-${flag.short}, ${long}`;
}
