// The validated configuration the runtime works from, frozen after loading. Every type here is inferred from
// the schemas in app-schema.ts, so the schema is the one description of the file.

import type {
  apiCommonShape,
  collectionSchema,
  customQuerySchema,
  genericShape,
  httpAuthSchema,
  logSchema,
  serverSchema,
  storageSchema,
} from './app-schema.ts';
import type { Infer } from './schema.ts';

/** The `collection:` section: defaults every provider inherits. */
export type CollectionConfig = Infer<typeof collectionSchema.shape>;

/** Collection timing of one provider: the `collection:` defaults with its own overrides applied. */
export type ProviderTiming = Omit<CollectionConfig, 'concurrency' | 'shutdown_grace'> & {
  /** Requests per second: the provider's `rate_limit`, else its adapter's documented default. */
  rate_limit: number | undefined;
  /** Cron expression (5 fields, UTC) replacing `interval` in service mode. */
  schedule?: string;
};

/** HTTP auth and TLS for Prometheus or scrape targets. */
export type HttpAuthConfig = Infer<typeof httpAuthSchema.shape>;

/** A custom PromQL query. */
export type CustomQuery = Infer<typeof customQuerySchema.shape>;

/** The generic collector's settings for one provider. */
export type GenericConfig = Infer<typeof genericShape>;

/** An `api:` block: the adapter, the common keys, and the adapter's own validated keys. */
export type ApiConfig = Infer<typeof apiCommonShape> & { adapter: string; [key: string]: unknown };

/** One provider after validation. */
export interface ProviderConfig {
  name: string;
  display_name: string;
  enabled: boolean;
  collector_type: 'dedicated' | 'generic';
  /** The dedicated collector's type (dedicated providers only). */
  type?: string;
  timing: ProviderTiming;
  /** Dedicated collector's own keys (regions, accounts, ...), as its schema parsed them. */
  dedicated?: Record<string, unknown>;
  generic?: GenericConfig;
  api?: ApiConfig;
}

/** The whole validated file. */
export interface AppConfig {
  /** Absolute path of the file read (undefined when built in memory). */
  path?: string;
  storage: Infer<typeof storageSchema.shape>;
  collection: CollectionConfig;
  server: Infer<typeof serverSchema.shape>;
  log: Infer<typeof logSchema.shape>;
  providers: Record<string, ProviderConfig>;
}
