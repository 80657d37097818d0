// Pure mapping of Prometheus API answers to MetricSamples: EVERY series of a vector or matrix is kept
// (8 GPUs give 8 series). Non-finite values (NaN, ±Inf) are skipped and counted, on every metric alike.

import type { MetricSample } from '../../core/model.ts';
import { metricSample, ruleScale, type RuleQuery } from '../_common/metric-sets/index.ts';
import type { PromData, PromPoint } from './client.ts';

/** Samples of one answer, and how many points were skipped as not data. */
export interface MappedAnswer {
  samples: MetricSample[];
  skipped: number;
}

/** Parses an API sample value ("1.5", "NaN", "+Inf", "-Inf"). */
export function promValue(text: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default:
      return Number(text);
  }
}

function timestamp(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

/** Maps one query answer of `query` to samples. */
export function samplesFromAnswer(provider: string, query: RuleQuery, data: PromData): MappedAnswer {
  const samples: MetricSample[] = [];
  let skipped = 0;
  const scale = ruleScale(query.rule);
  const add = (labels: Record<string, string>, [seconds, text]: PromPoint): void => {
    const sample = metricSample(
      provider,
      timestamp(seconds),
      query.rule,
      labels,
      promValue(text) * scale,
      query.sourceMetric,
    );
    if (sample) samples.push(sample);
    else skipped += 1;
  };
  switch (data.resultType) {
    case 'vector':
      for (const item of data.result) add(item.metric, item.value);
      break;
    case 'matrix':
      for (const item of data.result) for (const point of item.values) add(item.metric, point);
      break;
    case 'scalar':
      add({}, data.result);
      break;
    case 'string':
      skipped += 1;
      break;
  }
  return { samples, skipped };
}

/** Labels of every series in an answer (GPU inventory reads DCGM series labels). */
export function seriesLabels(data: PromData): Array<Record<string, string>> {
  return data.resultType === 'vector' || data.resultType === 'matrix' ? data.result.map((item) => item.metric) : [];
}

/** The step for a window: at least `minStepSeconds`, and at most 11,000 points per series (Prometheus's limit). */
export function stepSecondsFor(windowMs: number, minStepSeconds: number): number {
  return Math.max(minStepSeconds, Math.ceil(windowMs / 1000 / 10_999));
}
