// Prices one meter's days from the rate card as FOCUS 1.2 rows (x_cost_source = rate_card). No I/O.

import type { OnPremRateCard } from '../../../core/config/app-schema.ts';
import { multiplyDecimals, normalizeDecimal, roundDecimal } from '../../../core/decimal.ts';
import type { CostRecord } from '../../../core/model.ts';
import { focusTime } from '../../../core/model.ts';
import { startOfNextUtcMonth, startOfUtcMonth, type TimeWindow } from '../../../core/window.ts';
import { meteredDays, type MeterState } from './meter.ts';

/** Places of the kWh quantity: the float integral is rounded once, here, so costs are exact from then on. */
export const KWH_PLACES = 6;
/** Places of a cost amount, as the derived-cost engine uses. */
const COST_PLACES = 10;
const JOULES_PER_KWH = 3_600_000;

/** Provider-level columns of rate-card rows. */
export interface RateCardLabels {
  provider: string;
  /** FOCUS ProviderName, e.g. `On-Premises`. */
  providerName: string;
  billingAccountId: string;
}

/** The hourly price of a GPU model: its own entry, else `default`, else null (no row). */
export function gpuHourPrice(card: OnPremRateCard, model: string | null): string | null {
  return (model !== null ? card.gpu_hour[model] : undefined) ?? card.gpu_hour.default ?? null;
}

/**
 * IT energy of a day in kWh, rounded to KWH_PLACES with toFixed (nearest, ties up, on the exact double: the same
 * on every platform): the counter's joules when the day has counter data, else the power integral.
 */
export function itKwh(meter: MeterState, day: string): string | null {
  const joules = meter.counterJoules[day] ?? meter.powerJoules[day];
  if (joules === undefined) return null;
  return roundDecimal(normalizeDecimal((joules / JOULES_PER_KWH).toFixed(KWH_PLACES)), KWH_PLACES);
}

/** Facility kWh: IT kWh × PUE, rounded to KWH_PLACES. */
export function facilityKwh(it: string, pue: number): string {
  return roundDecimal(multiplyDecimals(it, normalizeDecimal(pue)), KWH_PLACES);
}

/** The rows of one meter for the UTC days inside `window`: hours seen × hourly price, and energy × price. */
export function rateCardRows(
  meter: MeterState,
  card: OnPremRateCard,
  labels: RateCardLabels,
  window: TimeWindow,
  collectedAt: Date,
): CostRecord[] {
  const rows: CostRecord[] = [];
  const first = window.start.toISOString().slice(0, 10);
  for (const day of meteredDays(meter)) {
    const dayStart = new Date(`${day}T00:00:00Z`);
    if (day < first || dayStart.getTime() >= window.end.getTime()) continue;
    const base = baseRow(meter, card, labels, dayStart, collectedAt);
    const hours = meter.hours[day]?.length ?? 0;
    const hourly = meter.kind === 'gpu' ? gpuHourPrice(card, meter.gpuModel) : (card.host_hour ?? null);
    if (hours > 0 && hourly !== null) {
      const amount = roundDecimal(multiplyDecimals(String(hours), hourly), COST_PLACES);
      const what = meter.kind === 'gpu' ? `GPU ${meter.gpuModel ?? 'of unknown model'}` : 'host';
      rows.push({
        ...base,
        ...money(amount),
        charge_description: `${what}: ${hours} h seen × ${hourly} ${card.currency}/h (rate card)`,
        pricing_quantity: String(hours),
        pricing_unit: 'Hours',
        consumed_quantity: String(hours),
        consumed_unit: 'Hours',
        sku_id: meter.kind === 'gpu' ? `gpu-hour:${meter.gpuModel ?? 'default'}` : 'host-hour',
        x_row_key: meter.kind === 'gpu' ? 'gpu-hours' : 'host-hours',
      });
    }
    const it = meter.kind === 'gpu' ? itKwh(meter, day) : null;
    const pricePerKwh = card.energy.price_per_kwh;
    if (it !== null && pricePerKwh !== undefined) {
      const kwh = facilityKwh(it, card.energy.pue);
      const amount = roundDecimal(multiplyDecimals(kwh, pricePerKwh), COST_PLACES);
      rows.push({
        ...base,
        ...money(amount),
        charge_description: `GPU energy: ${it} kWh × PUE ${card.energy.pue} × ${pricePerKwh} ${card.currency}/kWh (rate card)`,
        pricing_quantity: kwh,
        pricing_unit: 'kWh',
        consumed_quantity: it,
        consumed_unit: 'kWh',
        sku_id: 'energy',
        service_category: 'Compute',
        x_row_key: 'energy',
      });
    }
  }
  return rows;
}

function money(amount: string): Pick<CostRecord, 'billed_cost' | 'effective_cost' | 'list_cost' | 'contracted_cost'> {
  return { billed_cost: amount, effective_cost: amount, list_cost: amount, contracted_cost: amount };
}

function baseRow(
  meter: MeterState,
  card: OnPremRateCard,
  labels: RateCardLabels,
  dayStart: Date,
  collectedAt: Date,
): Omit<CostRecord, 'billed_cost' | 'effective_cost' | 'list_cost' | 'contracted_cost'> {
  return {
    billing_account_id: labels.billingAccountId,
    billing_account_name: null,
    billing_currency: card.currency,
    billing_period_start: focusTime(startOfUtcMonth(dayStart)),
    billing_period_end: focusTime(startOfNextUtcMonth(dayStart)),
    charge_period_start: focusTime(dayStart),
    charge_period_end: focusTime(new Date(dayStart.getTime() + 86_400_000)),
    charge_category: 'Usage',
    charge_class: null,
    charge_description: null,
    invoice_issuer_name: labels.providerName,
    provider_name: labels.providerName,
    publisher_name: labels.providerName,
    pricing_quantity: null,
    pricing_unit: null,
    service_category: 'Compute',
    service_name: 'Self-hosted compute',
    resource_id: meter.id,
    resource_name: meter.name,
    resource_type: meter.kind,
    region_id: null,
    sub_account_id: null,
    sku_id: null,
    consumed_quantity: null,
    consumed_unit: null,
    tags: null,
    provider: labels.provider,
    x_cost_source: 'rate_card',
    x_gpu_model: meter.kind === 'gpu' ? meter.gpuModel : null,
    x_gpu_count: meter.kind === 'gpu' ? 1 : null,
    x_collected_at: focusTime(collectedAt),
    x_row_key: '',
  };
}
