// Hetzner Cloud API v1 wire shapes as the simulator serves them, written from the official Go client's schema
// package (hetznercloud/hcloud-go @b8cfa39 hcloud/schema/{server,server_type,pricing,primary_ip,volume,meta,
// error,location}.go) and the API reference (docs.hetzner.cloud, mirrored as APIs-guru/openapi-directory
// APIs/hetzner.cloud/1.0.0/openapi.yaml), not from the adapter's own types.

/** `{net, gross}`: decimal strings, gross = net + VAT of the project owner. */
export interface HetznerWirePrice {
  net: string;
  gross: string;
}

/** A location (`fsn1`, `nbg1`, `hel1`, `ash`, `hil`, `sin`). */
export interface HetznerWireLocation {
  id: number;
  name: string;
  description: string;
  country: string;
  city: string;
  latitude: number;
  longitude: number;
  network_zone: string;
}

/** A server type's price in one location. */
export interface HetznerWireServerTypePrice {
  location: string;
  price_hourly: HetznerWirePrice;
  price_monthly: HetznerWirePrice;
  /** Bytes of outgoing traffic included per month. */
  included_traffic: number;
  price_per_tb_traffic: HetznerWirePrice;
}

/** `GET /server_types` item and the `server_type` embedded in every server. No GPU field exists. */
export interface HetznerWireServerType {
  id: number;
  name: string;
  description: string;
  category: string;
  cores: number;
  /** GB. */
  memory: number;
  /** GB. */
  disk: number;
  storage_type: 'local' | 'network';
  cpu_type: 'shared' | 'dedicated';
  architecture: 'x86' | 'arm';
  prices: HetznerWireServerTypePrice[];
  locations: Array<{ id: number; name: string; deprecation: null }>;
}

/** `GET /servers` item. `datacenter` was removed from responses after 2026-07-01: `location` is served. */
export interface HetznerWireServer {
  id: number;
  name: string;
  /** running | initializing | starting | stopping | off | deleting | migrating | rebuilding | unknown. */
  status: string;
  created: string;
  public_net: {
    ipv4: { id: number; ip: string; blocked: boolean; dns_ptr: string } | null;
    ipv6: { id: number; ip: string; blocked: boolean; dns_ptr: Array<{ ip: string; dns_ptr: string }> } | null;
    floating_ips: number[];
    firewalls: Array<{ id: number; status: string }>;
  };
  private_net: Array<{ network: number; ip: string; alias_ips: string[]; mac_address: string }>;
  server_type: HetznerWireServerType;
  location: HetznerWireLocation;
  labels: Record<string, string>;
  volumes: number[];
  primary_disk_size: number;
  included_traffic: number;
  outgoing_traffic: number | null;
  ingoing_traffic: number | null;
  backup_window: string | null;
  rescue_enabled: boolean;
  locked: boolean;
  protection: { delete: boolean; rebuild: boolean };
  load_balancers: number[];
}

/** `GET /primary_ips` item. */
export interface HetznerWirePrimaryIp {
  id: number;
  name: string;
  ip: string;
  type: 'ipv4' | 'ipv6';
  assignee_id: number | null;
  assignee_type: 'server';
  auto_delete: boolean;
  blocked: boolean;
  created: string;
  location: HetznerWireLocation;
  labels: Record<string, string>;
  protection: { delete: boolean };
  dns_ptr: Array<{ ip: string; dns_ptr: string }>;
}

/** `GET /volumes` item; `size` in GB. */
export interface HetznerWireVolume {
  id: number;
  name: string;
  server: number | null;
  /** creating | available. */
  status: string;
  location: HetznerWireLocation;
  size: number;
  format: string | null;
  linux_device: string;
  created: string;
  labels: Record<string, string>;
  protection: { delete: boolean };
}

/** `GET /pricing` `pricing`. */
export interface HetznerWirePricing {
  currency: string;
  vat_rate: string;
  image: { price_per_gb_month: HetznerWirePrice };
  volume: { price_per_gb_month: HetznerWirePrice };
  server_backup: { percentage: string };
  server_types: Array<{ id: number; name: string; prices: HetznerWireServerTypePrice[] }>;
  primary_ips: Array<{
    type: 'ipv4' | 'ipv6';
    prices: Array<{ location: string; price_hourly: HetznerWirePrice; price_monthly: HetznerWirePrice }>;
  }>;
  floating_ips: Array<{ type: string; prices: Array<{ location: string; price_monthly: HetznerWirePrice }> }>;
  load_balancer_types: unknown[];
}

/** `meta.pagination`: previous_page, next_page, last_page and total_entries may be null. */
export interface HetznerWirePagination {
  page: number;
  per_page: number;
  previous_page: number | null;
  next_page: number | null;
  last_page: number | null;
  total_entries: number | null;
}

/** Hetzner's error body. */
export interface HetznerWireError {
  error: { code: string; message: string; details: Record<string, unknown> | null };
}
