// Simulated STS (awsQuery): GetCallerIdentity, and AssumeRole returning keys that name the target account
// (`ASIASIM<account>`), so later calls signed with them are served that account's data.

import type { SimResponse } from '../server.ts';
import { awsError, element, requestId, xmlResponse } from './wire.ts';
import { SIM_ACCOUNTS, type SimAccount } from './world.ts';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Handles an STS action for the caller, or undefined when the action is not simulated. */
export function stsAction(action: string, params: URLSearchParams, caller: SimAccount): SimResponse | undefined {
  if (action === 'GetCallerIdentity') {
    return xmlResponse(
      `<GetCallerIdentityResponse xmlns="${NAMESPACE}"><GetCallerIdentityResult>${element('Arn', `arn:aws:iam::${caller.id}:user/optiinfra`)}${element('UserId', 'AIDASIMULATOR')}${element('Account', caller.id)}</GetCallerIdentityResult><ResponseMetadata>${element('RequestId', requestId())}</ResponseMetadata></GetCallerIdentityResponse>`,
    );
  }
  if (action !== 'AssumeRole') return undefined;
  const roleArn = params.get('RoleArn') ?? '';
  const target = SIM_ACCOUNTS.find((account) => roleArn.startsWith(`arn:aws:iam::${account.id}:role/`));
  if (!target)
    return awsError(
      'query',
      403,
      'AccessDenied',
      `User arn:aws:iam::${caller.id}:user/optiinfra is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  if (target.externalId !== undefined && params.get('ExternalId') !== target.externalId) {
    return awsError(
      'query',
      403,
      'AccessDenied',
      `User arn:aws:iam::${caller.id}:user/optiinfra is not authorized to perform: sts:AssumeRole on resource: ${roleArn} (ExternalId mismatch)`,
    );
  }
  const expiration = new Date(Date.now() + 3_600_000).toISOString();
  return xmlResponse(
    `<AssumeRoleResponse xmlns="${NAMESPACE}"><AssumeRoleResult><Credentials>${element('AccessKeyId', target.accessKeyId)}${element('SecretAccessKey', 'sim-assumed-secret')}` +
      `${element('SessionToken', `sim-session-${target.id}`)}${element('Expiration', expiration)}</Credentials><AssumedRoleUser>${element('Arn', `arn:aws:sts::${target.id}:assumed-role/${roleArn.split('/').pop() ?? ''}/${params.get('RoleSessionName') ?? ''}`)}` +
      `${element('AssumedRoleId', `AROASIM:${params.get('RoleSessionName') ?? ''}`)}</AssumedRoleUser></AssumeRoleResult><ResponseMetadata>${element('RequestId', requestId())}</ResponseMetadata></AssumeRoleResponse>`,
  );
}
