// Which GPUs an instance type, machine type or VM size brings, for the clouds whose inventory names the type but
// not (or not fully) the GPU: AWS (DescribeInstanceTypes says "NVIDIA A100" with no form factor), GCP (a2/a3/g2
// machine types imply their GPU; accelerator type names) and Azure (VM sizes). Pure data; the sources of every
// row, and what is UNVERIFIED, are in docs/gpu-catalog.md. Counts below 1 are fractional GPUs (a VM gets a share).

/** GPUs of one instance type: a catalog id (src/core/gpu-catalog.ts) and how many, possibly a fraction. */
export interface InstanceTypeGpus {
  readonly model: string;
  /** GPUs per instance; below 1 for a share of one GPU (Azure NV6ads_A10_v5 = 1/6). */
  readonly count: number;
}

const sized = (
  model: string,
  prefix: string,
  counts: Readonly<Record<string, number>>,
): Array<[string, InstanceTypeGpus]> =>
  Object.entries(counts).map(([size, count]) => [`${prefix}${size}`, { model, count }]);

/** AWS EC2 accelerated-computing instance types (docs.aws.amazon.com/ec2/latest/instancetypes/ac.html). */
const AWS: ReadonlyArray<[string, InstanceTypeGpus]> = [
  ['p5.48xlarge', { model: 'H100-SXM5-80GB', count: 8 }],
  ['p5e.48xlarge', { model: 'H200-SXM-141GB', count: 8 }],
  ['p5en.48xlarge', { model: 'H200-SXM-141GB', count: 8 }],
  ['p6-b200.48xlarge', { model: 'B200', count: 8 }],
  ['p4d.24xlarge', { model: 'A100-SXM4-40GB', count: 8 }],
  ['p4de.24xlarge', { model: 'A100-SXM4-80GB', count: 8 }],
  ...sized('V100-SXM2-16GB', 'p3.', { '2xlarge': 1, '8xlarge': 4, '16xlarge': 8 }),
  ['p3dn.24xlarge', { model: 'V100-SXM2-32GB', count: 8 }],
  ...(['g5', 'g6', 'g6e'] as const).flatMap((family) =>
    sized({ g5: 'A10G', g6: 'L4', g6e: 'L40S' }[family], `${family}.`, {
      xlarge: 1,
      '2xlarge': 1,
      '4xlarge': 1,
      '8xlarge': 1,
      '16xlarge': 1,
      '12xlarge': 4,
      '24xlarge': 4,
      '48xlarge': 8,
    }),
  ),
  ...sized('L4', 'gr6.', { '4xlarge': 1, '8xlarge': 1 }),
  ...sized('T4', 'g4dn.', {
    xlarge: 1,
    '2xlarge': 1,
    '4xlarge': 1,
    '8xlarge': 1,
    '16xlarge': 1,
    '12xlarge': 4,
    metal: 8,
  }),
  ...sized('T4G', 'g5g.', { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '16xlarge': 2, metal: 2 }),
  ...sized('RADEON-PRO-V520', 'g4ad.', { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 2, '16xlarge': 4 }),
];

/** GCP accelerator-optimized machine types (cloud.google.com/compute/docs/accelerator-optimized-machines). */
const GCP: ReadonlyArray<[string, InstanceTypeGpus]> = [
  ...sized('A100-SXM4-40GB', 'a2-highgpu-', { '1g': 1, '2g': 2, '4g': 4, '8g': 8 }),
  ['a2-megagpu-16g', { model: 'A100-SXM4-40GB', count: 16 }],
  ...sized('A100-SXM4-80GB', 'a2-ultragpu-', { '1g': 1, '2g': 2, '4g': 4, '8g': 8 }),
  ...sized('H100-SXM5-80GB', 'a3-highgpu-', { '1g': 1, '2g': 2, '4g': 4, '8g': 8 }),
  ['a3-megagpu-8g', { model: 'H100-SXM5-80GB', count: 8 }],
  ['a3-edgegpu-8g', { model: 'H100-SXM5-80GB', count: 8 }],
  ['a3-ultragpu-8g', { model: 'H200-SXM-141GB', count: 8 }],
  ['a4-highgpu-8g', { model: 'B200', count: 8 }],
  ...sized('L4', 'g2-standard-', { '4': 1, '8': 1, '12': 1, '16': 1, '32': 1, '24': 2, '48': 4, '96': 8 }),
];

