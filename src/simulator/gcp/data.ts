// Deterministic Compute Engine data for the simulator: GPU instances (attached accelerators and a2/a3/g2
// machine types that imply their GPU), CPU instances, spot and preemptible scheduling, and empty zones.

import type { WireAcceleratorConfig, WireInstance } from './wire.ts';

const API = 'https://www.googleapis.com/compute/v1';

/** The zones every project has; zones without instances come back as NO_RESULTS_ON_PAGE warnings. */
export const SIM_ZONES = ['us-central1-a', 'us-central1-b', 'europe-west4-a', 'asia-east1-a'] as const;

interface Spec {
  name: string;
  zone: string;
  machineType: string;
  status?: string;
  accelerator?: [type: string, count: number];
  spot?: boolean;
  preemptible?: boolean;
  labels?: Record<string, string>;
}

const SPECS: readonly Spec[] = [
  { name: 'train-a100-0', zone: 'us-central1-a', machineType: 'a2-highgpu-8g', labels: { team: 'ml' } },
  { name: 'train-h100-0', zone: 'us-central1-a', machineType: 'a3-highgpu-8g', labels: { team: 'ml' } },
  { name: 'infer-l4-0', zone: 'us-central1-b', machineType: 'g2-standard-24', spot: true },
  {
    name: 'infer-t4-0',
    zone: 'europe-west4-a',
    machineType: 'n1-standard-8',
    accelerator: ['nvidia-tesla-t4', 2],
    preemptible: true,
  },
  {
    name: 'batch-v100-0',
    zone: 'europe-west4-a',
    machineType: 'n1-standard-16',
    accelerator: ['nvidia-tesla-v100', 4],
    status: 'TERMINATED',
  },
  { name: 'web-0', zone: 'us-central1-b', machineType: 'e2-standard-4', labels: { team: 'web', env: 'prod' } },
  { name: 'web-1', zone: 'europe-west4-a', machineType: 'e2-standard-4', status: 'STOPPING' },
];

/** The instances of one project; ids are derived from the project name and the position, so they are stable. */
export function projectInstances(projectId: string, seed = 1): WireInstance[] {
  let base = BigInt(seed) * 1_000_003n;
  for (const char of projectId) base = (base * 31n + BigInt(char.charCodeAt(0))) % 9_000_000_000_000_000n;
  return SPECS.map((spec, index) => {
    const zoneUrl = `${API}/projects/${projectId}/zones/${spec.zone}`;
    const guestAccelerators: WireAcceleratorConfig[] | undefined = spec.accelerator
      ? [
          {
            acceleratorType: `${zoneUrl}/acceleratorTypes/${spec.accelerator[0]}`,
            acceleratorCount: spec.accelerator[1],
          },
        ]
      : // Accelerator-optimized types list their built-in GPUs too (UNVERIFIED): the simulator leaves them out
        // so the collector's machine-type fallback is exercised.
        undefined;
    const hasGpu = spec.accelerator !== undefined || /^(a2|a3|g2)-/.test(spec.machineType);
    return {
      kind: 'compute#instance',
      id: String(1_000_000_000_000_000_000n + base + BigInt(index)),
      name: spec.name,
      creationTimestamp: '2026-10-01T08:00:00.000-07:00',
      machineType: `${zoneUrl}/machineTypes/${spec.machineType}`,
      status: spec.status ?? 'RUNNING',
      zone: zoneUrl,
      selfLink: `${zoneUrl}/instances/${spec.name}`,
      ...(spec.labels ? { labels: spec.labels } : {}),
      ...(guestAccelerators ? { guestAccelerators } : {}),
      scheduling: {
        provisioningModel: spec.spot ? 'SPOT' : 'STANDARD',
        preemptible: spec.preemptible ?? false,
        automaticRestart: !(spec.spot || spec.preemptible),
        // GPU instances cannot live-migrate.
        onHostMaintenance: hasGpu ? 'TERMINATE' : 'MIGRATE',
      },
    };
  });
}
