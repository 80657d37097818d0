// Inventory: EC2 instances (paginated) with GPU details from DescribeInstanceTypes (cached across runs),
// S3 buckets with their regions, RDS DB instances. Each page is emitted as it arrives.

import type { _InstanceType } from '@aws-sdk/client-ec2';
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
  for (let offset = 0; offset < missing.length; offset += TYPES_PER_REQUEST) {
    const batch = missing.slice(offset, offset + TYPES_PER_REQUEST);
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
  }
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
