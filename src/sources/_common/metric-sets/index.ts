// Metric sets of the generic collector: per-exporter tables (source metric -> normalized name, unit,
// category), PromQL for the API path, in-memory evaluation for the scrape path, GPU inventory from DCGM.

export { DCGM_RULES } from './dcgm.ts';
export { NODE_RULES } from './node-exporter.ts';
export { VLLM_RULES, VLLM_ALIASES } from './vllm.ts';
export { rulesFor, type MetricSetSelection } from './rules.ts';
export { mergeSelector, queriesForRule, type RuleQuery } from './promql.ts';
export { planScrape, type ScrapePlan, type SourceUse } from './scrape-plan.ts';
export { evaluateRules, type CounterMemory, type EvaluatedValue, type Evaluation } from './evaluate.ts';
export { histogramQuantile, type Bucket } from './histogram.ts';
export {
  createSampleLabeler,
  metricSample,
  sampleLabels,
  DCGM_BLANK_THRESHOLD,
  type SampleLabeler,
} from './samples.ts';
export { createGpuInventory, gpuResource, type GpuInventory } from './gpu-inventory.ts';
export { ruleSourceNames, type MetricRule, type RawSeries, type Exporter } from './types.ts';
export { authHeaders, httpClientFor } from './http-auth.ts';
