// The SDK seam: loads the AWS SDK v3 clients lazily (only when an AWS provider collects) and builds them
// with the SDK's own retries off (maxAttempts 1) so the shared retry layer alone decides, and every call
// goes through context.call(), which counts it.

import { CollectorError } from '../../core/errors.ts';
import type { CollectContext } from '../../core/source.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../core/http.ts';
import { cappedRequestHandler } from './capped-handler.ts';
import { classifyAwsError } from './classify.ts';
import type { AwsConfig } from './config.ts';

/** The SDK modules, loaded on first use. */
export interface AwsSdk {
  ce: typeof import('@aws-sdk/client-cost-explorer');
  cloudWatch: typeof import('@aws-sdk/client-cloudwatch');
  ec2: typeof import('@aws-sdk/client-ec2');
  s3: typeof import('@aws-sdk/client-s3');
  rds: typeof import('@aws-sdk/client-rds');
  sts: typeof import('@aws-sdk/client-sts');
  httpHandler: typeof import('@smithy/node-http-handler');
}

let loading: Promise<AwsSdk> | undefined;

/** Imports the AWS SDK clients once; `--help` and other providers never pay for them. */
export function loadAwsSdk(): Promise<AwsSdk> {
  loading ??= Promise.all([
    import('@aws-sdk/client-cost-explorer'),
    import('@aws-sdk/client-cloudwatch'),
    import('@aws-sdk/client-ec2'),
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-rds'),
    import('@aws-sdk/client-sts'),
    import('@smithy/node-http-handler'),
  ]).then(([ce, cloudWatch, ec2, s3, rds, sts, httpHandler]) => ({ ce, cloudWatch, ec2, s3, rds, sts, httpHandler }));
  return loading;
}

/** AWS credentials as the SDK accepts them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Static credentials or a provider (the default chain). */
export type AwsCredentialSource = AwsCredentials | (() => Promise<AwsCredentials>);

/** Base credentials: static keys from the config, else the SDK default chain (optionally a named profile). */
export async function baseCredentials(config: AwsConfig): Promise<AwsCredentialSource> {
  if (config.access_key_id !== undefined && config.secret_access_key !== undefined) {
    return {
      accessKeyId: config.access_key_id,
      secretAccessKey: config.secret_access_key,
      ...(config.session_token === undefined ? {} : { sessionToken: config.session_token }),
    };
  }
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  return fromNodeProviderChain(config.profile === undefined ? {} : { profile: config.profile });
}

/** Whether S3 must use path-style URLs: any custom endpoint (a local server has no bucket subdomains). */
function usesCustomS3Endpoint(config: AwsConfig, env: Record<string, string | undefined>): boolean {
  return config.endpoint_url !== undefined || Boolean(env.AWS_ENDPOINT_URL_S3) || Boolean(env.AWS_ENDPOINT_URL);
}

/** The clients of one collection, created on demand per (service, credentials, region) and destroyed together. */
export interface AwsClientPool {
  readonly sdk: AwsSdk;
  costExplorer(credentials: AwsCredentialSource): InstanceType<AwsSdk['ce']['CostExplorerClient']>;
  cloudWatch(credentials: AwsCredentialSource, region: string): InstanceType<AwsSdk['cloudWatch']['CloudWatchClient']>;
  ec2(credentials: AwsCredentialSource, region: string): InstanceType<AwsSdk['ec2']['EC2Client']>;
  s3(credentials: AwsCredentialSource): InstanceType<AwsSdk['s3']['S3Client']>;
  rds(credentials: AwsCredentialSource, region: string): InstanceType<AwsSdk['rds']['RDSClient']>;
  sts(credentials: AwsCredentialSource, region: string): InstanceType<AwsSdk['sts']['STSClient']>;
  destroy(): void;
}

/** Creates a pool. `endpoint_url` from the config wins; else the SDK reads AWS_ENDPOINT_URL(_<SERVICE>) itself. */
export function createClientPool(
  sdk: AwsSdk,
  config: AwsConfig,
  env: Record<string, string | undefined> = process.env,
  limits: { provider: string; maxResponseBytes: number } = {
    provider: 'aws',
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
  },
): AwsClientPool {
  // One capped handler per pool: the same response size cap as every HTTP call of the run.
  const requestHandler = cappedRequestHandler(sdk.httpHandler, limits.provider, limits.maxResponseBytes);
  const clients = new Map<string, { destroy(): void }>();
  const identities = new WeakMap<object, number>();
  let nextIdentity = 0;
  const identityOf = (credentials: AwsCredentialSource): number => {
    let identity = identities.get(credentials);
    if (identity === undefined) {
      identity = nextIdentity++;
      identities.set(credentials, identity);
    }
    return identity;
  };
  const common = (credentials: AwsCredentialSource, region: string) => ({
    region,
    credentials,
    // One attempt per send(): the runtime's retry layer owns retries, so the two never multiply.
    maxAttempts: 1,
    requestHandler,
    ...(config.endpoint_url === undefined ? {} : { endpoint: config.endpoint_url }),
  });
  function cached<T extends { destroy(): void }>(key: string, build: () => T): T {
    const existing = clients.get(key);
    if (existing) return existing as T;
    const client = build();
    clients.set(key, client);
    return client;
  }
  return {
    sdk,
    // Cost Explorer has one global endpoint in us-east-1.
    costExplorer: (credentials) =>
      cached(`ce|${identityOf(credentials)}`, () => new sdk.ce.CostExplorerClient(common(credentials, 'us-east-1'))),
    cloudWatch: (credentials, region) =>
      cached(
        `cw|${identityOf(credentials)}|${region}`,
        () => new sdk.cloudWatch.CloudWatchClient(common(credentials, region)),
      ),
    ec2: (credentials, region) =>
      cached(`ec2|${identityOf(credentials)}|${region}`, () => new sdk.ec2.EC2Client(common(credentials, region))),
    s3: (credentials) =>
      cached(
        `s3|${identityOf(credentials)}`,
        () =>
          new sdk.s3.S3Client({
            ...common(credentials, 'us-east-1'),
            forcePathStyle: usesCustomS3Endpoint(config, env),
          }),
      ),
    rds: (credentials, region) =>
      cached(`rds|${identityOf(credentials)}|${region}`, () => new sdk.rds.RDSClient(common(credentials, region))),
    sts: (credentials, region) =>
      cached(`sts|${identityOf(credentials)}|${region}`, () => new sdk.sts.STSClient(common(credentials, region))),
    destroy: () => {
      for (const client of clients.values()) client.destroy();
      clients.clear();
      requestHandler.destroy();
    },
  };
}

/**
 * Runs one SDK call through the runtime's resilience layer: counted under `operation` (the IAM action name,
 * e.g. `ce:GetCostAndUsage`), retried when classified retryable, aborted at the per-call timeout.
 */
export function awsCall<T>(
  context: CollectContext,
  operation: string,
  send: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  return context.call(
    {
      operation,
      classify: (error) =>
        classifyAwsError(error, { provider: context.provider, operation, cancelled: () => context.signal.aborted }),
    },
    async (signal) => {
      try {
        return await send(signal);
      } catch (error) {
        // The SDK reports an aborted read as ECONNRESET: when our per-call timeout fired, say so.
        if (signal.aborted && !context.signal.aborted)
          throw new CollectorError(
            'TIMEOUT',
            `${context.provider}: ${operation} timed out`,
            { provider: context.provider, operation },
            { cause: error },
          );
        throw error;
      }
    },
  );
}
