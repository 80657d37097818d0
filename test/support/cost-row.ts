// Fixtures shared by sink and runtime tests.

import type { CostRecord } from '../../src/core/model.ts';

/** A minimal valid FOCUS row for tests. */
export function costRow(overrides: Partial<CostRecord> = {}): CostRecord {
  return {
    billed_cost: '12.34',
    effective_cost: '12.34',
    list_cost: '12.34',
    contracted_cost: '12.34',
    billing_account_id: 'acct-1',
    billing_account_name: 'Acme',
    billing_currency: 'USD',
    billing_period_start: '2026-11-01T00:00:00Z',
    billing_period_end: '2026-12-01T00:00:00Z',
    charge_period_start: '2026-11-02T00:00:00Z',
    charge_period_end: '2026-11-03T00:00:00Z',
    charge_category: 'Usage',
    charge_class: null,
    charge_description: 'GPU instance',
    invoice_issuer_name: 'Acme Cloud',
    provider_name: 'Acme Cloud',
    publisher_name: 'Acme Cloud',
    pricing_quantity: '24',
    pricing_unit: 'Hours',
    service_category: 'Compute',
    service_name: 'GPU Instances',
    resource_id: 'i-1',
    resource_name: 'trainer',
    resource_type: 'instance',
    region_id: 'ewr',
    sub_account_id: null,
    sku_id: 'gpu-h100',
    consumed_quantity: '24',
    consumed_unit: 'Hours',
    tags: { team: 'ml' },
    provider: 'acme',
    x_cost_source: 'billing_api',
    x_gpu_model: 'H100',
    x_gpu_count: 8,
    x_collected_at: '2026-11-26T00:00:00Z',
    x_row_key: '',
    ...overrides,
  };
}
