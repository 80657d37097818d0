// Simulated RDS DescribeDBInstances (awsQuery: XML with a Result wrapper, paginated with Marker).

import type { SimResponse } from '../server.ts';
import { element, requestId, xmlResponse } from './wire.ts';
import { SIM_DATABASES } from './world.ts';

const NAMESPACE = 'http://rds.amazonaws.com/doc/2014-10-31/';

/** Handles an RDS action, or undefined when the action is not simulated. Pages hold `perPage` instances. */
export function rdsAction(
  action: string,
  params: URLSearchParams,
  account: string,
  region: string,
  perPage: number,
): SimResponse | undefined {
  if (action !== 'DescribeDBInstances') return undefined;
  const offset = Number(params.get('Marker') ?? '0');
  const databases = SIM_DATABASES.filter((db) => db.account === account && db.region === region);
  const page = databases.slice(offset, offset + Math.min(perPage, Number(params.get('MaxRecords') ?? '100')));
  const items = page
    .map(
      (db) =>
        `<DBInstance>${element('DBInstanceIdentifier', db.identifier)}${element('DBInstanceClass', db.instanceClass)}${element('Engine', db.engine)}` +
        `${element('DBInstanceStatus', db.status)}${element('AllocatedStorage', db.storageGiB)}${element('MultiAZ', false)}${element('AvailabilityZone', `${region}b`)}` +
        `${element('InstanceCreateTime', '2025-02-01T00:00:00.000Z')}${element('DBInstanceArn', `arn:aws:rds:${region}:${account}:db:${db.identifier}`)}` +
        `<TagList><Tag>${element('Key', 'team')}${element('Value', 'data')}</Tag></TagList></DBInstance>`,
    )
    .join('');
  const marker = offset + page.length < databases.length ? element('Marker', String(offset + page.length)) : '';
  return xmlResponse(
    `<DescribeDBInstancesResponse xmlns="${NAMESPACE}"><DescribeDBInstancesResult>${marker}<DBInstances>${items}</DBInstances></DescribeDBInstancesResult><ResponseMetadata>${element('RequestId', requestId())}</ResponseMetadata></DescribeDBInstancesResponse>`,
  );
}
