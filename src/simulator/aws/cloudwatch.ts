// Simulated CloudWatch GetMetricData in the protocol the current SDK speaks (awsJson1_0, query-compatible
// errors): MetricStat queries for EC2/RDS series, one Metrics Insights query per request (evaluated by
// ./metrics-insights.ts over the CloudWatch agent's per-GPU metrics), results paginated with NextToken.

import type { SimResponse } from '../server.ts';
import { InsightsQueryError, parseInsightsQuery, runInsightsQuery, type StoredMetric } from './metrics-insights.ts';
import { awsError, jsonResponse } from './wire.ts';
import { SIM_DATABASES, SIM_INSTANCE_TYPES, unitHash, type SimInstance } from './world.ts';

interface MetricDataQuery {
  Id?: string;
  MetricStat?: {
    Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Array<{ Name?: string; Value?: string }> };
    Period?: number;
    Stat?: string;
  };
  Expression?: string;
  Label?: string;
  Period?: number;
}

interface GetMetricDataRequest {
  MetricDataQueries?: MetricDataQuery[];
  StartTime?: number;
  EndTime?: number;
  NextToken?: string;
  ScanBy?: string;
}

/** Value ranges of the series the simulator publishes. */
const RANGES: Readonly<Record<string, [number, number]>> = {
  'AWS/EC2:CPUUtilization': [2, 98],
  'AWS/EC2:NetworkIn': [1e6, 5e9],
  'AWS/EC2:NetworkOut': [1e6, 5e9],
  'AWS/EC2:DiskReadBytes': [0, 1e8],
  'AWS/EC2:DiskWriteBytes': [0, 1e8],
  'AWS/EC2:EBSReadBytes': [1e5, 1e9],
  'AWS/EC2:EBSWriteBytes': [1e5, 1e9],
  'AWS/EC2:EBSReadOps': [10, 1e5],
  'AWS/EC2:EBSWriteOps': [10, 1e5],
  'AWS/RDS:CPUUtilization': [1, 90],
  'AWS/RDS:DatabaseConnections': [0, 250],
  'CWAgent:nvidia_smi_utilization_gpu': [0, 100],
  'CWAgent:nvidia_smi_utilization_memory': [0, 100],
  'CWAgent:nvidia_smi_power_draw': [60, 700],
  'CWAgent:nvidia_smi_temperature_gpu': [30, 85],
};

/** Options of the simulated CloudWatch. */
export interface CloudWatchOptions {
  seed: number;
  resultsPerPage: number;
  /** The simulated instances (the world's, plus any a test added). */
  instances: readonly SimInstance[];
}

function valueAt(seed: number, series: string, metricKey: string, timestamp: number, max?: number): number {
  const [low, high] = RANGES[metricKey] ?? [0, max ?? 100];
  return Math.round((low + unitHash(seed, series, metricKey, timestamp) * (high - low)) * 100) / 100;
}

/**
 * The CloudWatch agent's nvidia_smi_* metrics of an account and region: one metric per GPU with the
 * dimensions the agent's nvidia_gpu section writes (index, name, host) plus the appended InstanceId and
 * InstanceType, and one per instance aggregated on [InstanceId, InstanceType] (`aggregation_dimensions`),
 * which has no `index`: a `GROUP BY ..., "index"` puts it in the group named Other.
 */
export function agentGpuMetrics(
  seed: number,
  account: string,
  region: string,
  instances: readonly SimInstance[],
): StoredMetric[] {
  const metrics: StoredMetric[] = [];
  const metricNames = Object.keys(RANGES)
    .filter((key) => key.startsWith('CWAgent:'))
    .map((key) => key.slice('CWAgent:'.length));
  instances.forEach((instance, position) => {
    const gpu = SIM_INSTANCE_TYPES[instance.type]?.gpu;
    if (instance.account !== account || instance.region !== region || instance.state !== 'running') return;
    if (!instance.gpuAgent || !gpu) return;
    for (const metricName of metricNames) {
      const metricKey = `CWAgent:${metricName}`;
      const gpuValue = (index: number, time: number) => valueAt(seed, `${instance.id} ${index}`, metricKey, time);
      for (let index = 0; index < gpu.count; index += 1) {
        metrics.push({
          namespace: 'CWAgent',
          metricName,
          dimensions: {
            InstanceId: instance.id,
            InstanceType: instance.type,
            index: String(index),
            name: `${gpu.manufacturer} ${gpu.name}`,
            host: `ip-10-0-${Math.floor(position / 250)}-${position % 250}.${region}.compute.internal`,
          },
          valueAt: (time) => gpuValue(index, time),
        });
      }
      metrics.push({
        namespace: 'CWAgent',
        metricName,
        dimensions: { InstanceId: instance.id, InstanceType: instance.type },
        valueAt: (time) => {
          let sum = 0;
          for (let index = 0; index < gpu.count; index += 1) sum += gpuValue(index, time);
          return sum / gpu.count;
        },
      });
    }
  });
  return metrics;
}

