// The direct scrape path of the generic collector: scrapes every target and normalizes whatever metric sets
// its page carries (DCGM, node_exporter, vLLM are detected; `dcgm: false` etc. turns one off), with the same
// rules as the Prometheus path. Counters are stored cumulative and as rates against the previous scrape, which
// is kept in the provider's durable state, so separate `collect` processes get rates too; a target never seen
// before is primed by a scrape `primeDelayMs` earlier. Lists GPUs (DCGM labels) and hosts (node_exporter).
// A down target is partial; all down throws; a page whose series match nothing enabled is partial. A page past
// sample_limit, label_limit, label_value_length_limit or MAX_GPUS_PER_TARGET fails that target alone
// (TARGET_LIMIT_EXCEEDED), and its parse stops there: memory stays bounded by the limits, not the page.

import { CollectorError, toCollectorError } from '../../core/errors.ts';
import type { GenericConfig } from '../../core/config/types.ts';
import { focusTime, type MetricSample, type ResourceRecord } from '../../core/model.ts';
import type { CollectContext, Source } from '../../core/source.ts';
import {
  addToPlan,
  authHeaders,
  MAX_GPUS_PER_TARGET,
  createGpuInventory,
  createSampleLabeler,
  customPatternsFor,
  enabledSets,
  evaluateRules,
  expectedSets,
  httpClientFor,
  loadCounterMemory,
  metricSample,
  metricSetOf,
  planScrape,
  rulesFor,
  ruleSourceNames,
  storeCounterMemory,
  type CounterMemory,
  type RawSeries,
  type SampleLabeler,
  type StoredCounterMemory,
  addressOf,
  createHostFacts,
  hasHostFacts,
  HOST_FACT_NAMES,
  hostResource,
  noteHostFact,
} from '../_common/metric-sets/index.ts';
import type { ExpositionSample, MetricType } from '../_common/prometheus-text/index.ts';
import { scrapeTarget, type ScrapeOptions } from './client.ts';

/** Tuning that is not user configuration. */
export interface ScrapeSourceOptions {
  /** Targets scraped at once (default 32). */
  concurrency?: number;
  /**
   * How long before its first real scrape a never-seen target is scraped once for its counters, so the first
   * collect already has rates (default 1000 ms; 0 turns priming off). DCGM counters are not primed: the
   * exporter refreshes them every 30 s by default, so a rate over one second would read as zero.
   */
  primeDelayMs?: number;
}

/** The state key holding the previous scrape's counters per target and the host id per address. */
export const SCRAPE_STATE_KEY = 'scrape.counters.v1';

/** What the scrape path keeps in SourceState. */
interface StoredScrapeState {
  targets: Record<string, StoredCounterMemory>;
  /** Scrape address (host without port) -> host resource id, from node_exporter pages. */
  hosts: Record<string, string>;
}

/** The `instance` label Prometheus would give a target: host:port of its URL. */
export function instanceOf(url: string): string {
  const parsed = new URL(url);
  return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.host;
}

/** What one name on a page is for, looked up once per family rather than per sample. */
interface NameInfo {
  set: string | undefined;
  hostFact: boolean;
}

