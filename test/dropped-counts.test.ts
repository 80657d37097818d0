// What a run drops is counted on the run, not only logged: NaN/±Inf values (from an exporter's page or from
// the Prometheus API) and exposition lines that do not parse are in the run summary and in
// collection_runs.details.dropped.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { silentLogger } from '../src/core/log.ts';
import { runCycle } from '../src/runtime/cycle.ts';
import { startSimServer, type SimRequest, type SimServer } from '../src/simulator/server.ts';
import { openSqliteSink } from '../src/sinks/sqlite/sink.ts';
import { configFrom, testRegistry } from './service-fixtures.ts';

const PAGE = [
  '# TYPE DCGM_FI_DEV_GPU_UTIL gauge',
  'DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-0",modelName="NVIDIA H100 80GB HBM3"} 50',
  'DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-1",modelName="NVIDIA H100 80GB HBM3"} NaN',
  'DCGM_FI_DEV_GPU_UTIL{gpu="2",UUID="GPU-2",modelName="NVIDIA H100 80GB HBM3"} +Inf',
  'DCGM_FI_DEV_GPU_UTIL{gpu="3" 12',
  'DCGM_FI_DEV_GPU_UTIL{gpu="4",UUID="GPU-4"} not-a-number',
  '',
].join('\n');

let exporter: SimServer;
let prometheus: SimServer;

before(async () => {
  exporter = await startSimServer({
    name: 'exporter',
    routes: [
      { method: 'GET', path: '/metrics', handle: () => ({ headers: { 'content-type': 'text/plain' }, body: PAGE }) },
    ],
  });
  const answer = (request: SimRequest) => {
    const query = request.query.get('query') ?? '';
    const now = Number(request.query.get('time') ?? request.query.get('end'));
    const result = query.startsWith('up')
      ? [{ metric: { __name__: 'up', instance: 'host-a:9400', job: 'gpu' }, value: [now, '1'] }]
      : query.startsWith('nan_metric')
        ? [
            { metric: { __name__: 'nan_metric', a: '0' }, value: [now, 'NaN'] },
            { metric: { __name__: 'nan_metric', a: '1' }, value: [now, '-Inf'] },
            { metric: { __name__: 'nan_metric', a: '2' }, value: [now, '2'] },
          ]
        : [];
    return { body: { status: 'success', data: { resultType: 'vector', result } } };
  };
  prometheus = await startSimServer({
    name: 'prometheus',
    routes: [
      { method: 'GET', path: '/api/v1/query', handle: answer },
      { method: 'GET', path: '/api/v1/query_range', handle: answer },
    ],
  });
});
after(async () => {
  await exporter.close();
  await prometheus.close();
});

test('NaN/Inf values dropped and exposition lines skipped are counted on the run', async () => {
  const config = configFrom({
    storage: { url: 'sqlite::memory:' },
    providers: {
      scraped: { enabled: true, collector_type: 'generic', dcgm: true, scrape_targets: [`${exporter.url}/metrics`] },
      queried: {
        enabled: true,
        collector_type: 'generic',
        prometheus_url: prometheus.url,
        dcgm: false,
        node_exporter: false,
        vllm: false,
        metrics: ['nan_metric'],
      },
    },
  });
  const sink = openSqliteSink(':memory:');
  try {
    const summaries = await runCycle({ config, registry: testRegistry(), sink, log: silentLogger() });
    const byName = new Map(summaries.map((summary) => [summary.provider, summary]));
    assert.equal(byName.get('scraped')?.metrics, 1, JSON.stringify(byName.get('scraped')));
    assert.deepEqual(byName.get('scraped')?.dropped, { non_finite_values: 2, invalid_lines: 2 });
    assert.equal(byName.get('queried')?.metrics, 1, JSON.stringify(byName.get('queried')));
    assert.deepEqual(byName.get('queried')?.dropped, { non_finite_values: 2 });
    for (const provider of ['scraped', 'queried']) {
      const [run] = await sink.listRuns({ provider });
      assert.deepEqual(run?.details.dropped, byName.get(provider)?.dropped, provider);
    }
  } finally {
    await sink.close();
  }
});
