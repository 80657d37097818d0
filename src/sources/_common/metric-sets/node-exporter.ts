// node_exporter series -> normalized host metrics (system.*). Counters are stored as their cumulative values
// under OpenTelemetry's counter names and, beside them, as per-second rates (`<name>.rate`).

import type { MetricRule } from './types.ts';

/** A node_exporter counter: its cumulative value under `name` and its per-second rate under `name.rate`. */
function counterAndRate(
  source: string,
  name: string,
  unit: string,
  labels: Readonly<Record<string, string>>,
): MetricRule[] {
  return [
    {
      exporter: 'node',
      kind: 'counter',
      sources: [source],
      name,
      unit,
      category: 'performance',
      labels,
      convention: 'semconv',
    },
    {
      exporter: 'node',
      kind: 'rate',
      sources: [source],
      name: `${name}.rate`,
      unit: `${unit}/s`,
      category: 'performance',
      labels,
      convention: 'rate',
    },
  ];
}

/** The node_exporter metric set. */
export const NODE_RULES: readonly MetricRule[] = [
  {
    exporter: 'node',
    kind: 'cpu_utilization',
    source: 'node_cpu_seconds_total',
    name: 'system.cpu.utilization',
    unit: '1',
    category: 'performance',
    convention: 'semconv',
  },
  {
    exporter: 'node',
    kind: 'counter',
    sources: ['node_cpu_seconds_total'],
    name: 'system.cpu.time',
    unit: 's',
    category: 'performance',
    convention: 'semconv',
  },
  {
    exporter: 'node',
    kind: 'gauge',
    sources: ['node_load1'],
    name: 'system.cpu.load_average.1m',
    unit: '{thread}',
    category: 'performance',
    convention: 'hostmetrics',
  },
  {
    exporter: 'node',
    kind: 'gauge',
    sources: ['node_load5'],
    name: 'system.cpu.load_average.5m',
    unit: '{thread}',
    category: 'performance',
    convention: 'hostmetrics',
  },
  {
    exporter: 'node',
    kind: 'gauge',
    sources: ['node_load15'],
    name: 'system.cpu.load_average.15m',
    unit: '{thread}',
    category: 'performance',
    convention: 'hostmetrics',
  },
  {
    exporter: 'node',
    kind: 'gauge',
    sources: ['node_memory_MemTotal_bytes'],
    name: 'system.memory.limit',
    unit: 'By',
    category: 'resource',
    convention: 'semconv',
  },
  {
    exporter: 'node',
    kind: 'gauge',
    sources: ['node_memory_MemAvailable_bytes'],
    name: 'system.memory.linux.available',
    unit: 'By',
    category: 'resource',
    convention: 'semconv',
  },
  {
    exporter: 'node',
    kind: 'combine',
    op: '-',
    name: 'system.memory.usage',
    unit: 'By',
    category: 'resource',
    labels: { 'system.memory.state': 'used' },
    operands: [{ source: 'node_memory_MemTotal_bytes' }, { source: 'node_memory_MemAvailable_bytes' }],
    convention: 'semconv',
  },
  {
    exporter: 'node',
    kind: 'gauge',
    sources: ['node_filesystem_size_bytes'],
    name: 'system.filesystem.limit',
    unit: 'By',
    category: 'resource',
    convention: 'semconv',
  },
  {
    exporter: 'node',
    kind: 'gauge',
    sources: ['node_filesystem_free_bytes'],
    name: 'system.filesystem.usage',
    unit: 'By',
    category: 'resource',
    labels: { 'system.filesystem.state': 'free' },
    convention: 'semconv',
  },
  {
    exporter: 'node',
    kind: 'combine',
    op: '-',
    name: 'system.filesystem.usage',
    unit: 'By',
    category: 'resource',
    labels: { 'system.filesystem.state': 'used' },
    operands: [{ source: 'node_filesystem_size_bytes' }, { source: 'node_filesystem_free_bytes' }],
    convention: 'semconv',
  },
  ...counterAndRate('node_disk_read_bytes_total', 'system.disk.io', 'By', { 'disk.io.direction': 'read' }),
  ...counterAndRate('node_disk_written_bytes_total', 'system.disk.io', 'By', { 'disk.io.direction': 'write' }),
  ...counterAndRate('node_disk_reads_completed_total', 'system.disk.operations', '{operation}', {
    'disk.io.direction': 'read',
  }),
  ...counterAndRate('node_disk_writes_completed_total', 'system.disk.operations', '{operation}', {
    'disk.io.direction': 'write',
  }),
  ...counterAndRate('node_network_receive_bytes_total', 'system.network.io', 'By', {
    'network.io.direction': 'receive',
  }),
  ...counterAndRate('node_network_transmit_bytes_total', 'system.network.io', 'By', {
    'network.io.direction': 'transmit',
  }),
];

/** node_exporter series read for the host inventory row (not stored as metrics). */
export const NODE_INVENTORY_NAMES = ['node_uname_info', 'node_os_info'] as const;
