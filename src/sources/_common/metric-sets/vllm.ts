// vLLM series -> normalized serving metrics (gen_ai.server.* where OpenTelemetry defines one, vllm.* else).
// VLLM_ALIASES is THE table of names renamed across vLLM versions; rules read every alias.

import type { MetricRule } from './types.ts';

/** Canonical vLLM metric -> every name it has had (newest first), with and without `_total`. */
export const VLLM_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'vllm:num_requests_running': ['vllm:num_requests_running'],
  'vllm:num_requests_waiting': ['vllm:num_requests_waiting'],
  'vllm:kv_cache_usage_perc': ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
  'vllm:prompt_tokens_total': ['vllm:prompt_tokens_total', 'vllm:prompt_tokens'],
  'vllm:generation_tokens_total': ['vllm:generation_tokens_total', 'vllm:generation_tokens'],
  'vllm:request_success_total': ['vllm:request_success_total', 'vllm:request_success'],
  'vllm:time_to_first_token_seconds': ['vllm:time_to_first_token_seconds'],
  'vllm:inter_token_latency_seconds': ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'],
  'vllm:e2e_request_latency_seconds': ['vllm:e2e_request_latency_seconds'],
};

function aliases(canonical: string): readonly string[] {
  return VLLM_ALIASES[canonical] ?? [canonical];
}

const QUANTILES = [0.5, 0.95, 0.99] as const;

function latency(canonical: string, name: string): MetricRule[] {
  return QUANTILES.map((quantile) => ({
    exporter: 'vllm',
    kind: 'quantile',
    sources: aliases(canonical),
    quantile,
    name,
    unit: 's',
    category: 'application',
    labels: { quantile: String(quantile) },
    convention: 'semconv',
  }));
}

/** A vLLM counter: its cumulative value under `name` and its per-second rate under `name.rate`. */
function counterAndRate(canonical: string, name: string, unit: string, labels?: Record<string, string>): MetricRule[] {
  const common = {
    exporter: 'vllm',
    sources: aliases(canonical),
    category: 'application',
    convention: 'extension',
  } as const;
  return [
    { ...common, kind: 'counter', name, unit, ...(labels ? { labels } : {}) },
    { ...common, kind: 'rate', name: `${name}.rate`, unit: `${unit}/s`, ...(labels ? { labels } : {}) },
  ];
}

/** The vLLM metric set. */
export const VLLM_RULES: readonly MetricRule[] = [
  {
    exporter: 'vllm',
    kind: 'gauge',
    sources: aliases('vllm:num_requests_running'),
    name: 'vllm.requests.running',
    unit: '{request}',
    category: 'application',
    convention: 'extension',
  },
  {
    exporter: 'vllm',
    kind: 'gauge',
    sources: aliases('vllm:num_requests_waiting'),
    name: 'vllm.requests.waiting',
    unit: '{request}',
    category: 'application',
    convention: 'extension',
  },
  {
    exporter: 'vllm',
    kind: 'gauge',
    sources: aliases('vllm:kv_cache_usage_perc'),
    name: 'vllm.kv_cache.usage',
    unit: '1',
    category: 'application',
    convention: 'extension',
  },
  ...counterAndRate('vllm:prompt_tokens_total', 'vllm.tokens', '{token}', { 'gen_ai.token.type': 'input' }),
  ...counterAndRate('vllm:generation_tokens_total', 'vllm.tokens', '{token}', { 'gen_ai.token.type': 'output' }),
  ...counterAndRate('vllm:request_success_total', 'vllm.requests.finished', '{request}'),
  ...latency('vllm:time_to_first_token_seconds', 'gen_ai.server.time_to_first_token'),
  ...latency('vllm:inter_token_latency_seconds', 'gen_ai.server.time_per_output_token'),
  ...latency('vllm:e2e_request_latency_seconds', 'gen_ai.server.request.duration'),
];
