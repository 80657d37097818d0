// GPU inventory from DCGM labels: every GPU seen becomes a `gpu` resource whose id is its UUID, so a provider
// without an API still lists its GPUs (model, host, index, PCI bus, driver, pod when assigned). Its parent is the
// host it sits in, so the host (or the API instance the generic join finds) and its GPUs are counted once.

import { gpuModelColumns } from '../../../core/gpu-catalog.ts';
import type { ResourceRecord } from '../../../core/model.ts';
import { hostResourceId } from './host-id.ts';

/**
 * Most GPUs one exporter page may list: a dcgm-exporter reports one node (8 GPUs; the largest single hosts have
 * 16), so a page past this is hostile or broken and fails rather than flooding the inventory.
 */
export const MAX_GPUS_PER_TARGET = 256;

/** Collects GPUs from DCGM series labels, one per UUID. */
export interface GpuInventory {
  /** Notes the GPU a DCGM series belongs to (series without a UUID are ignored); `extra` labels (instance) are added when kept. */
  add(labels: Record<string, string>, extra?: Record<string, string>): void;
  readonly size: number;
  /** The resources, one per GPU. */
  resources(provider: string, lastSeenAt: string): ResourceRecord[];
}

/** Creates an empty inventory. */
export function createGpuInventory(): GpuInventory {
  const byUuid = new Map<string, Record<string, string>>();
  return {
    add(labels, extra) {
      const uuid = labels.UUID ?? labels.gpu_uuid;
      if (uuid && !byUuid.has(uuid)) byUuid.set(uuid, extra ? { ...labels, ...extra } : labels);
    },
    get size() {
      return byUuid.size;
    },
    resources(provider, lastSeenAt) {
      return [...byUuid].map(([uuid, labels]) => gpuResource(provider, uuid, labels, lastSeenAt));
    },
  };
}

/** One GPU resource from a DCGM series' labels; `modelName` through the GPU catalog, its host as parent. */
export function gpuResource(
  provider: string,
  uuid: string,
  labels: Record<string, string>,
  lastSeenAt: string,
): ResourceRecord {
  const host = labels.Hostname ?? labels.hostname ?? labels.instance?.replace(/:\d+$/, '') ?? null;
  const index = labels.gpu;
  const tags: Record<string, string> = {};
  const put = (key: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') tags[key] = value;
  };
  put('host', host ?? undefined);
  put('gpu', index);
  put('pci_bus_id', labels.pci_bus_id);
  put('device', labels.device);
  put('driver_version', labels.DCGM_FI_DRIVER_VERSION);
  put('instance', labels.instance);
  put('job', labels.job);
  put('pod', labels.pod ?? labels.exported_pod);
  put('namespace', labels.namespace ?? labels.exported_namespace);
  put('container', labels.container ?? labels.exported_container);
  put('mig_profile', labels.GPU_I_PROFILE);
  return {
    provider,
    resource_id: uuid,
    resource_name: host !== null && index !== undefined ? `${host}/gpu${index}` : uuid,
    resource_type: 'gpu',
    region_id: null,
    status: 'running',
    instance_type: null,
    ...gpuModelColumns(labels.modelName ?? labels.model_name ?? null),
    gpu_count: 1,
    vcpus: null,
    memory_bytes: null,
    price_per_hour: null,
    currency: null,
    tags,
    parent_resource_id: host === null || host === '' ? null : hostResourceId(host),
    last_seen_at: lastSeenAt,
  };
}
