// Simulated EC2 (ec2 query protocol, XML without a Result wrapper, lists as <xxxSet><item>):
// DescribeInstances (paginated), DescribeInstanceTypes (GPU details as AWS reports them), DescribeRegions.

import type { SimResponse } from '../server.ts';
import { awsError, element, listParam, requestId, xmlResponse } from './wire.ts';
import { SIM_INSTANCE_TYPES, SIM_REGIONS, type SimInstance } from './world.ts';

const NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** Options of the simulated EC2. */
export interface Ec2Options {
  /** Instances per DescribeInstances page (small, so pagination is exercised). */
  instancesPerPage: number;
  /** The simulated instances (the world's, plus any a test added). */
  instances: readonly SimInstance[];
}

function describeInstances(params: URLSearchParams, account: string, region: string, options: Ec2Options): SimResponse {
  const maxResults = Number(params.get('MaxResults') ?? '1000');
  if (!Number.isInteger(maxResults) || maxResults < 5 || maxResults > 1000)
    return awsError('ec2', 400, 'InvalidParameterValue', 'MaxResults must be between 5 and 1000');
  const offset = Number(params.get('NextToken') ?? '0');
  const instances = options.instances.filter((instance) => instance.account === account && instance.region === region);
  const page = instances.slice(offset, offset + Math.min(maxResults, options.instancesPerPage));
  const items = page
    .map(
      (instance) =>
        `<item>${element('reservationId', `r-${instance.id.slice(2)}`)}${element('ownerId', account)}<groupSet/><instancesSet><item>` +
        `${element('instanceId', instance.id)}${element('imageId', 'ami-0123456789abcdef0')}` +
        `<instanceState>${element('code', instance.state === 'running' ? 16 : 80)}${element('name', instance.state)}</instanceState>` +
        `${element('instanceType', instance.type)}${element('launchTime', '2026-01-05T09:00:00.000Z')}` +
        `<placement>${element('availabilityZone', instance.zone)}${element('tenancy', 'default')}</placement>` +
        `${instance.spot ? element('instanceLifecycle', 'spot') + element('spotInstanceRequestId', `sir-${instance.id.slice(-8)}`) : ''}` +
        `${element('architecture', 'x86_64')}<tagSet><item>${element('key', 'Name')}${element('value', instance.name)}</item><item>${element('key', 'team')}${element('value', instance.type.startsWith('m5') || instance.type.startsWith('t3') ? 'platform' : 'ml')}</item></tagSet>` +
        `</item></instancesSet></item>`,
    )
    .join('');
  const next = offset + page.length < instances.length ? element('nextToken', String(offset + page.length)) : '';
  return xmlResponse(
    `<DescribeInstancesResponse xmlns="${NAMESPACE}">${element('requestId', requestId())}<reservationSet>${items}</reservationSet>${next}</DescribeInstancesResponse>`,
  );
}

function describeInstanceTypes(params: URLSearchParams): SimResponse {
  const requested = listParam(params, 'InstanceType');
  if (requested.length > 100)
    return awsError('ec2', 400, 'InvalidParameterValue', 'at most 100 instance types per request');
  // One unknown type fails the whole request (the known ones are not described either).
  const unknown = requested.filter((type) => SIM_INSTANCE_TYPES[type] === undefined);
  if (unknown.length > 0)
    return awsError(
      'ec2',
      400,
      'InvalidInstanceType',
      `The following supplied instance types do not exist: [${unknown.join(', ')}]`,
    );
  const items = requested
    .map((type) => {
      const info = SIM_INSTANCE_TYPES[type];
      if (!info) return '';
      const gpu = info.gpu
        ? `<gpuInfo><gpus><item>${element('name', info.gpu.name)}${element('manufacturer', info.gpu.manufacturer)}${element('count', info.gpu.count)}<memoryInfo>${element('sizeInMiB', info.gpu.memoryMiB)}</memoryInfo></item></gpus>${element('totalGpuMemoryInMiB', info.gpu.count * info.gpu.memoryMiB)}</gpuInfo>`
        : '';
      return `<item>${element('instanceType', type)}${element('currentGeneration', true)}<vCpuInfo>${element('defaultVCpus', info.vcpus)}</vCpuInfo><memoryInfo>${element('sizeInMiB', info.memoryMiB)}</memoryInfo>${gpu}</item>`;
    })
    .join('');
  return xmlResponse(
    `<DescribeInstanceTypesResponse xmlns="${NAMESPACE}">${element('requestId', requestId())}<instanceTypeSet>${items}</instanceTypeSet></DescribeInstanceTypesResponse>`,
  );
}

function describeRegions(): SimResponse {
  const items = SIM_REGIONS.map(
    (region) =>
      `<item>${element('regionName', region)}${element('regionEndpoint', `ec2.${region}.amazonaws.com`)}${element('optInStatus', 'opt-in-not-required')}</item>`,
  ).join('');
  return xmlResponse(
    `<DescribeRegionsResponse xmlns="${NAMESPACE}">${element('requestId', requestId())}<regionInfo>${items}</regionInfo></DescribeRegionsResponse>`,
  );
}

/** Handles an EC2 query-protocol action, or undefined when the action is not simulated. */
export function ec2Action(
  action: string,
  params: URLSearchParams,
  account: string,
  region: string,
  options: Ec2Options,
): SimResponse | undefined {
  switch (action) {
    case 'DescribeInstances':
      return describeInstances(params, account, region, options);
    case 'DescribeInstanceTypes':
      return describeInstanceTypes(params);
    case 'DescribeRegions':
      return describeRegions();
    default:
      return undefined;
  }
}
