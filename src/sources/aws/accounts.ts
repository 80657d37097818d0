// Which AWS accounts and regions one collection covers: the default credentials' own account, or each
// configured role assumed through STS; `regions: [all]` becomes the account's enabled regions.

import { CollectorError } from '../../core/errors.ts';
import type { CollectContext } from '../../core/source.ts';
import { awsCall, type AwsClientPool, type AwsCredentialSource } from './client.ts';
import type { AwsAccountConfig, AwsConfig } from './config.ts';

/** One account to collect, with the credentials that reach it. */
export interface AwsAccount {
  accountId: string;
  name: string | null;
  credentials: AwsCredentialSource;
}

/** Region used for STS and DescribeRegions calls. */
export function homeRegion(config: AwsConfig): string {
  const first = config.regions[0];
  return first === undefined || first === 'all' ? 'us-east-1' : first;
}

/** The account of the base credentials (sts:GetCallerIdentity needs no permission). */
export async function callerAccount(
  context: CollectContext,
  pool: AwsClientPool,
  base: AwsCredentialSource,
  config: AwsConfig,
): Promise<AwsAccount> {
  const client = pool.sts(base, homeRegion(config));
  const identity = await awsCall(context, 'sts:GetCallerIdentity', (abortSignal) =>
    client.send(new pool.sdk.sts.GetCallerIdentityCommand({}), { abortSignal }),
  );
  if (!identity.Account)
    throw new CollectorError('UPSTREAM_ERROR', `${context.provider}: sts:GetCallerIdentity returned no account`, {
      provider: context.provider,
    });
  return { accountId: identity.Account, name: null, credentials: base };
}

/** Assumes a configured role; the temporary credentials last the run (one hour by default). */
export async function assumedAccount(
  context: CollectContext,
  pool: AwsClientPool,
  base: AwsCredentialSource,
  config: AwsConfig,
  account: AwsAccountConfig,
): Promise<AwsAccount> {
  const client = pool.sts(base, homeRegion(config));
  const accountId = account.role_arn.split(':')[4] ?? '';
  const response = await awsCall(context, 'sts:AssumeRole', (abortSignal) =>
    client.send(
      new pool.sdk.sts.AssumeRoleCommand({
        RoleArn: account.role_arn,
        RoleSessionName: account.session_name,
        ...(account.external_id === undefined ? {} : { ExternalId: account.external_id }),
      }),
      { abortSignal },
    ),
  );
  const credentials = response.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new CollectorError(
      'UPSTREAM_ERROR',
      `${context.provider}: sts:AssumeRole ${account.role_arn} returned no credentials`,
      { provider: context.provider },
    );
  }
  return {
    accountId,
    name: account.name ?? null,
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken === undefined ? {} : { sessionToken: credentials.SessionToken }),
      ...(credentials.Expiration === undefined ? {} : { expiration: credentials.Expiration }),
    },
  };
}

/** The regions to visit in an account: the configured list, or every enabled region for `all`. */
export async function regionsOf(
  context: CollectContext,
  pool: AwsClientPool,
  account: AwsAccount,
  config: AwsConfig,
): Promise<string[]> {
  if (!config.regions.includes('all')) return config.regions;
  const client = pool.ec2(account.credentials, homeRegion(config));
  const response = await awsCall(context, 'ec2:DescribeRegions', (abortSignal) =>
    client.send(new pool.sdk.ec2.DescribeRegionsCommand({ AllRegions: false }), { abortSignal }),
  );
  return (response.Regions ?? [])
    .map((region) => region.RegionName ?? '')
    .filter((name) => name !== '')
    .sort();
}
