// One GPU catalog: a canonical model id per GPU product (vendor, family, memory, form factor) and the mapping from
// the raw strings providers report (Vultr `NVIDIA_A100`, RunPod `NVIDIA H100 80GB HBM3`, Lambda `H100 (80 GB SXM5)`,
// GFD `NVIDIA-H100-80GB-HBM3`, DCGM modelName, GCP `nvidia-h100-80gb`, ...) to it. Pure data and pure functions;
// where each entry's memory and form factor come from (and what is UNVERIFIED) is in docs/gpu-catalog.md.

import { GCP_ACCELERATOR_TYPES, instanceTypeGpus } from './gpu-instance-types.ts';

/** One GPU product. */
export interface GpuModel {
  /** Canonical id: `H100-SXM5-80GB`; the family alone (`L4`, `MI300X`) when the product has one variant. */
  readonly id: string;
  readonly vendor: 'NVIDIA' | 'AMD';
  /** The product across its variants (`H100`): what a cross-variant rollup groups by. */
  readonly family: string;
  /** Memory of one GPU in GB, as the vendor's specification states it. */
  readonly memory_gb: number;
  /** `SXM5`, `SXM4`, `SXM2`, `SXM`, `PCIe`, `NVL`, `OAM` or `Superchip`; null: the raw name did not say which. */
  readonly form_factor: string | null;
}

/** What else a source knows about the GPU besides its name; each narrows an ambiguous name. */
export interface GpuHints {
  /** Memory of one GPU in bytes (DescribeInstanceTypes MiB × 2^20, Paperspace accelerator memory, GFD MiB × 2^20). */
  memoryBytes?: number | null;
  /** Memory of one GPU in GB as the provider states it (Vultr's VRAM per card). */
  memoryGb?: number | null;
  /** The instance type, machine type or VM size (src/core/gpu-instance-types.ts). */
  instanceType?: string | null;
}

type Vendor = GpuModel['vendor'];

/** A family: vendor and the token sequences that name it in raw strings (after normalization, longest wins). */
const FAMILIES: ReadonlyArray<readonly [family: string, vendor: Vendor, names: readonly string[]]> = [
  ['H100', 'NVIDIA', ['H100']],
  ['H200', 'NVIDIA', ['H200']],
  ['GH200', 'NVIDIA', ['GH200']],
  ['B200', 'NVIDIA', ['B200']],
  ['B300', 'NVIDIA', ['B300']],
  ['A100', 'NVIDIA', ['A100']],
  ['A10G', 'NVIDIA', ['A10G']],
  ['A10', 'NVIDIA', ['A10']],
  ['A16', 'NVIDIA', ['A16']],
  ['A30', 'NVIDIA', ['A30']],
  ['A40', 'NVIDIA', ['A40']],
  ['L4', 'NVIDIA', ['L4']],
  ['L40', 'NVIDIA', ['L40']],
  ['L40S', 'NVIDIA', ['L40S']],
  ['T4', 'NVIDIA', ['T4']],
  ['T4G', 'NVIDIA', ['T4G']],
  ['V100', 'NVIDIA', ['V100']],
  ['P100', 'NVIDIA', ['P100']],
  ['P4', 'NVIDIA', ['P4']],
  ['K80', 'NVIDIA', ['K80']],
  ['M60', 'NVIDIA', ['M60']],
  ['RTX-A6000', 'NVIDIA', ['RTX A6000', 'A6000']],
  ['RTX-A5000', 'NVIDIA', ['RTX A5000', 'A5000']],
  ['RTX-A4500', 'NVIDIA', ['RTX A4500', 'A4500']],
  ['RTX-A4000', 'NVIDIA', ['RTX A4000', 'A4000']],
  ['RTX-6000-ADA', 'NVIDIA', ['RTX 6000 ADA', 'RTX6000 ADA', 'RTX6000ADA']],
  ['RTX-5000-ADA', 'NVIDIA', ['RTX 5000 ADA', 'RTX5000 ADA']],
  ['RTX-4000-ADA', 'NVIDIA', ['RTX 4000 ADA', 'RTX 4000 SFF ADA', 'RTX4000 ADA']],
  ['RTX-PRO-6000', 'NVIDIA', ['RTX PRO 6000']],
  ['RTX-5090', 'NVIDIA', ['RTX 5090', 'RTX5090']],
  ['RTX-4090', 'NVIDIA', ['RTX 4090', 'RTX4090']],
  ['RTX-3090', 'NVIDIA', ['RTX 3090', 'RTX3090']],
  ['QUADRO-RTX-6000', 'NVIDIA', ['QUADRO RTX 6000', 'RTX6000']],
  ['QUADRO-RTX-5000', 'NVIDIA', ['QUADRO RTX 5000', 'RTX5000']],
  ['QUADRO-RTX-4000', 'NVIDIA', ['QUADRO RTX 4000', 'RTX4000']],
  ['QUADRO-P6000', 'NVIDIA', ['QUADRO P6000', 'P6000']],
  ['QUADRO-P5000', 'NVIDIA', ['QUADRO P5000', 'P5000']],
  ['QUADRO-P4000', 'NVIDIA', ['QUADRO P4000', 'P4000']],
  ['MI355X', 'AMD', ['MI355X']],
  ['MI325X', 'AMD', ['MI325X']],
  ['MI300X', 'AMD', ['MI300X']],
  ['MI250X', 'AMD', ['MI250X']],
  ['MI250', 'AMD', ['MI250']],
  ['MI210', 'AMD', ['MI210']],
  ['RADEON-PRO-V520', 'AMD', ['PRO V520', 'V520']],
  ['RADEON-PRO-V620', 'AMD', ['PRO V620', 'V620']],
];

