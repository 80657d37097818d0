// A node_exporter page (Linux, client_golang output): families sorted by name, labels sorted, Go %g values.
// Counters grow with the tick so rates are computable; gauges wobble deterministically.

import { goFloat, noise, pageSample, type PageFamily, type PageMetricType } from './render.ts';

/** Options for a simulated node_exporter. */
export interface NodePageOptions {
  seed?: number;
  host?: number;
  cpus?: number;
  /** Seconds of wall time one tick stands for (counters advance by this much per tick); default 15. */
  secondsPerTick?: number;
  /** node_uname_info's nodename (default `gpu-node-<host>`, the DCGM page's Hostname). */
  hostname?: string;
  /** Leave node_uname_info and node_os_info out (node_exporter with --no-collector.uname / os). */
  noInfo?: boolean;
}

/** The mountpoints, disks and interfaces the simulated host has. */
export const NODE_MOUNTS = [
  { device: '/dev/nvme0n1p2', fstype: 'ext4', mountpoint: '/', size: 1_967_317_549_056 },
  { device: '/dev/nvme0n1p1', fstype: 'vfat', mountpoint: '/boot/efi', size: 535_805_952 },
  { device: '/dev/md0', fstype: 'xfs', mountpoint: '/data', size: 15_361_318_912_000 },
] as const;
const NODE_DISKS = ['nvme0n1', 'nvme1n1'] as const;
const NODE_INTERFACES = ['eth0', 'lo'] as const;
const CPU_MODES = ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'] as const;
const MEM_TOTAL = 2_163_728_977_920;

