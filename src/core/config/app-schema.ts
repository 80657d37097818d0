// The shape of providers.yaml: top-level sections and the keys every provider block shares.

import * as s from './schema.ts';
import { gpuModels } from '../gpu-catalog.ts';
import { closestMatch } from './did-you-mean.ts';

/** `storage:` section. */
export const storageSchema = s.object({
  url: s.string({
    doc: 'where to store data: sqlite:PATH or postgres://user@host/db',
    default: 'sqlite:./data/optiinfra.db',
    pattern: /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
    patternHint: 'sqlite:PATH or postgres://…',
  }),
  retention: s.duration({ doc: 'how long metric samples are kept', default: 30 * 86_400_000 }),
  spool_dir: s.string({
    doc: 'directory of the on-disk spool used while the database is unreachable',
    default: './data/spool',
  }),
});

/** `collection:` section: defaults every provider inherits. */
export const collectionSchema = s.object({
  interval: s.duration({ doc: 'how often metrics and inventory are collected', default: 300_000, min: 1_000 }),
  cost_interval: s.duration({
    doc: 'how often costs are collected in service mode (billing APIs restate slowly; Cost Explorer bills per call)',
    default: 6 * 3_600_000,
    min: 60_000,
  }),
  cost_history: s.duration({ doc: 'how far back the first collection backfills costs', default: 90 * 86_400_000 }),
  cost_restatement: s.duration({
    doc: 'trailing window re-collected on every cost run, since providers restate billing',
    default: 3 * 86_400_000,
  }),
  metrics_backfill: s.duration({
    doc: 'longest gap of metric history filled by range queries after downtime',
    default: 3_600_000,
  }),
  timeout: s.duration({ doc: 'per-call timeout', default: 30_000, min: 100 }),
  run_timeout: s.duration({ doc: 'deadline of one provider run', default: 600_000, min: 1_000 }),
  retries: s.number({ doc: 'attempts per call, the first included', default: 4, min: 1, max: 10, integer: true }),
  concurrency: s.number({ doc: 'providers collected at the same time', default: 4, min: 1, max: 64, integer: true }),
  max_response_bytes: s.number({
    doc: 'cap on one response body',
    default: 64 * 1024 * 1024,
    min: 1024,
    integer: true,
  }),
  shutdown_grace: s.duration({
    doc: 'on SIGINT/SIGTERM, how long in-flight runs may finish before they are aborted',
    default: 15_000,
  }),
});

/** `server:` section (service mode). */
export const serverSchema = s.object({
  listen: s.string({
    doc: 'host:port of the HTTP API',
    default: '127.0.0.1:8080',
    pattern: /^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/,
    patternHint: 'host:port',
  }),
});

/** `log:` section. */
export const logSchema = s.object({
  level: s.oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const, {
    doc: 'log level',
    default: 'info',
  }),
});

/** Keys every provider block has, whatever its collector type. */
export const providerCommonShape = {
  enabled: s.boolean({ doc: 'collect this provider', default: false }),
  collector_type: s.oneOf(['dedicated', 'generic'] as const, {
    doc: 'dedicated (own SDK collector) or generic (Prometheus + optional API adapter)',
  }),
  type: s.string({ doc: 'which dedicated collector serves this provider (defaults to the provider name)' }),
  display_name: s.string({ doc: 'human name shown in tables' }),
  interval: s.duration({ doc: 'overrides collection.interval', min: 1_000 }),
  schedule: s.string({
    doc: 'cron expression (5 fields, UTC, e.g. "*/10 * * * *") used instead of interval in service mode',
  }),
  cost_interval: s.duration({ doc: 'overrides collection.cost_interval', min: 60_000 }),
  cost_history: s.duration({ doc: 'overrides collection.cost_history' }),
  cost_restatement: s.duration({ doc: 'overrides collection.cost_restatement' }),
  timeout: s.duration({ doc: 'overrides collection.timeout', min: 100 }),
  run_timeout: s.duration({ doc: 'overrides collection.run_timeout', min: 1_000 }),
  rate_limit: s.number({ doc: 'requests per second to pace API calls at (defaults per provider)', min: 0.01 }),
};

/** TLS and authentication for Prometheus and scrape targets. */
export const httpAuthSchema = s.object({
  bearer_token: s.string({ doc: 'Authorization: Bearer token', secret: true }),
  username: s.string({ doc: 'basic auth user' }),
  password: s.string({ doc: 'basic auth password', secret: true }),
  headers: s.record(s.string({ secret: true }), { doc: 'extra request headers (values are treated as secrets)' }),
  ca_file: s.string({ doc: 'PEM file of CAs to trust' }),
  insecure_skip_verify: s.boolean({ doc: 'skip TLS verification (only for testing)', default: false }),
});

/** A custom PromQL query kept as a metric. */
export const customQuerySchema = s.object({
  name: s.string({ doc: 'normalized metric name to store', required: true, nonEmpty: true }),
  query: s.string({ doc: 'PromQL expression', required: true, nonEmpty: true }),
  unit: s.string({ doc: 'UCUM unit of the result', default: '1' }),
  category: s.oneOf(['performance', 'resource', 'gpu', 'application'] as const, { default: 'performance' }),
});

