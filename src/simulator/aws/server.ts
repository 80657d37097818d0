// One local HTTP server speaking the AWS APIs the collector uses, routed the way AWS SDK v3 sends them:
// X-Amz-Target (Cost Explorer awsJson1_1, CloudWatch awsJson1_0), form `Action` (EC2, RDS, STS) and
// method + path (S3). The caller's account comes from the SigV4 access key. Throttling is scripted per
// operation and answered in each service's own error shape; HTTP-level faults use the shared FaultPlan.

import { startSimServer, type SimRequest, type SimResponse, type SimServer } from '../server.ts';
import { getMetricData } from './cloudwatch.ts';
import { getCostAndUsage } from './cost-explorer.ts';
import { getCostAndUsageWithResources, type NotOptedInCode } from './resource-costs.ts';
import { ec2Action } from './ec2.ts';
import { rdsAction } from './rds.ts';
import { s3Operation, s3Request } from './s3.ts';
import { stsAction } from './sts.ts';
import { awsError, formParams, signedScope, throttlingError, type AwsProtocol } from './wire.ts';
import { expectedDailyTotals, SIM_ACCOUNTS, SIM_INSTANCES, type SimCostLine, type SimInstance } from './world.ts';

/** Options of the AWS simulator. */
export interface AwsSimulatorOptions {
  seed?: number;
  port?: number;
  /** Cost Explorer groups per page (default 5: a day's groups span several pages). */
  costGroupsPerPage?: number;
  /** CloudWatch results per GetMetricData page (default 10). */
  metricResultsPerPage?: number;
  /** EC2 instances per DescribeInstances page (default 2). */
  instancesPerPage?: number;
  /** The simulator's clock: Cost Explorer's 14-day and 14-month limits, estimated periods (default: the real clock). */
  clock?: () => Date;
  /** Start as an account that has not opted in to resource-level data, answering with this error code. */
  notOptedIn?: NotOptedInCode;
  /**
   * Instances besides the world's (a large GPU fleet, a type EC2 does not describe), seen by EC2 and
   * CloudWatch; they have no resource-level cost lines.
   */
  extraInstances?: readonly SimInstance[];
}

/** A running AWS simulator. */
export interface AwsSimulator {
  readonly server: SimServer;
  readonly url: string;
  readonly seed: number;
  /** The next `count` calls of `operation` (e.g. `ce:GetCostAndUsage`) answer with the service's throttling error. */
  throttle(operation: string, count: number): void;
  /** Calls of `operation` answer AccessDenied until cleared (an IAM policy missing the action). */
  deny(operation: string): void;
  /** After `okCalls` more calls of `operation`, every further call fails with a 500 InternalFailure (an outage midway through a sequence). */
  breakAfter(operation: string, okCalls: number): void;
  /**
   * Switches the account's Cost Explorer resource-level data opt-in: when off, GetCostAndUsageWithResources
   * answers with `code` (default DataUnavailableException).
   */
  resourceLevelData(enabled: boolean, code?: NotOptedInCode): void;
  /** Requests received per operation, throttled ones included. */
  readonly calls: Readonly<Record<string, number>>;
  /** Exact per-day sum of a Cost Explorer metric as the account `caller` sees it, for [start, end). */
  expectedDailyTotals(
    start: string,
    end: string,
    options?: { caller?: string; metric?: keyof SimCostLine['amounts'] },
  ): Map<string, string>;
  close(): Promise<void>;
}

const SIGNING_SERVICE_OPERATIONS: Readonly<Record<string, string>> = {
  ec2: 'ec2',
  rds: 'rds',
  sts: 'sts',
  monitoring: 'cloudwatch',
};

const UNKNOWN_KEY_CODE: Readonly<Record<AwsProtocol, string>> = {
  json1_1: 'UnrecognizedClientException',
  cloudwatch_json: 'InvalidClientTokenId',
  ec2: 'AuthFailure',
  query: 'InvalidClientTokenId',
  s3: 'InvalidAccessKeyId',
};

