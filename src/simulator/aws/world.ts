// The simulated AWS organization: accounts, regions, instances (GPU families p4d, p5, g5, g6 with the GPU
// details AWS reports), buckets, databases, and Cost Explorer line amounts derived from a seed. Tests ask
// it for the exact totals the Cost Explorer side serves.

import { plainFromMinorUnits, sumOfPlain } from './money.ts';

/** A simulated account and the static access key that reaches it. */
export interface SimAccount {
  id: string;
  name: string;
  /** Access key of the account's base credentials (only the payer has one; others are reached by AssumeRole). */
  accessKeyId: string;
  /** ExternalId its role's trust policy requires, if any. */
  externalId?: string;
}

/** The payer (management) account's static credentials. */
export const PAYER_ACCESS_KEY = 'AKIASIMPAYER00000001';
/** Secret of the payer's static credentials (the simulator does not check signatures). */
export const PAYER_SECRET_KEY = 'sim-secret-not-checked';

export const SIM_ACCOUNTS: readonly SimAccount[] = [
  { id: '111111111111', name: 'acme-payer', accessKeyId: PAYER_ACCESS_KEY },
  { id: '222222222222', name: 'acme-ml', accessKeyId: 'ASIASIM222222222222' },
  { id: '333333333333', name: 'acme-web', accessKeyId: 'ASIASIM333333333333', externalId: 'acme-web-external' },
];

export const SIM_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;

/** Services with the regions they bill in (`NoRegion` as Cost Explorer reports tax). */
export const SIM_SERVICES: ReadonlyArray<{ name: string; regions: readonly string[]; unit: string }> = [
  { name: 'Amazon Elastic Compute Cloud - Compute', regions: SIM_REGIONS, unit: 'Hrs' },
  { name: 'EC2 - Other', regions: SIM_REGIONS, unit: 'N/A' },
  { name: 'Amazon Simple Storage Service', regions: SIM_REGIONS, unit: 'N/A' },
  { name: 'Amazon Relational Database Service', regions: ['us-east-1', 'eu-west-1'], unit: 'N/A' },
  { name: 'AmazonCloudWatch', regions: SIM_REGIONS, unit: 'N/A' },
  { name: 'Amazon SageMaker', regions: ['us-east-1', 'us-west-2'], unit: 'N/A' },
  { name: 'Tax', regions: ['NoRegion'], unit: 'N/A' },
  // The Savings Plans fees (recurring commitment), billed under their own SERVICE value.
  { name: 'Savings Plans for AWS Compute usage', regions: ['NoRegion'], unit: 'N/A' },
];

/** GPU details of an instance type, as DescribeInstanceTypes reports them. */
export interface SimInstanceType {
  vcpus: number;
  memoryMiB: number;
  gpu?: { name: string; manufacturer: string; count: number; memoryMiB: number };
}

/** Instance types the simulator knows (AWS's published figures). */
export const SIM_INSTANCE_TYPES: Readonly<Record<string, SimInstanceType>> = {
  'p4d.24xlarge': {
    vcpus: 96,
    memoryMiB: 1_179_648,
    gpu: { name: 'A100', manufacturer: 'NVIDIA', count: 8, memoryMiB: 40_960 },
  },
  'p5.48xlarge': {
    vcpus: 192,
    memoryMiB: 2_097_152,
    gpu: { name: 'H100', manufacturer: 'NVIDIA', count: 8, memoryMiB: 81_920 },
  },
  'g5.xlarge': {
    vcpus: 4,
    memoryMiB: 16_384,
    gpu: { name: 'A10G', manufacturer: 'NVIDIA', count: 1, memoryMiB: 24_576 },
  },
  'g5.12xlarge': {
    vcpus: 48,
    memoryMiB: 196_608,
    gpu: { name: 'A10G', manufacturer: 'NVIDIA', count: 4, memoryMiB: 24_576 },
  },
  'g6.xlarge': {
    vcpus: 4,
    memoryMiB: 16_384,
    gpu: { name: 'L4', manufacturer: 'NVIDIA', count: 1, memoryMiB: 22_888 },
  },
  'g6.12xlarge': {
    vcpus: 48,
    memoryMiB: 196_608,
    gpu: { name: 'L4', manufacturer: 'NVIDIA', count: 4, memoryMiB: 22_888 },
  },
  'm5.large': { vcpus: 2, memoryMiB: 8_192 },
  't3.medium': { vcpus: 2, memoryMiB: 4_096 },
};

/** A simulated EC2 instance. */
export interface SimInstance {
  id: string;
  account: string;
  region: string;
  zone: string;
  type: string;
  state: 'running' | 'stopped';
  name: string;
  spot: boolean;
  /** Whether the CloudWatch agent publishes its nvidia_smi_* metrics. */
  gpuAgent: boolean;
}

