// Deterministic RunPod account data shaped as REST v2 and GraphQL document it. Billing is generated per pod
// per day in integer cents, so per-pod buckets, account buckets and their totals agree exactly.

import { seededRandom } from '../random.ts';
import type {
  RunpodWireBillingAmounts,
  RunpodWireBillingRecord,
  RunpodWireMyself,
  RunpodWirePod,
  RunpodWirePodBillingRecord,
} from './wire.ts';

const DAY_MS = 86_400_000;

/** A pod's billing life: GPU/CPU billed while running, disk while it exists. */
interface PodLife {
  pod: RunpodWirePod;
  /** Hourly compute price in USD cents (whole pod). */
  hourlyCents: number;
  computeKind: 'gpu' | 'cpu';
  diskCentsPerDay: number;
  createdMs: number;
  stoppedMs: number | null;
  deletedMs: number | null;
}

/** Everything the RunPod simulator serves. */
export interface RunpodDataset {
  now: Date;
  pods: RunpodWirePod[];
  lives: PodLife[];
  myself: RunpodWireMyself;
  /** Per-pod day records overlapping [start, end). */
  podRecords(start: Date, end: Date, podId?: string): RunpodWirePodBillingRecord[];
  /** Account day records overlapping [start, end). */
  accountRecords(start: Date, end: Date): RunpodWireBillingRecord[];
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Builds the dataset for `now`. */
export function runpodDataset(seed: number, now: Date): RunpodDataset {
  const random = seededRandom(seed);
  const nowMs = now.getTime();
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const definitions: Array<{
    id: string;
    name: string;
    gpu?: { id: string; count: number };
    cpu?: { id: string; vcpuCount: number; memory: number };
    hourly: number;
    cloud: RunpodWirePod['cloud'];
    dc: string;
    ageDays: number;
    stoppedDaysAgo?: number;
    deletedDaysAgo?: number;
  }> = [
    {
      id: '7h9k2m4n6p',
      name: 'h100-train',
      gpu: { id: 'NVIDIA H100 80GB HBM3', count: 8 },
      hourly: 2152,
      cloud: 'SECURE',
      dc: 'US-KS-2',
      ageDays: 40,
    },
    {
      id: 'a2b4c6d8e0',
      name: 'a100-finetune',
      gpu: { id: 'NVIDIA A100-SXM4-80GB', count: 2 },
      hourly: 378,
      cloud: 'SECURE',
      dc: 'EU-RO-1',
      ageDays: 100,
    },
    {
      id: 'r4090devxx',
      name: 'rtx-dev',
      gpu: { id: 'NVIDIA GeForce RTX 4090', count: 1 },
      hourly: 69,
      cloud: 'COMMUNITY',
      dc: 'CA-MTL-1',
      ageDays: 10,
    },
    {
      id: 'l40sinfer4',
      name: 'l40s-infer',
      gpu: { id: 'NVIDIA L40S', count: 4 },
      hourly: 344,
      cloud: 'SECURE',
      dc: 'US-TX-3',
      ageDays: 60,
    },
    {
      id: 'cpuetl0008',
      name: 'cpu-etl',
      cpu: { id: 'cpu5c', vcpuCount: 8, memory: 16 },
      hourly: 32,
      cloud: 'SECURE',
      dc: 'US-KS-2',
      ageDays: 25,
    },
    {
      id: 'h100old001',
      name: 'h100-stopped',
      gpu: { id: 'NVIDIA H100 80GB HBM3', count: 1 },
      hourly: 269,
      cloud: 'SECURE',
      dc: 'US-GA-1',
      ageDays: 50,
      stoppedDaysAgo: 20,
    },
    {
      id: 'gone000001',
      name: 'deleted-sweep',
      gpu: { id: 'NVIDIA A40', count: 2 },
      hourly: 88,
      cloud: 'COMMUNITY',
      dc: 'EU-SE-1',
      ageDays: 80,
      stoppedDaysAgo: 30,
      deletedDaysAgo: 30,
    },
  ];
  const lives: PodLife[] = definitions.map((definition, index) => {
    const createdMs = today - definition.ageDays * DAY_MS + 9 * 3_600_000;
    const stoppedMs = definition.stoppedDaysAgo === undefined ? null : today - definition.stoppedDaysAgo * DAY_MS;
    const running = stoppedMs === null;
    const publicIp = `195.26.${233 + index}.${Math.floor(random() * 250) + 2}`;
    const pod: RunpodWirePod = {
      id: definition.id,
      name: definition.name,
      image: definition.gpu ? 'runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404' : 'python:3.12-slim',
      status: running ? 'RUNNING' : 'EXITED',
      ...(definition.gpu ? { gpu: definition.gpu } : { cpu: definition.cpu }),
      cloud: definition.cloud,
      dataCenterId: definition.dc,
      // Spec `Pod.cost` is `format: float`: a float32, served widened to a double (0.35 -> 0.3499999940395355).
      cost: running ? Math.fround(definition.hourly / 100) : 0,
      createdAt: iso(createdMs),
      startedAt: running ? iso(createdMs + 120_000) : null,
      runtime: running
        ? {
            uptime: Math.floor((nowMs - createdMs - 120_000) / 1000),
            ports: [{ private: 22, public: 30_000 + index, type: 'tcp', ip: publicIp }],
          }
        : null,
      ssh: { proxy: { host: 'ssh.runpod.io' }, direct: running ? { host: publicIp, port: 30_000 + index } : null },
      locked: false,
    };
    return {
      pod,
      hourlyCents: definition.hourly,
      computeKind: definition.gpu ? 'gpu' : 'cpu',
      diskCentsPerDay: 5 + Math.floor(random() * 20),
      createdMs,
      stoppedMs,
      deletedMs: definition.deletedDaysAgo === undefined ? null : today - definition.deletedDaysAgo * DAY_MS,
    };
  });
  const running = lives.filter((life) => life.stoppedMs === null);

  /** Cents billed to one pod in [from, to). */
  const podCents = (life: PodLife, from: number, to: number): { compute: number; disk: number } => {
    const until = Math.min(to, nowMs, life.deletedMs ?? Infinity);
    if (until <= Math.max(from, life.createdMs)) return { compute: 0, disk: 0 };
    const computeEnd = Math.min(until, life.stoppedMs ?? Infinity);
    const computeMs = Math.max(0, computeEnd - Math.max(from, life.createdMs));
    const diskMs = until - Math.max(from, life.createdMs);
    return {
      compute: Math.round((life.hourlyCents * computeMs) / 3_600_000),
      disk: Math.round((life.diskCentsPerDay * diskMs) / DAY_MS),
    };
  };
  const days = (start: Date, end: Date): number[] => {
    const list: number[] = [];
    for (let day = Math.floor(start.getTime() / DAY_MS) * DAY_MS; day < end.getTime() && day <= nowMs; day += DAY_MS)
      list.push(day);
    return list;
  };
  const podRecords = (start: Date, end: Date, podId?: string): RunpodWirePodBillingRecord[] => {
    const records: RunpodWirePodBillingRecord[] = [];
    for (const day of days(start, end)) {
      for (const life of lives) {
        if (podId !== undefined && life.pod.id !== podId) continue;
        const cents = podCents(life, day, day + DAY_MS);
        if (cents.compute === 0 && cents.disk === 0) continue;
        const gpu = life.computeKind === 'gpu' ? cents.compute : 0;
        const cpu = life.computeKind === 'cpu' ? cents.compute : 0;
        records.push({
          startTime: iso(day),
          endTime: iso(day + DAY_MS),
          podId: life.pod.id,
          totalAmount: (gpu + cpu + cents.disk) / 100,
          gpuAmount: gpu / 100,
          cpuAmount: cpu / 100,
          diskAmount: cents.disk / 100,
        });
      }
    }
    return records;
  };
  const accountRecords = (start: Date, end: Date): RunpodWireBillingRecord[] =>
    days(start, end).map((day) => {
      const pods = podRecords(new Date(day), new Date(day + DAY_MS));
      const sum = (pick: (record: RunpodWirePodBillingRecord) => number): number =>
        pods.reduce((total, record) => total + Math.round(pick(record) * 100), 0);
      const dayRandom = seededRandom(seed * 31 + day / DAY_MS);
      const serverlessGpu = Math.floor(dayRandom() * 1500);
      type OtherAmount = Exclude<keyof RunpodWireBillingAmounts, 'totalAmount' | `pod${string}`>;
      const other: Record<OtherAmount, number> = {
        serverlessGpuAmount: serverlessGpu,
        serverlessCpuAmount: 0,
        serverlessDiskAmount: Math.floor(dayRandom() * 40),
        serverlessFeeAmount: serverlessGpu > 0 ? 125 : 0,
        storageStandardAmount: 35,
        storageHighPerformanceAmount: 0,
        endpointAmount: Math.floor(dayRandom() * 500),
        clusterGpuAmount: 0,
        clusterDiskAmount: 0,
        clusterNetworkingAmount: 0,
      };
      const podGpu = sum((record) => record.gpuAmount);
      const podCpu = sum((record) => record.cpuAmount);
      const podDisk = sum((record) => record.diskAmount);
      const totalCents = podGpu + podCpu + podDisk + Object.values(other).reduce((total, value) => total + value, 0);
      const dollars = (cents: number): number => cents / 100;
      return {
        startTime: iso(day),
        endTime: iso(day + DAY_MS),
        totalAmount: dollars(totalCents),
        podGpuAmount: dollars(podGpu),
        podCpuAmount: dollars(podCpu),
        podDiskAmount: dollars(podDisk),
        serverlessGpuAmount: dollars(other.serverlessGpuAmount),
        serverlessCpuAmount: dollars(other.serverlessCpuAmount),
        serverlessDiskAmount: dollars(other.serverlessDiskAmount),
        serverlessFeeAmount: dollars(other.serverlessFeeAmount),
        storageStandardAmount: dollars(other.storageStandardAmount),
        storageHighPerformanceAmount: dollars(other.storageHighPerformanceAmount),
        endpointAmount: dollars(other.endpointAmount),
        clusterGpuAmount: dollars(other.clusterGpuAmount),
        clusterDiskAmount: dollars(other.clusterDiskAmount),
        clusterNetworkingAmount: dollars(other.clusterNetworkingAmount),
      };
    });
  return {
    now,
    pods: lives.filter((life) => life.deletedMs === null).map((life) => life.pod),
    lives,
    myself: {
      id: 'user_2x8Yq4',
      email: 'finops@example.com',
      clientBalance: 1834.27,
      currentSpendPerHr: running.reduce((total, life) => total + life.hourlyCents, 0) / 100,
      spendLimit: 80,
    },
    podRecords,
    accountRecords,
  };
}
