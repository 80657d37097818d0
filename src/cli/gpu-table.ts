// The GPU table `collect` and `demo` print: physical GPUs per canonical model, each counted once, and why rows
// that also describe those GPUs were not counted again.

import type { GpuCounts } from '../core/gpu-count.ts';
import { renderTable } from './table.ts';

/** GPUs per model with the providers that have them, under `title`; empty text when there are none. */
export function gpuCountsTable(counts: GpuCounts, title = 'GPUs by model (physical, each counted once)'): string {
  if (counts.models.length === 0) return '';
  const rows = counts.models.map((model) => [
    model.gpu_model,
    model.vendor ?? '?',
    model.memory_gb === null ? '?' : `${model.memory_gb} GB`,
    model.form_factor ?? (model.known ? '-' : '?'),
    model.gpus,
    model.providers
      .filter((provider) => provider.resources > 0)
      .map((provider) => `${provider.provider} ${provider.gpus}`)
      .join(', '),
  ]);
  rows.push(['TOTAL', '', '', '', counts.total, '']);
  const covered = counts.models.reduce(
    (sum, model) => sum + model.providers.reduce((rowsCovered, provider) => rowsCovered + provider.covered, 0),
    0,
  );
  const unknown = counts.models.filter((model) => !model.known).length;
  const notes = [
    covered > 0
      ? `${covered} rows not counted again: their parent (the instance or host of a DCGM GPU, the node of a pod) ` +
        'counts those GPUs'
      : '',
    counts.shared !== '0'
      ? `${counts.shared} GPUs seen by more than one provider (same UUID) count once in the total`
      : '',
    unknown > 0 ? `${unknown} models not in the GPU catalog are shown as reported (?)` : '',
  ].filter((note) => note !== '');
  return `${title}:\n${renderTable(
    ['MODEL', 'VENDOR', 'MEMORY', 'FORM', 'GPUS', 'PROVIDERS'],
    rows,
  )}${notes.map((note) => `  ${note}\n`).join('')}`;
}
