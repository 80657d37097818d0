import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { dcgmPage, dcgmFamilies, DCGM_FIELD_NAMES, goFloat, nodeExporterPage, vllmPage } from './pages.ts';
import { negotiateFormat, startExporterHost } from './server.ts';

test('dcgm page: one series per GPU per field, deterministic, ordered labels', () => {
  const page = dcgmPage({ gpus: 8, seed: 7 });
  assert.equal(page, dcgmPage({ gpus: 8, seed: 7 }));
  for (const field of DCGM_FIELD_NAMES)
    assert.equal(page.split('\n').filter((line) => line.startsWith(`${field}{`)).length, 8, field);
  assert.match(
    page,
    /^DCGM_FI_DEV_GPU_UTIL\{gpu="0",UUID="GPU-[0-9a-f-]+",pci_bus_id="00000000:18:00.0",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-node-0",DCGM_FI_DRIVER_VERSION="550.54.15"\} \d+$/m,
  );
  assert.match(page, /^DCGM_FI_DEV_POWER_USAGE\{.*\} \d+\.\d{6}$/m);
  assert.doesNotMatch(dcgmPage({ profiling: false }), /DCGM_FI_PROF_/);
  assert.match(
    dcgmPage({ podGpus: [1], hostnameLabel: 'hostname' }),
    /gpu="1".*hostname="gpu-node-0",DCGM_FI_DRIVER_VERSION="[^"]+",container="vllm",namespace="inference",pod="vllm-llama-0"\}/,
  );
});

test('dcgm counters increase with the tick', () => {
  const energy = (tick: number): number[] =>
    dcgmFamilies({}, tick)
      .find((family) => family.name === 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION')!
      .samples.map((sample) => sample.value);
  const [before, after] = [energy(3), energy(4)];
  before.forEach((value, index) => assert.ok(after[index]! > value));
});

test('node and vllm pages: Go %g values, old and new vLLM names, OpenMetrics EOF', () => {
  assert.equal(goFloat(8221663232), '8.221663232e+09');
  assert.equal(goFloat(1284331), '1.284331e+06');
  assert.equal(goFloat(0.42), '0.42');
  assert.match(nodeExporterPage(), /^node_load1 [\d.]+$/m);
  assert.match(vllmPage({ names: 'new' }), /vllm:kv_cache_usage_perc\{engine="0",model_name=/);
  assert.match(vllmPage({ names: 'old' }), /vllm:gpu_cache_usage_perc\{model_name=/);
  assert.match(vllmPage({ names: 'old' }), /vllm:time_per_output_token_seconds_bucket/);
  const openMetrics = vllmPage({ format: 'openmetrics' });
  assert.ok(openMetrics.endsWith('# EOF\n'));
  assert.match(openMetrics, /^# TYPE vllm:prompt_tokens counter$/m);
});

test('content negotiation follows q-values', () => {
  assert.equal(
    negotiateFormat(
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    ),
    'openmetrics',
  );
  assert.equal(negotiateFormat('text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5'), 'text');
  assert.equal(negotiateFormat(undefined), 'text');
});

test('exporter host serves gzip and OpenMetrics on request and reports what it served', async () => {
  const host = await startExporterHost({ clock: 'manual' });
  try {
    host.setTick(5);
    const response = await request(host.metricsUrl, {
      headers: { accept: 'application/openmetrics-text; version=1.0.0', 'accept-encoding': 'gzip' },
    });
    assert.equal(response.headers['content-encoding'], 'gzip');
    assert.match(String(response.headers['content-type']), /openmetrics/);
    const text = gunzipSync(Buffer.from(await response.body.arrayBuffer())).toString('utf8');
    assert.ok(text.endsWith('# EOF\n'));
    const samples = host.samplesAt('/metrics', 5);
    const util = samples.filter((sample) => sample.name === 'DCGM_FI_DEV_GPU_UTIL');
    assert.equal(util.length, 8);
    for (const sample of util) assert.ok(text.includes(`gpu="${sample.labels.gpu}"`));
    assert.deepEqual(host.served.at(-1), { path: '/metrics', tick: 5, format: 'openmetrics', gzip: true });
    const plain = await request(`${host.url}/dcgm/metrics`);
    assert.match(String(plain.headers['content-type']), /version=0\.0\.4/);
    assert.doesNotMatch(await plain.body.text(), /node_load1|vllm:/);
    assert.deepEqual(host.server.unexpected, []);
  } finally {
    await host.close();
  }
});
