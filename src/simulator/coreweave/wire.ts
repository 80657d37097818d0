// Kubernetes API wire shapes the CoreWeave (CKS) simulator serves, written from the Kubernetes API reference
// (core/v1 Node, Pod, NodeList/PodList, Status; kubernetes/website `api-concepts.md` for limit/continue) and
// CoreWeave's node-label docs, not from the adapter's own types. Quantities are strings (`"128"`, `"2113327328Ki"`).

/** `metadata` of a list item (ObjectMeta, the fields served). */
export interface KubeWireObjectMeta {
  name: string;
  uid: string;
  namespace?: string;
  resourceVersion?: string;
  creationTimestamp: string;
  labels: Record<string, string>;
  ownerReferences?: Array<{ kind: string; name: string }>;
}

/**
 * One Node of `GET /api/v1/nodes`. Labels: `node.kubernetes.io/instance-type` and the lifecycle labels
 * `node.coreweave.cloud/state` (production, zap, triage) and `node.coreweave.cloud/reserved` (documented by CoreWeave),
 * `nvidia.com/gpu.*` (GPU feature discovery; UNVERIFIED on CKS) and `gpu.nvidia.com/class` (legacy CoreWeave
 * Cloud; UNVERIFIED on CKS).
 */
export interface KubeWireNode {
  metadata: KubeWireObjectMeta;
  spec: { providerID: string; unschedulable?: boolean };
  status: {
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    conditions: Array<{ type: string; status: 'True' | 'False' | 'Unknown'; reason: string }>;
    addresses: Array<{ type: string; address: string }>;
    nodeInfo: { kubeletVersion: string; containerRuntimeVersion: string };
  };
}

/** A container's `resources`: GPU requests are `limits["nvidia.com/gpu"]` (extended resources: requests = limits). */
export interface KubeWireResources {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

/** One Pod of `GET /api/v1/pods`. */
export interface KubeWirePod {
  metadata: KubeWireObjectMeta;
  spec: { nodeName: string; containers: Array<{ name: string; resources: KubeWireResources }> };
  status: { phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown'; startTime: string };
}

/** A list page: `metadata.continue` (and `remainingItemCount`) only when more items follow. */
export interface KubeWireList<T> {
  kind: string;
  apiVersion: 'v1';
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** The `Status` body of every error (e.g. 410 reason Expired for a stale continue token). */
export interface KubeWireStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
}
