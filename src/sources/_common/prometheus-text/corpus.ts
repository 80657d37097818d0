// Test helpers: the edge-case corpus in testdata/ (`<case>.txt` page + `<case>.json` expected result)
// and a JSON-friendly rendering of a parse, shared by the corpus, streaming and fuzz tests.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExpositionSample, FamilyMeta, ParseOptions, ParseResult } from './types.ts';

/** Directory of the corpus. */
export const TESTDATA_DIR = join(import.meta.dirname, 'testdata');

/** A sample as stored in expected JSON: NaN and infinities as strings, -0 as "-0". */
export interface JsonSample {
  name: string;
  labels: Record<string, string>;
  value: number | string;
  timestampMs?: number;
}

/** Everything a parse produced, in JSON-comparable form (error messages left out: only their lines). */
export interface ParseOutcome {
  samples: JsonSample[];
  families: FamilyMeta[];
  errorLines: number[];
  skipped: number;
  sawEof: boolean;
}

/** One corpus case: its page bytes, format, and expected outcome. */
export interface CorpusCase {
  name: string;
  page: Uint8Array;
  format: 'text' | 'openmetrics';
  expected: ParseOutcome;
}

/** Loads every `<case>.txt` with its `<case>.json`. */
export function loadCorpus(): CorpusCase[] {
  return readdirSync(TESTDATA_DIR)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -4);
      const expected = JSON.parse(readFileSync(join(TESTDATA_DIR, `${name}.json`), 'utf8')) as ParseOutcome & {
        format?: 'text' | 'openmetrics';
      };
      const { format = 'text', ...outcome } = expected;
      return { name, page: new Uint8Array(readFileSync(join(TESTDATA_DIR, file))), format, expected: outcome };
    });
}

/** JSON form of a value: NaN, ±Inf and -0 become strings. */
export function jsonValue(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Object.is(value, -0)) return '-0';
  return value;
}

/** Collects a parse into a ParseOutcome; `run` feeds the parser and returns its result. */
export function collectOutcome(
  run: (onSample: (sample: ExpositionSample) => void, options: ParseOptions) => ParseResult,
  options: ParseOptions = {},
): ParseOutcome {
  const samples: JsonSample[] = [];
  const families: FamilyMeta[] = [];
  const result = run(
    (sample) => {
      // Own-property copy: keeps `__proto__` labels as data when compared or serialized.
      const labels: Record<string, string> = {};
      for (const [key, value] of Object.entries(sample.labels))
        Object.defineProperty(labels, key, { value, enumerable: true, writable: true, configurable: true });
      const json: JsonSample = { name: sample.name, labels, value: jsonValue(sample.value) };
      if (sample.timestampMs !== undefined) json.timestampMs = sample.timestampMs;
      samples.push(json);
    },
    { ...options, onFamily: (family) => families.push({ ...family }) },
  );
  return {
    samples,
    families,
    errorLines: result.errors.map((error) => error.line),
    skipped: result.skipped,
    sawEof: result.sawEof,
  };
}
