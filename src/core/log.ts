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

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
