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

/**
 * Hetzner Cloud: hourly price, every started hour billed in full, never more than the monthly price per calendar
 * month; a server bills in every state from the end of its creation until deletion (so `initializing` is free and
 * `off` is not). Primary IPs (assigned or not) and volumes (`available`) bill while they exist, by the same rule.
 */
export const HETZNER_BILLING_RULE: BillingRule = Object.freeze({
  increment: 'hour',
  minimumSeconds: 0,
  billedStates: [
    'running',
    'starting',
    'stopping',
    'off',
    'deleting',
    'migrating',
    'rebuilding',
    'unknown',
    'assigned',
    'unassigned',
    'available',
  ],
  source:
    'https://docs.hetzner.com/cloud/billing/faq ("the minimum of the monthly cap OR the hourly price multiplied by the hours"; usage is "always rounded up"; off servers bill until deleted)',
});
