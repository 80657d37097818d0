// RunPod wire shapes as the simulator serves them, written from `runpod/docs` api-reference-v2/openapi.json
// (REST v2 2.0.0: `Pod`, `BillingRecord`, `PodBillingRecord`, `*BillingMetadata`) and runpodctl's GraphQL
// `myself` query, not from the adapter's own types. Money is a JSON number in USD.

/** `status` of a v2 pod (spec `PodStatus`). */
export type RunpodWirePodStatus = 'PROVISIONING' | 'STARTING' | 'RUNNING' | 'EXITED' | 'ERROR' | 'TERMINATED';

/** One port of a pod's `runtime.ports` (spec `PodRuntimePort`). */
export interface RunpodWirePort {
  private: number;
  public: number | null;
  type: string;
  ip: string | null;
}

/**
 * One item of `GET /v2/pods` (`{"pods":[…]}`, no pagination), spec `Pod`. The simulator leaves out the required
 * fields the collector has no use for (actions, args, disk, mounts, ports, env, registry, cudaVersion, template,
 * globalNetworking).
 */
export interface RunpodWirePod {
  id: string;
  name: string;
  image: string;
  status: RunpodWirePodStatus;
  /** GPU pods only: GPU type id (`NVIDIA H100 80GB HBM3`) and count. */
  gpu?: { id: string; count: number };
  /** CPU pods only; `memory` in GB. */
  cpu?: { id: string; vcpuCount: number; memory: number };
  cloud: 'SECURE' | 'COMMUNITY';
  dataCenterId: string | null;
  /**
   * "Current cost in USD per hour (0.0 when EXITED or TERMINATED)": the whole pod, every GPU. The spec types it
   * `{"type":"number","format":"float"}`, a float32, so the JSON number carries float32 noise (0.3499999940395355).
   */
  cost: number;
  createdAt: string;
  startedAt: string | null;
  /** Null when the pod is not RUNNING; `uptime` in seconds. */
  runtime: { uptime: number; ports: RunpodWirePort[] } | null;
  /** Spec `PodSsh`; the simulator serves `host` (and `port`), not the spec's `username` and `command`. */
  ssh: { proxy: { host: string } | null; direct: { host: string; port: number } | null };
  locked: boolean;
}

/** A billing bucket [startTime, endTime), RFC 3339 (spec `BillingTimeRange`). */
export interface RunpodWireBucket {
  startTime: string;
  endTime: string;
}

/** One record of `GET /v2/billing/pods`: one pod, one bucket (spec `PodBillingRecord`). */
export interface RunpodWirePodBillingRecord extends RunpodWireBucket {
  podId: string;
  totalAmount: number;
  gpuAmount: number;
  cpuAmount: number;
  diskAmount: number;
}

/** The amounts of one `GET /v2/billing` bucket (spec `BillingAmounts`, every field required). */
export interface RunpodWireBillingAmounts {
  totalAmount: number;
  podGpuAmount: number;
  podCpuAmount: number;
  podDiskAmount: number;
  serverlessGpuAmount: number;
  serverlessCpuAmount: number;
  serverlessDiskAmount: number;
  serverlessFeeAmount: number;
  storageStandardAmount: number;
  storageHighPerformanceAmount: number;
  endpointAmount: number;
  clusterGpuAmount: number;
  clusterDiskAmount: number;
  clusterNetworkingAmount: number;
}

/** One record of `GET /v2/billing`: every resource family, one bucket (spec `BillingRecord`). */
export type RunpodWireBillingRecord = RunpodWireBucket & RunpodWireBillingAmounts;

/**
 * GraphQL `myself` fields (runpodctl `GetUser`). UNVERIFIED: the GraphQL schema is not published; `id` and `email`
 * come from the runpod-python queries, the money fields from runpodctl, all JSON numbers in USD.
 */
export interface RunpodWireMyself {
  id: string;
  email: string;
  clientBalance: number;
  currentSpendPerHr: number;
  spendLimit: number;
}
