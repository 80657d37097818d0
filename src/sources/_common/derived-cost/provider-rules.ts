// Each provider's documented billing rule, in one place so the README and the table tests cite the same text.

import type { BillingRule } from './billing-rule.ts';

/** Lambda On-Demand Cloud: hourly price, billed in one-minute increments from launch (health checks passed) to terminate. */
export const LAMBDA_BILLING_RULE: BillingRule = Object.freeze({
  increment: 'minute',
  minimumSeconds: 0,
  billedStates: ['active', 'unhealthy'],
  source:
    'https://docs.lambda.ai/public-cloud/billing ("prices instances by hourly usage and bills in one-minute increments")',
});

/**
 * Paperspace Core hourly machines: `usageRate` per hour while the machine runs, metered per second (the Core API's
 * utilization reported `secondsUsed` × `hourlyRate`); storage and access are a separate monthly fee.
 */
export const PAPERSPACE_BILLING_RULE: BillingRule = Object.freeze({
  increment: 'second',
  minimumSeconds: 0,
  billedStates: ['starting', 'ready', 'serviceready', 'restarting', 'upgrading', 'stopping'],
  source:
    'https://support.paperspace.com/hc/en-us/articles/360057895553 (hourly subscriptions bill utilization separately) and Paperspace/CORE-API-Docs machines/utilization.md (secondsUsed × hourlyRate)',
});

/** CoreWeave: per-minute billing at the instance's hourly rate, no minimum; a node bills while it exists in the cluster. */
export const COREWEAVE_BILLING_RULE: BillingRule = Object.freeze({
  increment: 'minute',
  minimumSeconds: 0,
  billedStates: ['Ready', 'NotReady', 'Unknown', 'SchedulingDisabled'],
  source:
    'https://docs.coreweave.com/resources/billing-and-charges ("calculated on a per-minute basis. There is no minimum resource charge")',
});
