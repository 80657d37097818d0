// Vultr API v2 wire shapes as the simulator serves them, written from the public sources (govultr
// `instance.go`, `bare_metal_server.go`, `plans.go`, `billing.go`, `account.go`, `meta.go`; the Vultr OpenAPI
// intro; docs.vultr.com billing pages), not from the adapter's own types, so a misreading in either shows.
// Money is a JSON number in USD everywhere (govultr decodes it as float32).

/** `meta` of every paginated list; `links.next` is the next page's cursor, '' on the last page. */
export interface VultrWireMeta {
  total: number;
  links: { next: string; prev: string };
}

/** One item of `GET /v2/instances`; no GPU field (the plan carries it). `ram` in MB, `disk` in GB. */
export interface VultrWireInstance {
  id: string;
  os: string;
  ram: number;
  disk: number;
  plan: string;
  main_ip: string;
  vcpu_count: number;
  region: string;
  date_created: string;
  /** active | pending | suspended | resizing. */
  status: string;
  /** running | stopped. */
  power_status: string;
  /** none | locked | installingbooting | ok. */
  server_status: string;
  v6_main_ip: string;
  label: string;
  internal_ip: string;
  hostname: string;
  tags: string[];
  features: string[];
}

/** One item of `GET /v2/bare-metals`; `ram` and `disk` are strings here (`"2097152 MB"`). */
export interface VultrWireBareMetal {
  id: string;
  os: string;
  ram: string;
  disk: string;
  main_ip: string;
  cpu_count: number;
  region: string;
  date_created: string;
  status: string;
  plan: string;
  v6_main_ip: string;
  label: string;
  tags: string[];
}

/** One item of `GET /v2/plans`; cloud GPU plans (`type: vcg`) add `gpu_type` and `gpu_vram_gb`. */
export interface VultrWirePlan {
  id: string;
  type: string;
  vcpu_count: number;
  /** MB. */
  ram: number;
  monthly_cost: number;
  /** UNVERIFIED: not in govultr; seen in third-party copies of live responses (dstack gpuhunt), so sometimes absent. */
  hourly_cost?: number;
  gpu_vram_gb?: number;
  gpu_type?: string;
}

/** One item of `GET /v2/plans-metal`: no GPU field; the GPU shows only in the id. */
export interface VultrWireMetalPlan {
  id: string;
  /** e.g. SSD, NVMe. */
  type: string;
  cpu_count: number;
  /** MB. */
  ram: number;
  monthly_cost: number;
  /** UNVERIFIED, as on `VultrWirePlan`. */
  hourly_cost?: number;
}

/** `GET /v2/account` -> `account`. A negative `balance` is a credit; `pending_charges` is month-to-date. */
export interface VultrWireAccount {
  name: string;
  email: string;
  acls: string[];
  balance: number;
  pending_charges: number;
  last_payment_date: string;
  last_payment_amount: number;
}

/** One item of `GET /v2/billing/history` (govultr `History`: `id` int). */
export interface VultrWireHistoryEntry {
  id: number;
  date: string;
  /** e.g. invoice, payment. */
  type: string;
  description: string;
  amount: number;
  balance: number;
}

/** One item of `GET /v2/billing/invoices` and `billing_invoice` of `GET /v2/billing/invoices/{id}`. */
export interface VultrWireInvoice {
  id: number;
  date: string;
  description: string;
  amount: number;
  balance: number;
}

/** One line of `GET /v2/billing/invoices/{id}/items` and of `GET /v2/billing/pending-charges` (`units` int). */
export interface VultrWireInvoiceItem {
  description: string;
  product: string;
  start_date: string;
  end_date: string;
  units: number;
  /** e.g. hours. UNVERIFIED: the other values (months, GB, credit) are the simulator's guesses. */
  unit_type: string;
  unit_price: number;
  total: number;
}
