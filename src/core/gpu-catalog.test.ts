// The GPU catalog over the raw names each provider really reports (simulators' data, the reference notes, public
// nvidia-smi / GFD / RunPod strings; docs/gpu-catalog.md says where each comes from), hints, instance types, and
// names it must not guess.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canonicalGpu,
  gpuModelById,
  gpuModelColumns,
  gpuModels,
  normalizedGpuName,
  type GpuHints,
} from './gpu-catalog.ts';
import { GCP_ACCELERATOR_TYPES, instanceTypeGpus, knownInstanceTypes } from './gpu-instance-types.ts';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** [who reports it, raw name, hints, expected canonical id (undefined: the catalog must not say)]. */
const CASES: ReadonlyArray<readonly [string, string, GpuHints, string | undefined]> = [
  // Vultr plans (`gpu_type` + VRAM per card from the adapter) and bare-metal plan ids.
  ['vultr', 'NVIDIA A100', { memoryGb: 80 }, 'A100-80GB'],
  ['vultr', 'NVIDIA H100', { memoryGb: 80 }, 'H100-80GB'],
  ['vultr', 'NVIDIA L40S', { memoryGb: 48 }, 'L40S'],
  ['vultr', 'NVIDIA A16', { memoryGb: 16 }, 'A16'],
  ['vultr', 'NVIDIA L40', {}, 'L40'],
  ['vultr', 'AMD MI300X', {}, 'MI300X'],
  ['vultr', 'NVIDIA GH200', { memoryGb: 96 }, 'GH200-96GB'],
  ['vultr', 'NVIDIA B200', { memoryGb: 180 }, 'B200'],
  ['vultr', 'AMD MI325X', { memoryGb: 256 }, 'MI325X'],
  ['vultr', 'AMD MI355X', { memoryGb: 288 }, 'MI355X'],
  // RunPod gpu type ids (the nvidia-smi names).
  ['runpod', 'NVIDIA H100 80GB HBM3', {}, 'H100-SXM5-80GB'],
  ['runpod', 'NVIDIA H100 PCIe', {}, 'H100-PCIE-80GB'],
  ['runpod', 'NVIDIA H100 NVL', {}, 'H100-NVL-94GB'],
  ['runpod', 'NVIDIA H200', {}, 'H200-SXM-141GB'],
  ['runpod', 'NVIDIA H200 NVL', {}, 'H200-NVL-141GB'],
  ['runpod', 'NVIDIA A100-SXM4-80GB', {}, 'A100-SXM4-80GB'],
  ['runpod', 'NVIDIA A100 80GB PCIe', {}, 'A100-PCIE-80GB'],
  ['runpod', 'NVIDIA GeForce RTX 4090', {}, 'RTX-4090'],
  ['runpod', 'NVIDIA GeForce RTX 5090', {}, 'RTX-5090'],
  ['runpod', 'NVIDIA GeForce RTX 3090', {}, 'RTX-3090'],
  ['runpod', 'NVIDIA L40S', {}, 'L40S'],
  ['runpod', 'NVIDIA L40', {}, 'L40'],
  ['runpod', 'NVIDIA L4', {}, 'L4'],
  ['runpod', 'NVIDIA A40', {}, 'A40'],
  ['runpod', 'NVIDIA A30', {}, 'A30'],
  ['runpod', 'NVIDIA RTX A6000', {}, 'RTX-A6000'],
  ['runpod', 'NVIDIA RTX A5000', {}, 'RTX-A5000'],
  ['runpod', 'NVIDIA RTX A4500', {}, 'RTX-A4500'],
  ['runpod', 'NVIDIA RTX A4000', {}, 'RTX-A4000'],
  ['runpod', 'NVIDIA RTX 6000 Ada Generation', {}, 'RTX-6000-ADA'],
  ['runpod', 'NVIDIA RTX 5000 Ada Generation', {}, 'RTX-5000-ADA'],
  ['runpod', 'NVIDIA RTX 4000 SFF Ada Generation', {}, 'RTX-4000-ADA'],
  ['runpod', 'NVIDIA RTX PRO 6000 Blackwell Server Edition', {}, 'RTX-PRO-6000'],
  ['runpod', 'NVIDIA B200', {}, 'B200'],
  ['runpod', 'AMD Instinct MI300X OAM', {}, 'MI300X'],
  ['runpod', 'Tesla V100-SXM2-32GB', {}, 'V100-SXM2-32GB'],
  ['runpod', 'Tesla V100-PCIE-16GB', {}, 'V100-PCIE-16GB'],
  // Lambda `gpu_description`.
  ['lambda', 'H100 (80 GB SXM5)', {}, 'H100-SXM5-80GB'],
  ['lambda', 'H100 (80 GB PCIe)', {}, 'H100-PCIE-80GB'],
  ['lambda', 'A100 (80 GB SXM4)', {}, 'A100-SXM4-80GB'],
  ['lambda', 'A100 (40 GB SXM4)', {}, 'A100-SXM4-40GB'],
  ['lambda', 'A100 (40 GB PCIe)', {}, 'A100-PCIE-40GB'],
  ['lambda', 'A10 (24 GB PCIe)', {}, 'A10'],
  ['lambda', 'RTX A6000 (48 GB)', {}, 'RTX-A6000'],
  ['lambda', 'GH200 (96 GB)', {}, 'GH200-96GB'],
  ['lambda', 'B200 (180 GB SXM6)', {}, 'B200'],
  ['lambda', 'Tesla V100 (16 GB)', {}, 'V100-16GB'],
  // Paperspace accelerators (name + memory bytes) and machine types.
  ['paperspace', 'A100-80G', { memoryBytes: 80 * GIB }, 'A100-80GB'],
  ['paperspace', 'A100', { memoryBytes: 40 * GIB }, 'A100-40GB'],
  ['paperspace', 'H100', { memoryBytes: 80 * GIB }, 'H100-80GB'],
  ['paperspace', 'A4000', { memoryBytes: 16 * GIB }, 'RTX-A4000'],
  ['paperspace', 'A5000', {}, 'RTX-A5000'],
  ['paperspace', 'A6000', {}, 'RTX-A6000'],
  ['paperspace', 'RTX4000', {}, 'QUADRO-RTX-4000'],
  ['paperspace', 'P5000', {}, 'QUADRO-P5000'],
  ['paperspace', 'V100-32G', {}, 'V100-32GB'],
  // GFD `nvidia.com/gpu.product` and CoreWeave `gpu.nvidia.com/class`.
  ['gfd', 'NVIDIA-H100-80GB-HBM3', {}, 'H100-SXM5-80GB'],
  ['gfd', 'NVIDIA-A100-SXM4-80GB', {}, 'A100-SXM4-80GB'],
  ['gfd', 'A100-SXM4-40GB', {}, 'A100-SXM4-40GB'],
  ['gfd', 'NVIDIA-L40', {}, 'L40'],
  ['gfd', 'NVIDIA-L40S', {}, 'L40S'],
  ['coreweave', 'H100_NVLINK_80GB', {}, 'H100-SXM5-80GB'],
  ['coreweave', 'A100_NVLINK_80GB', {}, 'A100-SXM4-80GB'],
  ['coreweave', 'A100_PCIE_40GB', {}, 'A100-PCIE-40GB'],
  ['coreweave', 'RTX_A6000', {}, 'RTX-A6000'],
  ['coreweave', 'Quadro_RTX_5000', {}, 'QUADRO-RTX-5000'],
  // Linode type labels (`Dedicated 32GB + RTX6000 GPU x1`, `RTX4000 Ada x1 Small`) and nvidia-smi's name.
  ['linode', 'RTX6000', {}, 'QUADRO-RTX-6000'],
  ['linode', 'RTX4000 Ada', {}, 'RTX-4000-ADA'],
  ['dcgm', 'Quadro RTX 6000', {}, 'QUADRO-RTX-6000'],
  // DCGM `modelName` (nvidia-smi names).
  ['dcgm', 'NVIDIA H100 80GB HBM3', {}, 'H100-SXM5-80GB'],
  ['dcgm', 'NVIDIA A100-SXM4-40GB', {}, 'A100-SXM4-40GB'],
  ['dcgm', 'NVIDIA A100-PCIE-40GB', {}, 'A100-PCIE-40GB'],
  ['dcgm', 'NVIDIA A10G', {}, 'A10G'],
  ['dcgm', 'Tesla T4', {}, 'T4'],
  ['dcgm', 'Tesla V100-SXM2-16GB', {}, 'V100-SXM2-16GB'],
  ['dcgm', 'NVIDIA GH200 480GB', {}, 'GH200-96GB'],
  // AWS DescribeInstanceTypes `<manufacturer> <name>` with its MiB and the instance type.
  ['aws', 'NVIDIA A100', { memoryBytes: 40_960 * MIB, instanceType: 'p4d.24xlarge' }, 'A100-SXM4-40GB'],
  ['aws', 'NVIDIA A100', { memoryBytes: 81_920 * MIB, instanceType: 'p4de.24xlarge' }, 'A100-SXM4-80GB'],
  ['aws', 'NVIDIA H100', { memoryBytes: 81_920 * MIB, instanceType: 'p5.48xlarge' }, 'H100-SXM5-80GB'],
  ['aws', 'NVIDIA H100', { memoryBytes: 81_920 * MIB }, 'H100-80GB'],
  ['aws', 'NVIDIA A10G', { memoryBytes: 24_576 * MIB, instanceType: 'g5.xlarge' }, 'A10G'],
  ['aws', 'NVIDIA L4', { memoryBytes: 22_888 * MIB, instanceType: 'g6.12xlarge' }, 'L4'],
  ['aws', 'NVIDIA L4', { memoryBytes: 22_888 * MIB }, 'L4'],
  ['aws', 'NVIDIA L40S', { memoryBytes: 46_068 * MIB, instanceType: 'g6e.xlarge' }, 'L40S'],
  ['aws', 'NVIDIA T4', { memoryBytes: 15_360 * MIB, instanceType: 'g4dn.xlarge' }, 'T4'],
  ['aws', 'NVIDIA T4g', { memoryBytes: 15_360 * MIB, instanceType: 'g5g.xlarge' }, 'T4G'],
  ['aws', 'AMD Radeon Pro V520', { memoryBytes: 8_192 * MIB, instanceType: 'g4ad.xlarge' }, 'RADEON-PRO-V520'],
  ['aws', 'NVIDIA V100', { memoryBytes: 16_384 * MIB, instanceType: 'p3.2xlarge' }, 'V100-SXM2-16GB'],
  // GCP accelerator types and machine types; Azure VM sizes (name absent: the type alone decides).
  ['gcp', 'nvidia-tesla-a100', {}, 'A100-SXM4-40GB'],
  ['gcp', 'nvidia-a100-80gb', {}, 'A100-SXM4-80GB'],
  ['gcp', 'nvidia-h100-80gb', {}, 'H100-SXM5-80GB'],
  ['gcp', 'nvidia-h100-mega-80gb', {}, 'H100-SXM5-80GB'],
  ['gcp', 'nvidia-l4', {}, 'L4'],
  ['gcp', 'nvidia-tesla-t4', {}, 'T4'],
  ['gcp', 'nvidia-tesla-v100', {}, 'V100-SXM2-16GB'],
  ['gcp', '', { instanceType: 'a2-highgpu-8g' }, 'A100-SXM4-40GB'],
  ['gcp', '', { instanceType: 'a2-ultragpu-1g' }, 'A100-SXM4-80GB'],
  ['gcp', '', { instanceType: 'a3-highgpu-8g' }, 'H100-SXM5-80GB'],
  ['gcp', '', { instanceType: 'g2-standard-4' }, 'L4'],
  ['azure', '', { instanceType: 'Standard_ND96isr_H100_v5' }, 'H100-SXM5-80GB'],
  ['azure', '', { instanceType: 'Standard_ND96amsr_A100_v4' }, 'A100-SXM4-80GB'],
  ['azure', '', { instanceType: 'Standard_NC24ads_A100_v4' }, 'A100-PCIE-80GB'],
  ['azure', '', { instanceType: 'Standard_NC40ads_H100_v5' }, 'H100-NVL-94GB'],
  ['azure', '', { instanceType: 'standard_nv6ads_a10_v5' }, 'A10'],
  ['azure', '', { instanceType: 'ND96isr_MI300X_v5' }, 'MI300X'],
  // Canonical ids map to themselves, so mapping twice changes nothing.
  ['catalog', 'H100-SXM5-80GB', {}, 'H100-SXM5-80GB'],
  ['catalog', 'A100-40GB', {}, 'A100-40GB'],
  ['catalog', 'RTX-4090', {}, 'RTX-4090'],
  // Names the catalog must not guess: unknown products, and names no hint narrows to one variant.
  ['unknown', 'NVIDIA A100', {}, undefined],
  ['unknown', 'Tesla V100', {}, undefined],
  ['unknown', 'V100_NVLINK', {}, undefined],
  ['unknown', 'NVIDIA RTX 6000', {}, undefined],
  ['unknown', 'Gaudi HL-205', {}, undefined],
  ['unknown', 'NVIDIA A100 120GB', {}, undefined],
  ['unknown', 'NVIDIA L4 SXM', {}, undefined],
  ['unknown', 'NVIDIA H100', { memoryGb: 40 }, undefined],
  ['unknown', 'Intel Data Center GPU Max 1550', {}, undefined],
  ['unknown', '', {}, undefined],
];

