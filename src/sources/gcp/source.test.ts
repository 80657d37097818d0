// The GCP source over real HTTP against the Compute simulator: paging, GPUs per instance, auth (static token and a
// self-signed service-account JWT verified by the simulator), 403 naming the role, 429 retried. No request leaves
// loopback: no token endpoint, no metadata server.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { CollectorError } from '../../core/errors.ts';
import { collectOnce } from '../../../test/support/test-context.ts';
import {
  GCP_SIM_ACCESS_TOKEN,
  GCP_SIM_FORBIDDEN_PROJECT,
  startGcpSimulator,
  type GcpSimulator,
} from '../../simulator/gcp/index.ts';
import { gcpConfigSchema } from './config.ts';
import { gcpFactory } from './factory.ts';

process.env.METADATA_SERVER_DETECTION = 'none';
delete process.env.GOOGLE_APPLICATION_CREDENTIALS;

const NOW = new Date('2026-12-04T10:00:00Z');
const WINDOW = { start: new Date('2026-12-04T09:30:00Z'), end: NOW };

let simulator: GcpSimulator;
before(async () => {
  simulator = await startGcpSimulator();
});
after(async () => {
  await simulator.close();
});

/** The block parsed as the loader would (defaults filled in). */
function parsed(block: Record<string, unknown>): Record<string, unknown> {
  const context = { problems: [], secrets: [] };
  const config = gcpConfigSchema.parse(block, 'providers.gcp', context);
  assert.deepEqual(context.problems, []);
  assert.ok(config);
  return config as unknown as Record<string, unknown>;
}

function collect(block: Record<string, unknown>) {
  const config = parsed({
    project_ids: ['ml-prod-4821'],
    access_token: GCP_SIM_ACCESS_TOKEN,
    endpoints: { compute: simulator.url, monitoring: simulator.url },
    metrics: false,
    ...block,
  });
  return collectOnce(gcpFactory, 'gcp', config, { retry: { attempts: 3 }, now: NOW, metricsWindow: WINDOW });
}

it('pages aggregatedList by pageToken with returnPartialSuccess and maps GPU model and count per instance', async () => {
  simulator.server.requests.length = 0;
  const emitter = await collect({ max_results: 2 });
  const requests = simulator.server.requests;
  assert.equal(requests.length, 4); // 7 instances, 2 per page
  for (const request of requests) {
    assert.equal(request.path, '/compute/v1/projects/ml-prod-4821/aggregated/instances');
    assert.equal(request.query.get('returnPartialSuccess'), 'true');
    assert.equal(request.query.get('maxResults'), '2');
    assert.equal(request.headers.authorization, `Bearer ${GCP_SIM_ACCESS_TOKEN}`);
  }
  assert.equal(requests[0]?.query.get('pageToken'), null);
  assert.ok(requests[1]?.query.get('pageToken'));
  assert.deepEqual(simulator.server.unexpected, []);
  assert.deepEqual(emitter.partials, []);
  const gpus = Object.fromEntries(
    emitter.resourceRows.map((row) => [
      row.resource_name,
      [row.instance_type, row.gpu_model, row.gpu_count, row.status],
    ]),
  );
  assert.deepEqual(gpus, {
    'train-a100-0': ['a2-highgpu-8g', 'A100-SXM4-40GB', 8, 'RUNNING'],
    'train-h100-0': ['a3-highgpu-8g', 'H100-SXM5-80GB', 8, 'RUNNING'],
    'infer-l4-0': ['g2-standard-24', 'L4', 2, 'RUNNING'],
    'infer-t4-0': ['n1-standard-8', 'T4', 2, 'RUNNING'],
    'batch-v100-0': ['n1-standard-16', 'V100-SXM2-16GB', 4, 'TERMINATED'],
    'web-0': ['e2-standard-4', null, null, 'RUNNING'],
    'web-1': ['e2-standard-4', null, null, 'STOPPING'],
  });
  const l4 = emitter.resourceRows.find((row) => row.resource_name === 'infer-l4-0');
  assert.equal(l4?.tags?.['gcp:provisioning-model'], 'SPOT');
  assert.equal(l4?.region_id, 'us-central1');
  const t4 = emitter.resourceRows.find((row) => row.resource_name === 'infer-t4-0');
  assert.equal(t4?.tags?.['gcp:provisioning-model'], 'PREEMPTIBLE');
  assert.equal(t4?.tags?.['gcp:zone'], 'europe-west4-a');
  assert.match(t4?.resource_id ?? '', /^\d+$/);
  assert.equal(emitter.costRows.length, 0);
  assert.deepEqual(emitter.completedWindows, []);
});

