// GPU models the catalog (src/core/gpu-catalog.ts) does not know are stored under their raw name and reported
// once per process, not once per row or per run: a fleet of a thousand such GPUs is one warning saying where to
// add the model, and a service collecting every five minutes does not repeat it.

import { gpuModelById } from '../core/gpu-catalog.ts';
import type { CostRecord, ResourceRecord } from '../core/model.ts';

/** Where a report goes: a logger's warn. */
export type GpuModelWarn = (fields: Record<string, string>, message: string) => void;

/** Remembers the unknown models already reported. */
export interface UnknownGpuModels {
  /** Warns once for each model in these rows that the catalog lacks and that was not reported before. */
  note(provider: string, rows: ReadonlyArray<ResourceRecord | CostRecord>, warn: GpuModelWarn): void;
}

/** A fresh memory of reported models (tests; the runtime uses PROCESS_UNKNOWN_GPU_MODELS). */
export function createUnknownGpuModels(): UnknownGpuModels {
  const reported = new Set<string>();
  return {
    note(provider, rows, warn) {
      for (const row of rows) {
        const model = 'x_gpu_model' in row ? row.x_gpu_model : row.gpu_model;
        if (!model || reported.has(model) || gpuModelById(model) !== undefined) continue;
        reported.add(model);
        warn(
          { gpu_model: model },
          `${provider}: GPU model ${JSON.stringify(model)} is not in the GPU catalog; stored as reported and not ` +
            'grouped with other names of the same GPU (add it to src/core/gpu-catalog.ts). Reported once per process.',
        );
      }
    },
  };
}

/** The one memory of the process: every provider run reports into it. */
export const PROCESS_UNKNOWN_GPU_MODELS: UnknownGpuModels = createUnknownGpuModels();
