// Vultr API v2 wire shapes, as govultr and the Vultr OpenAPI document them. Money fields are JSON numbers (USD).

/** `meta` of every paginated list: `links.next` is the cursor of the next page, '' on the last. */
export interface VultrMeta {
  total?: number;
  links?: { next?: string; prev?: string };
}

/** One item of `GET /instances`. There are no GPU fields: the plan carries them. */
export interface VultrInstance {
  id: string;
  plan: string;
  region?: string;
  status?: string;
  power_status?: string;
  server_status?: string;
  vcpu_count?: number;
  /** MB. */
  ram?: number;
  date_created?: string;
  label?: string;
  hostname?: string;
  main_ip?: string;
  v6_main_ip?: string;
  internal_ip?: string;
  os?: string;
  tags?: string[];
}

/** One item of `GET /bare-metals`; `ram` is a string such as "2097152 MB". */
export interface VultrBareMetal {
  id: string;
  plan: string;
  region?: string;
  status?: string;
  cpu_count?: number;
  ram?: string;
  date_created?: string;
  label?: string;
  main_ip?: string;
  v6_main_ip?: string;
  os?: string;
  tags?: string[];
}

/** One item of `GET /plans` (cloud GPU plans have type `vcg`, `gpu_type` and `gpu_vram_gb`). */
export interface VultrPlan {
  id: string;
  type?: string;
  vcpu_count?: number;
  ram?: number;
  monthly_cost?: number;
  /** Seen in live responses, not in govultr: optional. */
  hourly_cost?: number;
  gpu_type?: string;
  gpu_vram_gb?: number;
}

/** One item of `GET /plans-metal`; the GPU shows only in the id (`vbm-112c-2048gb-8-h100-gpu`). */
export interface VultrMetalPlan {
  id: string;
  type?: string;
  cpu_count?: number;
  ram?: number;
  monthly_cost?: number;
  hourly_cost?: number;
}

/** `GET /account` -> `account`. A negative balance is a credit. */
export interface VultrAccount {
  name?: string;
  email?: string;
  balance?: number;
  pending_charges?: number;
  last_payment_date?: string;
  last_payment_amount?: number;
}

/** One item of `GET /billing/history`. */
export interface VultrBillingHistoryEntry {
  id: number | string;
  date: string;
  type: string;
  description?: string;
  amount: number;
  balance?: number;
}

/** One item of `GET /billing/invoices`. */
export interface VultrInvoice {
  id: number | string;
  date: string;
  description?: string;
  amount: number;
  balance?: number;
}

/** One line of `GET /billing/invoices/{id}/items` and of `GET /billing/pending-charges`. */
export interface VultrInvoiceItem {
  description: string;
  product?: string;
  start_date: string;
  end_date: string;
  units?: number;
  unit_type?: string;
  unit_price?: number;
  total: number;
}
