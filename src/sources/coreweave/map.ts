// CoreWeave (Kubernetes) nodes and pods -> inventory rows and rate-card observations. Pure.

import { gpuModelColumns } from '../../core/gpu-catalog.ts';
import { focusTime, type ResourceRecord } from '../../core/model.ts';
import type { Observation } from '../_common/derived-cost/index.ts';
import { parseQuantity } from '../_common/kubernetes/quantity.ts';

/** The node fields the collector reads. */
export interface KubeNode {
  metadata: { name: string; uid?: string; creationTimestamp?: string; labels?: Record<string, string> };
  spec?: { providerID?: string; unschedulable?: boolean };
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: Array<{ type: string; status: string }>;
    addresses?: Array<{ type: string; address: string }>;
  };
}

interface KubeContainer {
  name: string;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
}

/** The pod fields the collector reads. */
export interface KubePod {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    ownerReferences?: Array<{ kind: string; name: string }>;
  };
  spec?: { nodeName?: string; containers?: KubeContainer[]; initContainers?: KubeContainer[] };
  status?: { phase?: string; startTime?: string };
}

const GPU_RESOURCE = 'nvidia.com/gpu';
/** Label keys naming the GPU model, most specific first (GFD, then CoreWeave's own). */
const GPU_MODEL_LABELS = ['nvidia.com/gpu.product', 'gpu.nvidia.com/model', 'gpu.nvidia.com/class'];
const INSTANCE_TYPE_LABELS = ['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type'];

/**
 * CKS node lifecycle labels, kept as row tags: the lifecycle state (production, zap, triage, ...), the
 * reservation (the customer Org ID in production, else the state) and a pending reservation change.
 */
const LIFECYCLE_LABELS: ReadonlyArray<[label: string, tag: string]> = [
  ['node.coreweave.cloud/state', 'lifecycle_state'],
  ['node.coreweave.cloud/reserved', 'reserved'],
  ['node.coreweave.cloud/reserved-desired', 'reserved_desired'],
];

/**
 * The billing status of a node CoreWeave pulled into triage: not a billed state of the CoreWeave rule, so such a
 * node gets no rate-card cost until it is back in production (an assumption: see README.md).
 */
export const TRIAGE_STATUS = 'Triage';

/** The node's lifecycle state (`node.coreweave.cloud/state`), or null when unlabelled. */
export function lifecycleStateOfNode(node: KubeNode): string | null {
  return node.metadata.labels?.['node.coreweave.cloud/state'] || null;
}

/** GPU model and count of a node, as the pods on it use it: the catalog id and the label's text. */
export interface NodeGpu {
  model: string | null;
  raw: string | null;
}

/**
 * GPU model and count of a node: GFD labels, CoreWeave labels, then `status.capacity["nvidia.com/gpu"]`. `model` is
 * the catalog id of the label (`NVIDIA-H100-80GB-HBM3` -> `H100-SXM5-80GB`; GFD's `gpu.memory` MiB narrows it).
 */
export function gpuOfNode(node: KubeNode): NodeGpu & { count: number | null; allocatable: number | null } {
  const labels = node.metadata.labels ?? {};
  const label = GPU_MODEL_LABELS.map((key) => labels[key]).find((value) => value !== undefined && value !== '') ?? null;
  const labelled = labels['nvidia.com/gpu.count'];
  const capacity = parseQuantity(node.status?.capacity?.[GPU_RESOURCE]);
  const count = labelled !== undefined && /^\d+$/.test(labelled) ? Number(labelled) : capacity;
  const memoryMib = Number(labels['nvidia.com/gpu.memory'] ?? '');
  const { gpu_model, gpu_model_raw } = gpuModelColumns(count === 0 ? null : label, {
    memoryBytes: memoryMib > 0 ? memoryMib * 1024 ** 2 : null,
  });
  return {
    model: gpu_model,
    raw: gpu_model_raw,
    count: count ?? (label ? null : 0),
    allocatable: parseQuantity(node.status?.allocatable?.[GPU_RESOURCE]),
  };
}

/** The node's instance type label (`node.kubernetes.io/instance-type`). */
export function instanceTypeOfNode(node: KubeNode): string | null {
  const labels = node.metadata.labels ?? {};
  return INSTANCE_TYPE_LABELS.map((key) => labels[key]).find((value) => value !== undefined && value !== '') ?? null;
}

/** `Ready`, `NotReady` or `Unknown` from the Ready condition. */
export function readinessOfNode(node: KubeNode): string {
  const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready')?.status;
  return ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown';
}

/** Tags: addresses and hostname for the DCGM join, topology and cordon state. */
export function nodeTags(node: KubeNode): Record<string, string> {
  const tags: Record<string, string> = {};
  const labels = node.metadata.labels ?? {};
  for (const address of node.status?.addresses ?? []) {
    if (address.type === 'InternalIP') tags.ip ??= address.address;
    if (address.type === 'InternalIP') tags.internal_ip ??= address.address;
    if (address.type === 'ExternalIP') tags.public_ip ??= address.address;
    if (address.type === 'Hostname') tags.hostname ??= address.address;
  }
  tags.hostname ??= labels['kubernetes.io/hostname'] ?? node.metadata.name;
  const zone = labels['topology.kubernetes.io/zone'];
  if (zone) tags.zone = zone;
  if (node.spec?.providerID) tags.provider_id = node.spec.providerID;
  const allocatable = gpuOfNode(node).allocatable;
  if (allocatable !== null) tags.gpu_allocatable = String(allocatable);
  if (node.spec?.unschedulable) tags.unschedulable = 'true';
  for (const [label, tag] of LIFECYCLE_LABELS) if (labels[label]) tags[tag] = labels[label];
  return tags;
}

