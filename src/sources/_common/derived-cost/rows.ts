// Maps an instance's daily charges to FOCUS 1.2 cost rows. Pure.

import type { CostRecord, CostSource } from '../../../core/model.ts';
import { focusTime } from '../../../core/model.ts';
import { startOfNextUtcMonth, startOfUtcMonth } from '../../../core/window.ts';
import type { BillingRule } from './billing-rule.ts';
import type { DayCharge } from './charges.ts';
import type { InstanceHistory } from './history.ts';

/** Provider-level columns of derived rows. */
export interface DerivedCostLabels {
  /** The provider's configuration key. */
  provider: string;
  /** FOCUS ProviderName / PublisherName / InvoiceIssuerName, e.g. `Lambda`. */
  providerName: string;
  /** FOCUS ServiceName, e.g. `Lambda On-Demand Cloud`. */
  serviceName: string;
  billingAccountId: string;
  billingAccountName: string | null;
  currency: string;
  costSource: Extract<CostSource, 'derived' | 'rate_card'>;
}

/** One FOCUS row per charged day of one instance. */
export function costRowsFromCharges(
  history: InstanceHistory,
  charges: readonly DayCharge[],
  rule: BillingRule,
  labels: DerivedCostLabels,
  collectedAt: Date,
): CostRecord[] {
  const price = history.changes.findLast((change) => change.hourly_price !== null)?.hourly_price ?? null;
  const basis = labels.costSource === 'rate_card' ? 'rate card' : 'list';
  return charges.map((charge) => ({
    billed_cost: charge.amount,
    effective_cost: charge.amount,
    list_cost: charge.amount,
    contracted_cost: charge.amount,
    billing_account_id: labels.billingAccountId,
    billing_account_name: labels.billingAccountName,
    billing_currency: labels.currency,
    billing_period_start: focusTime(startOfUtcMonth(charge.dayStart)),
    billing_period_end: focusTime(startOfNextUtcMonth(charge.dayStart)),
    charge_period_start: focusTime(charge.dayStart),
    charge_period_end: focusTime(charge.dayEnd),
    charge_category: 'Usage',
    charge_class: null,
    charge_description: `${history.meta.instanceType ?? 'instance'} at ${price ?? '?'} ${labels.currency}/h (${basis}) × billed runtime, ${rule.increment} increments`,
    invoice_issuer_name: labels.providerName,
    provider_name: labels.providerName,
    publisher_name: labels.providerName,
    pricing_quantity: charge.quantityHours,
    pricing_unit: 'Hours',
    service_category: 'Compute',
    service_name: labels.serviceName,
    resource_id: history.id,
    resource_name: history.meta.name,
    resource_type: history.meta.resourceType,
    region_id: history.meta.region,
    sub_account_id: null,
    sku_id: history.meta.instanceType,
    consumed_quantity: charge.quantityHours,
    consumed_unit: 'Hours',
    tags: history.meta.tags,
    provider: labels.provider,
    x_cost_source: labels.costSource,
    x_gpu_model: history.meta.gpuModel,
    x_gpu_count: history.meta.gpuCount,
    x_collected_at: focusTime(collectedAt),
    x_row_key: '',
  }));
}
