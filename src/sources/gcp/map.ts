// Compute Engine payloads (the fields read, as the REST reference names them) and the pure mapping from an
// `instances.aggregatedList` instance to an inventory row.

import { gpuModelColumns } from '../../core/gpu-catalog.ts';
import { instanceTypeGpus } from '../../core/gpu-instance-types.ts';
import type { ResourceRecord } from '../../core/model.ts';

/** One attached accelerator (`guestAccelerators[]`). */
export interface ComputeAccelerator {
  /** Full or partial URL ending in `acceleratorTypes/nvidia-tesla-a100`. */
  acceleratorType?: string;
  acceleratorCount?: number;
}

/** The instance fields the collector reads (compute#instance). */
export interface ComputeInstance {
  /** uint64 as a decimal string. */
  id?: string;
  name?: string;
  /** URL ending in `machineTypes/a2-highgpu-1g`. */
  machineType?: string;
  status?: string;
  /** URL ending in `zones/us-central1-a`. */
  zone?: string;
  labels?: Record<string, string>;
  guestAccelerators?: ComputeAccelerator[];
  scheduling?: { provisioningModel?: string; preemptible?: boolean };
  creationTimestamp?: string;
}

/** One scope of an aggregated list: instances, or a warning (NO_RESULTS_ON_PAGE, UNREACHABLE...). */
export interface ComputeScopedList {
  instances?: ComputeInstance[];
  warning?: { code?: string; message?: string; data?: Array<{ key?: string; value?: string }> };
}

/** compute#instanceAggregatedList. */
export interface ComputeAggregatedList {
  items?: Record<string, ComputeScopedList>;
  nextPageToken?: string;
  /** Scopes that could not be reached (with returnPartialSuccess). */
  unreachables?: string[];
}

/** Where an inventory row was seen. */
export interface InventoryContext {
  provider: string;
  projectId: string;
  seenAt: string;
}

/** The last path segment of a Compute URL (`…/machineTypes/a2-highgpu-1g` -> `a2-highgpu-1g`). */
export function lastSegment(url: string | undefined): string | null {
  if (!url) return null;
  const segment = url.split('/').pop();
  return segment ? segment : null;
}

/** The region of a zone (`us-central1-a` -> `us-central1`). */
export function regionOfZone(zone: string | null): string | null {
  if (zone === null) return null;
  const match = /^(.+)-[a-z]$/.exec(zone);
  return match?.[1] ?? zone;
}

/** Provisioning model: SPOT, else `preemptible` (the older flag), else STANDARD. */
export function provisioningModelOf(instance: ComputeInstance): string {
  const model = instance.scheduling?.provisioningModel;
  if (model === 'SPOT') return 'SPOT';
  if (instance.scheduling?.preemptible === true) return 'PREEMPTIBLE';
  return model ?? 'STANDARD';
}

/** GPU model and count: attached accelerators first, else the GPU an accelerator-optimized machine type implies. */
export function gpusOf(instance: ComputeInstance): {
  gpu_model: string | null;
  gpu_model_raw: string | null;
  gpu_count: number | null;
} {
  const machineType = lastSegment(instance.machineType);
  const accelerators = (instance.guestAccelerators ?? []).filter((item) => (item.acceleratorCount ?? 0) > 0);
  const first = accelerators[0];
  if (first !== undefined) {
    const count = accelerators.reduce((sum, item) => sum + (item.acceleratorCount ?? 0), 0);
    return { ...gpuModelColumns(lastSegment(first.acceleratorType), { instanceType: machineType }), gpu_count: count };
  }
  const implied = instanceTypeGpus(machineType);
  if (implied === undefined) return { gpu_model: null, gpu_model_raw: null, gpu_count: null };
  return { gpu_model: implied.model, gpu_model_raw: null, gpu_count: implied.count };
}

/** An inventory row for a Compute Engine instance; project, zone and provisioning model go into `gcp:` tags. */
export function resourceFromInstance(instance: ComputeInstance, context: InventoryContext): ResourceRecord {
  const zone = lastSegment(instance.zone);
  const tags: Record<string, string> = { ...instance.labels };
  tags['gcp:project-id'] = context.projectId;
  tags['gcp:provisioning-model'] = provisioningModelOf(instance);
  if (zone !== null) tags['gcp:zone'] = zone;
  return {
    provider: context.provider,
    resource_id: instance.id ?? `${context.projectId}/${zone ?? '-'}/${instance.name ?? ''}`,
    resource_name: instance.name ?? null,
    resource_type: 'instance',
    region_id: regionOfZone(zone),
    status: instance.status ?? null,
    instance_type: lastSegment(instance.machineType),
    ...gpusOf(instance),
    // vCPUs and memory need machineTypes.get per type: not in this build.
    vcpus: null,
    memory_bytes: null,
    price_per_hour: null,
    currency: null,
    tags,
    first_seen_at: instance.creationTimestamp ? new Date(instance.creationTimestamp).toISOString() : null,
    last_seen_at: context.seenAt,
  };
}

/** The instances of one aggregatedList page, skipping warning-only scopes; the scopes that warned, for logs. */
export function instancesOfPage(page: ComputeAggregatedList): {
  instances: ComputeInstance[];
  warnings: Array<{ scope: string; code: string }>;
} {
  const instances: ComputeInstance[] = [];
  const warnings: Array<{ scope: string; code: string }> = [];
  for (const [scope, list] of Object.entries(page.items ?? {})) {
    if (list.instances) instances.push(...list.instances);
    else if (list.warning) warnings.push({ scope, code: list.warning.code ?? 'UNKNOWN' });
  }
  return { instances, warnings };
}