function instance(
  index: number,
  account: string,
  region: string,
  type: string,
  name: string,
  options: { state?: 'running' | 'stopped'; spot?: boolean; gpuAgent?: boolean } = {},
): SimInstance {
  return {
    id: `i-0${index.toString(16).padStart(16, '0')}`,
    account,
    region,
    zone: `${region}a`,
    type,
    name,
    state: options.state ?? 'running',
    spot: options.spot ?? false,
    gpuAgent: options.gpuAgent ?? SIM_INSTANCE_TYPES[type]?.gpu !== undefined,
  };
}

/**
 * `count` running instances of `type` in one account and region, ids from `firstIndex` (a fleet larger
 * than the world's, for tests of CloudWatch's limits).
 */
export function simFleet(options: {
  count: number;
  account: string;
  region: string;
  type: string;
  firstIndex: number;
  gpuAgent?: boolean;
}): SimInstance[] {
  return Array.from({ length: options.count }, (_, offset) =>
    instance(options.firstIndex + offset, options.account, options.region, options.type, `fleet-${offset}`, {
      ...(options.gpuAgent === undefined ? {} : { gpuAgent: options.gpuAgent }),
    }),
  );
}

export const SIM_INSTANCES: readonly SimInstance[] = [
  instance(1, '111111111111', 'us-east-1', 'p4d.24xlarge', 'train-a100'),
  instance(2, '111111111111', 'us-east-1', 'p5.48xlarge', 'train-h100', { spot: true }),
  instance(3, '111111111111', 'us-east-1', 'm5.large', 'api'),
  instance(4, '111111111111', 'us-east-1', 't3.medium', 'bastion', { state: 'stopped' }),
  instance(5, '111111111111', 'us-west-2', 'g5.12xlarge', 'infer-a10g'),
  instance(6, '111111111111', 'us-west-2', 'g6.xlarge', 'infer-l4', { spot: true }),
  instance(7, '111111111111', 'us-west-2', 'g5.xlarge', 'dev-a10g', { gpuAgent: false }),
  instance(8, '111111111111', 'eu-west-1', 'g6.12xlarge', 'infer-l4-eu'),
  instance(9, '111111111111', 'eu-west-1', 'm5.large', 'api-eu'),
  instance(10, '222222222222', 'us-east-1', 'g5.xlarge', 'ml-notebook'),
  instance(11, '333333333333', 'us-east-1', 'm5.large', 'web'),
];

/** A simulated S3 bucket; `listedRegion` false makes ListBuckets omit BucketRegion (GetBucketLocation needed). */
export interface SimBucket {
  name: string;
  account: string;
  region: string;
  listedRegion: boolean;
  created: string;
}

export const SIM_BUCKETS: readonly SimBucket[] = [
  {
    name: 'acme-datasets',
    account: '111111111111',
    region: 'us-east-1',
    listedRegion: true,
    created: '2024-03-01T10:00:00.000Z',
  },
  {
    name: 'acme-checkpoints',
    account: '111111111111',
    region: 'us-west-2',
    listedRegion: false,
    created: '2024-05-12T08:30:00.000Z',
  },
  {
    name: 'acme-logs-eu',
    account: '111111111111',
    region: 'eu-west-1',
    listedRegion: true,
    created: '2025-01-20T12:00:00.000Z',
  },
  {
    name: 'ml-scratch',
    account: '222222222222',
    region: 'us-east-1',
    listedRegion: false,
    created: '2025-06-01T00:00:00.000Z',
  },
  {
    name: 'web-assets',
    account: '333333333333',
    region: 'eu-west-1',
    listedRegion: true,
    created: '2023-11-11T11:11:11.000Z',
  },
];

/** A simulated RDS instance. */
export interface SimDatabase {
  identifier: string;
  account: string;
  region: string;
  instanceClass: string;
  engine: string;
  status: string;
  storageGiB: number;
}

export const SIM_DATABASES: readonly SimDatabase[] = [
  {
    identifier: 'orders-db',
    account: '111111111111',
    region: 'us-east-1',
    instanceClass: 'db.r6g.large',
    engine: 'postgres',
    status: 'available',
    storageGiB: 200,
  },
  {
    identifier: 'analytics-db',
    account: '111111111111',
    region: 'us-east-1',
    instanceClass: 'db.m6g.xlarge',
    engine: 'mysql',
    status: 'available',
    storageGiB: 500,
  },
  {
    identifier: 'eu-orders',
    account: '111111111111',
    region: 'eu-west-1',
    instanceClass: 'db.t4g.medium',
    engine: 'postgres',
    status: 'available',
    storageGiB: 100,
  },
  {
    identifier: 'web-db',
    account: '333333333333',
    region: 'us-east-1',
    instanceClass: 'db.t4g.small',
    engine: 'mariadb',
    status: 'available',
    storageGiB: 20,
  },
];