/** The products: [id, family, memory GB, form factor]. A null form factor is the "variant not stated" entry. */
const MODELS: ReadonlyArray<readonly [id: string, family: string, memoryGb: number, formFactor: string | null]> = [
  ['H100-SXM5-80GB', 'H100', 80, 'SXM5'],
  ['H100-PCIE-80GB', 'H100', 80, 'PCIe'],
  ['H100-NVL-94GB', 'H100', 94, 'NVL'],
  ['H100-80GB', 'H100', 80, null],
  ['H200-SXM-141GB', 'H200', 141, 'SXM'],
  ['H200-NVL-141GB', 'H200', 141, 'NVL'],
  ['GH200-96GB', 'GH200', 96, 'Superchip'],
  ['GH200-144GB', 'GH200', 144, 'Superchip'],
  ['B200', 'B200', 180, 'SXM'],
  ['B300', 'B300', 288, 'SXM'],
  ['A100-SXM4-40GB', 'A100', 40, 'SXM4'],
  ['A100-SXM4-80GB', 'A100', 80, 'SXM4'],
  ['A100-PCIE-40GB', 'A100', 40, 'PCIe'],
  ['A100-PCIE-80GB', 'A100', 80, 'PCIe'],
  ['A100-40GB', 'A100', 40, null],
  ['A100-80GB', 'A100', 80, null],
  ['A10G', 'A10G', 24, 'PCIe'],
  ['A10', 'A10', 24, 'PCIe'],
  ['A16', 'A16', 16, 'PCIe'],
  ['A30', 'A30', 24, 'PCIe'],
  ['A40', 'A40', 48, 'PCIe'],
  ['L4', 'L4', 24, 'PCIe'],
  ['L40', 'L40', 48, 'PCIe'],
  ['L40S', 'L40S', 48, 'PCIe'],
  ['T4', 'T4', 16, 'PCIe'],
  ['T4G', 'T4G', 16, 'PCIe'],
  ['V100-SXM2-16GB', 'V100', 16, 'SXM2'],
  ['V100-SXM2-32GB', 'V100', 32, 'SXM2'],
  ['V100-PCIE-16GB', 'V100', 16, 'PCIe'],
  ['V100-PCIE-32GB', 'V100', 32, 'PCIe'],
  ['V100-16GB', 'V100', 16, null],
  ['V100-32GB', 'V100', 32, null],
  ['P100-16GB', 'P100', 16, null],
  ['P4', 'P4', 8, 'PCIe'],
  ['K80', 'K80', 12, 'PCIe'],
  ['M60', 'M60', 8, 'PCIe'],
  ['RTX-A6000', 'RTX-A6000', 48, 'PCIe'],
  ['RTX-A5000', 'RTX-A5000', 24, 'PCIe'],
  ['RTX-A4500', 'RTX-A4500', 20, 'PCIe'],
  ['RTX-A4000', 'RTX-A4000', 16, 'PCIe'],
  ['RTX-6000-ADA', 'RTX-6000-ADA', 48, 'PCIe'],
  ['RTX-5000-ADA', 'RTX-5000-ADA', 32, 'PCIe'],
  ['RTX-4000-ADA', 'RTX-4000-ADA', 20, 'PCIe'],
  ['RTX-PRO-6000', 'RTX-PRO-6000', 96, 'PCIe'],
  ['RTX-5090', 'RTX-5090', 32, 'PCIe'],
  ['RTX-4090', 'RTX-4090', 24, 'PCIe'],
  ['RTX-3090', 'RTX-3090', 24, 'PCIe'],
  ['QUADRO-RTX-6000', 'QUADRO-RTX-6000', 24, 'PCIe'],
  ['QUADRO-RTX-5000', 'QUADRO-RTX-5000', 16, 'PCIe'],
  ['QUADRO-RTX-4000', 'QUADRO-RTX-4000', 8, 'PCIe'],
  ['QUADRO-P6000', 'QUADRO-P6000', 24, 'PCIe'],
  ['QUADRO-P5000', 'QUADRO-P5000', 16, 'PCIe'],
  ['QUADRO-P4000', 'QUADRO-P4000', 8, 'PCIe'],
  ['MI355X', 'MI355X', 288, 'OAM'],
  ['MI325X', 'MI325X', 256, 'OAM'],
  ['MI300X', 'MI300X', 192, 'OAM'],
  ['MI250X', 'MI250X', 128, 'OAM'],
  ['MI250', 'MI250', 128, 'OAM'],
  ['MI210', 'MI210', 64, 'PCIe'],
  ['RADEON-PRO-V520', 'RADEON-PRO-V520', 8, 'PCIe'],
  ['RADEON-PRO-V620', 'RADEON-PRO-V620', 32, 'PCIe'],
];

