// A dcgm-exporter page (default counters of 4.x, etc/default-counters.csv): one series per GPU per field,
// families in DCGM field-id order, labels as render_metrics.go prints them. Deterministic in (seed, tick).

import { goFixed, goInt, noise, pageSample, type PageFamily, type PageMetricType } from './render.ts';

/** Options for a simulated DCGM host. */
export interface DcgmPageOptions {
  /** GPUs on the host (default 8). */
  gpus?: number;
  /** Seed for UUIDs and values (default 1). */
  seed?: number;
  /** Host index when many hosts are simulated; changes UUIDs and hostname. */
  host?: number;
  /** Hostname label value (default `gpu-node-<host>`); '' leaves the label out, as dcgm-exporter does. */
  hostname?: string;
  /** `Hostname` (4.x) or `hostname` (after dcgm-exporter #655). */
  hostnameLabel?: 'Hostname' | 'hostname';
  modelName?: string;
  driverVersion?: string;
  /** Include the DCP profiling fields (tensor, graphics engine, DRAM active, PCIe bytes); default true. */
  profiling?: boolean;
  /** GPUs (by index) assigned to a pod: they get container/namespace/pod labels. */
  podGpus?: readonly number[];
}

/** One simulated GPU's identity. */
export interface SimulatedGpu {
  index: number;
  uuid: string;
  pciBusId: string;
  modelName: string;
  hostname: string;
  pod?: { pod: string; namespace: string; container: string };
}

interface DcgmField {
  name: string;
  type: PageMetricType;
  help: string;
  int: boolean;
  profiling?: boolean;
  value(gpu: SimulatedGpu, load: number, tick: number, seed: number): number;
}

const FB_TOTAL_MIB = 81_559;
const FB_RESERVED_MIB = 329;

/** The default-counters fields in field-id order, with how each value evolves. */
const DCGM_FIELDS: readonly DcgmField[] = [
  {
    name: 'DCGM_FI_DEV_SM_CLOCK',
    type: 'gauge',
    help: 'SM clock frequency (in MHz).',
    int: true,
    value: (_g, load) => Math.round(1410 + 570 * load),
  },
  {
    name: 'DCGM_FI_DEV_MEM_CLOCK',
    type: 'gauge',
    help: 'Memory clock frequency (in MHz).',
    int: true,
    value: () => 2619,
  },
  {
    name: 'DCGM_FI_DEV_MEMORY_TEMP',
    type: 'gauge',
    help: 'Memory temperature (in C).',
    int: true,
    value: (_g, load) => Math.round(38 + 30 * load),
  },
  {
    name: 'DCGM_FI_DEV_GPU_TEMP',
    type: 'gauge',
    help: 'GPU temperature (in C).',
    int: true,
    value: (_g, load) => Math.round(33 + 40 * load),
  },
  {
    name: 'DCGM_FI_DEV_POWER_USAGE',
    type: 'gauge',
    help: 'Power draw (in W).',
    int: false,
    value: (_g, load) => Math.round((70 + 630 * load) * 1000) / 1000,
  },
  {
    name: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
    type: 'counter',
    help: 'Total energy consumption since boot (in mJ).',
    int: true,
    value: (gpu, _l, tick, seed) => 4_000_000_000 + Math.floor(noise(seed, gpu.index, 156) * 1e9) + tick * 400_000,
  },
  {
    name: 'DCGM_FI_DEV_PCIE_REPLAY_COUNTER',
    type: 'counter',
    help: 'Total number of PCIe retries.',
    int: true,
    value: () => 0,
  },
  {
    name: 'DCGM_FI_DEV_GPU_UTIL',
    type: 'gauge',
    help: 'GPU utilization (in %).',
    int: true,
    value: (_g, load) => Math.round(100 * load),
  },
  {
    name: 'DCGM_FI_DEV_MEM_COPY_UTIL',
    type: 'gauge',
    help: 'Memory utilization (in %).',
    int: true,
    value: (_g, load) => Math.round(60 * load),
  },
  { name: 'DCGM_FI_DEV_ENC_UTIL', type: 'gauge', help: 'Encoder utilization (in %).', int: true, value: () => 0 },
  { name: 'DCGM_FI_DEV_DEC_UTIL', type: 'gauge', help: 'Decoder utilization (in %).', int: true, value: () => 0 },
  {
    name: 'DCGM_FI_DEV_XID_ERRORS',
    type: 'gauge',
    help: 'Value of the last XID error encountered.',
    int: true,
    value: (gpu) => (gpu.index === 5 ? 79 : 0),
  },
  {
    name: 'DCGM_FI_DEV_FB_FREE',
    type: 'gauge',
    help: 'Frame buffer memory free (in MiB).',
    int: true,
    value: (_g, load) => FB_TOTAL_MIB - FB_RESERVED_MIB - fbUsed(load),
  },
  {
    name: 'DCGM_FI_DEV_FB_USED',
    type: 'gauge',
    help: 'Frame buffer memory used (in MiB).',
    int: true,
    value: (_g, load) => fbUsed(load),
  },
  {
    name: 'DCGM_FI_DEV_FB_RESERVED',
    type: 'gauge',
    help: 'Frame buffer memory reserved (in MiB).',
    int: true,
    value: () => FB_RESERVED_MIB,
  },
  {
    name: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
    type: 'counter',
    help: 'Number of remapped rows for uncorrectable errors',
    int: true,
    value: () => 0,
  },
  {
    name: 'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS',
    type: 'counter',
    help: 'Number of remapped rows for correctable errors',
    int: true,
    value: () => 0,
  },
  {
    name: 'DCGM_FI_DEV_ROW_REMAP_FAILURE',
    type: 'gauge',
    help: 'Whether remapping of rows has failed',
    int: true,
    value: () => 0,
  },
  {
    name: 'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL',
    type: 'counter',
    help: 'Total number of NVLink bandwidth counters for all lanes.',
    int: true,
    value: (gpu, _l, tick) => 1_000_000 * (gpu.index + 1) + tick * 25_000,
  },
  { name: 'DCGM_FI_DEV_VGPU_LICENSE_STATUS', type: 'gauge', help: 'vGPU License status', int: true, value: () => 0 },
  {
    name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    type: 'gauge',
    help: 'Ratio of time the graphics engine is active.',
    int: false,
    profiling: true,
    value: (_g, load) => Math.round(load * 0.98 * 1e6) / 1e6,
  },
  {
    name: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
    type: 'gauge',
    help: 'Ratio of cycles the tensor (HMMA) pipe is active.',
    int: false,
    profiling: true,
    value: (_g, load) => Math.round(load * 0.61 * 1e6) / 1e6,
  },
  {
    name: 'DCGM_FI_PROF_DRAM_ACTIVE',
    type: 'gauge',
    help: 'Ratio of cycles the device memory interface is active sending or receiving data.',
    int: false,
    profiling: true,
    value: (_g, load) => Math.round(load * 0.47 * 1e6) / 1e6,
  },
  {
    name: 'DCGM_FI_PROF_PCIE_TX_BYTES',
    type: 'gauge',
    help: 'The rate of data transmitted over the PCIe bus - including both protocol headers and data payloads - in bytes per second.',
    int: true,
    profiling: true,
    value: (_g, load) => Math.round(2e8 * load),
  },
  {
    name: 'DCGM_FI_PROF_PCIE_RX_BYTES',
    type: 'gauge',
    help: 'The rate of data received over the PCIe bus - including both protocol headers and data payloads - in bytes per second.',
    int: true,
    profiling: true,
    value: (_g, load) => Math.round(9e8 * load),
  },
];