/** A deterministic number in [0, 1) from a seed and a key (FNV-1a, then a mulberry32 round). */
export function unitHash(seed: number, ...parts: ReadonlyArray<string | number>): number {
  let hash = 0x811c9dc5 ^ seed;
  for (const char of parts.join('|')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  let t = (hash + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

/** One account's cost for one service, region and day, per Cost Explorer metric (exact decimal strings). */
export interface SimCostLine {
  day: string;
  account: string;
  service: string;
  region: string;
  unit: string;
  amounts: {
    UnblendedCost: string;
    AmortizedCost: string;
    NetUnblendedCost: string;
    BlendedCost: string;
    NetAmortizedCost: string;
    UsageQuantity: string;
  };
}

/** A Cost Explorer metric the simulator serves. */
export type SimMetric = keyof SimCostLine['amounts'];

/** Fractional digits each metric's amounts are generated with: costs in micro-dollars, usage in thousandths. */
export const METRIC_PLACES: Readonly<Record<SimMetric, number>> = {
  UnblendedCost: 6,
  BlendedCost: 6,
  AmortizedCost: 6,
  NetAmortizedCost: 6,
  NetUnblendedCost: 6,
  UsageQuantity: 3,
};

/** Whether `name` is a metric the simulator serves. */
export function isSimMetric(name: string): name is SimMetric {
  return Object.hasOwn(METRIC_PLACES, name);
}

/** The cost lines of one day (about 80% of service/region/account combinations bill on a given day). */
export function costLinesOf(seed: number, day: string): SimCostLine[] {
  const lines: SimCostLine[] = [];
  for (const account of SIM_ACCOUNTS) {
    for (const service of SIM_SERVICES) {
      for (const region of service.regions) {
        if (unitHash(seed, 'present', day, account.id, service.name, region) < 0.2) continue;
        // Micro-dollars: up to $2,000 a line; some lines are tiny (fractions of a cent) on purpose.
        const tiny = unitHash(seed, 'tiny', day, account.id, service.name, region) < 0.1;
        const micros = Math.floor(
          unitHash(seed, 'amount', day, account.id, service.name, region) * (tiny ? 900 : 2_000_000_000),
        );
        const usage = Math.floor(unitHash(seed, 'usage', day, account.id, service.name, region) * 240_000);
        const unblended = plainFromMinorUnits(BigInt(micros), 6);
        lines.push({
          day,
          account: account.id,
          service: service.name,
          region,
          unit: service.unit,
          amounts: {
            UnblendedCost: unblended,
            BlendedCost: unblended,
            AmortizedCost: plainFromMinorUnits(BigInt(Math.floor(micros * 0.92)), 6),
            NetAmortizedCost: plainFromMinorUnits(BigInt(Math.floor(micros * 0.89)), 6),
            NetUnblendedCost: plainFromMinorUnits(BigInt(Math.floor(micros * 0.97)), 6),
            UsageQuantity: plainFromMinorUnits(BigInt(usage), 3),
          },
        });
      }
    }
  }
  return lines;
}

/** Accounts whose costs a caller sees: the payer sees the whole organization, a member only itself. */
export function visibleAccounts(callerAccount: string): string[] {
  return callerAccount === SIM_ACCOUNTS[0]?.id ? SIM_ACCOUNTS.map((account) => account.id) : [callerAccount];
}

/** UTC days `YYYY-MM-DD` in [start, end). */
export function daysBetween(start: string, end: string): string[] {
  const days: string[] = [];
  for (
    let day = new Date(`${start}T00:00:00Z`);
    day < new Date(`${end}T00:00:00Z`);
    day = new Date(day.getTime() + 86_400_000)
  ) {
    days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

/** The exact sum of a Cost Explorer metric per day, as seen by `callerAccount`: what a collector must total.
 * Summed in integer minor units (./money.ts), never with the product's decimal code. */
export function expectedDailyTotals(
  seed: number,
  callerAccount: string,
  start: string,
  end: string,
  metric: SimMetric = 'UnblendedCost',
): Map<string, string> {
  const visible = new Set(visibleAccounts(callerAccount));
  const totals = new Map<string, string>();
  for (const day of daysBetween(start, end)) {
    const amounts = costLinesOf(seed, day)
      .filter((line) => visible.has(line.account))
      .map((line) => line.amounts[metric]);
    totals.set(day, sumOfPlain(amounts, METRIC_PLACES[metric]));
  }
  return totals;
}
