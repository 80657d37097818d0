// Which Cloud Monitoring metrics are collected and the OpenTelemetry names they are stored under: the same names,
// units and labels as the Prometheus metric sets and the AWS collector, so dashboards join them.

import type { MetricCategory } from '../../core/model.ts';

/** One Cloud Monitoring metric type listed per project with `timeSeries.list`. */
export interface MonitoringMetricSpec {
  /** `metric.type` in the filter. */
  type: string;
  /** ALIGN_MEAN for gauges; ALIGN_RATE turns DELTA counts into per-second rates. */
  aligner: 'ALIGN_MEAN' | 'ALIGN_RATE';
  /** Normalized (OpenTelemetry) name. */
  name: string;
  /** UCUM unit after `scale`. */
  unit: string;
  category: MetricCategory;
  /** Multiplier applied to the aligned value (0.01 turns a percentage into a ratio). */
  scale: number;
  /** Extra labels telling series of the same name apart (direction). */
  labels: Readonly<Record<string, string>>;
  /** Agent metrics exist only where the Ops Agent runs: their absence is not an error. */
  agent?: boolean;
}

const GPU = { 'hw.type': 'gpu' } as const;

/**
 * Compute Engine built-in metrics (cloud.google.com/monitoring/api/metrics_gcp_c, "compute") and Ops Agent GPU
 * metrics (cloud.google.com/monitoring/api/metrics_opsagent, "gpu"); all on resource.type gce_instance.
 */
export const MONITORING_METRICS: readonly MonitoringMetricSpec[] = [
  // GAUGE DOUBLE, a fraction 0-1 (unit 10^2.%): no scaling.
  m('compute.googleapis.com/instance/cpu/utilization', 'ALIGN_MEAN', 'system.cpu.utilization', '1', 1, {}),
  // DELTA INT64 bytes: ALIGN_RATE gives bytes per second.
  m('compute.googleapis.com/instance/network/received_bytes_count', 'ALIGN_RATE', 'system.network.io.rate', 'By/s', 1, {
    'network.io.direction': 'receive',
  }),
  m('compute.googleapis.com/instance/network/sent_bytes_count', 'ALIGN_RATE', 'system.network.io.rate', 'By/s', 1, {
    'network.io.direction': 'transmit',
  }),
  m('compute.googleapis.com/instance/disk/read_bytes_count', 'ALIGN_RATE', 'system.disk.io.rate', 'By/s', 1, {
    'disk.io.direction': 'read',
  }),
  m('compute.googleapis.com/instance/disk/write_bytes_count', 'ALIGN_RATE', 'system.disk.io.rate', 'By/s', 1, {
    'disk.io.direction': 'write',
  }),
  // GAUGE DOUBLE percent 0-100 per GPU (label gpu_number).
  { ...m('agent.googleapis.com/gpu/utilization', 'ALIGN_MEAN', 'hw.gpu.utilization', '1', 0.01, GPU), agent: true },
  // GAUGE DOUBLE bytes per GPU.
  {
    ...m('agent.googleapis.com/gpu/memory/bytes_used', 'ALIGN_MEAN', 'hw.gpu.memory.usage', 'By', 1, GPU),
    agent: true,
  },
];

function m(
  type: string,
  aligner: MonitoringMetricSpec['aligner'],
  name: string,
  unit: string,
  scale: number,
  labels: Readonly<Record<string, string>>,
): MonitoringMetricSpec {
  return { type, aligner, name, unit, scale, labels, category: name.startsWith('hw.') ? 'gpu' : 'performance' };
}