test('raw GPU names from every provider map to one canonical model', () => {
  const wrong = CASES.filter(([, raw, hints, expected]) => canonicalGpu(raw, hints)?.id !== expected).map(
    ([who, raw, hints, expected]) =>
      `${who} ${JSON.stringify(raw)} ${JSON.stringify(hints)}: ${canonicalGpu(raw, hints)?.id} != ${expected}`,
  );
  assert.deepEqual(wrong, []);
});

test('the H100 of six providers is one model, and each variant keeps its own id', () => {
  const h100 = [
    ['NVIDIA H100 80GB HBM3', {}],
    ['NVIDIA-H100-80GB-HBM3', {}],
    ['H100 (80 GB SXM5)', {}],
    ['H100_NVLINK_80GB', {}],
    ['nvidia-h100-80gb', {}],
    ['NVIDIA H100', { instanceType: 'p5.48xlarge' }],
  ] as const;
  assert.deepEqual([...new Set(h100.map(([raw, hints]) => canonicalGpu(raw, hints)?.id))], ['H100-SXM5-80GB']);
  assert.deepEqual(
    [
      ...new Set(
        gpuModels()
          .filter((model) => model.family === 'H100')
          .map((model) => model.id),
      ),
    ],
    ['H100-SXM5-80GB', 'H100-PCIE-80GB', 'H100-NVL-94GB', 'H100-80GB'],
  );
});