/** Starts the AWS simulator on a loopback port. */
export async function startAwsSimulator(options: AwsSimulatorOptions = {}): Promise<AwsSimulator> {
  const seed = options.seed ?? 42;
  const throttles = new Map<string, number>();
  const denied = new Set<string>();
  const breaking = new Map<string, number>();
  const calls: Record<string, number> = {};
  const clock = options.clock ?? (() => new Date());
  const instances = [...SIM_INSTANCES, ...(options.extraInstances ?? [])];
  let notOptedIn: NotOptedInCode | undefined = options.notOptedIn;
  // eslint-disable-next-line prefer-const -- assigned after the handler that reads it is defined
  let server: SimServer | undefined;

  const unexpected = (request: SimRequest, protocol: AwsProtocol, what: string): SimResponse => {
    server?.unexpected.push(request);
    return awsError(protocol, 400, 'UnknownOperationException', `simulator aws: ${what} is not simulated`);
  };

  const handle = (request: SimRequest): SimResponse => {
    const scope = signedScope(request);
    const target = request.headers['x-amz-target'] ?? '';
    let protocol: AwsProtocol;
    let operation: string | undefined;
    let params = new URLSearchParams();
    let json: unknown;
    if (target !== '') {
      protocol = target.startsWith('GraniteServiceVersion20100801.') ? 'cloudwatch_json' : 'json1_1';
      const service = target.startsWith('AWSInsightsIndexService.')
        ? 'ce'
        : protocol === 'cloudwatch_json'
          ? 'cloudwatch'
          : undefined;
      operation = service === undefined ? undefined : `${service}:${target.split('.')[1] ?? ''}`;
      try {
        json = JSON.parse(request.body.toString('utf8') || '{}');
      } catch {
        return awsError(protocol, 400, 'SerializationException', 'the body is not JSON');
      }
    } else if (request.method === 'POST' && (request.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
      params = formParams(request);
      const service = SIGNING_SERVICE_OPERATIONS[scope?.service ?? ''];
      protocol = service === 'ec2' ? 'ec2' : 'query';
      operation = service === undefined ? undefined : `${service}:${params.get('Action') ?? ''}`;
    } else {
      protocol = 's3';
      operation = s3Operation(request);
    }
    if (operation === undefined) return unexpected(request, protocol, `${request.method} ${request.path} ${target}`);
    calls[operation] = (calls[operation] ?? 0) + 1;
    const pendingThrottles = throttles.get(operation) ?? 0;
    if (pendingThrottles > 0) {
      throttles.set(operation, pendingThrottles - 1);
      return throttlingError(protocol);
    }
    const healthyCalls = breaking.get(operation);
    if (healthyCalls !== undefined) {
      if (healthyCalls <= 0) return awsError(protocol, 500, 'InternalFailure', 'simulated outage');
      breaking.set(operation, healthyCalls - 1);
    }
    const caller = SIM_ACCOUNTS.find((account) => account.accessKeyId === scope?.accessKeyId);
    if (!caller)
      return awsError(
        protocol,
        403,
        UNKNOWN_KEY_CODE[protocol],
        'The security token included in the request is invalid.',
      );
    if (denied.has(operation)) {
      return awsError(
        protocol,
        403,
        protocol === 'ec2'
          ? 'UnauthorizedOperation'
          : protocol === 'json1_1'
            ? 'AccessDeniedException'
            : 'AccessDenied',
        `User: arn:aws:iam::${caller.id}:user/optiinfra is not authorized to perform: ${operation}`,
      );
    }
    const region = scope?.region ?? 'us-east-1';
    const [service, action = ''] = operation.split(':');
    let response: SimResponse | undefined;
    switch (service) {
      case 'ce':
        if (action === 'GetCostAndUsage')
          response = getCostAndUsage(json, caller.id, {
            seed,
            groupsPerPage: options.costGroupsPerPage ?? 5,
            now: clock(),
          });
        else if (action === 'GetCostAndUsageWithResources')
          response = getCostAndUsageWithResources(json, caller.id, {
            seed,
            groupsPerPage: options.costGroupsPerPage ?? 5,
            now: clock(),
            notOptedIn,
          });
        break;
      case 'cloudwatch':
        response =
          action === 'GetMetricData'
            ? getMetricData(json, caller.id, region, {
                seed,
                resultsPerPage: options.metricResultsPerPage ?? 10,
                instances,
              })
            : undefined;
        break;
      case 'ec2':
        response = ec2Action(action, params, caller.id, region, {
          instancesPerPage: options.instancesPerPage ?? 2,
          instances,
        });
        break;
      case 'rds':
        response = rdsAction(action, params, caller.id, region, 1);
        break;
      case 'sts':
        response = stsAction(action, params, caller);
        break;
      case 's3':
        response = s3Request(request, caller.id, 2);
        break;
    }
    return response ?? unexpected(request, protocol, operation);
  };

  server = await startSimServer({ name: 'aws', routes: [{ method: '*', path: /.*/, handle }] }, options.port ?? 0);
  const running = server;
  return {
    server: running,
    url: running.url,
    seed,
    calls,
    throttle: (operation, count) => {
      throttles.set(operation, (throttles.get(operation) ?? 0) + count);
    },
    deny: (operation) => {
      denied.add(operation);
    },
    breakAfter: (operation, okCalls) => {
      breaking.set(operation, okCalls);
    },
    resourceLevelData: (enabled, code = 'DataUnavailableException') => {
      notOptedIn = enabled ? undefined : code;
    },
    expectedDailyTotals: (start, end, totalsOptions = {}) =>
      expectedDailyTotals(seed, totalsOptions.caller ?? SIM_ACCOUNTS[0]?.id ?? '', start, end, totalsOptions.metric),
    close: () => running.close(),
  };
}
