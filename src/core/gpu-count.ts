// Physical GPUs per canonical model, each counted once. Inventory describes one piece of hardware several times
// (a Vultr instance and the DCGM GPUs on it, a CoreWeave node and the pods using its GPUs), and one GPU can be seen
// by two providers (a host scraped directly and through Prometheus). Both engines read the rows, this counts them.

import { addDecimals, normalizeDecimal, subtractDecimals } from './decimal.ts';
import { gpuModelById } from './gpu-catalog.ts';

/** One inventory row with GPUs, as counting needs it. */
export interface GpuCountRow {
  provider: string;
  resource_id: string;
  resource_type: string;
  gpu_model: string | null;
  /** Above zero; a fraction for a share of one GPU. */
  gpu_count: number;
  parent_resource_id: string | null;
  /** The parent row's gpu_count when the parent is stored; null when it is not stored or states none. */
  parent_gpu_count: number | null;
}

/** One provider's physical GPUs of one model. */
export interface GpuProviderCount {
  provider: string;
  /** Physical GPUs this provider sees: exact decimal (fractional GPUs add up as shares). */
  gpus: string;
  /** Rows counted. */
  resources: number;
  /** Rows not counted because their parent row counts the same GPUs (a DCGM GPU of an instance, a pod on a node). */
  covered: number;
}

/** Physical GPUs of one model. */
export interface GpuModelCount {
  /** Canonical id, or the raw name of a model the catalog does not know. */
  gpu_model: string;
  /** Whether gpu_model is a catalog id (the fields below are null when not). */
  known: boolean;
  vendor: string | null;
  family: string | null;
  memory_gb: number | null;
  form_factor: string | null;
  /** Physical GPUs over every provider, a GPU seen by several providers (same UUID) counted once. */
  gpus: string;
  providers: GpuProviderCount[];
}

/** GPU counts by model. */
export interface GpuCounts {
  models: GpuModelCount[];
  /** Physical GPUs of every model. */
  total: string;
  /** GPUs in more than one provider's count (same UUID), counted once in `total`: Σ providers − total. */
  shared: string;
}

/** The model key of rows without a model. */
const UNNAMED = 'unknown';

/**
 * Counts physical GPUs: a row is counted unless its parent row states a GPU count (then the parent counts them);
 * `gpu` rows (one GPU each, id = its UUID) count once across providers, and not at all when any provider's row of
 * that UUID is covered by a parent. Models by family then id, unknown ones last; providers by name.
 */
export function countGpus(rows: Iterable<GpuCountRow>): GpuCounts {
  const sorted = [...rows].sort((a, b) => compare(a.provider, b.provider) || compare(a.resource_id, b.resource_id));
  const coveredGpuIds = new Set(
    sorted.filter((row) => row.resource_type === 'gpu' && isCovered(row)).map((row) => row.resource_id),
  );
  const models = new Map<string, { total: string; providers: Map<string, GpuProviderCount> }>();
  const countedGpuIds = new Set<string>();
  for (const row of sorted) {
    const key = row.gpu_model ?? UNNAMED;
    const model = models.get(key) ?? { total: '0', providers: new Map<string, GpuProviderCount>() };
    models.set(key, model);
    const provider = model.providers.get(row.provider) ?? {
      provider: row.provider,
      gpus: '0',
      resources: 0,
      covered: 0,
    };
    model.providers.set(row.provider, provider);
    if (isCovered(row)) {
      provider.covered += 1;
      continue;
    }
    const gpus = normalizeDecimal(row.gpu_count);
    provider.gpus = addDecimals(provider.gpus, gpus);
    provider.resources += 1;
    if (row.resource_type === 'gpu') {
      if (coveredGpuIds.has(row.resource_id) || countedGpuIds.has(row.resource_id)) continue;
      countedGpuIds.add(row.resource_id);
    }
    model.total = addDecimals(model.total, gpus);
  }
  const result: GpuModelCount[] = [...models].map(([id, model]) => {
    const known = gpuModelById(id);
    return {
      gpu_model: id,
      known: known !== undefined,
      vendor: known?.vendor ?? null,
      family: known?.family ?? null,
      memory_gb: known?.memory_gb ?? null,
      form_factor: known?.form_factor ?? null,
      gpus: model.total,
      providers: [...model.providers.values()],
    };
  });
  result.sort(
    (a, b) =>
      Number(a.known === false) - Number(b.known === false) ||
      compare(a.family ?? a.gpu_model, b.family ?? b.gpu_model) ||
      compare(a.gpu_model, b.gpu_model),
  );
  const total = addDecimals('0', ...result.map((model) => model.gpus));
  const seen = addDecimals('0', ...result.flatMap((model) => model.providers.map((provider) => provider.gpus)));
  return { models: result, total, shared: subtractDecimals(seen, total) };
}

function isCovered(row: GpuCountRow): boolean {
  return row.parent_gpu_count !== null && row.parent_gpu_count > 0;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