test('gpuModelColumns keeps the raw name beside the id, and keeps an unknown name as it is', () => {
  assert.deepEqual(gpuModelColumns('NVIDIA-L40'), { gpu_model: 'L40', gpu_model_raw: 'NVIDIA-L40' });
  assert.deepEqual(gpuModelColumns(' Gaudi HL-205 '), { gpu_model: 'Gaudi HL-205', gpu_model_raw: 'Gaudi HL-205' });
  assert.deepEqual(gpuModelColumns(null), { gpu_model: null, gpu_model_raw: null });
  assert.deepEqual(gpuModelColumns('', { instanceType: 'g2-standard-96' }), { gpu_model: 'L4', gpu_model_raw: null });
  assert.equal(normalizedGpuName('NVIDIA GeForce RTX 4090'), 'RTX 4090');
});

test('the catalog is consistent: unique ids, every table points at a model, fractions are shares', () => {
  const ids = gpuModels().map((model) => model.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  for (const model of gpuModels()) {
    assert.equal(gpuModelById(model.id), model);
    assert.equal(canonicalGpu(model.id)?.id, model.id, `${model.id} maps to itself`);
    assert.ok(model.memory_gb > 0, model.id);
  }
  for (const [type, gpus] of knownInstanceTypes()) {
    assert.ok(gpuModelById(gpus.model), `${type} -> ${gpus.model} is in the catalog`);
    assert.ok(gpus.count > 0 && (gpus.count < 1 || Number.isInteger(gpus.count)), `${type} count ${gpus.count}`);
  }
  for (const [accelerator, id] of Object.entries(GCP_ACCELERATOR_TYPES))
    assert.ok(gpuModelById(id), `${accelerator} -> ${id} is in the catalog`);
  assert.deepEqual(instanceTypeGpus('NV6ads_A10_v5'), { model: 'A10', count: 0.1667 });
  assert.deepEqual(instanceTypeGpus('a2-megagpu-16g'), { model: 'A100-SXM4-40GB', count: 16 });
  assert.equal(instanceTypeGpus('m5.large'), undefined);
});