it('a service-account key signs a self-signed JWT the simulator verifies (no token endpoint)', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const email = 'collector@ml-prod-4821.iam.gserviceaccount.com';
  simulator.trustServiceAccount(email, publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const dir = mkdtempSync(join(tmpdir(), 'gcp-sa-'));
  try {
    const file = join(dir, 'sa.json');
    const key = { type: 'service_account', client_email: email, private_key_id: 'k1' };
    writeFileSync(file, JSON.stringify({ ...key, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) }));
    simulator.server.requests.length = 0;
    const emitter = await collect({ access_token: undefined, credentials_file: file });
    assert.equal(emitter.resourceRows.length, 7);
    assert.match(simulator.server.requests[0]?.headers.authorization ?? '', /^Bearer eyJ/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a rejected token fails the run naming the keys to check', async () => {
  await assert.rejects(collect({ access_token: 'expired' }), (error: unknown) => {
    assert.ok(error instanceof CollectorError);
    assert.equal(error.code, 'AUTH_FAILED');
    assert.match(error.message, /HTTP 401.*access_token/);
    return true;
  });
});

it('no credentials at all: a clear error, and nothing is sent', async () => {
  simulator.server.requests.length = 0;
  await assert.rejects(collect({ access_token: undefined }), /no credentials: set access_token or credentials_file/);
  assert.equal(simulator.server.requests.length, 0);
});

it('a project without compute.viewer is partial, naming roles/compute.viewer; the other project is collected', async () => {
  const emitter = await collect({ project_ids: [GCP_SIM_FORBIDDEN_PROJECT, 'web-prod-1177'] });
  assert.equal(emitter.partials.length, 1);
  assert.match(emitter.partials[0]?.message ?? '', /finance-restricted.*roles\/compute\.viewer/);
  assert.equal(emitter.resourceRows.length, 7);
  assert.ok(emitter.resourceRows.every((row) => row.tags?.['gcp:project-id'] === 'web-prod-1177'));
});

it('429 RESOURCE_EXHAUSTED is retried by the runtime', async () => {
  simulator.throttle(1);
  simulator.server.requests.length = 0;
  const emitter = await collect({});
  assert.equal(emitter.resourceRows.length, 7);
  assert.equal(simulator.server.requests.length, 2);
});

it('Cloud Monitoring: one timeSeries.list per metric type, aligned, mapped to the OpenTelemetry names', async () => {
  simulator.server.requests.length = 0;
  const emitter = await collect({ inventory: false, metrics: true });
  const requests = simulator.server.requests;
  assert.deepEqual(simulator.server.unexpected, []);
  assert.deepEqual(emitter.partials, []);
  assert.equal(requests.length, 7);
  for (const request of requests) {
    assert.equal(request.path, '/v3/projects/ml-prod-4821/timeSeries');
    assert.match(request.query.get('filter') ?? '', /^metric\.type = "[^"]+" AND resource\.type = "gce_instance"$/);
    // metrics_delay 4m: the window ends at 09:56; alignment 300s.
    assert.equal(request.query.get('interval.endTime'), '2026-12-04T09:56:00.000Z');
    assert.equal(request.query.get('interval.startTime'), '2026-12-04T09:30:00.000Z');
    assert.equal(request.query.get('aggregation.alignmentPeriod'), '300s');
  }
  const count = (name: string, label?: [string, string]) =>
    emitter.samples.filter((sample) => sample.name === name && (!label || sample.labels[label[0]] === label[1])).length;
  // 5 running instances x 5 aligned points (09:35 ... 09:55).
  assert.equal(count('system.cpu.utilization'), 25);
  assert.equal(count('system.network.io.rate', ['network.io.direction', 'receive']), 25);
  assert.equal(count('system.network.io.rate', ['network.io.direction', 'transmit']), 25);
  assert.equal(count('system.disk.io.rate', ['disk.io.direction', 'read']), 25);
  assert.equal(count('system.disk.io.rate', ['disk.io.direction', 'write']), 25);
  // Ops Agent GPUs: a2 8 + g2 2 + T4 2 (train-h100-0 runs no agent) x 5 points.
  assert.equal(count('hw.gpu.utilization'), 60);
  assert.equal(count('hw.gpu.memory.usage'), 60);
  const utilization = emitter.samples.filter((sample) => sample.name === 'hw.gpu.utilization');
  assert.ok(utilization.every((sample) => sample.value >= 0.5 && sample.value < 0.9 && sample.unit === '1'));
  assert.ok(utilization.every((sample) => sample.category === 'gpu' && sample.labels['hw.type'] === 'gpu'));
  const cpu = emitter.samples.find((sample) => sample.name === 'system.cpu.utilization');
  assert.ok(cpu && cpu.value > 0 && cpu.value <= 1 && /^\d+$/.test(cpu.resource_id ?? ''));
  assert.equal(cpu?.labels.source_metric, 'compute.googleapis.com/instance/cpu/utilization');
});

it('metric samples join the inventory by instance id', async () => {
  const emitter = await collect({ metrics: true });
  const ids = new Set(emitter.resourceRows.map((row) => row.resource_id));
  assert.ok(emitter.samples.length > 0);
  assert.ok(emitter.samples.every((sample) => ids.has(sample.resource_id ?? '')));
});

it('Monitoring denied is partial naming roles/monitoring.viewer; the inventory still flows', async () => {
  const emitter = await collect({ project_ids: [GCP_SIM_FORBIDDEN_PROJECT, 'web-prod-1177'], metrics: true });
  const messages = emitter.partials.map((error) => error.message);
  assert.equal(messages.length, 2);
  assert.ok(
    messages.some((message) => /monitoring.*roles\/monitoring\.viewer/.test(message)),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((message) => /roles\/compute\.viewer/.test(message)),
    messages.join('\n'),
  );
  assert.equal(emitter.resourceRows.length, 7);
});
