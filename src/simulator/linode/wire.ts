// Linode API v4 wire shapes as the simulator serves them, written from the public sources (linodego `types.go`,
// `instances.go`, `account.go`, `account_invoices.go`, `pagination.go`, `errors.go` and its recorded fixtures
// `test/integration/fixtures/ExampleListTypes_all.yaml`, `test/unit/fixtures/account_invoice*.json`), not from the
// adapter's own types, so a misreading in either shows. Money is a JSON number in USD except `unit_price` (a
// string); timestamps are `YYYY-MM-DDTHH:MM:SS` with no zone (linodego `internal/parseabletime`: UTC).

/** Every list: `{data, page, pages, results}` (linodego `pageOptions`). */
export interface LinodeWirePage<T> {
  data: T[];
  page: number;
  pages: number;
  results: number;
}

/** `{errors: [{reason, field?}]}` (linodego `APIError`). */
export interface LinodeWireError {
  errors: Array<{ reason: string; field?: string }>;
}

/** `{hourly, monthly}` and the region exceptions `{id, hourly, monthly}` of a type. */
export interface LinodeWirePrice {
  hourly: number;
  monthly: number;
}

/** One item of `GET /v4/linode/types`. */
export interface LinodeWireType {
  id: string;
  label: string;
  /** nanode | standard | dedicated | highmem | premium | gpu | accelerated. */
  class: string;
  disk: number;
  memory: number;
  transfer: number;
  vcpus: number;
  gpus: number;
  network_out: number;
  price: LinodeWirePrice;
  region_prices: Array<LinodeWirePrice & { id: string }>;
  addons: { backups: { price: LinodeWirePrice; region_prices: Array<LinodeWirePrice & { id: string }> } };
  successor: string | null;
  accelerated_devices: number;
}

/** One item of `GET /v4/linode/instances` (the fields linodego `Instance` reads that matter here). */
export interface LinodeWireInstance {
  id: number;
  label: string;
  /** running | offline | booting | rebooting | shutting_down | provisioning | ... */
  status: string;
  type: string;
  region: string;
  image: string | null;
  group: string;
  ipv4: string[];
  ipv6: string;
  hypervisor: string;
  created: string;
  updated: string;
  tags: string[];
  specs: { disk: number; memory: number; vcpus: number; transfer: number; gpus: number; accelerated_devices: number };
  lke_cluster_id: number | null;
}

/** `GET /v4/account` (the billing fields; `balance` negative = credit; `balance_uninvoiced` = month to date). */
export interface LinodeWireAccount {
  first_name: string;
  last_name: string;
  email: string;
  company: string;
  euuid: string;
  balance: number;
  balance_uninvoiced: number;
  billing_source: 'linode' | 'akamai';
  active_since: string;
  capabilities: string[];
}

/** One item of `GET /v4/account/invoices` and `GET /v4/account/invoices/{id}`. */
export interface LinodeWireInvoice {
  id: number;
  date: string;
  label: string;
  subtotal: number;
  tax: number;
  total: number;
  tax_summary: Array<{ tax: number; name: string }>;
  billing_source: 'linode' | 'akamai';
}

/** One item of `GET /v4/account/invoices/{id}/items`: no resource id, only a label. */
export interface LinodeWireInvoiceItem {
  label: string;
  /** hourly | misc. */
  type: string;
  unit_price: string;
  quantity: number;
  amount: number;
  tax: number;
  total: number;
  region: string | null;
  from: string;
  to: string;
}
