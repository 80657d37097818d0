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
  return /[\\\n\r\t]/.test(value)
    ? value.replace(/[\\\n\r\t]/g, (char) =>
        char === '\\' ? '\\\\' : char === '\n' ? '\\n' : char === '\r' ? '\\r' : '\\t',
      )
    : value;
}

/** Runs `COPY <target> FROM STDIN` with `rows`; resolves with the row count. */
export function copyRows(client: ClientBase, target: string, rows: Iterable<readonly CopyValue[]>): Promise<number> {
  return copyChunks(client, `COPY ${target} FROM STDIN`, textChunks(rows));
}

function* textChunks(rows: Iterable<readonly CopyValue[]>): Generator<Buffer> {
  let buffer = '';
  for (const row of rows) {
    buffer += row.map(copyText).join('\t') + '\n';
    if (buffer.length >= CHUNK_BYTES) {
      yield Buffer.from(buffer);
      buffer = '';
    }
  }
  if (buffer.length > 0) yield Buffer.from(buffer);
}

/** Bytes of one binary point tuple: field count, then (length, bigint), (length, bigint), (length, float8). */
const POINT_TUPLE_BYTES = 2 + (4 + 8) * 3;
const BINARY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * COPY of metric points `(bigint, bigint, double precision)` in the binary format, written straight into
 * preallocated chunks: no per-row array or string, and the server parses no text numbers. A NaN value is NULL.
 * Integers must be safe (|n| < 2^53), as series ids and millisecond timestamps are.
 */
export function copyPointsBinary(
  client: ClientBase,
  target: string,
  seriesIds: ArrayLike<number>,
  timestampsMs: ArrayLike<number>,
  values: ArrayLike<number>,
): Promise<number> {
  return copyChunks(
    client,
    `COPY ${target} FROM STDIN (FORMAT binary)`,
    binaryPointChunks(seriesIds, timestampsMs, values),
  );
}

function* binaryPointChunks(
  seriesIds: ArrayLike<number>,
  timestampsMs: ArrayLike<number>,
  values: ArrayLike<number>,
): Generator<Buffer> {
  const rowsPerChunk = Math.floor(CHUNK_BYTES / POINT_TUPLE_BYTES);
  const count = seriesIds.length;
  for (let start = 0; start < count || start === 0; start += rowsPerChunk) {
    const end = Math.min(count, start + rowsPerChunk);
    const header = start === 0 ? BINARY_SIGNATURE.length + 8 : 0;
    const trailer = end === count ? 2 : 0;
    const chunk = Buffer.allocUnsafe(header + (end - start) * POINT_TUPLE_BYTES + trailer);
    let offset = 0;
    if (header > 0) {
      offset += BINARY_SIGNATURE.copy(chunk, 0);
      offset = chunk.writeInt32BE(0, offset); // flags
      offset = chunk.writeInt32BE(0, offset); // header extension length
    }
    for (let index = start; index < end; index++) {
      offset = chunk.writeInt16BE(3, offset);
      offset = writeBigint(chunk, seriesIds[index]!, chunk.writeInt32BE(8, offset));
      offset = writeBigint(chunk, timestampsMs[index]!, chunk.writeInt32BE(8, offset));
      const value = values[index]!;
      if (Number.isNaN(value)) offset = chunk.writeInt32BE(-1, offset);
      else offset = chunk.writeDoubleBE(value, chunk.writeInt32BE(8, offset));
    }
    if (trailer > 0) offset = chunk.writeInt16BE(-1, offset);
    // A NULL value is 8 bytes shorter than the tuple size reserved for it.
    yield offset === chunk.length ? chunk : chunk.subarray(0, offset);
    if (end === count) return;
  }
}

/** Writes a safe integer as a big-endian int64 (two's complement), without BigInt. */
function writeBigint(buffer: Buffer, value: number, offset: number): number {
  const high = Math.floor(value / 4_294_967_296);
  buffer.writeInt32BE(high, offset);
  buffer.writeUInt32BE(value - high * 4_294_967_296, offset + 4);
  return offset + 8;
}

/** Runs one COPY FROM STDIN statement, sending `chunks` as CopyData; resolves with the row count. */
function copyChunks(client: ClientBase, statement: string, chunks: Iterable<Buffer>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    let count = 0;
    const submittable = {
      submit(connection: CopyConnection): void {
        connection.query(statement);
      },
      handleCopyInResponse(connection: CopyConnection): void {
        for (const chunk of chunks) connection.sendCopyFromChunk(chunk);
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
