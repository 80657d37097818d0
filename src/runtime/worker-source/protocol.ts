// The messages between an isolated source's worker thread and the main thread, and how errors cross
// the thread boundary (structured clone keeps an Error's message but drops its code, kind and context).

import {
  CollectorError,
  ERROR_CODES,
  toSourceError,
  type ErrorCode,
  type ErrorContext,
  type ErrorKind,
} from '../../core/errors.ts';
import type { CostRecord, CostSource, DropReason, MetricSample, ResourceRecord } from '../../core/model.ts';
import type { CollectedStream } from '../../core/source.ts';
import type { TimeWindow } from '../../core/window.ts';

/** A CollectorError as plain data. */
export interface SerializedError {
  code: ErrorCode;
  kind: ErrorKind;
  message: string;
  context: ErrorContext;
}

/** An abort reason as plain data (AbortError vs TimeoutError matters to classification). */
export interface SerializedAbortReason {
  name: string;
  message: string;
}

/** What the worker needs to build the source and its local CollectContext. */
export interface WorkerSourceData {
  /** URL of the module exporting the factory (or a `(settings) => Source` function). */
  module: string;
  /** Name of that export. */
  export: string;
  settings: { provider: string; config: Record<string, unknown> };
  now: Date;
  costWindow: TimeWindow;
  metricsWindow: TimeWindow;
  collectCosts: boolean;
  /** The main logger's level, so the worker does not serialize lines that would be dropped. */
  logLevel: string;
  /** Per-attempt HTTP settings of the worker's HTTP clients (retries, breaker and pacing stay in the main thread). */
  http: { timeoutMs: number; maxResponseBytes: number };
}

/** Worker -> main. */
export type WorkerMessage =
  | { type: 'emit'; id: number; kind: 'costs'; rows: CostRecord[] }
  | { type: 'emit'; id: number; kind: 'resources'; rows: ResourceRecord[] }
  | { type: 'emit'; id: number; kind: 'metrics'; rows: MetricSample[] }
  | { type: 'window-complete'; id: number; window: TimeWindow; costSource: CostSource }
  | { type: 'state-get'; id: number; key: string }
  | { type: 'state-set'; id: number; key: string; value: unknown }
  | { type: 'partial'; error: SerializedError; streams?: readonly CollectedStream[] }
  | { type: 'count'; operation: string; count: number }
  | { type: 'dropped'; reason: DropReason; count: number }
  | { type: 'log'; line: string }
  | { type: 'call-start'; callId: number; operation: string }
  | { type: 'attempt-result'; attemptId: number; error?: SerializedError }
  | { type: 'done'; error?: SerializedError };

/** Main -> worker. */
export type MainMessage =
  | { type: 'reply'; id: number; value?: unknown; error?: SerializedError }
  | { type: 'attempt'; callId: number; attemptId: number }
  | { type: 'attempt-abort'; attemptId: number; reason: SerializedAbortReason }
  | { type: 'call-done'; callId: number; error?: SerializedError }
  | { type: 'abort'; reason: SerializedAbortReason };

/** Turns anything thrown into plain data, classifying it first (as a source's error: see toSourceError). */
export function serializeError(thrown: unknown, context: ErrorContext = {}): SerializedError {
  const error = toSourceError(thrown, context);
  return { code: error.code, kind: error.kind, message: error.message, context: { ...error.context } };
}

/** Rebuilds the CollectorError on the other side with its code, kind, message and context intact. */
export function deserializeError(serialized: SerializedError): CollectorError {
  const code: ErrorCode = serialized.code in ERROR_CODES ? serialized.code : 'INTERNAL';
  return new CollectorError(code, serialized.message, serialized.context, { kind: serialized.kind });
}

/** An AbortSignal's reason as plain data. */
export function serializeAbortReason(reason: unknown): SerializedAbortReason {
  if (reason instanceof Error) return { name: reason.name, message: reason.message };
  return { name: 'AbortError', message: String(reason ?? 'aborted') };
}

/** The abort reason rebuilt as the DOMException the source would have seen in-process. */
export function abortReasonError(reason: SerializedAbortReason): DOMException {
  return new DOMException(reason.message, reason.name);
}
