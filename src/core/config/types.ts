// The validated configuration the runtime works from. Frozen after loading.

/** Collection defaults after merging top level and provider overrides. */
export interface ProviderTiming {
  interval: number;
  cost_interval: number;
  cost_history: number;
  cost_restatement: number;
  metrics_backfill: number;
  timeout: number;
  run_timeout: number;
  retries: number;
  max_response_bytes: number;
  rate_limit: number | undefined;
  /** Cron expression (5 fields, UTC) replacing `interval` in service mode. */
  schedule?: string;
}

/** HTTP auth and TLS for Prometheus or scrape targets. */
export interface HttpAuthConfig {
  bearer_token?: string;
  username?: string;
  password?: string;
  headers: Record<string, string>;
  ca_file?: string;
  insecure_skip_verify: boolean;
}

/** A custom PromQL query. */
export interface CustomQuery {
  name: string;
  query: string;
  unit: string;
  category: 'performance' | 'resource' | 'gpu' | 'application';
}

/** The generic collector's settings for one provider. */
export interface GenericConfig {
  prometheus_url?: string;
  prometheus_selector?: string;
  prometheus_auth: HttpAuthConfig;
  scrape_targets: string[];
  scrape_auth: HttpAuthConfig;
  dcgm: boolean;
  node_exporter: boolean;
  vllm: boolean;
  queries: CustomQuery[];
  metrics: string[];
}

/** An `api:` block: the adapter and its validated keys. */
export interface ApiConfig {
  adapter: string;
  base_url?: string;
  api_key?: string;
  [key: string]: unknown;
}

/** One provider after validation. */
export interface ProviderConfig {
  name: string;
  display_name: string;
  enabled: boolean;
  collector_type: 'dedicated' | 'generic';
  /** The dedicated collector's type (dedicated providers only). */
  type?: string;
  timing: ProviderTiming;
  /** Dedicated collector's own keys (regions, accounts, ...). */
  dedicated?: Record<string, unknown>;
  generic?: GenericConfig;
  api?: ApiConfig;
}

/** The whole validated file. */
export interface AppConfig {
  /** Absolute path of the file read (undefined when built in memory). */
  path?: string;
  storage: { url: string; retention: number; spool_dir: string };
  collection: Omit<ProviderTiming, 'rate_limit' | 'schedule'> & { concurrency: number; shutdown_grace?: number };
  server: { listen: string };
  log: { level: string };
  providers: Record<string, ProviderConfig>;
}