/** An hourly or per-kWh price of a rate card: a decimal string, never a float. */
const price = (doc: string) =>
  s.string({ doc, pattern: /^\d+(\.\d+)?$/, patternHint: 'a price as a decimal string, e.g. "2.10"' });

/** `rate_card:` of a generic provider without a billing API (On-Premises): prices GPU-hours, host-hours, energy. */
const rateCardObject = s.object(
  {
    currency: s.string({
      doc: 'currency of the rate card',
      default: 'USD',
      pattern: /^[A-Z]{3}$/,
      patternHint: 'an ISO 4217 code',
    }),
    gpu_hour: s.record(price('hourly price'), {
      doc: 'price per GPU per hour seen, by canonical GPU model id (src/core/gpu-catalog.ts); `default` for any other model',
    }),
    host_hour: price('price per host (node_exporter) per hour seen: hardware amortisation, space, support'),
    energy: s.object({
      price_per_kwh: price('price of one kWh at the meter'),
      pue: s.number({ doc: 'power usage effectiveness: facility energy ÷ IT energy', default: 1, min: 1, max: 5 }),
      max_gap: s.duration({
        doc: 'longest gap between two power/energy samples that is integrated; longer gaps count no energy',
        default: 900_000,
        min: 1_000,
      }),
    }),
  },
  {
    doc: 'On-Premises rate card: cost rows (x_cost_source rate_card) from GPUs and hosts seen and their energy',
    check(card, path, context) {
      const ids = gpuModels().map((model) => model.id);
      for (const key of Object.keys(card.gpu_hour)) {
        if (key === 'default' || ids.includes(key)) continue;
        const near = closestMatch(key, ids);
        const hint = near === undefined ? ' (see docs/gpu-catalog.md)' : `; did you mean ${JSON.stringify(near)}?`;
        context.problems.push({ path: `${path}.gpu_hour.${key}`, message: `unknown GPU model id${hint}` });
      }
    },
  },
);

/** The parsed `rate_card:` block. */
export type OnPremRateCard = s.Infer<typeof rateCardObject.shape>;

/** `rate_card:` as an optional key: absent means no rate-card rows (an object section would always be present). */
export const onPremRateCardSchema: s.Field<OnPremRateCard, false> = {
  kind: rateCardObject.kind,
  doc: rateCardObject.doc,
  secret: false,
  required: false,
  defaultValue: undefined,
  present: false,
  jsonSchema: rateCardObject.jsonSchema,
  parse: (raw, path, context) => rateCardObject.parse(raw, path, context),
};

/** Keys of a generic provider block. */
export const genericShape = {
  rate_card: onPremRateCardSchema,
  prometheus_url: s.url({ doc: 'Prometheus HTTP API base URL (e.g. http://prometheus:9090)' }),
  prometheus_selector: s.string({ doc: 'label matchers added to every query, e.g. job="runpod",cluster="a"' }),
  prometheus_auth: httpAuthSchema,
  prometheus_series_limit: s.number({
    doc: 'most series one Prometheus query may answer; more drops that query (partial); 0: no limit',
    default: 100_000,
    min: 0,
    integer: true,
  }),
  scrape_targets: s.list(s.url(), { doc: 'exporter /metrics URLs scraped directly' }),
  scrape_auth: httpAuthSchema,
  sample_limit: s.number({
    doc: 'most samples one scrape target may have among the series read (Prometheus sample_limit); more fails that target; 0: no limit',
    default: 100_000,
    min: 0,
    integer: true,
  }),
  label_limit: s.number({
    doc: 'most labels one scraped series may carry, its name not counted (Prometheus label_limit); more fails that target; 0: no limit',
    default: 64,
    min: 0,
    integer: true,
  }),
  label_value_length_limit: s.number({
    doc: 'longest label value in bytes on a scraped series (Prometheus label_value_length_limit); longer fails that target; 0: no limit',
    default: 2048,
    min: 0,
    integer: true,
  }),
  dcgm: s.boolean({
    doc: 'NVIDIA DCGM GPU metrics and GPU inventory: collected when present (unset); false: off; true: absence is reported',
  }),
  node_exporter: s.boolean({
    doc: 'node_exporter host metrics and host inventory: collected when present (unset); false: off; true: absence is reported',
  }),
  vllm: s.boolean({
    doc: 'vLLM serving metrics: collected when present (unset); false: off; true: absence is reported',
  }),
  queries: s.list(customQuerySchema, { doc: 'extra PromQL queries stored as metrics' }),
  metrics: s.list(s.string(), {
    doc: 'extra exporter metric names or globs (myapp_*) stored under their own names, labels kept; counters also as <name>.rate',
  }),
};

/** Keys every `api:` block has; adapters add their own. */
export const apiCommonShape = {
  adapter: s.string({ doc: 'which API adapter to use (defaults to the provider name when one exists)' }),
  base_url: s.url({ doc: "replaces the provider's documented base URL, version path included" }),
  api_key: s.string({ doc: 'API key or token', secret: true }),
};