/** Azure GPU VM sizes (learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/), without `Standard_`. */
const AZURE: ReadonlyArray<[string, InstanceTypeGpus]> = [
  ['ND96asr_v4', { model: 'A100-SXM4-40GB', count: 8 }],
  ['ND96amsr_A100_v4', { model: 'A100-SXM4-80GB', count: 8 }],
  ['ND96isr_H100_v5', { model: 'H100-SXM5-80GB', count: 8 }],
  ['ND96isr_H200_v5', { model: 'H200-SXM-141GB', count: 8 }],
  ['ND96isr_MI300X_v5', { model: 'MI300X', count: 8 }],
  ['ND40rs_v2', { model: 'V100-SXM2-32GB', count: 8 }],
  ['NC24ads_A100_v4', { model: 'A100-PCIE-80GB', count: 1 }],
  ['NC48ads_A100_v4', { model: 'A100-PCIE-80GB', count: 2 }],
  ['NC96ads_A100_v4', { model: 'A100-PCIE-80GB', count: 4 }],
  ['NC40ads_H100_v5', { model: 'H100-NVL-94GB', count: 1 }],
  ['NC80adis_H100_v5', { model: 'H100-NVL-94GB', count: 2 }],
  ['NC4as_T4_v3', { model: 'T4', count: 1 }],
  ['NC8as_T4_v3', { model: 'T4', count: 1 }],
  ['NC16as_T4_v3', { model: 'T4', count: 1 }],
  ['NC64as_T4_v3', { model: 'T4', count: 4 }],
  ['NC6s_v3', { model: 'V100-16GB', count: 1 }],
  ['NC12s_v3', { model: 'V100-16GB', count: 2 }],
  ['NC24s_v3', { model: 'V100-16GB', count: 4 }],
  ['NC24rs_v3', { model: 'V100-16GB', count: 4 }],
  // NVadsA10 v5: "starting at 1/6th of a GPU with 4-GiB frame buffer to a full A10 GPU with 24-GiB frame buffer".
  ['NV6ads_A10_v5', { model: 'A10', count: 0.1667 }],
  ['NV12ads_A10_v5', { model: 'A10', count: 0.3333 }],
  ['NV18ads_A10_v5', { model: 'A10', count: 0.5 }],
  ['NV36ads_A10_v5', { model: 'A10', count: 1 }],
  ['NV36adms_A10_v5', { model: 'A10', count: 1 }],
  ['NV72ads_A10_v5', { model: 'A10', count: 2 }],
];

/** GCP accelerator type names (`guestAccelerators[].acceleratorType`, last path segment) -> catalog id. */
export const GCP_ACCELERATOR_TYPES: Readonly<Record<string, string>> = {
  'nvidia-tesla-a100': 'A100-SXM4-40GB',
  'nvidia-a100-80gb': 'A100-SXM4-80GB',
  'nvidia-h100-80gb': 'H100-SXM5-80GB',
  'nvidia-h100-mega-80gb': 'H100-SXM5-80GB',
  'nvidia-h200-141gb': 'H200-SXM-141GB',
  'nvidia-b200': 'B200',
  'nvidia-l4': 'L4',
  'nvidia-l4-vws': 'L4',
  'nvidia-tesla-t4': 'T4',
  'nvidia-tesla-t4-vws': 'T4',
  'nvidia-tesla-v100': 'V100-SXM2-16GB',
  'nvidia-tesla-p100': 'P100-16GB',
  'nvidia-tesla-p4': 'P4',
  'nvidia-tesla-k80': 'K80',
};

const BY_TYPE: ReadonlyMap<string, InstanceTypeGpus> = new Map(
  [...AWS, ...GCP, ...AZURE.map(([size, gpus]) => [`standard_${size}`, gpus] as [string, InstanceTypeGpus])].map(
    ([type, gpus]) => [type.toLowerCase(), gpus],
  ),
);

/** The GPUs an AWS instance type, GCP machine type or Azure VM size (with or without `Standard_`) brings. */
export function instanceTypeGpus(type: string | null | undefined): InstanceTypeGpus | undefined {
  if (!type) return undefined;
  const key = type.trim().toLowerCase();
  return BY_TYPE.get(key) ?? BY_TYPE.get(`standard_${key}`);
}

/** Every instance type in the tables, for tests and the docs. */
export function knownInstanceTypes(): ReadonlyMap<string, InstanceTypeGpus> {
  return BY_TYPE;
}
