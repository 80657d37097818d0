// Which CloudWatch metrics are collected and the OpenTelemetry names they are stored under: the same names,
// units and labels as the Prometheus metric sets (src/sources/_common/metric-sets/), so dashboards join them.

import type { MetricCategory } from '../../core/model.ts';

/** One CloudWatch metric queried per resource with a MetricStat. */
export interface CloudWatchMetricSpec {
  namespace: string;
  metricName: string;
  /** Dimension naming the resource (InstanceId, DBInstanceIdentifier). */
  dimension: string;
  stat: 'Average' | 'Sum' | 'Maximum' | 'Minimum';
  /** Normalized (OpenTelemetry) name. */
  name: string;
  /** UCUM unit after `scale`. */
  unit: string;
  category: MetricCategory;
  /** Multiplier applied to CloudWatch's value (0.01 turns a percentage into a ratio). */
  scale: number;
  /** A per-period Sum turned into a per-second rate (divided by the period), like node_exporter rates. */
  perSecond?: boolean;
  /** Extra labels telling series of the same name apart (direction, state). */
  labels: Readonly<Record<string, string>>;
}

const ratio = 0.01;

/** EC2 metrics (AWS/EC2, per InstanceId). Disk* cover instance store, EBS* cover EBS volumes on Nitro. */
export const EC2_METRICS: readonly CloudWatchMetricSpec[] = [
  {
    namespace: 'AWS/EC2',
    metricName: 'CPUUtilization',
    dimension: 'InstanceId',
    stat: 'Average',
    name: 'system.cpu.utilization',
    unit: '1',
    category: 'performance',
    scale: ratio,
    labels: {},
  },
  {
    namespace: 'AWS/EC2',
    metricName: 'NetworkIn',
    dimension: 'InstanceId',
    stat: 'Sum',
    name: 'system.network.io.rate',
    unit: 'By/s',
    category: 'performance',
    scale: 1,
    perSecond: true,
    labels: { 'network.io.direction': 'receive' },
  },
  {
    namespace: 'AWS/EC2',
    metricName: 'NetworkOut',
    dimension: 'InstanceId',
    stat: 'Sum',
    name: 'system.network.io.rate',
    unit: 'By/s',
    category: 'performance',
    scale: 1,
    perSecond: true,
    labels: { 'network.io.direction': 'transmit' },
  },
  {
    namespace: 'AWS/EC2',
    metricName: 'DiskReadBytes',
    dimension: 'InstanceId',
    stat: 'Sum',
    name: 'system.disk.io.rate',
    unit: 'By/s',
    category: 'performance',
    scale: 1,
    perSecond: true,
    labels: { 'disk.io.direction': 'read', 'aws.disk.kind': 'instance_store' },
  },
  {
    namespace: 'AWS/EC2',
    metricName: 'DiskWriteBytes',
    dimension: 'InstanceId',
    stat: 'Sum',
    name: 'system.disk.io.rate',
    unit: 'By/s',
    category: 'performance',
    scale: 1,
    perSecond: true,
    labels: { 'disk.io.direction': 'write', 'aws.disk.kind': 'instance_store' },
  },
  {
    namespace: 'AWS/EC2',
    metricName: 'EBSReadBytes',
    dimension: 'InstanceId',
    stat: 'Sum',
    name: 'system.disk.io.rate',
    unit: 'By/s',
    category: 'performance',
    scale: 1,
    perSecond: true,
    labels: { 'disk.io.direction': 'read', 'aws.disk.kind': 'ebs' },
  },
  {
    namespace: 'AWS/EC2',
    metricName: 'EBSWriteBytes',
    dimension: 'InstanceId',
    stat: 'Sum',
    name: 'system.disk.io.rate',
    unit: 'By/s',
    category: 'performance',
    scale: 1,
    perSecond: true,
    labels: { 'disk.io.direction': 'write', 'aws.disk.kind': 'ebs' },
  },
  {
    namespace: 'AWS/EC2',
    metricName: 'EBSReadOps',
    dimension: 'InstanceId',
    stat: 'Sum',
    name: 'system.disk.operations.rate',
    unit: '{operation}/s',
    category: 'performance',
    scale: 1,
    perSecond: true,
    labels: { 'disk.io.direction': 'read', 'aws.disk.kind': 'ebs' },
  },
  {
    namespace: 'AWS/EC2',
    metricName: 'EBSWriteOps',
    dimension: 'InstanceId',
    stat: 'Sum',
    name: 'system.disk.operations.rate',
    unit: '{operation}/s',
    category: 'performance',
    scale: 1,
    perSecond: true,
    labels: { 'disk.io.direction': 'write', 'aws.disk.kind': 'ebs' },
  },
];

/** RDS metrics (AWS/RDS, per DBInstanceIdentifier). No OpenTelemetry name exists for connections. */
export const RDS_METRICS: readonly CloudWatchMetricSpec[] = [
  {
    namespace: 'AWS/RDS',
    metricName: 'CPUUtilization',
    dimension: 'DBInstanceIdentifier',
    stat: 'Average',
    name: 'system.cpu.utilization',
    unit: '1',
    category: 'performance',
    scale: ratio,
    labels: {},
  },
  {
    namespace: 'AWS/RDS',
    metricName: 'DatabaseConnections',
    dimension: 'DBInstanceIdentifier',
    stat: 'Average',
    name: 'aws.rds.connection.count',
    unit: '{connection}',
    category: 'performance',
    scale: 1,
    labels: {},
  },
  {
    namespace: 'AWS/RDS',
    metricName: 'FreeStorageSpace',
    dimension: 'DBInstanceIdentifier',
    stat: 'Average',
    name: 'system.filesystem.usage',
    unit: 'By',
    category: 'resource',
    scale: 1,
    labels: { 'system.filesystem.state': 'free' },
  },
];

/** A CloudWatch agent NVIDIA GPU metric (namespace CWAgent), queried with Metrics Insights per GPU. */
export interface GpuMetricSpec {
  metricName: string;
  name: string;
  unit: string;
  scale: number;
  labels: Readonly<Record<string, string>>;
}

/** OpenTelemetry hw.* metrics name the kind of hardware with hw.type (semconv 1.44.0), as the DCGM set does. */
const GPU = { 'hw.type': 'gpu' } as const;

/** The agent's nvidia_smi_* metrics we keep (AWS doc "Collect NVIDIA GPU metrics"). */
export const GPU_METRICS: readonly GpuMetricSpec[] = [
  { metricName: 'nvidia_smi_utilization_gpu', name: 'hw.gpu.utilization', unit: '1', scale: ratio, labels: GPU },
  {
    metricName: 'nvidia_smi_utilization_memory',
    // nvidia-smi's utilization.memory is the share of time memory was read or written (bandwidth), not of memory used.
    name: 'hw.gpu.memory_bandwidth.utilization',
    unit: '1',
    scale: ratio,
    labels: GPU,
  },
  { metricName: 'nvidia_smi_power_draw', name: 'hw.power', unit: 'W', scale: 1, labels: GPU },
  {
    metricName: 'nvidia_smi_temperature_gpu',
    name: 'hw.temperature',
    unit: 'Cel',
    scale: 1,
    labels: { ...GPU, 'hw.sensor_location': 'gpu' },
  },
];
