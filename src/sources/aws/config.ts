// The keys of a `providers.aws` block. Validated whole by the loader; unknown keys are rejected.

import * as s from '../../core/config/schema.ts';
import type { Field } from '../../core/config/schema.ts';

/** Cost Explorer dimensions allowed beside SERVICE (GetCostAndUsage groups by at most two). */
export const COST_GROUPINGS = ['REGION', 'LINKED_ACCOUNT'] as const;

/** The second Cost Explorer dimension. */
export type CostGrouping = (typeof COST_GROUPINGS)[number];

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** A role to assume in another account (organizations, cross-account read-only roles). */
export const accountSchema = s.object({
  role_arn: s.string({
    doc: 'IAM role to assume, arn:aws:iam::<account-id>:role/<name>',
    required: true,
    pattern: ROLE_ARN,
    patternHint: 'arn:aws:iam::123456789012:role/Name',
  }),
  external_id: s.string({ doc: 'external ID the role trust policy requires', secret: true }),
  name: s.string({ doc: 'display name of the account (defaults to the account ID)' }),
  session_name: s.string({ doc: 'role session name seen in CloudTrail', default: 'optiinfra-collector' }),
});

/** `regions`: a list of region codes, or `all` for every region enabled in the account (DescribeRegions). */
function regionsField(): Field<string[], true> {
  const inner = s.list(
    s.string({ pattern: /^(all|[a-z]{2}(-[a-z]+)+-\d)$/, patternHint: 'a region code like us-east-1, or all' }),
    {
      doc: 'regions to collect metrics and inventory from, or `all` (DescribeRegions)',
      default: ['us-east-1'],
    },
  );
  return {
    ...inner,
    parse(raw, path, context) {
      const regions = inner.parse(raw, path, context);
      if (regions === undefined) return undefined;
      if (regions.length === 0) {
        context.problems.push({ path, message: 'must name at least one region, or be `all`' });
        return undefined;
      }
      if (regions.includes('all') && regions.length > 1) {
        context.problems.push({ path, message: '`all` cannot be combined with other regions' });
        return undefined;
      }
      return regions;
    },
  };
}

/**
 * `metrics_period`: CloudWatch's standard-resolution metrics (every metric collected here) take a period that is
 * "a multiple of 60" seconds (MetricStat.Period); anything else is rejected by GetMetricData.
 */
function periodField(): Field<number, true> {
  const inner = s.duration({
    doc: 'CloudWatch aggregation period (a multiple of 60s)',
    default: 300_000,
    min: 60_000,
  });
  return {
    ...inner,
    parse(raw, path, context) {
      const period = inner.parse(raw, path, context);
      if (period === undefined || period % 60_000 === 0) return period;
      context.problems.push({
        path,
        message: `must be a multiple of 60s (CloudWatch rejects other periods), got ${period / 1000}s`,
      });
      return undefined;
    },
  };
}

/** The AWS provider's configuration schema. */
export const awsConfigSchema = s.object({
  regions: regionsField(),
  accounts: s.list(accountSchema, {
    doc: "roles to assume, one per account; when empty the default credentials' own account is collected",
  }),
  endpoint_url: s.url({
    doc: 'send every AWS API call to this URL (a local simulator or VPC endpoint); AWS_ENDPOINT_URL(_<SERVICE>) also work',
  }),
  profile: s.string({ doc: 'shared-config profile for the default credential chain (like AWS_PROFILE)' }),
  access_key_id: s.string({ doc: 'static access key ID (prefer the default chain: environment, SSO, instance role)' }),
  secret_access_key: s.string({ doc: 'static secret access key', secret: true }),
  session_token: s.string({ doc: 'session token for temporary static credentials', secret: true }),
  costs: s.boolean({ doc: 'collect Cost Explorer costs (each request costs $0.01)', default: true }),
  group_by: s.oneOf(COST_GROUPINGS, {
    doc: 'second Cost Explorer dimension beside SERVICE: REGION or LINKED_ACCOUNT (organizations)',
    default: 'REGION',
  }),
  resource_costs: s.boolean({
    doc: 'also collect per-instance EC2 costs of the last 14 days (GetCostAndUsageWithResources; needs the Cost Explorer opt-in)',
    default: false,
  }),
  inventory: s.boolean({ doc: 'collect EC2, S3 and RDS inventory', default: true }),
  metrics: s.boolean({ doc: 'collect CloudWatch metrics of EC2 and RDS instances', default: true }),
  gpu_metrics: s.boolean({
    doc: 'collect CloudWatch agent NVIDIA GPU metrics (CWAgent namespace) of GPU instances',
    default: true,
  }),
  metrics_period: periodField(),
  metrics_delay: s.duration({
    doc: 'how far the metrics window ends behind now (CloudWatch publication delay)',
    default: 600_000,
  }),
});

/** The parsed AWS configuration. */
export type AwsConfig = s.Infer<typeof awsConfigSchema.shape>;

/** A parsed `accounts` entry. */
export type AwsAccountConfig = s.Infer<typeof accountSchema.shape>;
