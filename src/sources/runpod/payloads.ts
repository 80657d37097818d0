// RunPod wire shapes: REST v2 (`runpod/docs` api-reference-v2/openapi.json) and GraphQL `myself`.
// Money fields are JSON numbers in USD.

/** One item of `GET /v2/pods` (`{"pods":[…]}`, no pagination). */
export interface RunpodPod {
  id: string;
  name?: string;
  image?: string;
  status?: string;
  /** GPU pods only: GPU type id (e.g. `NVIDIA H100 80GB HBM3`) and count. */
  gpu?: { id: string; count?: number };
  /** CPU pods only. */
  cpu?: { id: string; vcpuCount?: number; memory?: number };
  cloud?: string;
  dataCenterId?: string | null;
  /** Current USD per hour for the whole pod (0 when EXITED or TERMINATED). */
  cost?: number;
  createdAt?: string;
  startedAt?: string | null;
  runtime?: { uptime?: number; ports?: Array<{ private?: number; public?: number | null; type?: string; ip?: string | null }> } | null;
  ssh?: { direct?: { host?: string; port?: number } | null; proxy?: { host?: string } | null };
  locked?: boolean;
}

/** A billing time bucket [startTime, endTime). */
export interface RunpodBucket {
  startTime: string;
  endTime: string;
}

/** One record of `GET /v2/billing/pods`: one pod, one bucket. */
export interface RunpodPodBillingRecord extends RunpodBucket {
  podId: string;
  totalAmount: number;
  gpuAmount?: number;
  cpuAmount?: number;
  diskAmount?: number;
}

/** One record of `GET /v2/billing`: every resource family, one bucket. */
export interface RunpodBillingRecord extends RunpodBucket {
  totalAmount: number;
  [amount: string]: number | string;
}

/** `GET /v2/billing` and `GET /v2/billing/pods` responses. */
export interface RunpodBillingResponse<R> {
  records: R[];
  metadata?: { recordCount?: number; uniquePodCount?: number; totals?: Record<string, number>; query?: Record<string, string> };
}

/** GraphQL `myself` fields the collector reads. */
export interface RunpodMyself {
  id?: string;
  email?: string;
  clientBalance?: number;
  currentSpendPerHr?: number;
  spendLimit?: number;
}