/** Handles GraniteServiceVersion20100801.GetMetricData for one account and region. */
export function getMetricData(raw: unknown, account: string, region: string, options: CloudWatchOptions): SimResponse {
  const request = (raw ?? {}) as GetMetricDataRequest;
  const queries = request.MetricDataQueries ?? [];
  const start = request.StartTime;
  const end = request.EndTime;
  if (typeof start !== 'number' || typeof end !== 'number' || start >= end)
    return awsError(
      'cloudwatch_json',
      400,
      'InvalidParameterValue',
      'StartTime must be a number of seconds before EndTime',
    );
  if (queries.length === 0 || queries.length > 500)
    return awsError(
      'cloudwatch_json',
      400,
      'ValidationError',
      `between 1 and 500 MetricDataQueries are allowed, got ${queries.length}`,
    );
  if (
    new Set(queries.map((query) => query.Id)).size !== queries.length ||
    queries.some((query) => !/^[a-z][a-zA-Z0-9_]*$/.test(query.Id ?? ''))
  ) {
    return awsError(
      'cloudwatch_json',
      400,
      'ValidationError',
      'query Ids must be unique and match ^[a-z][a-zA-Z0-9_]*$',
    );
  }
  // Every simulated metric has standard (one-minute) resolution: "a period can be as short as one minute (60
  // seconds) and must be a multiple of 60" (MetricStat.Period, MetricDataQuery.Period).
  const badPeriod = queries.findIndex((query) => {
    const period = query.MetricStat?.Period ?? query.Period;
    return period !== undefined && !(Number.isInteger(period) && period > 0 && period % 60 === 0);
  });
  if (badPeriod >= 0) {
    const query = queries[badPeriod];
    const field = query?.MetricStat ? 'MetricStat.Period' : 'Period';
    return awsError(
      'cloudwatch_json',
      400,
      'ValidationError',
      `The parameter MetricDataQueries.member.${badPeriod + 1}.${field} must be a multiple of 60 for standard-resolution metrics, got ${query?.MetricStat?.Period ?? query?.Period}`,
    );
  }
  if (queries.filter((query) => /^\s*SELECT\b/i.test(query.Expression ?? '')).length > 1) {
    return awsError(
      'cloudwatch_json',
      400,
      'ValidationError',
      'a GetMetricData request can hold only one Metrics Insights query',
    );
  }
  const fingerprint = JSON.stringify([start, end, queries.map((query) => query.Id)]);
  let offset = 0;
  if (request.NextToken !== undefined) {
    const token = JSON.parse(Buffer.from(request.NextToken, 'base64').toString('utf8')) as {
      offset: number;
      fingerprint: string;
    };
    if (token.fingerprint !== fingerprint)
      return awsError('cloudwatch_json', 400, 'InvalidNextToken', 'the request changed between pages');
    offset = token.offset;
  }
  const results: Array<{ Id: string; Label: string; Timestamps: number[]; Values: number[]; StatusCode: string }> = [];
  const timestampsFor = (periodSeconds: number): number[] => {
    const stamps: number[] = [];
    for (let time = Math.ceil(start / periodSeconds) * periodSeconds; time < end; time += periodSeconds)
      stamps.push(time);
    return request.ScanBy === 'TimestampAscending' ? stamps : stamps.reverse();
  };
  const messages: Array<{ Code: string; Value: string }> = [];
  for (const query of queries) {
    const id = query.Id ?? '';
    const expression = query.Expression?.trim() ?? '';
    if (/^SELECT\b/i.test(expression)) {
      let parsed;
      try {
        parsed = parseInsightsQuery(expression);
      } catch (error) {
        if (error instanceof InsightsQueryError) return awsError('cloudwatch_json', 400, error.code, error.message);
        throw error;
      }
      const period = query.Period ?? 300;
      const stamps = timestampsFor(period);
      const result = runInsightsQuery(
        parsed,
        agentGpuMetrics(options.seed, account, region, options.instances),
        stamps,
        {
          ...(query.Label === undefined ? {} : { label: query.Label }),
          seed: options.seed,
          queryKey: expression,
          region,
          account,
          period,
        },
      );
      messages.push(...result.messages);
      for (const series of result.series)
        results.push({
          Id: id,
          Label: series.label,
          Timestamps: stamps,
          Values: series.values,
          StatusCode: 'Complete',
        });
      continue;
    }
    const metric = query.MetricStat?.Metric;
    const metricKey = `${metric?.Namespace ?? ''}:${metric?.MetricName ?? ''}`;
    const dimension = metric?.Dimensions?.[0];
    const stamps = timestampsFor(query.MetricStat?.Period ?? 300);
    const instance = options.instances.find(
      (item) =>
        dimension?.Name === 'InstanceId' &&
        item.id === dimension.Value &&
        item.account === account &&
        item.region === region &&
        item.state === 'running',
    );
    const database = SIM_DATABASES.find(
      (item) =>
        dimension?.Name === 'DBInstanceIdentifier' &&
        item.identifier === dimension.Value &&
        item.account === account &&
        item.region === region,
    );
    const known = RANGES[metricKey] !== undefined || metricKey === 'AWS/RDS:FreeStorageSpace';
    if (!known || (!instance && !database) || (metric?.Dimensions?.length ?? 0) !== 1) {
      // CloudWatch answers an unknown series with an empty, complete result.
      results.push({ Id: id, Label: metric?.MetricName ?? id, Timestamps: [], Values: [], StatusCode: 'Complete' });
      continue;
    }
    const seriesKey = dimension?.Value ?? '';
    const maxBytes = database ? database.storageGiB * 1_073_741_824 : undefined;
    results.push({
      Id: id,
      Label: metric?.MetricName ?? id,
      Timestamps: stamps,
      Values: stamps.map((time) => valueAt(options.seed, seriesKey, metricKey, time, maxBytes)),
      StatusCode: 'Complete',
    });
  }
  const page = results.slice(offset, offset + options.resultsPerPage);
  const nextOffset = offset + page.length;
  return jsonResponse('1.0', {
    MetricDataResults: page,
    Messages: messages,
    ...(nextOffset < results.length
      ? { NextToken: Buffer.from(JSON.stringify({ offset: nextOffset, fingerprint })).toString('base64') }
      : {}),
  });
}