/**
 * Whole (normalized) names that pin one variant the general rules cannot: nvidia-smi/DCGM and GFD print the SXM parts
 * as `H100 80GB HBM3` and `H200` (the PCIe/NVL parts say `PCIe`/`NVL`), and `GH200 480GB` counts the CPU's memory.
 */
const EXACT_NAMES: Readonly<Record<string, string>> = {
  'H100 80GB HBM3': 'H100-SXM5-80GB',
  H200: 'H200-SXM-141GB',
  'GH200 480GB': 'GH200-96GB',
  'GH200 624GB': 'GH200-144GB',
  'GH200 144G HBM3E': 'GH200-144GB',
};

/** Words that say nothing about the product. */
const NOISE = new Set([
  'NVIDIA',
  'AMD',
  'TESLA',
  'GEFORCE',
  'INSTINCT',
  'RADEON',
  'GENERATION',
  'TENSOR',
  'CORE',
  'GPU',
]);

/** Form-factor words: `SXM`-like words, `PCIE`, `NVL`, `OAM`. CoreWeave's `NVLINK` classes and GCP's `mega` are SXM. */
const FORM_WORDS: Readonly<Record<string, 'SXM' | 'PCIE' | 'NVL' | 'OAM'>> = {
  SXM: 'SXM',
  SXM2: 'SXM',
  SXM4: 'SXM',
  SXM5: 'SXM',
  SXM6: 'SXM',
  NVLINK: 'SXM',
  MEGA: 'SXM',
  PCIE: 'PCIE',
  NVL: 'NVL',
  OAM: 'OAM',
};

const MODEL_LIST: readonly GpuModel[] = Object.freeze(
  MODELS.map(([id, family, memoryGb, formFactor]) => {
    const vendor = FAMILIES.find(([name]) => name === family)?.[1];
    if (vendor === undefined) throw new Error(`gpu catalog: ${id} names unknown family ${family}`);
    return Object.freeze({ id, vendor, family, memory_gb: memoryGb, form_factor: formFactor });
  }),
);
const BY_ID: ReadonlyMap<string, GpuModel> = new Map(MODEL_LIST.map((model) => [model.id, model]));
const FAMILY_NAMES: ReadonlyArray<readonly [family: string, tokens: readonly string[]]> = FAMILIES.flatMap(
  ([family, , names]) => names.map((name) => [family, name.split(' ')] as const),
).sort((a, b) => b[1].length - a[1].length);

/** Every model of the catalog. */
export function gpuModels(): readonly GpuModel[] {
  return MODEL_LIST;
}

/** The catalog entry of a canonical id, or undefined (an unknown model stored as its raw string). */
export function gpuModelById(id: string | null | undefined): GpuModel | undefined {
  return id ? BY_ID.get(id) : undefined;
}

