// Classifies what `pg` throws: an unreachable or restarting server is STORAGE_UNAVAILABLE (retryable, and
// the spool takes the batch); anything else is a bug or a schema problem and is not retried.

import { CollectorError } from '../../core/errors.ts';

// SQLSTATE classes/codes meaning "the server is not there right now": connection exceptions (08),
// admin/crash shutdown and cannot-connect-now (57P01-57P03), too many connections (53300), out of memory (53200).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300|53200)$/;

/** Whether `error` means the database could not be reached (as opposed to a rejected statement). */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof CollectorError) return error.code === 'STORAGE_UNAVAILABLE';
  const sqlState = (error as { code?: unknown }).code;
  if ('severity' in error) {
    // A server error: only the connection-related ones. 55000 is also ALLOW_CONNECTIONS false.
    return (
      typeof sqlState === 'string' &&
      (UNAVAILABLE_SQLSTATE.test(sqlState) || (sqlState === '55000' && /accepting connections/.test(error.message)))
    );
  }
  // Without a severity it did not come from the server: a socket, DNS or timeout failure in the client.
  return !(error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError);
}

/** Wraps a `pg` failure as a CollectorError naming the database (never its password). */
export function postgresError(error: unknown, where: string, what: string): CollectorError {
  if (error instanceof CollectorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isConnectionFailure(error)) {
    return new CollectorError(
      'STORAGE_UNAVAILABLE',
      `PostgreSQL at ${where} is unreachable (${what}): ${message || String((error as { code?: unknown }).code ?? 'connection failed')}`,
      {},
      { cause: error },
    );
  }
  const sqlState = (error as { code?: unknown }).code;
  return new CollectorError(
    'INTERNAL',
    `PostgreSQL at ${where} rejected ${what}: ${message}${typeof sqlState === 'string' ? ` (SQLSTATE ${sqlState})` : ''}`,
    {},
    { cause: error },
  );
}
