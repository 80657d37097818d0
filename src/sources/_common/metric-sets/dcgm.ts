// NVIDIA dcgm-exporter fields -> normalized GPU metrics (hw.gpu.*). Percentages become ratios (0..1),
// MiB become bytes, mJ become J. Every GPU keeps its own series (labels gpu, UUID, modelName, Hostname...).

import type { MetricRule } from './types.ts';

const MIB = 1_048_576;

/** The DCGM metric set. */
export const DCGM_RULES: readonly MetricRule[] = [
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_GPU_UTIL'], scale: 0.01, name: 'hw.gpu.utilization', unit: '1', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_MEM_COPY_UTIL'], scale: 0.01, name: 'hw.gpu.memory.utilization', unit: '1', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_ENC_UTIL'], scale: 0.01, name: 'hw.gpu.encoder.utilization', unit: '1', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_DEC_UTIL'], scale: 0.01, name: 'hw.gpu.decoder.utilization', unit: '1', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_FB_USED'], scale: MIB, name: 'hw.gpu.memory.usage', unit: 'By', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_FB_FREE'], scale: MIB, name: 'hw.gpu.memory.free', unit: 'By', category: 'gpu' },
  {
    exporter: 'dcgm', kind: 'combine', op: '+', scale: MIB, name: 'hw.gpu.memory.limit', unit: 'By', category: 'gpu',
    operands: [{ source: 'DCGM_FI_DEV_FB_FREE' }, { source: 'DCGM_FI_DEV_FB_USED' }, { source: 'DCGM_FI_DEV_FB_RESERVED', optional: true }],
  },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_POWER_USAGE'], name: 'hw.gpu.power', unit: 'W', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION'], scale: 0.001, name: 'hw.gpu.energy', unit: 'J', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_GPU_TEMP'], name: 'hw.gpu.temperature', unit: 'Cel', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_MEMORY_TEMP'], name: 'hw.gpu.memory.temperature', unit: 'Cel', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_SM_CLOCK'], name: 'hw.gpu.clock.sm', unit: 'MHz', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_MEM_CLOCK'], name: 'hw.gpu.clock.memory', unit: 'MHz', category: 'gpu' },
  // The value of the last XID seen (not a count): 0 means none.
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_DEV_XID_ERRORS'], name: 'hw.gpu.xid.last', unit: '1', category: 'gpu' },
  { exporter: 'dcgm', kind: 'rate', sources: ['DCGM_FI_DEV_PCIE_REPLAY_COUNTER'], name: 'hw.gpu.pcie.replay.rate', unit: '{retry}/s', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_PROF_PCIE_TX_BYTES'], name: 'hw.gpu.io', unit: 'By/s', category: 'gpu', labels: { direction: 'transmit' } },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_PROF_PCIE_RX_BYTES'], name: 'hw.gpu.io', unit: 'By/s', category: 'gpu', labels: { direction: 'receive' } },
  // DCGM documents this field as a counter over all lanes without a unit; stored as its per-second rate.
  { exporter: 'dcgm', kind: 'rate', sources: ['DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL'], name: 'hw.gpu.nvlink.io', unit: '{count}/s', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_PROF_GR_ENGINE_ACTIVE'], name: 'hw.gpu.graphics_engine.activity', unit: '1', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_PROF_PIPE_TENSOR_ACTIVE'], name: 'hw.gpu.tensor.activity', unit: '1', category: 'gpu' },
  { exporter: 'dcgm', kind: 'gauge', sources: ['DCGM_FI_PROF_DRAM_ACTIVE'], name: 'hw.gpu.dram.activity', unit: '1', category: 'gpu' },
];
