// DigitalOcean API v2 wire shapes as the simulator serves them, written from the public OpenAPI spec
// (digitalocean/openapi @7c1300c: resources/{droplets,sizes,billing}/models, shared/{pages,meta,headers}.yml,
// shared/models/error.yml) and godo (links.go, sizes.go, invoices.go), never from the adapter's types.
// Billing money is a decimal string; size prices are JSON numbers (float in the spec).

/** `links` of a paged list: `pages` holds only the keys that apply, and may be `{}` or absent entirely. */
export interface DoWireLinks {
  pages?: { first?: string; prev?: string; next?: string; last?: string };
}

/** `meta` of a list: `total` items over all pages. */
export interface DoWireMeta {
  total: number;
}

/** The error document of every 4xx/5xx (`shared/models/error.yml`). */
export interface DoWireError {
  id: string;
  message: string;
  request_id?: string;
}

/** `gpu_info` of a size or a Droplet (`sizes/models/gpu_info.yml`); `model` like `nvidia_h100`. */
export interface DoWireGpuInfo {
  count: number;
  model: string;
  vram: { amount: number; unit: string };
}

/** One size (`sizes/models/size.yml`): `memory` MB, `disk` GB, `transfer` TB, prices in USD floats. */
export interface DoWireSize {
  slug: string;
  memory: number;
  vcpus: number;
  disk: number;
  transfer: number;
  price_monthly: number;
  price_hourly: number;
  regions: string[];
  available: boolean;
  description: string;
  gpu_info?: DoWireGpuInfo;
}

/** One IPv4 interface (`droplets/models/network_v4.yml`); the spec's own example has `gateway: nil`. */
export interface DoWireNetworkV4 {
  ip_address: string;
  netmask: string;
  gateway: string;
  type: 'public' | 'private';
}

/** One Droplet (`droplets/models/droplet.yml`), the fields the simulator fills. */
export interface DoWireDroplet {
  id: number;
  name: string;
  memory: number;
  vcpus: number;
  disk: number;
  locked: boolean;
  status: 'new' | 'active' | 'off' | 'archive';
  created_at: string;
  features: string[];
  backup_ids: number[];
  next_backup_window: null;
  snapshot_ids: number[];
  image: { id: number; name: string; distribution: string; slug: string | null };
  volume_ids: string[];
  size: DoWireSize;
  size_slug: string;
  networks: {
    v4: DoWireNetworkV4[];
    v6: Array<{ ip_address: string; netmask: number; gateway: string; type: string }>;
  };
  region: { name: string; slug: string; available: boolean };
  tags: string[];
  vpc_uuid: string;
  gpu_info?: DoWireGpuInfo;
}

/** `GET /v2/customers/my/balance` (`billing/models/balance.yml`): strings. */
export interface DoWireBalance {
  month_to_date_balance: string;
  account_balance: string;
  month_to_date_usage: string;
  generated_at: string;
}

/** One billing history entry (`billing/models/billing_history.yml`). */
export interface DoWireBillingHistoryEntry {
  description: string;
  amount: string;
  invoice_id?: string;
  invoice_uuid?: string;
  date: string;
  type: string;
}

/** One invoice of `GET /v2/customers/my/invoices`, and the `invoice_preview` (which adds `updated_at`). */
export interface DoWireInvoiceListItem {
  invoice_uuid: string;
  invoice_id: string;
  amount: string;
  invoice_period: string;
  updated_at?: string;
}

/** One invoice item (`billing/models/invoice_item.yml`); every field a string, most optional. */
export interface DoWireInvoiceItem {
  product: string;
  resource_uuid?: string;
  resource_id?: string;
  group_description?: string;
  description: string;
  amount: string;
  duration?: string;
  duration_unit?: string;
  start_time: string;
  end_time: string;
  project_name?: string;
}
