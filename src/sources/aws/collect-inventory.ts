// Inventory: EC2 instances (paginated) with GPU details from DescribeInstanceTypes (cached across runs),
// S3 buckets with their regions, RDS DB instances. Each page is emitted as it arrives.

import type { _InstanceType } from '@aws-sdk/client-ec2';
import { CollectorError } from '../../core/errors.ts';
import type { CollectContext } from '../../core/source.ts';
import { focusTime } from '../../core/model.ts';
import type { AwsAccount } from './accounts.ts';
import { awsCall, type AwsClientPool } from './client.ts';
import type { KnownInstance } from './map-resource-costs.ts';
import {
  instanceTypeDetails,
  regionFromLocationConstraint,
  resourceFromBucket,
  resourceFromDbInstance,
  resourceFromInstance,
  type Ec2Instance,
  type InstanceTypeDetails,
} from './map.ts';

/** A running instance metrics are queried for. */
export interface MonitoredInstance {
  instanceId: string;
  gpuCount: number;
}

/** A DB instance metrics are queried for. */
export interface MonitoredDatabase {
  identifier: string;
  resourceId: string;
}

/** DescribeInstanceTypes accepts at most 100 types per request. */
const TYPES_PER_REQUEST = 100;
const MONITORED_STATES = new Set(['running', 'stopping', 'pending']);

/** Instance type -> details; shared across runs (types do not change). */
export type InstanceTypeCache = Map<string, InstanceTypeDetails>;

/** What is known of a type EC2 does not describe: nothing (the instance row keeps its type, no GPU details). */
const UNDESCRIBED: InstanceTypeDetails = instanceTypeDetails({});

/**
 * The types of `batch` an `InvalidInstanceType` error names ("The following supplied instance types do not
 * exist: [a, b]"); undefined when the error is another one, empty when it names none of them.
 */
export function unknownInstanceTypes(error: unknown, batch: readonly string[]): string[] | undefined {
  const cause = (error instanceof CollectorError ? error.cause : error) as { name?: string; message?: string };
  if (cause?.name !== 'InvalidInstanceType') return undefined;
  const listed = /\[([^\]]*)\]/.exec(cause.message ?? '')?.[1]?.split(',') ?? [];
  const named = new Set(listed.map((type) => type.trim()));
  return batch.filter((type) => named.has(type));
}

async function describeMissingTypes(
  context: CollectContext,
  pool: AwsClientPool,
  account: AwsAccount,
  region: string,
  types: string[],
  cache: InstanceTypeCache,
): Promise<void> {
  const missing = [...new Set(types)].filter((type) => !cache.has(type)).sort();
  const client = pool.ec2(account.credentials, region);
  const describe = async (batch: string[]): Promise<void> => {
    let token: string | undefined;
    do {
      const page = await awsCall(context, 'ec2:DescribeInstanceTypes', (abortSignal) =>
        client.send(
          new pool.sdk.ec2.DescribeInstanceTypesCommand({
            InstanceTypes: batch as _InstanceType[],
            ...(token === undefined ? {} : { NextToken: token }),
          }),
          { abortSignal },
        ),
      );
      for (const info of page.InstanceTypes ?? [])
        if (info.InstanceType) cache.set(info.InstanceType, instanceTypeDetails(info));
      token = page.NextToken || undefined;
    } while (token !== undefined);
  };
  // One type EC2 does not know fails the whole request: retry without it (named in the message, else found
  // by halving the batch), so the other types still get their details.
  const describeAll = async (batch: string[]): Promise<void> => {
    try {
      await describe(batch);
    } catch (error) {
      const named = unknownInstanceTypes(error, batch);
      if (named === undefined) throw error;
      // A single type rejected without being named is the unknown one.
      const unknown = named.length === 0 && batch.length === 1 ? batch : named;
      if (unknown.length === 0) {
        const half = Math.ceil(batch.length / 2);
        await describeAll(batch.slice(0, half));
        await describeAll(batch.slice(half));
        return;
      }
      for (const type of unknown) cache.set(type, UNDESCRIBED);
      context.log.warn(
        { provider: context.provider, account: account.accountId, region, instanceTypes: unknown },
        'EC2 does not describe these instance types: their instances have no vCPU, memory or GPU details',
      );
      const known = batch.filter((type) => !unknown.includes(type));
      if (known.length > 0) await describeAll(known);
    }
  };
  for (let offset = 0; offset < missing.length; offset += TYPES_PER_REQUEST)
    await describeAll(missing.slice(offset, offset + TYPES_PER_REQUEST));
}