function fbUsed(load: number): number {
  return Math.round(1_024 + 70_000 * load);
}

/** The names of every DCGM field the simulator serves. */
export const DCGM_FIELD_NAMES: readonly string[] = DCGM_FIELDS.map((field) => field.name);

/** The GPUs of a simulated host (stable for a given seed and host index). */
export function simulatedGpus(options: DcgmPageOptions = {}): SimulatedGpu[] {
  const seed = options.seed ?? 1;
  const host = options.host ?? 0;
  const hostname = options.hostname ?? `gpu-node-${host}`;
  const modelName = options.modelName ?? 'NVIDIA H100 80GB HBM3';
  const podGpus = new Set(options.podGpus ?? []);
  const hex = (...parts: number[]): string =>
    Math.floor(noise(seed, host, ...parts) * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  return Array.from({ length: options.gpus ?? 8 }, (_, index) => {
    const word = hex(index, 1);
    const uuid = `GPU-${word}-${hex(index, 2).slice(0, 4)}-${hex(index, 3).slice(0, 4)}-${hex(index, 4).slice(0, 4)}-${hex(index, 5)}${hex(index, 6).slice(0, 4)}`;
    const bus = [0x18, 0x2a, 0x3a, 0x5d, 0x9a, 0xab, 0xba, 0xdb][index % 8] ?? 0x18;
    const gpu: SimulatedGpu = {
      index,
      uuid,
      pciBusId: `0000${Math.floor(index / 8)
        .toString(16)
        .padStart(4, '0')
        .toUpperCase()}:${bus.toString(16).toUpperCase()}:00.0`,
      modelName,
      hostname,
    };
    if (podGpus.has(index))
      gpu.pod = { pod: `vllm-llama-${Math.floor(index / 2)}`, namespace: 'inference', container: 'vllm' };
    return gpu;
  });
}

/** The load (0..1) of a GPU at a tick: drives utilization, power, memory and clocks consistently. */
export function gpuLoad(seed: number, host: number, gpu: number, tick: number): number {
  return Math.round((0.15 + 0.8 * noise(seed, host, gpu, tick)) * 100) / 100;
}

/** The DCGM families served at `tick`. */
export function dcgmFamilies(options: DcgmPageOptions = {}, tick = 0): PageFamily[] {
  const seed = options.seed ?? 1;
  const host = options.host ?? 0;
  const gpus = simulatedGpus(options);
  const profiling = options.profiling ?? true;
  const hostnameLabel = options.hostnameLabel ?? 'Hostname';
  const driver = options.driverVersion ?? '550.54.15';
  const labelsOf = gpus.map((gpu): Array<[string, string]> => {
    const labels: Array<[string, string]> = [
      ['gpu', String(gpu.index)],
      ['UUID', gpu.uuid],
      ['pci_bus_id', gpu.pciBusId],
      ['device', `nvidia${gpu.index}`],
      ['modelName', gpu.modelName],
    ];
    if (gpu.hostname !== '') labels.push([hostnameLabel, gpu.hostname]);
    labels.push(['DCGM_FI_DRIVER_VERSION', driver]);
    if (gpu.pod) labels.push(['container', gpu.pod.container], ['namespace', gpu.pod.namespace], ['pod', gpu.pod.pod]);
    return labels;
  });
  const loads = gpus.map((gpu) => gpuLoad(seed, host, gpu.index, tick));
  return DCGM_FIELDS.filter((field) => profiling || !field.profiling).map((field) => ({
    name: field.name,
    type: field.type,
    help: field.help,
    samples: gpus.map((gpu, position) =>
      pageSample(
        field.name,
        labelsOf[position] ?? [],
        field.value(gpu, loads[position] ?? 0, tick, seed),
        field.int ? goInt : goFixed,
      ),
    ),
  }));
}