/** The node_exporter families served at `tick`. */
export function nodeFamilies(options: NodePageOptions = {}, tick = 0): PageFamily[] {
  const seed = options.seed ?? 1;
  const host = options.host ?? 0;
  const cpus = options.cpus ?? 4;
  const seconds = (options.secondsPerTick ?? 15) * tick;
  const busy = 0.2 + 0.6 * noise(seed, host, 900, tick);
  const families: PageFamily[] = [];
  const family = (
    name: string,
    type: PageMetricType,
    help: string,
    rows: Array<[Array<[string, string]>, number]>,
  ): void => {
    families.push({
      name,
      type,
      help,
      samples: rows.map(([labels, value]) => pageSample(name, labels, value, goFloat)),
    });
  };

  // Cumulative busy seconds per CPU: its per-tick increase stays within 20-80% of the tick, so counters never go back.
  const busySeconds = (cpu: number): number =>
    (options.secondsPerTick ?? 15) * (0.5 * tick + 0.3 * Math.sin(tick + cpu));
  const cpuRows: Array<[Array<[string, string]>, number]> = [];
  for (let cpu = 0; cpu < cpus; cpu += 1) {
    const busyNow = busySeconds(cpu) + 1;
    for (const mode of CPU_MODES) {
      const base = 100_000 * (cpu + 1) * (mode === 'idle' ? 8 : mode === 'user' ? 2 : mode === 'system' ? 1 : 0.01);
      const grown =
        mode === 'idle'
          ? seconds - busyNow
          : mode === 'user'
            ? busyNow * 0.7
            : mode === 'system'
              ? busyNow * 0.25
              : mode === 'iowait'
                ? busyNow * 0.05
                : 0;
      cpuRows.push([
        [
          ['cpu', String(cpu)],
          ['mode', mode],
        ],
        Math.round((base + grown) * 100) / 100,
      ]);
    }
  }
  family('node_cpu_seconds_total', 'counter', 'Seconds the CPUs spent in each mode.', cpuRows);

  const diskRows = (perTick: number, offset: number): Array<[Array<[string, string]>, number]> =>
    NODE_DISKS.map((device, index) => [[['device', device]], offset * (index + 1) + perTick * tick * (index + 1)]);
  family('node_disk_io_time_seconds_total', 'counter', 'Total seconds spent doing I/Os.', diskRows(3, 52_311));
  family(
    'node_disk_read_bytes_total',
    'counter',
    'The total number of bytes read successfully.',
    diskRows(15 * 52_428_800, 8_221_663_232),
  );
  family(
    'node_disk_reads_completed_total',
    'counter',
    'The total number of reads completed successfully.',
    diskRows(15 * 400, 1_284_331),
  );
  family(
    'node_disk_writes_completed_total',
    'counter',
    'The total number of writes completed successfully.',
    diskRows(15 * 250, 2_004_113),
  );
  family(
    'node_disk_written_bytes_total',
    'counter',
    'The total number of bytes written successfully.',
    diskRows(15 * 31_457_280, 16_443_326_464),
  );

  const fsRows = (
    pick: (mount: (typeof NODE_MOUNTS)[number], index: number) => number,
  ): Array<[Array<[string, string]>, number]> =>
    NODE_MOUNTS.map((mount, index) => [
      [
        ['device', mount.device],
        ['device_error', ''],
        ['fstype', mount.fstype],
        ['mountpoint', mount.mountpoint],
      ],
      pick(mount, index),
    ]);
  const free = (mount: (typeof NODE_MOUNTS)[number], index: number): number =>
    Math.round((mount.size * (0.35 + 0.3 * noise(seed, host, 700 + index, tick))) / 4096) * 4096;
  family(
    'node_filesystem_avail_bytes',
    'gauge',
    'Filesystem space available to non-root users in bytes.',
    fsRows((mount, index) => Math.max(0, free(mount, index) - Math.round((mount.size * 0.05) / 4096) * 4096)),
  );
  family('node_filesystem_free_bytes', 'gauge', 'Filesystem free space in bytes.', fsRows(free));
  family(
    'node_filesystem_size_bytes',
    'gauge',
    'Filesystem size in bytes.',
    fsRows((mount) => mount.size),
  );

  family('node_load1', 'gauge', '1m load average.', [[[], Math.round(cpus * busy * 100) / 100]]);
  family('node_load15', 'gauge', '15m load average.', [[[], Math.round(cpus * 0.5 * 100) / 100]]);
  family('node_load5', 'gauge', '5m load average.', [[[], Math.round(cpus * (0.25 + busy / 2) * 100) / 100]]);

  const available = Math.round((MEM_TOTAL * (0.3 + 0.4 * noise(seed, host, 800, tick))) / 4096) * 4096;
  family('node_memory_Buffers_bytes', 'gauge', 'Memory information field Buffers_bytes.', [[[], 1_203_527_680]]);
  family('node_memory_Cached_bytes', 'gauge', 'Memory information field Cached_bytes.', [[[], 412_316_860_416]]);
  family('node_memory_MemAvailable_bytes', 'gauge', 'Memory information field MemAvailable_bytes.', [[[], available]]);
  family('node_memory_MemFree_bytes', 'gauge', 'Memory information field MemFree_bytes.', [
    [[], Math.max(0, available - 412_316_860_416)],
  ]);
  family('node_memory_MemTotal_bytes', 'gauge', 'Memory information field MemTotal_bytes.', [[[], MEM_TOTAL]]);

  const netRows = (perTick: number, offset: number): Array<[Array<[string, string]>, number]> =>
    NODE_INTERFACES.map((device, index) => [
      [['device', device]],
      index === 1 ? offset / 10 + (perTick / 100) * tick : offset + perTick * tick,
    ]);
  family(
    'node_network_receive_bytes_total',
    'counter',
    'Network device statistic receive_bytes.',
    netRows(15 * 125_000_000, 98_213_117_512),
  );
  family(
    'node_network_transmit_bytes_total',
    'counter',
    'Network device statistic transmit_bytes.',
    netRows(15 * 62_500_000, 51_002_334_208),
  );
  family(
    'node_network_up',
    'gauge',
    "Value is 1 if operstate is 'up', 0 otherwise.",
    NODE_INTERFACES.map((device) => [[['device', device]], device === 'lo' ? 0 : 1]),
  );
  if (options.noInfo) return families;
  // node_exporter 1.x collector/os_release.go and collector/uname.go: the labels and HELP text they print.
  family(
    'node_os_info',
    'gauge',
    "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
    [
      [
        [
          ['build_id', ''],
          ['id', 'ubuntu'],
          ['id_like', 'debian'],
          ['image_id', ''],
          ['image_version', ''],
          ['name', 'Ubuntu'],
          ['pretty_name', 'Ubuntu 24.04.1 LTS'],
          ['variant', ''],
          ['variant_id', ''],
          ['version', '24.04.1 LTS (Noble Numbat)'],
          ['version_codename', 'noble'],
          ['version_id', '24.04'],
        ],
        1,
      ],
    ],
  );
  family('node_uname_info', 'gauge', 'Labeled system information as provided by the uname system call.', [
    [
      [
        ['domainname', '(none)'],
        ['machine', 'x86_64'],
        ['nodename', options.hostname ?? `gpu-node-${host}`],
        ['release', '6.8.0-49-generic'],
        ['sysname', 'Linux'],
        ['version', '#49-Ubuntu SMP PREEMPT_DYNAMIC Mon Nov  4 02:06:24 UTC 2024'],
      ],
      1,
    ],
  ]);
  return families;
}
