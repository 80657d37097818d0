// The shared derived-cost engine: hourly price × runtime per charge period, by each provider's billing rule.

export {
  billingOverrideShape,
  withOverrides,
  INCREMENT_MS,
  type BillingIncrement,
  type BillingOverrides,
  type BillingRule,
} from './billing-rule.ts';
export {
  COREWEAVE_BILLING_RULE,
  HETZNER_BILLING_RULE,
  LAMBDA_BILLING_RULE,
  PAPERSPACE_BILLING_RULE,
} from './provider-rules.ts';
export {
  GONE,
  isGone,
  markGone,
  observe,
  type InstanceHistory,
  type InstanceMeta,
  type Observation,
  type StatusChange,
} from './history.ts';
export {
  billedSessions,
  dailyCharges,
  roundingExtraMs,
  type DayCharge,
  type Segment,
  type Session,
} from './charges.ts';
export { costRowsFromCharges, type DerivedCostLabels } from './rows.ts';
export { createDerivedCostTracker, historyKey, type DerivedCostTracker } from './tracker.ts';
