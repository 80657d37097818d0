// COPY ... FROM STDIN in pure JS on top of `pg`: a submittable query that streams text-format rows.
// pg has no COPY of its own; this is the protocol's CopyIn sub-protocol (CopyData*, CopyDone) and nothing more.

import type { ClientBase } from 'pg';

/** A COPY cell: null is SQL NULL. */
export type CopyValue = string | number | bigint | null;

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

const CHUNK_BYTES = 256 * 1024;

/** Escapes one value for COPY's text format. */
export function copyText(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, (char) => (char === '\\' ? '\\\\' : char === '\n' ? '\\n' : char === '\r' ? '\\r' : '\\t')) : value;
}

/** Runs `COPY <target> FROM STDIN` with `rows` on a connected client; resolves with the row count. */
export function copyRows(client: ClientBase, target: string, rows: Iterable<readonly CopyValue[]>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    let count = 0;
    const submittable = {
      submit(connection: CopyConnection): void {
        connection.query(`COPY ${target} FROM STDIN`);
      },
      handleCopyInResponse(connection: CopyConnection): void {
        let buffer = '';
        for (const row of rows) {
          buffer += row.map(copyText).join('\t') + '\n';
          if (buffer.length >= CHUNK_BYTES) {
            connection.sendCopyFromChunk(Buffer.from(buffer));
            buffer = '';
          }
        }
        if (buffer.length > 0) connection.sendCopyFromChunk(Buffer.from(buffer));
        connection.endCopyFrom();
      },
      handleCommandComplete(message: { text?: string }): void {
        count = Number(/(\d+)$/.exec(message.text ?? '')?.[1] ?? 0);
      },
      // pg detaches the active query before an error is delivered: no ReadyForQuery follows for it.
      handleError(thrown: Error): void {
        if (settled) return;
        settled = true;
        reject(thrown);
      },
      handleReadyForQuery(): void {
        if (settled) return;
        settled = true;
        resolve(count);
      },
      handleRowDescription(): void {},
      handleDataRow(): void {},
      handleEmptyQuery(): void {},
      handlePortalSuspended(): void {},
      handleCopyData(): void {},
    };
    (client as unknown as { query(submittable: unknown): void }).query(submittable);
  });
}
