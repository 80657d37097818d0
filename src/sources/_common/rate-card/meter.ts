// What an On-Premises rate card prices, folded from the samples and inventory rows of each run. Pure: the
// tracker persists a MeterState per GPU and host in the source's durable state.

import type { MetricSample, ResourceRecord } from '../../../core/model.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** What is metered of one GPU or host, per UTC day (`YYYY-MM-DD`). JSON, kept in the source state. */
export interface MeterState {
  id: string;
  kind: 'gpu' | 'host';
  name: string | null;
  /** Canonical GPU model id (or the raw name when the catalog lacks it); null for hosts or before inventory. */
  gpuModel: string | null;
  /** UTC hours of the day (0-23) in which the resource was seen. */
  hours: Record<string, number[]>;
  /** Joules integrated from `hw.power` samples, per day. */
  powerJoules: Record<string, number>;
  /** Joules from the `hw.energy` counter's increase, per day (preferred over power on a day it has data). */
  counterJoules: Record<string, number>;
  /** The newest power sample folded: later samples integrate from it; older or equal ones are skipped. */
  lastPower?: { ts: number; watts: number };
  /** The newest energy-counter sample folded. */
  lastCounter?: { ts: number; joules: number };
}

/** A new, empty meter. */
export function emptyMeter(id: string, kind: MeterState['kind']): MeterState {
  return { id, kind, name: null, gpuModel: null, hours: {}, powerJoules: {}, counterJoules: {} };
}

/** The UTC day of an epoch-millisecond instant, `YYYY-MM-DD`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Which meter a sample belongs to, or null: GPU series carry the GPU UUID, host series `host:<name>`. */
export function meterOfSample(sample: MetricSample): { id: string; kind: MeterState['kind'] } | null {
  if (sample.resource_id === null) return null;
  if (sample.resource_id.startsWith('host:')) return { id: sample.resource_id, kind: 'host' };
  if (sample.category === 'gpu' || sample.labels['hw.type'] === 'gpu') return { id: sample.resource_id, kind: 'gpu' };
  return null;
}

/** Which meter an inventory row belongs to: DCGM GPUs (`gpu`) and node_exporter hosts (`host`). */
export function meterOfResource(row: ResourceRecord): { id: string; kind: MeterState['kind'] } | null {
  if (row.resource_type === 'gpu') return { id: row.resource_id, kind: 'gpu' };
  if (row.resource_type === 'host') return { id: row.resource_id, kind: 'host' };
  return null;
}

/** Marks the UTC hour containing `ms` as seen. Idempotent. */
export function markSeen(meter: MeterState, ms: number): void {
  const day = dayOf(ms);
  const hour = Math.floor((ms % DAY_MS) / HOUR_MS);
  const hours = (meter.hours[day] ??= []);
  if (!hours.includes(hour)) {
    hours.push(hour);
    hours.sort((a, b) => a - b);
  }
}

/** Takes an inventory row's name and GPU model, and marks its last-seen hour. */
export function foldResource(meter: MeterState, row: ResourceRecord): void {
  meter.name = row.resource_name ?? meter.name;
  if (row.gpu_model !== null) meter.gpuModel = row.gpu_model;
  const seen = Date.parse(row.last_seen_at);
  if (Number.isFinite(seen)) markSeen(meter, seen);
}

/**
 * Folds one sample: marks its hour seen; a `hw.power` (W) sample integrates the trapezoid since the previous
 * one, a `hw.energy` (J) sample adds the counter's increase (a decrease is a reset: the new value counts).
 * Intervals longer than `maxGapMs` add nothing (no invented energy); samples not newer than the last one folded
 * are skipped, so re-collecting a window adds nothing twice. Samples must come in time order per meter.
 */
export function foldSample(meter: MeterState, sample: MetricSample, maxGapMs: number): void {
  const ts = Date.parse(sample.ts);
  if (!Number.isFinite(ts) || !Number.isFinite(sample.value)) return;
  markSeen(meter, ts);
  if (meter.kind !== 'gpu') return;
  if (sample.name === 'hw.power' && sample.unit === 'W') {
    const previous = meter.lastPower;
    if (previous !== undefined && ts <= previous.ts) return;
    if (previous !== undefined && ts - previous.ts <= maxGapMs)
      addTrapezoid(meter.powerJoules, previous.ts, previous.watts, ts, sample.value);
    meter.lastPower = { ts, watts: sample.value };
  } else if (sample.name === 'hw.energy' && sample.unit === 'J') {
    const previous = meter.lastCounter;
    if (previous !== undefined && ts <= previous.ts) return;
    if (previous !== undefined && ts - previous.ts <= maxGapMs) {
      const increase = sample.value >= previous.joules ? sample.value - previous.joules : sample.value;
      addSpread(meter.counterJoules, previous.ts, ts, increase);
    }
    meter.lastCounter = { ts, joules: sample.value };
  }
}

/** ∫ of the line from (t0, p0) to (t1, p1), split at UTC midnights into each day's joules. */
function addTrapezoid(days: Record<string, number>, t0: number, p0: number, t1: number, p1: number): void {
  const at = (t: number): number => p0 + ((p1 - p0) * (t - t0)) / (t1 - t0);
  for (let start = t0; start < t1;) {
    const end = Math.min(t1, (Math.floor(start / DAY_MS) + 1) * DAY_MS);
    const day = dayOf(start);
    days[day] = (days[day] ?? 0) + ((at(start) + at(end)) / 2) * ((end - start) / 1000);
    start = end;
  }
}

/** Spreads an increase over [t0, t1] evenly in time, split at UTC midnights. */
function addSpread(days: Record<string, number>, t0: number, t1: number, joules: number): void {
  for (let start = t0; start < t1;) {
    const end = Math.min(t1, (Math.floor(start / DAY_MS) + 1) * DAY_MS);
    const day = dayOf(start);
    days[day] = (days[day] ?? 0) + (joules * (end - start)) / (t1 - t0);
    start = end;
  }
}

/** Drops days before `oldestDay` (YYYY-MM-DD), so state stays bounded. */
export function pruneMeter(meter: MeterState, oldestDay: string): void {
  for (const record of [meter.hours, meter.powerJoules, meter.counterJoules])
    for (const day of Object.keys(record)) if (day < oldestDay) delete record[day];
}

/** Days with anything metered, ascending. */
export function meteredDays(meter: MeterState): string[] {
  const days = new Set([
    ...Object.keys(meter.hours),
    ...Object.keys(meter.powerJoules),
    ...Object.keys(meter.counterJoules),
  ]);
  return [...days].sort();
}
