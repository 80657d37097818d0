// Structured logging (pino): JSON when piped, readable lines on a terminal, secrets always redacted.

import { pino, type Logger as PinoLogger } from 'pino';
import { redactText } from './redact.ts';

/** The logger every component receives. */
export type Logger = PinoLogger;

/** Options for the root logger. */
export interface LoggerOptions {
  level?: string;
  /** Pretty single-line output for humans; defaults to whether stderr is a terminal. */
  pretty?: boolean;
  /** Where to write; defaults to stderr so stdout stays clean for `--json`. */
  destination?: NodeJS.WritableStream;
}

/** Creates the root logger. Every string that reaches the output passes through redactText. */
export async function createLogger(options: LoggerOptions = {}): Promise<Logger> {
  const level = options.level ?? process.env.OPTIINFRA_LOG_LEVEL ?? 'info';
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const redactPaths = [
    '*.api_key',
    '*.token',
    '*.password',
    '*.secret',
    '*.authorization',
    'headers.authorization',
    'config.*.api_key',
  ];
  const base = {
    level,
    base: undefined,
    redact: { paths: redactPaths, censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod: withoutBoundKeys,
      // Redacts registered secret values wherever they appear, including messages and error text.
      streamWrite: (line: string) => redactText(line),
    },
  };
  if (pretty) {
    const { default: pretty } = await import('pino-pretty');
    return pino(
      base,
      pretty({ sync: true, colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname', destination: 2 }),
    );
  }
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true });
  return pino(base, destination as pino.DestinationStream);
}

/**
 * pino writes a child's bindings and the call's fields side by side, so `log.child({ provider }).info({ provider })`
 * (or a worker's line relogged through the run's logger) would print `"provider"` twice. A field the logger is
 * already bound to is dropped when it says the same, and kept as `<key>_field` when it says something else.
 */
function withoutBoundKeys(this: PinoLogger, args: Parameters<PinoLogger['info']>, method: PinoLogger['info']): void {
  const [fields, ...rest] = args as unknown[];
  if (fields === null || typeof fields !== 'object' || fields instanceof Error) return method.apply(this, args);
  const bindings = this.bindings();
  const record = fields as Record<string, unknown>;
  if (!Object.keys(record).some((key) => Object.hasOwn(bindings, key))) return method.apply(this, args);
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!Object.hasOwn(bindings, key)) kept[key] = value;
    else if (bindings[key] !== value) kept[`${key}_field`] = value;
  }
  return (method as (...items: unknown[]) => void).apply(this, [kept, ...rest]);
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
