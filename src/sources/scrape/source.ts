// The direct scrape path of the generic collector: scrapes every target, normalizes with the same metric sets
// as the Prometheus path (counters become rates against the previous scrape this source remembers; the first
// scrape of a target stores no rates), lists GPUs from DCGM labels. A down target is partial; all down throws.

import { CollectorError, toCollectorError } from '../../core/errors.ts';
import type { GenericConfig } from '../../core/config/types.ts';
import { focusTime, type MetricSample } from '../../core/model.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import {
  createGpuInventory,
  createSampleLabeler,
  evaluateRules,
  httpClientFor,
  metricSample,
  planScrape,
  rulesFor,
  type CounterMemory,
  type RawSeries,
  type SampleLabeler,
} from '../_common/metric-sets/index.ts';
import type { ExpositionSample } from '../_common/prometheus-text/index.ts';
import { scrapeTarget } from './client.ts';

/** Tuning that is not user configuration. */
export interface ScrapeSourceOptions {
  /** Targets scraped at once (default 32). */
  concurrency?: number;
}

/** The `instance` label Prometheus would give a target: host:port of its URL. */
export function instanceOf(url: string): string {
  const parsed = new URL(url);
  return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.host;
}

/** Creates the scrape source for one generic provider. */
export function createScrapeSource(provider: string, config: GenericConfig, options: ScrapeSourceOptions = {}): Source {
  const rules = rulesFor({
    dcgm: config.dcgm,
    node_exporter: config.node_exporter,
    vllm: config.vllm,
    metrics: config.metrics,
  }).filter((rule) => rule.promql === undefined);
  const plan = planScrape(rules);
  const wantName = (name: string): boolean => plan.uses.has(name);
  /** Previous scrape per target, for rates; kept for the life of the source. */
  const memory = new Map<string, CounterMemory>();
  /** Per target: its `instance` label and stored labels reused scrape after scrape (the parser shares label sets); kept like `memory`. */
  const perTarget = new Map<string, { extra: { instance: string }; labeler: SampleLabeler }>();

  return {
    async collect(context: CollectContext): Promise<void> {
      const targets = config.scrape_targets;
      if (targets.length === 0)
        throw new CollectorError('CONFIG_INVALID', `${provider}: scrape_targets is empty`, { provider });
      const http = httpClientFor(context, config.scrape_auth);
      const inventory = createGpuInventory();
      const failures: CollectorError[] = [];

      const scrapeOne = async (target: string): Promise<void> => {
        let known = perTarget.get(target);
        if (known === undefined) {
          const extra = { instance: instanceOf(target) };
          perTarget.set(target, (known = { extra, labeler: createSampleLabeler(extra) }));
        }
        const { extra, labeler } = known;
        // Gauges become samples as the page is parsed; only the series of rates and other whole-scrape rules are kept.
        const series: RawSeries[] = [];
        const samples: MetricSample[] = [];
        const gpus = new Map<string, Record<string, string>>();
        let ts = '';
        const onSample = (sample: ExpositionSample): void => {
          const use = plan.uses.get(sample.name);
          if (use === undefined) return;
          for (const rule of use.gauges) {
            const out = metricSample(
              provider,
              ts,
              rule,
              sample.labels,
              sample.value * (rule.scale ?? 1),
              sample.name,
              labeler,
            );
            if (out) samples.push(out);
          }
          if (use.buffered) series.push({ name: sample.name, labels: sample.labels, value: sample.value });
          // GPUs of this page, listed once the scrape succeeded (a truncated page lists none).
          const uuid = sample.labels.UUID;
          if (config.dcgm && uuid !== undefined && !gpus.has(uuid) && sample.name.startsWith('DCGM_'))
            gpus.set(uuid, sample.labels);
        };
        try {
          const result = await scrapeTarget(http, target, provider, {
            onResponse: (atMs) => (ts = new Date(atMs).toISOString()),
            onSample,
            wantName,
          });
          if (result.parse.errors.length > 0)
            context.log.warn(
              { provider, target, errors: result.parse.errors.slice(0, 5) },
              `${provider}: ${result.parse.errors.length} invalid lines skipped in ${target}`,
            );
          const evaluation = evaluateRules(plan.whole, series, memory.get(target), result.scrapedAtMs);
          memory.set(target, evaluation.memory);
          for (const value of evaluation.values) {
            const sample = metricSample(
              provider,
              ts,
              value.rule,
              value.labels,
              value.value,
              value.sourceMetric,
              labeler,
            );
            if (sample) samples.push(sample);
          }
          for (const labels of gpus.values()) inventory.add(labels, extra);
          if (samples.length > 0) await context.emit.metrics(samples);
        } catch (thrown) {
          const error = toCollectorError(thrown, { provider, url: target });
          if (error.code === 'CANCELLED') throw error;
          failures.push(error);
          const code =
            error.code === 'AUTH_FAILED' || error.code === 'RESPONSE_TOO_LARGE' || error.code === 'RESPONSE_MALFORMED'
              ? error.code
              : 'TARGET_DOWN';
          context.emit.partial(
            new CollectorError(
              code,
              `${provider}: scrape target ${target} is down: ${error.message}`,
              { provider, url: target },
              { cause: error, kind: error.kind },
            ),
          );
        }
      };

      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < targets.length && !context.signal.aborted) {
          const target = targets[next]!;
          next += 1;
          await scrapeOne(target);
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 32, targets.length) }, worker));
      if (failures.length === targets.length && failures[0]) {
        const code = failures.every((failure) => failure.code === failures[0]!.code) ? failures[0].code : 'TARGET_DOWN';
        throw new CollectorError(
          code === 'NETWORK' || code === 'TIMEOUT' || code === 'UPSTREAM_UNAVAILABLE' ? 'TARGET_DOWN' : code,
          `${provider}: every scrape target is down: ${failures
            .map((failure) => failure.message)
            .slice(0, 3)
            .join('; ')}`,
          { provider },
          { cause: failures[0] },
        );
      }
      if (inventory.size > 0) await context.emit.resources(inventory.resources(provider, focusTime(context.now)));
    },
    async shutdown(): Promise<void> {
      memory.clear();
      perTarget.clear();
    },
  };
}
