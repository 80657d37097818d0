// The On-Premises rate card: GPU-hours, host-hours and energy priced from configuration (x_cost_source rate_card).

export {
  dayOf,
  emptyMeter,
  foldResource,
  foldSample,
  markSeen,
  meteredDays,
  meterOfResource,
  meterOfSample,
  pruneMeter,
  type MeterState,
} from './meter.ts';
export { facilityKwh, gpuHourPrice, itKwh, KWH_PLACES, rateCardRows, type RateCardLabels } from './rows.ts';
export { createRateCardTracker, meterKey, type RateCardTracker } from './tracker.ts';
