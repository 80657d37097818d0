// Cloud Monitoring `timeSeries.list` payloads (the fields read) and the pure mapping to metric samples.

import type { MetricSample } from '../../core/model.ts';
import type { MonitoringMetricSpec } from './metric-catalog.ts';

/** A point's typed value: int64 comes as a decimal string in JSON. */
export interface MonitoringTypedValue {
  doubleValue?: number;
  int64Value?: string;
  boolValue?: boolean;
}

/** One time series (monitoring.v3 TimeSeries). */
export interface MonitoringTimeSeries {
  metric?: { type?: string; labels?: Record<string, string> };
  resource?: { type?: string; labels?: Record<string, string> };
  points?: Array<{ interval?: { startTime?: string; endTime?: string }; value?: MonitoringTypedValue }>;
}

/** A ListTimeSeriesResponse page. */
export interface MonitoringListResponse {
  timeSeries?: MonitoringTimeSeries[];
  nextPageToken?: string;
  executionErrors?: Array<{ code?: number; message?: string }>;
}

function numberOf(value: MonitoringTypedValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value.doubleValue === 'number') return value.doubleValue;
  if (typeof value.int64Value === 'string' && value.int64Value.trim() !== '') return Number(value.int64Value);
  return undefined;
}

/** Samples of one series: ts = the point's interval end; resource_id = the instance id (as the inventory's). */
export function samplesFromTimeSeries(
  series: MonitoringTimeSeries,
  spec: MonitoringMetricSpec,
  context: { provider: string; projectId: string },
): MetricSample[] {
  const resource = series.resource?.labels ?? {};
  const metricLabels = series.metric?.labels ?? {};
  const instanceId = resource.instance_id ?? null;
  const labels: Record<string, string> = {
    ...spec.labels,
    source_metric: spec.type,
    'cloud.account.id': context.projectId,
  };
  if (resource.zone) labels['cloud.availability_zone'] = resource.zone;
  if (metricLabels.instance_name) labels['host.name'] = metricLabels.instance_name;
  if (spec.category === 'gpu' && metricLabels.gpu_number !== undefined) {
    // `gpu` is the index label the DCGM metric set uses too.
    labels.gpu = metricLabels.gpu_number;
    labels['hw.id'] = `${instanceId ?? '-'}/gpu${metricLabels.gpu_number}`;
    if (metricLabels.model) labels['gpu.model'] = metricLabels.model;
  }
  const samples: MetricSample[] = [];
  for (const point of series.points ?? []) {
    const value = numberOf(point.value);
    const end = point.interval?.endTime;
    if (value === undefined || !Number.isFinite(value) || end === undefined) continue;
    const ts = new Date(end);
    if (Number.isNaN(ts.getTime())) continue;
    samples.push({
      ts: ts.toISOString(),
      provider: context.provider,
      name: spec.name,
      category: spec.category,
      value: value * spec.scale,
      unit: spec.unit,
      resource_id: instanceId,
      labels,
    });
  }
  return samples;
}
