// Metric sets of the generic collector: per-exporter tables (source metric -> normalized name, unit,
// category), PromQL for the API path, in-memory evaluation for the scrape path, GPU and host inventory.

export { DCGM_RULES } from './dcgm.ts';
export { NODE_RULES, NODE_INVENTORY_NAMES } from './node-exporter.ts';
export { VLLM_RULES, VLLM_ALIASES } from './vllm.ts';
export {
  rulesFor,
  enabledSets,
  expectedSets,
  metricSetOf,
  customPatternsFor,
  METRIC_SETS,
  SEMCONV_VERSION,
  SEMCONV_GENAI_VERSION,
  type MetricSet,
  type MetricSetSelection,
} from './rules.ts';
export { customMetricPatterns, customRules, type CustomMetricPatterns, type CustomKind } from './custom-metrics.ts';
export { mergeSelector, queriesForRule, type RuleQuery } from './promql.ts';
export { planScrape, addToPlan, type ScrapePlan, type SourceUse } from './scrape-plan.ts';
export {
  evaluateRules,
  seriesKeyOf,
  ruleSourceLabel,
  storeCounterMemory,
  loadCounterMemory,
  type CounterMemory,
  type StoredCounterMemory,
  type EvaluatedValue,
  type Evaluation,
} from './evaluate.ts';
export { histogramQuantile, type Bucket } from './histogram.ts';
export {
  createSampleLabeler,
  metricSample,
  sampleLabels,
  DCGM_BLANK_THRESHOLD,
  type SampleLabeler,
} from './samples.ts';
export { createGpuInventory, gpuResource, MAX_GPUS_PER_TARGET, type GpuInventory } from './gpu-inventory.ts';
export {
  createHostFacts,
  noteHostFact,
  hasHostFacts,
  hostNameOf,
  hostResource,
  addressOf,
  HOST_FACT_NAMES,
  type HostFacts,
} from './host-inventory.ts';
export { hostResourceId } from './host-id.ts';
export { mappingTable } from './mapping-table.ts';
export {
  ruleSourceNames,
  ruleRequiredNames,
  ruleScale,
  type MetricRule,
  type RawSeries,
  type Exporter,
  type Convention,
} from './types.ts';
export { authHeaders, httpClientFor } from './http-auth.ts';
