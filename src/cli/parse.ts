// Parses a command line in two steps: find the command its leading words name, then check the rest
// against that command's flags (plus the global ones) with node:util parseArgs in strict mode, naming every
// unknown flag, missing value and unexpected argument at once.

import { parseArgs } from 'node:util';
import type { Command } from './command-table.ts';
import { GLOBAL_FLAGS, parseArgsOptions, type Flag } from './flags.ts';

/** What the words of a command line name. */
export type Target =
  | { kind: 'command'; command: Command }
  /** The first word of several commands (`providers`), alone or with a word that completes none of them. */
  | { kind: 'group'; group: string; subcommand: string | undefined }
  | { kind: 'unknown'; word: string }
  | { kind: 'none' };

/** A command line located: its target, the arguments left once the command's words are removed, and the
 * global switches that answer before anything is checked. */
export interface Location {
  target: Target;
  rest: string[];
  /** `--help`/`-h` anywhere, or the `help` word first (`help providers add`). */
  help: boolean;
  version: boolean;
}

/** The parsed flags and positional arguments of a command line, or one line naming everything wrong in it. */
export type ParsedFlags =
  { ok: true; values: Record<string, unknown>; positionals: string[] } | { ok: false; problem: string };

/** Finds the command `argv` names. Flags may come before the command's words as well as after. */
export function locate(argv: string[], commands: readonly Command[]): Location {
  // Every flag any command declares, so that a value given before the command's words is not taken for one.
  const known = new Map<string, Flag>();
  for (const flag of [...GLOBAL_FLAGS, ...commands.flatMap((command) => command.flags)]) {
    if (!known.has(flag.name)) known.set(flag.name, flag);
  }
  const { tokens } = tokenize(argv, [...known.values()]);
  const option = (name: string): boolean => tokens.some((token) => token.kind === 'option' && token.name === name);
  const words = tokens.flatMap((token) => (token.kind === 'positional' ? [token] : []));
  const helpWord = words[0]?.value === 'help' ? words.shift() : undefined;
  // The command with the most leading words matching (`providers add` rather than a `providers`).
  let command: Command | undefined;
  let used = 0;
  for (const candidate of commands) {
    const names = candidate.name.split(' ');
    if (names.length > used && names.every((name, index) => words[index]?.value === name)) {
      command = candidate;
      used = names.length;
    }
  }
  const removed = new Set(words.slice(0, used).map((token) => token.index));
  if (helpWord !== undefined) removed.add(helpWord.index);
  const rest = argv.filter((_, index) => !removed.has(index));
  const [first, second] = words.map((token) => token.value);
  const target: Target =
    command !== undefined
      ? { kind: 'command', command }
      : first === undefined
        ? { kind: 'none' }
        : commands.some((candidate) => candidate.name.startsWith(`${first} `))
          ? { kind: 'group', group: first, subcommand: second }
          : { kind: 'unknown', word: first };
  return { target, rest, help: helpWord !== undefined || option('help'), version: option('version') };
}

/** Checks `args` against `flags` plus the global ones and `argumentNames` (all required). */
export function parseFlags(args: string[], flags: readonly Flag[], argumentNames: readonly string[] = []): ParsedFlags {
  const all = [...GLOBAL_FLAGS, ...flags];
  const options = parseArgsOptions(all);
  const problems = problemsIn(args, all, argumentNames);
  if (problems.length > 0) return { ok: false, problem: problems.join('; ') };
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { ok: true, values, positionals };
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Everything strict parsing would reject, all at once (parseArgs stops at the first). */
function problemsIn(args: string[], flags: readonly Flag[], argumentNames: readonly string[]): string[] {
  const byName = new Map(flags.map((flag) => [flag.name, flag]));
  const { tokens } = tokenize(args, flags);
  const unknown = new Set<string>();
  const problems: string[] = [];
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const flag = byName.get(token.name);
    if (flag === undefined) unknown.add(token.rawName);
    else if (flag.value === undefined && token.inlineValue) problems.push(`${token.rawName} takes no value`);
    // As strict parseArgs: `--config --json` is a missing value, not a file named `--json`.
    else if (flag.value !== undefined && lacksValue(token.value, token.inlineValue)) {
      problems.push(`${token.rawName} needs a value (${flag.value})`);
    }
  }
  if (unknown.size > 0) problems.unshift(`unknown flag${unknown.size === 1 ? '' : 's'} ${[...unknown].join(', ')}`);
  const missing = argumentNames.slice(positionals.length);
  if (missing.length > 0) problems.push(`missing argument${missing.length === 1 ? '' : 's'} ${missing.join(' ')}`);
  // An unknown flag may have been given a value, which then reads as an argument: name only the flag.
  const extra = positionals.slice(argumentNames.length);
  if (extra.length > 0 && unknown.size === 0) {
    const quoted = extra.map((value) => JSON.stringify(value)).join(' ');
    problems.push(`unexpected argument${extra.length === 1 ? '' : 's'} ${quoted}`);
  }
  return problems;
}

/** Lenient parse: unknown flags become switches, nothing throws; every token says where it came from. */
function tokenize(args: string[], flags: readonly Flag[]) {
  return parseArgs({ args, options: parseArgsOptions(flags), strict: false, allowPositionals: true, tokens: true });
}

/** A value-taking flag without its value: none, or (as strict parseArgs sees it) the next flag taken for it. */
function lacksValue(value: string | undefined, inline: boolean | undefined): boolean {
  return value === undefined || (!inline && /^-./.test(value));
}
