// Simulated Cloud Monitoring `projects.timeSeries.list` (GET /v3/projects/{p}/timeSeries): one metric type per
// filter, aligned points newest first, aligner enums as names or integers, `pageSize` / `pageToken` paging.
// Ops Agent GPU series exist only for GPU instances running the agent (not train-h100-0).

import type { SimRequest, SimResponse } from '../server.ts';
import { projectInstances } from './data.ts';
import type { WireError, WireInstance, WireListTimeSeriesResponse, WireTimeSeries } from './wire.ts';

/** Aligner enum values (monitoring v3 Aggregation.Aligner): the REST client may send either form. */
const ALIGNERS: Readonly<Record<string, string>> = {
  '0': 'ALIGN_NONE',
  '1': 'ALIGN_DELTA',
  '2': 'ALIGN_RATE',
  '12': 'ALIGN_MEAN',
};

/** GPUs each GPU machine of the simulated fleet has (the simulator's own data, not the product's catalog). */
const MACHINE_GPUS: Readonly<Record<string, number>> = { 'a2-highgpu-8g': 8, 'a3-highgpu-8g': 8, 'g2-standard-24': 2 };

/** Instances without the Ops Agent: no agent.googleapis.com series. */
const WITHOUT_AGENT = new Set(['train-h100-0']);

interface MetricDef {
  kind: 'GAUGE' | 'DELTA';
  valueType: 'DOUBLE' | 'INT64';
  aligners: readonly string[];
  perGpu?: boolean;
  value(instanceIndex: number, gpu: number, pointIndex: number): number;
}

const METRICS: Readonly<Record<string, MetricDef>> = {
  'compute.googleapis.com/instance/cpu/utilization': {
    kind: 'GAUGE',
    valueType: 'DOUBLE',
    aligners: ['ALIGN_MEAN'],
    value: (i, _g, p) => 0.2 + ((i + p) % 5) * 0.1,
  },
  'compute.googleapis.com/instance/network/received_bytes_count': rate(1000),
  'compute.googleapis.com/instance/network/sent_bytes_count': rate(500),
  'compute.googleapis.com/instance/disk/read_bytes_count': rate(2000),
  'compute.googleapis.com/instance/disk/write_bytes_count': rate(3000),
  'agent.googleapis.com/gpu/utilization': {
    kind: 'GAUGE',
    valueType: 'DOUBLE',
    aligners: ['ALIGN_MEAN'],
    perGpu: true,
    value: (i, g, p) => 50 + ((i + g + p) % 40),
  },
  'agent.googleapis.com/gpu/memory/bytes_used': {
    kind: 'GAUGE',
    valueType: 'DOUBLE',
    aligners: ['ALIGN_MEAN'],
    perGpu: true,
    value: (_i, g) => (10 + g) * 1024 ** 3,
  },
};

function rate(bytesPerSecond: number): MetricDef {
  return {
    kind: 'DELTA',
    valueType: 'INT64',
    aligners: ['ALIGN_RATE', 'ALIGN_DELTA'],
    value: (i) => bytesPerSecond * (i + 1),
  };
}

function bad(message: string): SimResponse {
  const body: WireError = {
    error: {
      code: 400,
      message,
      errors: [{ message, domain: 'global', reason: 'badRequest' }],
      status: 'INVALID_ARGUMENT',
    },
  };
  return { status: 400, body };
}

function gpusOf(instance: WireInstance): number {
  const attached = instance.guestAccelerators?.reduce((sum, item) => sum + item.acceleratorCount, 0) ?? 0;
  return attached > 0 ? attached : (MACHINE_GPUS[instance.machineType.split('/').pop() ?? ''] ?? 0);
}

/** Answers one timeSeries.list request for `projectId`. */
export function listTimeSeries(request: SimRequest, projectId: string, seed: number): SimResponse {
  const filter = request.query.get('filter') ?? '';
  const types = [...filter.matchAll(/metric\.type\s*=\s*"([^"]+)"/g)].map((match) => match[1] ?? '');
  if (types.length !== 1) return bad(`The filter must name exactly one metric.type: ${filter}`);
  const type = types[0] ?? '';
  const definition = METRICS[type];
  const start = Date.parse(request.query.get('interval.startTime') ?? '');
  const end = Date.parse(request.query.get('interval.endTime') ?? '');
  if (!Number.isFinite(end) || !Number.isFinite(start) || start > end)
    return bad('Field interval.endTime (and a startTime not after it) must be RFC 3339 timestamps.');
  const periodMatch = /^(\d+)s$/.exec(request.query.get('aggregation.alignmentPeriod') ?? '');
  const periodSeconds = Number(periodMatch?.[1] ?? NaN);
  if (!(periodSeconds >= 60)) return bad('The alignment period must be at least 60 seconds.');
  const alignerText = request.query.get('aggregation.perSeriesAligner') ?? '';
  const aligner = ALIGNERS[alignerText] ?? alignerText;
  if (definition !== undefined && !definition.aligners.includes(aligner))
    return bad(`The aligner ${aligner} is not valid for metric ${type} (${definition.kind} ${definition.valueType}).`);
  const series: WireTimeSeries[] = [];
  const periodMs = periodSeconds * 1000;
  const ends: number[] = [];
  for (let t = Math.floor(end / periodMs) * periodMs; t > start; t -= periodMs) ends.push(t);
  projectInstances(projectId, seed).forEach((instance, index) => {
    if (definition === undefined || instance.status !== 'RUNNING') return;
    const agent = type.startsWith('agent.googleapis.com/');
    if (agent && (WITHOUT_AGENT.has(instance.name) || gpusOf(instance) === 0)) return;
    const zone = instance.zone.split('/').pop() ?? '';
    for (let gpu = 0; gpu < (definition.perGpu ? gpusOf(instance) : 1); gpu++) {
      series.push({
        metric: {
          type,
          labels: definition.perGpu
            ? { gpu_number: String(gpu), model: 'nvidia-gpu', uuid: `GPU-${instance.id}-${gpu}` }
            : { instance_name: instance.name },
        },
        resource: { type: 'gce_instance', labels: { project_id: projectId, instance_id: instance.id, zone } },
        // Aligned output is GAUGE DOUBLE for ALIGN_MEAN and ALIGN_RATE.
        metricKind: 'GAUGE',
        valueType: 'DOUBLE',
        points: ends.map((t, pointIndex) => ({
          interval: { startTime: new Date(t - periodMs).toISOString(), endTime: new Date(t).toISOString() },
          value: { doubleValue: definition.value(index, gpu, pointIndex) },
        })),
      });
    }
  });
  const pageSize = Number(request.query.get('pageSize') ?? '100000');
  const tokenText = request.query.get('pageToken');
  const offset = tokenText === null ? 0 : Number(Buffer.from(tokenText, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0 || offset > series.length) return bad('Invalid page token.');
  const slice = series.slice(offset, offset + (pageSize > 0 ? pageSize : 100000));
  const next = offset + slice.length;
  const body: WireListTimeSeriesResponse = {
    timeSeries: slice,
    ...(next < series.length ? { nextPageToken: Buffer.from(String(next)).toString('base64url') } : {}),
  };
  return { body };
}
