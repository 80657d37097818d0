// Page builders for the simulated exporter host: realistic, deterministic dcgm-exporter, node_exporter and
// vLLM pages (text 0.0.4 or OpenMetrics), plus the exact samples each page carries.

import { dcgmFamilies, type DcgmPageOptions } from './dcgm-page.ts';
import { nodeFamilies, type NodePageOptions } from './node-page.ts';
import {
  renderOpenMetrics,
  renderText,
  servedSamples,
  type ExpositionFormat,
  type PageFamily,
  type ServedSample,
} from './render.ts';
import { vllmFamilies, type VllmPageOptions } from './vllm-page.ts';

export {
  dcgmFamilies,
  simulatedGpus,
  gpuLoad,
  DCGM_FIELD_NAMES,
  type DcgmPageOptions,
  type SimulatedGpu,
} from './dcgm-page.ts';
export { nodeFamilies, NODE_MOUNTS, type NodePageOptions } from './node-page.ts';
export { vllmFamilies, type VllmPageOptions } from './vllm-page.ts';
export {
  renderText,
  renderOpenMetrics,
  servedSamples,
  goFloat,
  pythonFloat,
  CONTENT_TYPES,
  type ExpositionFormat,
  type PageFamily,
  type PageSample,
  type ServedSample,
} from './render.ts';

/** A rendered page and the samples it carries. */
export interface ExporterPage {
  text: string;
  samples: ServedSample[];
}

/** Common page options: which tick (values evolve per tick) and which format. */
export interface PageOptions {
  tick?: number;
  format?: ExpositionFormat;
}

function render(families: PageFamily[], format: ExpositionFormat, dcgmStyle = false): string {
  return format === 'openmetrics'
    ? renderOpenMetrics(families)
    : renderText(families, dcgmStyle ? { helpTrailingSpace: true } : {});
}

/** A dcgm-exporter page for N GPUs (default 8) as text. */
export function dcgmPage(options: DcgmPageOptions & PageOptions = {}): string {
  return render(dcgmFamilies(options, options.tick ?? 0), options.format ?? 'text', true);
}

/** A node_exporter page as text. */
export function nodeExporterPage(options: NodePageOptions & PageOptions = {}): string {
  return render(nodeFamilies(options, options.tick ?? 0), options.format ?? 'text');
}

/** A vLLM page (old or new metric names) as text. */
export function vllmPage(options: VllmPageOptions & PageOptions = {}): string {
  return render(vllmFamilies(options, options.tick ?? 0), options.format ?? 'text');
}

/** Which exporters one simulated host runs, and their options. */
export interface ExporterHostPages {
  dcgm?: DcgmPageOptions | false;
  node?: NodePageOptions | false;
  vllm?: VllmPageOptions | false;
}

/** The families a host with these exporters serves on one combined /metrics page. */
export function hostFamilies(pages: ExporterHostPages, tick: number): PageFamily[] {
  return [
    ...(pages.dcgm === false || pages.dcgm === undefined ? [] : dcgmFamilies(pages.dcgm, tick)),
    ...(pages.node === false || pages.node === undefined ? [] : nodeFamilies(pages.node, tick)),
    ...(pages.vllm === false || pages.vllm === undefined ? [] : vllmFamilies(pages.vllm, tick)),
  ];
}

/** A rendered page with its samples, for any set of families. */
export function exporterPage(families: PageFamily[], format: ExpositionFormat = 'text'): ExporterPage {
  return { text: render(families, format), samples: servedSamples(families) };
}