/** One inventory row per node (`gpu_node` when it has GPUs); the price is the rate-card entry, if any. */
export function resourceFromNode(
  node: KubeNode,
  provider: string,
  now: Date,
  rateCard: Readonly<Record<string, string>>,
  currency: string,
): ResourceRecord {
  const gpu = gpuOfNode(node);
  const instanceType = instanceTypeOfNode(node);
  const labels = node.metadata.labels ?? {};
  return {
    provider,
    resource_id: node.metadata.name,
    resource_name: node.metadata.name,
    resource_type: gpu.count ? 'gpu_node' : 'node',
    region_id: labels['topology.kubernetes.io/region'] ?? null,
    status: readinessOfNode(node),
    instance_type: instanceType,
    gpu_model: gpu.model,
    gpu_model_raw: gpu.raw,
    gpu_count: gpu.count,
    vcpus: cpuCount(node.status?.capacity?.cpu),
    memory_bytes: parseQuantity(node.status?.capacity?.memory),
    price_per_hour: instanceType === null ? null : (rateCard[instanceType] ?? null),
    currency,
    tags: nodeTags(node),
    first_seen_at: node.metadata.creationTimestamp ?? null,
    last_seen_at: focusTime(now),
  };
}

/**
 * A node bills from its creation time at its instance type's rate-card price while it exists, except while
 * CoreWeave holds it in triage (status `Triage`, not a billed state).
 */
export function observationFromNode(node: KubeNode, rateCard: Readonly<Record<string, string>>): Observation {
  const gpu = gpuOfNode(node);
  const instanceType = instanceTypeOfNode(node);
  const created = node.metadata.creationTimestamp ? new Date(node.metadata.creationTimestamp) : undefined;
  return {
    id: node.metadata.name,
    status: lifecycleStateOfNode(node) === 'triage' ? TRIAGE_STATUS : readinessOfNode(node),
    hourlyPrice: instanceType === null ? null : (rateCard[instanceType] ?? null),
    runningSince: created !== undefined && !Number.isNaN(created.getTime()) ? created : undefined,
    meta: {
      name: node.metadata.name,
      instanceType,
      region: node.metadata.labels?.['topology.kubernetes.io/region'] ?? null,
      gpuModel: gpu.model,
      gpuCount: gpu.count,
      resourceType: gpu.count ? 'gpu_node' : 'node',
      tags: nodeTags(node),
    },
  };
}

/** GPUs a pod requests: max(largest init container, sum of containers); a limit alone sets the request. */
export function gpuRequestOfPod(pod: KubePod): number {
  const of = (container: KubeContainer): number =>
    parseQuantity(container.resources?.limits?.[GPU_RESOURCE] ?? container.resources?.requests?.[GPU_RESOURCE]) ?? 0;
  const containers = (pod.spec?.containers ?? []).reduce((total, container) => total + of(container), 0);
  const init = Math.max(0, ...(pod.spec?.initContainers ?? []).map(of));
  return Math.max(containers, init);
}

/**
 * One `pod` row for a pod that requests GPUs (others return null); `gpu_model` comes from its node, which is its
 * parent: the pod's GPUs are some of the node's, counted there.
 */
export function resourceFromPod(
  pod: KubePod,
  provider: string,
  now: Date,
  nodeGpus: ReadonlyMap<string, NodeGpu>,
): ResourceRecord | null {
  const gpus = gpuRequestOfPod(pod);
  if (gpus === 0) return null;
  const namespace = pod.metadata.namespace ?? 'default';
  const nodeName = pod.spec?.nodeName;
  const owner = pod.metadata.ownerReferences?.[0];
  const tags: Record<string, string> = { namespace };
  if (nodeName) tags.node = nodeName;
  if (owner) tags.owner = `${owner.kind}/${owner.name}`;
  for (const [key, value] of Object.entries(pod.metadata.labels ?? {})) tags[`label:${key}`] = value;
  return {
    provider,
    resource_id: `${namespace}/${pod.metadata.name}`,
    resource_name: pod.metadata.name,
    resource_type: 'pod',
    region_id: null,
    status: pod.status?.phase ?? null,
    instance_type: null,
    gpu_model: nodeName ? (nodeGpus.get(nodeName)?.model ?? null) : null,
    gpu_model_raw: nodeName ? (nodeGpus.get(nodeName)?.raw ?? null) : null,
    gpu_count: gpus,
    vcpus: null,
    memory_bytes: null,
    price_per_hour: null,
    currency: null,
    tags,
    parent_resource_id: nodeName ?? null,
    first_seen_at: pod.status?.startTime ?? pod.metadata.creationTimestamp ?? null,
    last_seen_at: focusTime(now),
  };
}

function cpuCount(text: string | undefined): number | null {
  const value = parseQuantity(text);
  return value === null ? null : Math.floor(value);
}
