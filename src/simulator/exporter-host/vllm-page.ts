// A vLLM /metrics page as prometheus_client prints it (multiprocess style: labels sorted, histogram `_sum`
// before buckets, no `_created`), with the metric names of before (`old`) or after (`new`) the v0.10 renames.

import { noise, pageSample, pythonFloat, type PageFamily, type PageSample } from './render.ts';

/** Options for a simulated vLLM server. */
export interface VllmPageOptions {
  seed?: number;
  host?: number;
  /** `new`: kv_cache_usage_perc, inter_token_latency_seconds, engine label. `old`: gpu_cache_usage_perc, time_per_output_token_seconds, no engine label. */
  names?: 'old' | 'new';
  /** Served model names (default one Llama). */
  models?: readonly string[];
}

const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0,
  640.0, 2560.0,
];
const ITL_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
];
const E2E_BUCKETS = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0,
  7680.0,
];
const FINISHED_REASONS = ['abort', 'length', 'stop'] as const;

/** The vLLM families served at `tick`. */
export function vllmFamilies(options: VllmPageOptions = {}, tick = 0): PageFamily[] {
  const seed = options.seed ?? 1;
  const host = options.host ?? 0;
  const fresh = (options.names ?? 'new') === 'new';
  const models = options.models ?? ['meta-llama/Llama-3.1-8B-Instruct'];
  const baseLabels = (model: string, extra: Array<[string, string]> = []): Array<[string, string]> =>
    [...(fresh ? [['engine', '0'] as [string, string]] : []), ...extra, ['model_name', model] as [string, string]].sort(
      ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
    );
  const perModel = (
    name: string,
    value: (model: number) => number,
    extra: Array<[string, string]> = [],
  ): PageSample[] =>
    models.map((model, index) => pageSample(name, baseLabels(model, extra), value(index), pythonFloat));
  const requests = (model: number): number => 1_000 + 40 * tick + model * 7;

  const families: PageFamily[] = [
    {
      name: 'vllm:num_requests_running',
      type: 'gauge',
      help: 'Number of requests in model execution batches.',
      samples: perModel('vllm:num_requests_running', (model) => Math.floor(4 + 28 * noise(seed, host, 1, model, tick))),
    },
    {
      name: 'vllm:num_requests_waiting',
      type: 'gauge',
      help: 'Number of requests waiting to be processed.',
      samples: perModel('vllm:num_requests_waiting', (model) => Math.floor(6 * noise(seed, host, 2, model, tick))),
    },
    fresh
      ? {
          name: 'vllm:kv_cache_usage_perc',
          type: 'gauge',
          help: 'KV-cache usage. 1 means 100 percent usage.',
          samples: perModel(
            'vllm:kv_cache_usage_perc',
            (model) => Math.round(noise(seed, host, 3, model, tick) * 1e4) / 1e4,
          ),
        }
      : {
          name: 'vllm:gpu_cache_usage_perc',
          type: 'gauge',
          help: 'GPU KV-cache usage. 1 means 100 percent usage.',
          samples: perModel(
            'vllm:gpu_cache_usage_perc',
            (model) => Math.round(noise(seed, host, 3, model, tick) * 1e4) / 1e4,
          ),
        },
    {
      name: 'vllm:prompt_tokens_total',
      type: 'counter',
      help: 'Number of prefill tokens processed.',
      samples: perModel('vllm:prompt_tokens_total', (model) => requests(model) * 812),
    },
    {
      name: 'vllm:generation_tokens_total',
      type: 'counter',
      help: 'Number of generation tokens processed.',
      samples: perModel('vllm:generation_tokens_total', (model) => requests(model) * 231),
    },
    {
      name: 'vllm:request_success_total',
      type: 'counter',
      help: 'Count of successfully processed requests.',
      samples: FINISHED_REASONS.flatMap((reason, reasonIndex) =>
        perModel(
          'vllm:request_success_total',
          (model) => Math.floor(requests(model) * [0.01, 0.14, 0.85][reasonIndex]!),
          [['finished_reason', reason]],
        ),
      ),
    },
    histogram(
      'vllm:time_to_first_token_seconds',
      'Histogram of time to first token in seconds.',
      TTFT_BUCKETS,
      0.12,
      requests,
    ),
    histogram(
      fresh ? 'vllm:inter_token_latency_seconds' : 'vllm:time_per_output_token_seconds',
      fresh ? 'Histogram of inter-token latency in seconds.' : 'Histogram of time per output token in seconds.',
      ITL_BUCKETS,
      0.028,
      (model) => requests(model) * 230,
    ),
    histogram(
      'vllm:e2e_request_latency_seconds',
      'Histogram of e2e request latency in seconds.',
      E2E_BUCKETS,
      6.5,
      requests,
    ),
  ];
  return families;

  function histogram(
    name: string,
    help: string,
    bounds: readonly number[],
    typical: number,
    countOf: (model: number) => number,
  ): PageFamily {
    const samples: PageSample[] = [];
    models.forEach((model, index) => {
      const count = countOf(index);
      // Log-normal-ish spread around `typical`: cumulative share below each bound, fixed per model.
      const shares = bounds.map((bound) => 1 / (1 + Math.pow(typical / bound, 3)));
      samples.push(
        pageSample(`${name}_sum`, baseLabels(model), Math.round(count * typical * 1.07 * 1000) / 1000, pythonFloat),
      );
      for (const [position, bound] of bounds.entries())
        samples.push(
          pageSample(
            `${name}_bucket`,
            baseLabels(model, [['le', pythonFloat(bound)]]),
            Math.floor(count * (shares[position] ?? 1)),
            pythonFloat,
          ),
        );
      samples.push(pageSample(`${name}_bucket`, baseLabels(model, [['le', '+Inf']]), count, pythonFloat));
      samples.push(pageSample(`${name}_count`, baseLabels(model), count, pythonFloat));
    });
    return { name, type: 'histogram', help, samples };
  }
}
