// Entry points: split bytes into lines (lines may span chunks) and feed them to the line parser.

import { ExpositionLineParser } from './line-parser.ts';
import type { ExpositionSample, ParseOptions, ParseResult } from './types.ts';

const NEWLINE = 0x0a;
const encoder = new TextEncoder();

/** A push parser: feed chunks as they arrive, then `end()` for the result. */
export interface ExpositionParser {
  /** Parses every complete line of `chunk`, keeping an unfinished last line for the next push. */
  push(chunk: Uint8Array | string): void;
  /** Parses the unfinished last line (if any) and returns the result; later pushes are ignored. */
  end(): ParseResult;
}

/** One-shot parse of a whole page (string or bytes). */
export function parseExposition(
  input: string | Uint8Array,
  onSample: (sample: ExpositionSample) => void,
  options?: ParseOptions,
): ParseResult {
  const lines = new ExpositionLineParser(onSample, options ?? {});
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  const start = parseCompleteLines(lines, bytes, 0);
  if (start < bytes.length) lines.parseLine(bytes, start, bytes.length);
  return lines.finish();
}

/** Parses every `\n`-terminated line of `bytes` from `start`; returns where the unfinished last line starts. */
function parseCompleteLines(lines: ExpositionLineParser, bytes: Uint8Array, start: number): number {
  for (;;) {
    if (lines.stopped) return bytes.length;
    const newline = bytes.indexOf(NEWLINE, start);
    if (newline < 0) return start;
    lines.parseLine(bytes, start, newline);
    start = newline + 1;
  }
}

/** Streaming: push chunks as they arrive from the socket (lines may span chunks), then end(). */
export function createExpositionParser(
  onSample: (sample: ExpositionSample) => void,
  options?: ParseOptions,
): ExpositionParser {
  const lines = new ExpositionLineParser(onSample, options ?? {});
  /** The unfinished line carried between pushes; grows by doubling so long lines stay linear. */
  let carry = new Uint8Array(0);
  let carryLength = 0;
  /** A high surrogate ending a string chunk waits for its low half. */
  let pendingSurrogate = '';
  let result: ParseResult | undefined;

  const appendToCarry = (bytes: Uint8Array, start: number, end: number): void => {
    const needed = carryLength + (end - start);
    if (needed > carry.length) {
      const grown = new Uint8Array(Math.max(needed, carry.length * 2, 256));
      grown.set(carry.subarray(0, carryLength));
      carry = grown;
    }
    carry.set(bytes.subarray(start, end), carryLength);
    carryLength = needed;
  };

  const pushBytes = (bytes: Uint8Array): void => {
    let start = 0;
    if (carryLength > 0) {
      const newline = bytes.indexOf(NEWLINE);
      if (newline < 0) {
        appendToCarry(bytes, 0, bytes.length);
        return;
      }
      appendToCarry(bytes, 0, newline);
      const length = carryLength;
      carryLength = 0;
      lines.parseLine(carry, 0, length);
      start = newline + 1;
    }
    start = parseCompleteLines(lines, bytes, start);
    if (start < bytes.length) appendToCarry(bytes, start, bytes.length);
  };

  return {
    push(chunk) {
      if (result !== undefined || lines.stopped) return;
      if (typeof chunk === 'string') {
        let text = pendingSurrogate + chunk;
        pendingSurrogate = '';
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          pendingSurrogate = text.slice(-1);
          text = text.slice(0, -1);
        }
        pushBytes(encoder.encode(text));
      } else {
        pushBytes(chunk);
      }
    },
    end() {
      if (result !== undefined) return result;
      if (pendingSurrogate !== '') pushBytes(encoder.encode(pendingSurrogate));
      if (carryLength > 0) {
        const length = carryLength;
        carryLength = 0;
        lines.parseLine(carry, 0, length);
      }
      result = lines.finish();
      return result;
    },
  };
}