/**
 * Emits a region's EC2 instances (unless `emitRows` is false); returns the live ones for metrics. `known`
 * (when given) receives every instance's name, type and GPUs, joined onto resource-level cost rows.
 */
export async function collectInstances(
  context: CollectContext,
  pool: AwsClientPool,
  account: AwsAccount,
  region: string,
  cache: InstanceTypeCache,
  emitRows = true,
  known?: Map<string, KnownInstance>,
): Promise<MonitoredInstance[]> {
  const client = pool.ec2(account.credentials, region);
  const monitored: MonitoredInstance[] = [];
  const seenAt = focusTime(context.now);
  let token: string | undefined;
  do {
    const page = await awsCall(context, 'ec2:DescribeInstances', (abortSignal) =>
      client.send(
        new pool.sdk.ec2.DescribeInstancesCommand({
          MaxResults: 1000,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
        { abortSignal },
      ),
    );
    const instances: Ec2Instance[] = (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
    await describeMissingTypes(
      context,
      pool,
      account,
      region,
      instances.map((instance) => instance.InstanceType ?? '').filter((type) => type !== ''),
      cache,
    );
    const rows = instances
      .filter((instance) => instance.InstanceId)
      .map((instance) => {
        const details = instance.InstanceType ? cache.get(instance.InstanceType) : undefined;
        if (MONITORED_STATES.has(instance.State?.Name ?? ''))
          monitored.push({ instanceId: instance.InstanceId ?? '', gpuCount: details?.gpuCount ?? 0 });
        const row = resourceFromInstance(instance, details, {
          provider: context.provider,
          accountId: account.accountId,
          region,
          seenAt,
        });
        known?.set(row.resource_id, {
          name: row.resource_name,
          instanceType: row.instance_type,
          region,
          gpuModel: row.gpu_model,
          gpuCount: row.gpu_count,
        });
        return row;
      });
    if (emitRows && rows.length > 0) await context.emit.resources(rows);
    token = page.NextToken || undefined;
  } while (token !== undefined);
  return monitored;
}

/** Emits an account's S3 buckets; the region comes with ListBuckets, or from GetBucketLocation. */
export async function collectBuckets(context: CollectContext, pool: AwsClientPool, account: AwsAccount): Promise<void> {
  const client = pool.s3(account.credentials);
  const seenAt = focusTime(context.now);
  let token: string | undefined;
  do {
    const page = await awsCall(context, 's3:ListBuckets', (abortSignal) =>
      client.send(
        new pool.sdk.s3.ListBucketsCommand({
          MaxBuckets: 1000,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
        { abortSignal },
      ),
    );
    const rows = [];
    for (const bucket of page.Buckets ?? []) {
      if (!bucket.Name) continue;
      const name = bucket.Name;
      const region =
        bucket.BucketRegion ??
        regionFromLocationConstraint(
          (
            await awsCall(context, 's3:GetBucketLocation', (abortSignal) =>
              client.send(new pool.sdk.s3.GetBucketLocationCommand({ Bucket: name }), { abortSignal }),
            )
          ).LocationConstraint,
        );
      rows.push(
        resourceFromBucket(bucket, { provider: context.provider, accountId: account.accountId, region, seenAt }),
      );
    }
    if (rows.length > 0) await context.emit.resources(rows);
    token = page.ContinuationToken || undefined;
  } while (token !== undefined);
}

/** Emits a region's RDS instances (unless `emitRows` is false); returns them for metrics. */
export async function collectDatabases(
  context: CollectContext,
  pool: AwsClientPool,
  account: AwsAccount,
  region: string,
  emitRows = true,
): Promise<MonitoredDatabase[]> {
  const client = pool.rds(account.credentials, region);
  const seenAt = focusTime(context.now);
  const monitored: MonitoredDatabase[] = [];
  let marker: string | undefined;
  do {
    const page = await awsCall(context, 'rds:DescribeDBInstances', (abortSignal) =>
      client.send(
        new pool.sdk.rds.DescribeDBInstancesCommand({
          MaxRecords: 100,
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
        { abortSignal },
      ),
    );
    const rows = (page.DBInstances ?? [])
      .filter((db) => db.DBInstanceIdentifier)
      .map((db) => {
        const row = resourceFromDbInstance(db, {
          provider: context.provider,
          accountId: account.accountId,
          region,
          seenAt,
        });
        if (db.DBInstanceStatus !== 'stopped' && db.DBInstanceStatus !== 'deleting')
          monitored.push({ identifier: db.DBInstanceIdentifier ?? '', resourceId: row.resource_id });
        return row;
      });
    if (emitRows && rows.length > 0) await context.emit.resources(rows);
    marker = page.Marker || undefined;
  } while (marker !== undefined);
  return monitored;
}
