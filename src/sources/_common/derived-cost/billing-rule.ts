// How a provider turns an hourly price and a running time into a charge: the increment each running
// session is rounded up to, a minimum per session, an optional monthly cap, and which states bill.

import * as s from '../../../core/config/schema.ts';

/** The unit a running session is rounded up to. */
export type BillingIncrement = 'second' | 'minute' | 'hour';

/** One provider's documented billing rule. */
export interface BillingRule {
  /** Each closed running session is rounded up to a whole number of these. */
  increment: BillingIncrement;
  /** Seconds billed at least per closed session (0 = none). */
  minimumSeconds: number;
  /** Hours after which a calendar month stops billing (monthly price = hourly × cap); undefined = no cap. */
  monthlyCapHours?: number;
  /** Provider statuses during which the instance is billed (running, and stopped-but-billed states). */
  billedStates: readonly string[];
  /** Where the rule is documented, for the README and row descriptions. */
  source: string;
}

/** Milliseconds in one increment. */
export const INCREMENT_MS: Readonly<Record<BillingIncrement, number>> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
};

/** Keys an adapter's `api:` block may use to override its provider's billing rule. */
export const billingOverrideShape = {
  billing_increment: s.oneOf(['second', 'minute', 'hour'] as const, {
    doc: "overrides the provider's billing increment (each running session is rounded up to it)",
  }),
  billing_minimum: s.duration({ doc: 'overrides the minimum billed time per running session, e.g. "1m"' }),
  monthly_cap_hours: s.number({ doc: 'bill at most this many hours per calendar month (e.g. 730)', min: 1, max: 744 }),
};

/** The parsed override keys (all optional). */
export interface BillingOverrides {
  billing_increment?: BillingIncrement | undefined;
  billing_minimum?: number | undefined;
  monthly_cap_hours?: number | undefined;
}

/** Applies configured overrides to a provider's documented rule. */
export function withOverrides(rule: BillingRule, overrides: BillingOverrides): BillingRule {
  return {
    ...rule,
    ...(overrides.billing_increment === undefined ? {} : { increment: overrides.billing_increment }),
    ...(overrides.billing_minimum === undefined ? {} : { minimumSeconds: Math.ceil(overrides.billing_minimum / 1000) }),
    ...(overrides.monthly_cap_hours === undefined ? {} : { monthlyCapHours: overrides.monthly_cap_hours }),
  };
}