/** Creates the scrape source for one generic provider. */
export function createScrapeSource(provider: string, config: GenericConfig, options: ScrapeSourceOptions = {}): Source {
  const selection = {
    dcgm: config.dcgm,
    node_exporter: config.node_exporter,
    vllm: config.vllm,
    metrics: config.metrics,
  };
  const rules = rulesFor(selection).filter((rule) => rule.promql === undefined);
  const plan = planScrape(rules);
  const custom = customPatternsFor(selection);
  const sets = enabledSets(selection);
  const expected = expectedSets(selection);
  const dcgmOn = sets.some((set) => set.key === 'dcgm');
  const nodeOn = sets.some((set) => set.key === 'node_exporter');
  const wantName = (name: string): boolean =>
    plan.uses.has(name) || (nodeOn && HOST_FACT_NAMES.has(name)) || (custom.hasGlobs && custom.matches(name));
  // What a priming scrape reads: the counters of rate-like rules, DCGM's left out (see primeDelayMs).
  const primeRules = plan.whole.filter((rule) => rule.exporter !== 'dcgm');
  const primeNames = new Set(primeRules.flatMap((rule) => ruleSourceNames(rule)));
  const primeDelayMs = options.primeDelayMs ?? 1_000;
  const scrapeOptions: ScrapeOptions = {
    limits: {
      sampleLimit: config.sample_limit,
      labelLimit: config.label_limit,
      labelValueLengthLimit: config.label_value_length_limit,
    },
    credentials: Object.keys(authHeaders(config.scrape_auth)).length > 0,
  };
  const nameInfo = (name: string): NameInfo => ({
    set: metricSetOf(name)?.key ?? (plan.uses.has(name) ? 'custom' : undefined),
    hostFact: nodeOn && HOST_FACT_NAMES.has(name),
  });
  /** Previous scrape per target, for rates: kept for the life of the source and in SourceState. */
  const memory = new Map<string, CounterMemory>();
  /** Scrape address -> host resource id, so a vLLM page beside a node_exporter gets the host's id. */
  const hostsByAddress = new Map<string, string>();
  let stateLoaded = false;
  /** Per target: its `instance` label and stored labels reused scrape after scrape (the parser shares label sets); kept like `memory`. */
  const perTarget = new Map<string, { extra: { instance: string }; labeler: SampleLabeler }>();

  const loadState = async (context: CollectContext): Promise<void> => {
    if (stateLoaded) return;
    stateLoaded = true;
    try {
      const stored = await context.state.get<Partial<StoredScrapeState>>(SCRAPE_STATE_KEY);
      for (const [target, value] of Object.entries(stored?.targets ?? {})) {
        const loaded = loadCounterMemory(value);
        if (loaded && !memory.has(target)) memory.set(target, loaded);
      }
      for (const [address, id] of Object.entries(stored?.hosts ?? {}))
        if (typeof id === 'string' && !hostsByAddress.has(address)) hostsByAddress.set(address, id);
    } catch (error) {
      context.log.warn(
        { provider, error: error instanceof Error ? error.message : String(error) },
        `${provider}: could not read the previous scrape's counters; rates start from this scrape`,
      );
    }
  };

  const saveState = async (context: CollectContext, targets: readonly string[]): Promise<void> => {
    const stored: StoredScrapeState = { targets: {}, hosts: Object.fromEntries(hostsByAddress) };
    for (const target of targets) {
      const value = memory.get(target);
      if (value) stored.targets[target] = storeCounterMemory(value);
    }
    try {
      await context.state.set(SCRAPE_STATE_KEY, stored);
    } catch (error) {
      context.log.warn(
        { provider, error: error instanceof Error ? error.message : String(error) },
        `${provider}: could not keep this scrape's counters; the next process starts its rates afresh`,
      );
    }
  };

  /**
   * Scrapes never-seen targets once for their counters and waits until the delay has passed. Returns the
   * targets that failed (with the whole retry policy): the real pass reports them rather than trying again.
   */
  const prime = async (
    context: CollectContext,
    targets: readonly string[],
    http: CollectContext['http'],
  ): Promise<Map<string, unknown>> => {
    const failed = new Map<string, unknown>();
    const fresh = targets.filter((target) => !memory.has(target));
    if (primeDelayMs <= 0 || primeNames.size === 0 || fresh.length === 0) return failed;
    let earliest = Infinity;
    await pool(fresh, options.concurrency ?? 32, context.signal, async (target) => {
      const series: RawSeries[] = [];
      try {
        const result = await scrapeTarget(
          http,
          target,
          provider,
          {
            onSample: (sample) => series.push({ name: sample.name, labels: sample.labels, value: sample.value }),
            wantName: (name) => primeNames.has(name),
          },
          scrapeOptions,
        );
        if (series.length === 0) return;
        earliest = Math.min(earliest, result.scrapedAtMs);
        memory.set(target, evaluateRules(primeRules, series, undefined, result.scrapedAtMs).memory);
      } catch (thrown) {
        failed.set(target, thrown);
      }
    });
    const wait = earliest + primeDelayMs - Date.now();
    if (Number.isFinite(wait) && wait > 0) await sleep(wait, context.signal);
    return failed;
  };

  return {
    async collect(context: CollectContext): Promise<void> {
      const targets = config.scrape_targets;
      if (targets.length === 0)
        throw new CollectorError('CONFIG_INVALID', `${provider}: scrape_targets is empty`, { provider });
      await loadState(context);
      const http = httpClientFor(context, config.scrape_auth);
      const primeFailures = await prime(context, targets, http);
      const inventory = createGpuInventory();
      const hosts: ResourceRecord[] = [];
      const failures: CollectorError[] = [];
      const seenSets = new Set<string>();
      let succeeded = 0;
      const lastSeen = focusTime(context.now);

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
        const facts = createHostFacts(extra.instance);
        const families = custom.hasGlobs ? new Map<string, MetricType>() : undefined;
        let ts = '';
        let lastName = '';
        let info: NameInfo = { set: undefined, hostFact: false };
        // Values that are not data (NaN, ±Inf, DCGM blanks): dropped, and counted on the run.
        let notData = 0;
        const onSample = (sample: ExpositionSample): void => {
          if (sample.name !== lastName) {
            lastName = sample.name;
            info = nameInfo(sample.name);
            if (info.set !== undefined) seenSets.add(info.set);
          }
          if (info.hostFact) noteHostFact(facts, sample.name, sample.labels, sample.value);
          let use = plan.uses.get(sample.name);
          if (use === undefined) {
            if (families === undefined || !custom.matches(sample.name)) return;
            addToPlan(plan, custom.rulesFor(sample.name, customKind(sample.name, families)));
            use = plan.uses.get(sample.name);
            if (use === undefined) return;
            seenSets.add('custom');
          }
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
            else notData++;
          }
          if (use.buffered) series.push({ name: sample.name, labels: sample.labels, value: sample.value });
          // GPUs of this page, listed once the scrape succeeded (a truncated page lists none).
          const uuid = sample.labels.UUID;
          if (dcgmOn && uuid !== undefined && !gpus.has(uuid) && sample.name.startsWith('DCGM_')) {
            if (gpus.size >= MAX_GPUS_PER_TARGET)
              throw new CollectorError(
                'TARGET_LIMIT_EXCEEDED',
                `${provider}: scrape of ${target} failed: its page lists more than ${MAX_GPUS_PER_TARGET} GPUs (DCGM UUIDs); none of its samples are kept`,
                { provider, url: target },
              );
            gpus.set(uuid, sample.labels);
          }
        };
        try {
          if (primeFailures.has(target)) throw primeFailures.get(target);
          const result = await scrapeTarget(
            http,
            target,
            provider,
            {
              onResponse: (atMs) => (ts = new Date(atMs).toISOString()),
              onSample,
              wantName,
              ...(families ? { onFamily: (meta) => families.set(meta.name, meta.type) } : {}),
            },
            scrapeOptions,
          );
          succeeded += 1;
          if (result.parse.invalid > 0) {
            context.emit.dropped('invalid_lines', result.parse.invalid);
            context.log.warn(
              { provider, target, errors: result.parse.errors.slice(0, 5) },
              `${provider}: ${result.parse.invalid} invalid lines skipped in ${target}`,
            );
          }
          context.emit.dropped('non_finite_values', notData);
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
          // Host series (and vLLM or custom ones beside them) carry the host's id; GPU series keep their UUID.
          const address = addressOf(extra.instance);
          const host = hasHostFacts(facts) ? hostResource(provider, facts, lastSeen) : undefined;
          if (host) {
            hosts.push(host);
            hostsByAddress.set(address, host.resource_id);
          }
          const hostId = host?.resource_id ?? hostsByAddress.get(address);
          if (hostId !== undefined) for (const sample of samples) sample.resource_id ??= hostId;
          for (const labels of gpus.values()) inventory.add(labels, extra);
          const total = result.parse.samples + result.parse.skipped;
          if (samples.length === 0 && host === undefined && gpus.size === 0 && total > 0)
            context.emit.partial(
              new CollectorError(
                'NO_MATCHING_METRICS',
                `${provider}: ${target} had ${total} series, none matched an enabled metric set (${enabledNames(sets, config.metrics)})`,
                { provider, url: target },
              ),
            );
          if (samples.length > 0) await context.emit.metrics(samples);
        } catch (thrown) {
          const error = toCollectorError(thrown, { provider, url: target });
          if (error.code === 'CANCELLED') throw error;
          failures.push(error);
          const code = KEPT_CODES.has(error.code) ? error.code : 'TARGET_DOWN';
          const status = code === 'TARGET_LIMIT_EXCEEDED' ? 'was dropped' : 'is down';
          context.emit.partial(
            new CollectorError(
              code,
              `${provider}: scrape target ${target} ${status}: ${error.message}`,
              { provider, url: target },
              { cause: error, kind: error.kind },
            ),
          );
        }
      };

      await pool(targets, options.concurrency ?? 32, context.signal, scrapeOne);
      await saveState(context, targets);
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
      if (succeeded > 0)
        for (const set of expected) {
          if (!seenSets.has(set.key))
            context.emit.partial(
              new CollectorError(
                'NO_MATCHING_METRICS',
                `${provider}: ${set.key} is true, but no ${set.title} series (${set.prefix}*) was on any scrape target (${targets.join(', ')})`,
                { provider },
              ),
            );
        }
      const resources = [...hosts, ...inventory.resources(provider, lastSeen)];
      if (resources.length > 0) await context.emit.resources(resources);
    },
    async shutdown(): Promise<void> {
      memory.clear();
      perTarget.clear();
      hostsByAddress.clear();
      stateLoaded = false;
    },
  };
}

/** Failure codes a failed target's partial keeps; the others (network, 5xx, timeouts...) are TARGET_DOWN. */
const KEPT_CODES: ReadonlySet<string> = new Set([
  'AUTH_FAILED',
  'RESPONSE_TOO_LARGE',
  'RESPONSE_MALFORMED',
  'TARGET_LIMIT_EXCEEDED',
]);

/** The enabled metric sets (and custom names) for a message. */
export function enabledNames(sets: ReadonlyArray<{ key: string }>, metrics: readonly string[]): string {
  const names = sets.map((set) => set.key);
  if (metrics.length > 0) names.push(`metrics: ${metrics.join(', ')}`);
  return names.length > 0 ? names.join(', ') : 'none';
}

/** A custom series is a counter when its family says so or its name ends in `_total`. */
function customKind(name: string, families: ReadonlyMap<string, MetricType>): 'counter' | 'gauge' {
  const type = families.get(name) ?? (name.endsWith('_total') ? families.get(name.slice(0, -6)) : undefined);
  return type === 'counter' || name.endsWith('_total') ? 'counter' : 'gauge';
}

/** Runs `work` over `items`, `concurrency` at a time, until done or aborted. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal.aborted) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
