// The on-disk spool: one segment file per batch, named by a zero-padded sequence number so the directory
// order is the write order. A segment is written to a temp file, fsync'd, renamed into place and the
// directory fsync'd, so after a crash (kill -9, power loss) a segment is either whole or absent; a leftover
// temp file is a torn write and is deleted on open. Each segment also carries a SHA-256 of its payload.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** One segment on disk. */
export interface Segment {
  seq: number;
  path: string;
  bytes: number;
}

/** How much is waiting in the spool. */
export interface SpoolDepth {
  segments: number;
  bytes: number;
}

/** A segment that cannot be read back (bad checksum, not JSON): it is moved aside, never replayed. */
export class CorruptSegmentError extends Error {
  readonly segment: Segment;
  constructor(segment: Segment, reason: string) {
    super(`spool segment ${segment.path} is corrupt: ${reason}`);
    this.name = 'CorruptSegmentError';
    this.segment = segment;
  }
}

const SEGMENT = /^(\d{16})\.seg$/;
const TEMP_SUFFIX = '.tmp';

/** Formats a segment's file name. */
export function segmentName(seq: number): string {
  return `${String(seq).padStart(16, '0')}.seg`;
}

/** An append-only directory of segments. Not safe for two processes at once (the service owns its spool). */
export class SegmentStore {
  readonly directory: string;
  readonly rejectedDirectory: string;
  readonly #segments: Segment[] = [];
  #nextSeq = 1;
  #bytes = 0;

  /** Opens (creating) `directory`: deletes torn temp files and indexes the whole segments. */
  constructor(directory: string) {
    this.directory = directory;
    this.rejectedDirectory = join(directory, 'rejected');
    mkdirSync(directory, { recursive: true });
    const names = readdirSync(directory).sort();
    for (const name of names) {
      if (name.endsWith(TEMP_SUFFIX)) {
        rmSync(join(directory, name), { force: true });
        continue;
      }
      const match = SEGMENT.exec(name);
      if (!match) continue;
      const path = join(directory, name);
      const segment: Segment = { seq: Number(match[1]), path, bytes: statSync(path).size };
      this.#segments.push(segment);
      this.#bytes += segment.bytes;
      this.#nextSeq = Math.max(this.#nextSeq, segment.seq + 1);
    }
    // Sequence numbers keep rising past rejected segments too, so names never repeat.
    for (const name of safeReaddir(this.rejectedDirectory)) {
      const match = /^(\d{16})\.seg/.exec(name);
      if (match) this.#nextSeq = Math.max(this.#nextSeq, Number(match[1]) + 1);
    }
  }

  /** Segments waiting, oldest first. */
  list(): readonly Segment[] {
    return this.#segments;
  }

  depth(): SpoolDepth {
    return { segments: this.#segments.length, bytes: this.#bytes };
  }

  /** Durably appends one record; resolves once it is on disk under its final name. */
  async append(record: unknown): Promise<Segment> {
    const seq = this.#nextSeq++;
    const payload = JSON.stringify(record);
    const body = `${createHash('sha256').update(payload).digest('hex')} ${payload}\n`;
    const path = join(this.directory, segmentName(seq));
    const temp = `${path}${TEMP_SUFFIX}`;
    const file = await open(temp, 'wx');
    try {
      await file.writeFile(body);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
    await syncDirectory(this.directory);
    const segment: Segment = { seq, path, bytes: Buffer.byteLength(body) };
    this.#segments.push(segment);
    this.#bytes += segment.bytes;
    return segment;
  }

  /** Reads a segment's record, verifying its checksum. */
  async read(segment: Segment): Promise<unknown> {
    const text = await readFile(segment.path, 'utf8');
    const space = text.indexOf(' ');
    if (space !== 64 || !text.endsWith('\n')) throw new CorruptSegmentError(segment, 'truncated or not a segment');
    const payload = text.slice(space + 1, -1);
    if (createHash('sha256').update(payload).digest('hex') !== text.slice(0, space))
      throw new CorruptSegmentError(segment, 'checksum mismatch');
    try {
      return JSON.parse(payload) as unknown;
    } catch (error) {
      throw new CorruptSegmentError(segment, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Deletes the oldest segment once its batch is committed. */
  async remove(segment: Segment): Promise<void> {
    await unlink(segment.path).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    });
    this.#forget(segment);
  }

  /** Moves a segment that can never be applied to `rejected/` (kept for a human), out of the replay order. */
  async reject(segment: Segment): Promise<string> {
    mkdirSync(this.rejectedDirectory, { recursive: true });
    const target = join(this.rejectedDirectory, `${segmentName(segment.seq)}`);
    await rename(segment.path, target);
    this.#forget(segment);
    return target;
  }

  #forget(segment: Segment): void {
    const index = this.#segments.indexOf(segment);
    if (index < 0) return;
    this.#segments.splice(index, 1);
    this.#bytes -= segment.bytes;
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function safeReaddir(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}