/** Upper-case words of a raw name without punctuation and vendor noise: `NVIDIA-H100-80GB-HBM3` -> `H100 80GB HBM3`. */
export function normalizedGpuName(raw: string): string {
  return raw
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((word) => word !== '' && !NOISE.has(word))
    .join(' ');
}

/**
 * The catalog model a raw GPU name (and what else the source knows) denotes, or undefined when the catalog cannot
 * tell (unknown product, or a name fitting several variants that no hint separates). Never guesses between variants:
 * `NVIDIA H100` with 80 GB is `H100-80GB` (form factor not stated), not the SXM5 part.
 */
export function canonicalGpu(raw: string | null | undefined, hints: GpuHints = {}): GpuModel | undefined {
  const byType = instanceTypeGpus(hints.instanceType);
  const typed = byType === undefined ? undefined : BY_ID.get(byType.model);
  if (raw === null || raw === undefined || raw.trim() === '') return typed;
  const direct = BY_ID.get(raw.trim()) ?? BY_ID.get(GCP_ACCELERATOR_TYPES[raw.trim().toLowerCase()] ?? '');
  if (direct !== undefined) return direct;
  const words = normalizedGpuName(raw).split(' ');
  const family = familyOf(words);
  // The instance type decides the variant when the name agrees on the product (or names none we know).
  if (typed !== undefined && (family === undefined || family === typed.family)) return typed;
  const exact = BY_ID.get(EXACT_NAMES[words.join(' ')] ?? '');
  if (exact !== undefined) return exact;
  if (family === undefined) return undefined;
  const form = words.map((word) => FORM_WORDS[word]).find((value) => value !== undefined);
  const statedGb = memoryInName(words) ?? (hints.memoryGb || undefined);
  const bytes = hints.memoryBytes;
  const statedGib = typeof bytes === 'number' && bytes > 0 ? bytes / 1024 ** 3 : undefined;
  const candidates = MODEL_LIST.filter(
    (model) =>
      model.family === family &&
      (form === undefined || formMatches(model.form_factor, form)) &&
      memoryMatches(model.memory_gb, statedGb, statedGib),
  );
  if (candidates.length === 1) return candidates[0];
  const unstated = candidates.filter((model) => model.form_factor === null);
  return unstated.length === 1 ? unstated[0] : undefined;
}

/** The `gpu_model` / `gpu_model_raw` pair of a row: the canonical id when the catalog knows it, else the raw name. */
export function gpuModelColumns(
  raw: string | null | undefined,
  hints: GpuHints = {},
): { gpu_model: string | null; gpu_model_raw: string | null } {
  const trimmed = raw?.trim() || null;
  const model = canonicalGpu(trimmed, hints);
  return { gpu_model: model?.id ?? trimmed, gpu_model_raw: trimmed };
}

function familyOf(words: readonly string[]): string | undefined {
  for (const [family, tokens] of FAMILY_NAMES)
    for (let start = 0; start + tokens.length <= words.length; start++)
      if (tokens.every((token, offset) => words[start + offset] === token)) return family;
  return undefined;
}

/** `80GB`, `80G`, `80 GB`, `141GB` in a name; undefined when it states none. */
function memoryInName(words: readonly string[]): number | undefined {
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    const glued = /^(\d+)(GB|G|GIB)$/.exec(word);
    if (glued) return Number(glued[1]);
    if (/^\d+$/.test(word) && /^(GB|G|GIB)$/.test(words[index + 1] ?? '')) return Number(word);
  }
  return undefined;
}

/**
 * Whether stated memory fits a model, within 7%: a label (`80GB`, Vultr's 80) is the vendor's GB; a byte count is
 * usable memory in either unit (AWS L4 22,888 MiB = 24.0 GB; DCGM H100 81,559 MiB = 79.6 GiB). No statement fits all.
 */
function memoryMatches(modelGb: number, statedGb: number | undefined, statedGib: number | undefined): boolean {
  const near = (value: number): boolean => Math.abs(value - modelGb) <= modelGb * 0.07;
  if (statedGb !== undefined) return near(statedGb);
  if (statedGib !== undefined) return near(statedGib) || near(statedGib * 1.073741824);
  return true;
}

function formMatches(formFactor: string | null, stated: 'SXM' | 'PCIE' | 'NVL' | 'OAM'): boolean {
  if (formFactor === null) return false;
  return stated === 'SXM' ? formFactor.startsWith('SXM') : formFactor.toUpperCase() === stated;
}
