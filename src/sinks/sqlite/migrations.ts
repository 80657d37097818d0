// SQLite schema migrations, applied in order inside one transaction each. Each released migration is frozen
// literal SQL: it never reads live constants (COST_COLUMNS changes with the write path, a released schema does
// not), and its checksum is kept in schema_migrations so an edited migration is refused, not silently skipped.
// Money is TEXT holding exact decimals (SQLite has no exact numeric type).

import { defineMigrations } from '../migration-history.ts';

/** Ordered migrations; never edit a released one, append a new one (migration-history.test.ts pins them). */
export const SQLITE_MIGRATIONS = defineMigrations([
  [
    'initial schema',
    `
CREATE TABLE cost_records (
  record_key TEXT PRIMARY KEY,
  billed_cost TEXT NOT NULL,
  effective_cost TEXT NOT NULL,
  list_cost TEXT NOT NULL,
  contracted_cost TEXT NOT NULL,
  billing_account_id TEXT NOT NULL,
  billing_account_name TEXT,
  billing_currency TEXT NOT NULL,
  billing_period_start TEXT NOT NULL,
  billing_period_end TEXT NOT NULL,
  charge_period_start TEXT NOT NULL,
  charge_period_end TEXT NOT NULL,
  charge_category TEXT NOT NULL,
  charge_class TEXT,
  charge_description TEXT,
  invoice_issuer_name TEXT NOT NULL,
  provider_name TEXT NOT NULL,
  publisher_name TEXT NOT NULL,
  pricing_quantity TEXT,
  pricing_unit TEXT,
  service_category TEXT NOT NULL,
  service_name TEXT NOT NULL,
  resource_id TEXT,
  resource_name TEXT,
  resource_type TEXT,
  region_id TEXT,
  sub_account_id TEXT,
  sku_id TEXT,
  consumed_quantity TEXT,
  consumed_unit TEXT,
  tags TEXT,
  provider TEXT NOT NULL,
  x_cost_source TEXT NOT NULL,
  x_gpu_model TEXT,
  x_gpu_count INTEGER,
  x_collected_at TEXT NOT NULL,
  x_row_key TEXT NOT NULL
);
CREATE INDEX cost_records_period ON cost_records (provider, charge_period_start);
CREATE INDEX cost_records_collected ON cost_records (provider, x_cost_source, x_collected_at);

CREATE TABLE resources (
  provider TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  resource_name TEXT,
  resource_type TEXT NOT NULL,
  region_id TEXT,
  status TEXT,
  instance_type TEXT,
  gpu_model TEXT,
  gpu_count INTEGER,
  vcpus INTEGER,
  memory_bytes INTEGER,
  price_per_hour TEXT,
  currency TEXT,
  tags TEXT,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  PRIMARY KEY (provider, resource_id)
);

CREATE TABLE metric_series (
  series_id INTEGER PRIMARY KEY,
  series_key TEXT NOT NULL UNIQUE,
  provider TEXT NOT NULL,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  unit TEXT NOT NULL,
  resource_id TEXT,
  labels TEXT NOT NULL
);
CREATE INDEX metric_series_name ON metric_series (provider, name);

CREATE TABLE metric_points (
  series_id INTEGER NOT NULL,
  ts_ms INTEGER NOT NULL,
  value REAL,
  PRIMARY KEY (series_id, ts_ms)
) WITHOUT ROWID;
CREATE INDEX metric_points_ts ON metric_points (ts_ms);

-- The contract's metric_samples table, as a view over series + points (labels stored once per series).
CREATE VIEW metric_samples AS
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', p.ts_ms / 1000.0, 'unixepoch') AS ts, s.provider, s.name, s.category,
         p.value, s.unit, s.resource_id, s.labels, p.ts_ms
  FROM metric_points p JOIN metric_series s ON s.series_id = p.series_id;

CREATE TABLE collection_runs (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,
  costs INTEGER NOT NULL DEFAULT 0,
  resources INTEGER NOT NULL DEFAULT 0,
  metrics INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX collection_runs_provider ON collection_runs (provider, started_at);

CREATE TABLE checkpoints (
  provider TEXT NOT NULL,
  kind TEXT NOT NULL,
  last_success_end TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (provider, kind)
);

CREATE TABLE source_state (
  provider TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (provider, key)
);
`,
  ],
  // Points keyed time-first: a scrape appends at the right edge of one B-tree instead of touching a leaf
  // page of every series (series-first keys rewrite the whole table into the WAL on every commit). The
  // (ts_ms) index is the key's prefix now; same columns, same (series, ts) uniqueness.
  [
    'metric points keyed time-first',
    `
DROP VIEW metric_samples;
CREATE TABLE metric_points_by_time (
  series_id INTEGER NOT NULL,
  ts_ms INTEGER NOT NULL,
  value REAL,
  PRIMARY KEY (ts_ms, series_id)
) WITHOUT ROWID;
INSERT INTO metric_points_by_time (series_id, ts_ms, value) SELECT series_id, ts_ms, value FROM metric_points ORDER BY ts_ms, series_id;
DROP TABLE metric_points;
ALTER TABLE metric_points_by_time RENAME TO metric_points;
CREATE VIEW metric_samples AS
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', p.ts_ms / 1000.0, 'unixepoch') AS ts, s.provider, s.name, s.category,
         p.value, s.unit, s.resource_id, s.labels, p.ts_ms
  FROM metric_points p JOIN metric_series s ON s.series_id = p.series_id;
`,
  ],
  // GPU catalog and parent links: gpu_model becomes the canonical id with the provider's name kept in gpu_model_raw
  // (existing rows held the raw name, so it is copied; the next collection writes the id), and parent_resource_id
  // says which row contains the same hardware. gpu_count and x_gpu_count may now hold a share of one GPU (0.05):
  // their INTEGER affinity stores such a value as REAL, unchanged.
  [
    'gpu model ids and parent resources',
    `
ALTER TABLE resources ADD COLUMN gpu_model_raw TEXT;
ALTER TABLE resources ADD COLUMN parent_resource_id TEXT;
UPDATE resources SET gpu_model_raw = gpu_model WHERE gpu_model IS NOT NULL;
`,
  ],
  // Restatement pruning compared collection times at second precision, so rows written while the clock was ahead
  // survived it: each row now names the run that wrote it (NULL for rows from before, pruned like any other).
  [
    'cost rows name the run that wrote them',
    `
ALTER TABLE cost_records ADD COLUMN x_run_id TEXT;
`,
  ],
]);
