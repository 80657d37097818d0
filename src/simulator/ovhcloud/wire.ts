// What the OVHcloud API v1 sends, typed for the simulator alone (never imported from the adapter). Sources:
// me.json and cloud.json of ovh/ovhcloud-cli internal/assets/api-schemas (official OpenAPI dumps), as listed in
// src/sources/ovhcloud/README.md "Simulator".

/** `order.Price`: `priceInUcents` = value × 10^8. */
export interface WirePrice {
  currencyCode: string;
  value: number;
  priceInUcents: number;
  text: string;
}

/** `cloud.instance.Instance`. */
export interface WireInstance {
  id: string;
  name: string;
  status: 'ACTIVE' | 'SHUTOFF' | 'BUILD' | 'ERROR' | 'SHELVED';
  region: string;
  flavorId: string;
  imageId: string;
  planCode: string | null;
  created: string;
  monthlyBilling: { since: string; status: 'ok' | 'activationPending' } | null;
  ipAddresses: Array<{ ip: string; type: 'public' | 'private'; version: 4 | 6; networkId: string }>;
  operationIds: string[];
  sshKeyId: string | null;
  currentMonthOutgoingTraffic: number | null;
}

/** `cloud.flavor.Flavor` (no GPU field). */
export interface WireFlavor {
  id: string;
  name: string;
  type: string;
  region: string;
  vcpus: number;
  ram: number;
  disk: number;
  osType: string;
  available: boolean;
  quota: number;
  inboundBandwidth: number | null;
  outboundBandwidth: number | null;
  planCodes: { hourly: string | null; monthly: string | null; license: string | null };
  capabilities: Array<{ name: string; enabled: boolean }>;
}

/** `cloud.billingView.Quantity`. */
export interface WireQuantity {
  unit: 'GiB' | 'GiBh' | 'Hour' | 'Minute' | 'Second' | 'Unit';
  value: number;
}

/** `billingView.HourlyInstance` and the other hourly lists (volume, storage...) share this outline. */
export interface WireHourlyItem {
  reference?: string;
  region: string;
  type?: string;
  quantity: WireQuantity;
  totalPrice: number;
  details?: Array<{ instanceId?: string; resourceId?: string; quantity: WireQuantity; totalPrice: number }>;
}

/** `billingView.MonthlyInstance`. */
export interface WireMonthlyItem {
  reference: string;
  region: string;
  totalPrice: number;
  details: Array<{ instanceId: string; activation: string; totalPrice: number }>;
}

/** `cloud.usage.UsageCurrent` / `UsageHistoryDetail` (no total of its own). */
export interface WireUsage {
  id?: string;
  period: { from: string; to: string };
  lastUpdate: string;
  hourlyUsage: Record<string, WireHourlyItem[]>;
  monthlyUsage: Record<string, WireMonthlyItem[]>;
  resourcesUsage: Array<{
    type: string;
    totalPrice: number;
    resources: Array<{
      region: string;
      components: Array<{ name: string; quantity: WireQuantity; totalPrice: number }>;
    }>;
  }>;
}

/** `cloud.usage.UsageHistory`. */
export interface WireUsageHistory {
  id: string;
  period: { from: string; to: string };
  lastUpdate: string;
}

/** `billing.Bill`. */
export interface WireBill {
  billId: string;
  date: string;
  category: string;
  orderId: number;
  priceWithoutTax: WirePrice;
  tax: WirePrice;
  priceWithTax: WirePrice;
  pdfUrl: string;
  url: string;
  password: string;
}

/** `billing.BillDetail`. */
export interface WireBillDetail {
  billDetailId: string;
  description: string;
  domain: string;
  periodStart: string | null;
  periodEnd: string | null;
  quantity: string;
  unitPrice: { currencyCode: string; value: number; text: string };
  totalPrice: WirePrice;
}

/** Legacy auth error document (issue threads php-ovh#62/#97): `{errorCode, httpCode, message}`. */
export interface WireAuthError {
  errorCode: string;
  httpCode: string;
  message: string;
}

/** API error document (cloud.json examples; go-ovh `ovh/error.go` APIError): `{class, message}`. */
export interface WireApiError {
  class: string;
  message: string;
}
