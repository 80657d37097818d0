// node_exporter series -> normalized host metrics (system.*). Counters become per-second rates.

import type { MetricRule } from './types.ts';

/** The node_exporter metric set. */
export const NODE_RULES: readonly MetricRule[] = [
  { exporter: 'node', kind: 'cpu_utilization', source: 'node_cpu_seconds_total', name: 'system.cpu.utilization', unit: '1', category: 'performance' },
  { exporter: 'node', kind: 'gauge', sources: ['node_load1'], name: 'system.cpu.load_average.1m', unit: '{thread}', category: 'performance' },
  { exporter: 'node', kind: 'gauge', sources: ['node_load5'], name: 'system.cpu.load_average.5m', unit: '{thread}', category: 'performance' },
  { exporter: 'node', kind: 'gauge', sources: ['node_load15'], name: 'system.cpu.load_average.15m', unit: '{thread}', category: 'performance' },
  { exporter: 'node', kind: 'gauge', sources: ['node_memory_MemTotal_bytes'], name: 'system.memory.limit', unit: 'By', category: 'resource' },
  { exporter: 'node', kind: 'gauge', sources: ['node_memory_MemAvailable_bytes'], name: 'system.linux.memory.available', unit: 'By', category: 'resource' },
  {
    exporter: 'node', kind: 'combine', op: '-', name: 'system.memory.usage', unit: 'By', category: 'resource', labels: { state: 'used' },
    operands: [{ source: 'node_memory_MemTotal_bytes' }, { source: 'node_memory_MemAvailable_bytes' }],
  },
  { exporter: 'node', kind: 'gauge', sources: ['node_filesystem_size_bytes'], name: 'system.filesystem.limit', unit: 'By', category: 'resource' },
  { exporter: 'node', kind: 'gauge', sources: ['node_filesystem_free_bytes'], name: 'system.filesystem.usage', unit: 'By', category: 'resource', labels: { state: 'free' } },
  {
    exporter: 'node', kind: 'combine', op: '-', name: 'system.filesystem.usage', unit: 'By', category: 'resource', labels: { state: 'used' },
    operands: [{ source: 'node_filesystem_size_bytes' }, { source: 'node_filesystem_free_bytes' }],
  },
  { exporter: 'node', kind: 'rate', sources: ['node_disk_read_bytes_total'], name: 'system.disk.io', unit: 'By/s', category: 'performance', labels: { direction: 'read' } },
  { exporter: 'node', kind: 'rate', sources: ['node_disk_written_bytes_total'], name: 'system.disk.io', unit: 'By/s', category: 'performance', labels: { direction: 'write' } },
  { exporter: 'node', kind: 'rate', sources: ['node_disk_reads_completed_total'], name: 'system.disk.operations', unit: '{operation}/s', category: 'performance', labels: { direction: 'read' } },
  { exporter: 'node', kind: 'rate', sources: ['node_disk_writes_completed_total'], name: 'system.disk.operations', unit: '{operation}/s', category: 'performance', labels: { direction: 'write' } },
  { exporter: 'node', kind: 'rate', sources: ['node_network_receive_bytes_total'], name: 'system.network.io', unit: 'By/s', category: 'performance', labels: { direction: 'receive' } },
  { exporter: 'node', kind: 'rate', sources: ['node_network_transmit_bytes_total'], name: 'system.network.io', unit: 'By/s', category: 'performance', labels: { direction: 'transmit' } },
];
