// One behavioural suite for the read side every storage engine passes (STYLE habit 7): the same stored
// data gives the same StoreQueries results and runs on every engine — exact per-currency cost totals for each
// group_by, inventory, metric samples and the latest point per series, recent runs, interrupted-run marking.
// Expected values come from a reference model in plain TypeScript, never from one of the engines.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  COST_GROUP_BY,
  sortedKeys,
  sumCostLines,
  type CostGroupBy,
  type CostQuery,
  type CostTotal,
} from '../../src/core/queries.ts';
import type { CollectionRun, CostRecord, MetricSample, ResourceRecord } from '../../src/core/model.ts';
import type { GpuCounts } from '../../src/core/gpu-count.ts';
import { INTERRUPTED_RUN_ERROR, type Sink } from '../../src/core/sink.ts';
import { conformanceCostRow, conformanceResource } from './sink-conformance.ts';
import { seriesKey } from '../../src/sinks/schema.ts';

/** One store under test: a fresh, empty sink with read queries. */
export interface QueryHarness {
  sink: Sink;
  /** Closes the sink and drops the store. */
  dispose(): Promise<void>;
}

/** The data every engine is loaded with. Amounts are chosen so a float sum would be inexact. */
export interface QueryDataset {
  costs: CostRecord[];
  resources: ResourceRecord[];
  samples: MetricSample[];
  runs: CollectionRun[];
}

const cost = (overrides: Partial<CostRecord>): CostRecord =>
  conformanceCostRow({ tags: null, x_row_key: '', ...overrides });

/** The shared dataset: two providers, two currencies, a month boundary, empty columns, credits, byte-order traps. */
export function queryDataset(): QueryDataset {
  const costs: CostRecord[] = [
    cost({
      resource_id: 'i-1',
      billed_cost: '0.1',
      effective_cost: '0.10',
      list_cost: '0.15',
      charge_period_start: '2026-10-31T00:00:00Z',
      charge_period_end: '2026-11-01T00:00:00Z',
    }),
    cost({
      resource_id: 'i-1',
      billed_cost: '0.2',
      effective_cost: '0.20',
      list_cost: '0.25',
      charge_period_start: '2026-11-01T00:00:00Z',
      charge_period_end: '2026-11-02T00:00:00Z',
    }),
    cost({
      resource_id: 'i-2',
      x_gpu_model: 'A100-80GB',
      billed_cost: '1234567890.123456789',
      effective_cost: '1234567890.12',
      list_cost: '1300000000',
      region_id: 'ams',
      charge_period_start: '2026-11-01T00:00:00Z',
      charge_period_end: '2026-11-02T00:00:00Z',
    }),
    cost({
      resource_id: 'i-2',
      x_gpu_model: 'A100-80GB',
      billed_cost: '13.00',
      effective_cost: '13.000',
      list_cost: '13',
      region_id: 'ams',
      charge_period_start: '2026-11-02T23:00:00Z',
      charge_period_end: '2026-11-03T00:00:00Z',
    }),
    cost({
      resource_id: null,
      resource_name: null,
      resource_type: null,
      x_gpu_model: null,
      billed_cost: '-250',
      effective_cost: '-250',
      list_cost: '0',
      charge_category: 'Credit',
      service_name: 'Credits',
      service_category: 'Other',
      region_id: null,
      charge_period_start: '2026-11-02T00:00:00Z',
      charge_period_end: '2026-11-03T00:00:00Z',
    }),
    cost({
      resource_id: 'i-1',
      x_row_key: 'tax',
      billed_cost: '0.000000001',
      effective_cost: '0.000000001',
      list_cost: '0.000000001',
      charge_category: 'Tax',
      charge_period_start: '2026-11-02T00:00:00Z',
      charge_period_end: '2026-11-03T00:00:00Z',
    }),
    cost({
      resource_id: 'i-9',
      billed_cost: '7.77',
      effective_cost: '7.77',
      list_cost: '7.77',
      charge_period_start: '2026-12-01T00:00:00Z',
      charge_period_end: '2026-12-02T00:00:00Z',
      billing_period_start: '2026-12-01T00:00:00Z',
      billing_period_end: '2027-01-01T00:00:00Z',
    }),
    cost({
      provider: 'other',
      billing_account_id: 'acct-eu',
      billing_currency: 'EUR',
      x_gpu_model: null,
      resource_id: 'Z-upper',
      service_name: 'Storage',
      region_id: 'fra',
      billed_cost: '0.3',
      effective_cost: '0.3',
      list_cost: '0.3',
      charge_period_start: '2026-11-01T00:00:00Z',
      charge_period_end: '2026-11-02T00:00:00Z',
    }),
    cost({
      provider: 'other',
      billing_account_id: 'acct-eu',
      billing_currency: 'EUR',
      resource_id: 'a-lower',
      service_name: 'Storage',
      region_id: 'fra',
      billed_cost: '99999999999999.99',
      effective_cost: '0.01',
      list_cost: '1e2',
      charge_period_start: '2026-11-02T00:00:00Z',
      charge_period_end: '2026-11-03T00:00:00Z',
    }),
    cost({
      provider: 'other',
      billing_account_id: 'acct-us',
      billing_currency: 'USD',
      resource_id: 'é-accent',
      service_name: 'Storage',
      region_id: '',
      billed_cost: '5',
      effective_cost: '5',
      list_cost: '5',
      charge_period_start: '2026-11-02T00:00:00Z',
      charge_period_end: '2026-11-03T00:00:00Z',
    }),
  ];
  const resources: ResourceRecord[] = [
    conformanceResource({
      resource_id: 'i-2',
      tags: { zeta: '1', alpha: '2', mid: 'three' },
      first_seen_at: '2026-11-01T00:00:00Z',
    }),
    conformanceResource({
      resource_id: 'i-1',
      gpu_model: null,
      gpu_count: null,
      price_per_hour: '0.000001',
      status: null,
    }),
    conformanceResource({
      resource_id: 'i-10',
      resource_type: 'volume',
      instance_type: null,
      vcpus: null,
      memory_bytes: null,
      price_per_hour: null,
      currency: null,
      tags: {},
    }),
    conformanceResource({ provider: 'other', resource_id: 'Z-upper', region_id: 'fra', resource_type: 'bucket' }),
    conformanceResource({
      provider: 'other',
      resource_id: 'a-lower',
      region_id: null,
      resource_name: null,
      resource_type: 'bucket',
    }),
    conformanceResource({
      provider: 'other',
      resource_id: 'é-accent',
      resource_type: 'bucket',
      tags: { 'b.c': 'd', a: 'quote "x" \\ y' },
    }),
  ];
  const sample = (
    ts: string,
    provider: string,
    name: string,
    resourceId: string | null,
    labels: Record<string, string>,
    value: number,
  ): MetricSample => ({
    ts,
    provider,
    name,
    category: name.startsWith('hw.gpu') ? 'gpu' : 'resource',
    value,
    unit: '1',
    resource_id: resourceId,
    labels,
  });
  const samples: MetricSample[] = [];
  for (const [index, ts] of [
    '2026-11-26T10:00:00.000Z',
    '2026-11-26T10:05:00.000Z',
    '2026-11-26T10:10:00.250Z',
  ].entries()) {
    // Series written in an order unlike their keys' order, so ties at one instant show the engine's order.
    samples.push(sample(ts, 'acme', 'hw.gpu.utilization', 'GPU-1', { gpu: '1', Hostname: 'h1' }, 0.1 * (index + 1)));
    samples.push(sample(ts, 'acme', 'hw.gpu.utilization', 'GPU-0', { Hostname: 'h1', gpu: '0' }, 0.7 + index));
    if (index < 2)
      samples.push(sample(ts, 'other', 'hw.gpu.utilization', 'GPU-0', { gpu: '0' }, index === 0 ? Number.NaN : 1e-300));
    samples.push(sample(ts, 'acme', 'system.cpu.utilization', null, { host: 'é', cpu: 'B' }, 1 / 3 + index));
    samples.push(sample(ts, 'acme', 'system.cpu.utilization', null, { host: 'é', cpu: 'a' }, -0.5 * index - 0.25));
  }
  samples.push(
    sample('2026-11-25T00:00:00.000Z', 'acme', 'hw.gpu.memory.usage', 'GPU-0', { gpu: '0' }, 81_920_000_000),
  );
  const run = (
    id: string,
    provider: string,
    startedAt: string,
    overrides: Partial<CollectionRun> = {},
  ): CollectionRun => ({
    id,
    provider,
    started_at: startedAt,
    finished_at: null,
    status: 'running',
    costs: 0,
    resources: 0,
    metrics: 0,
    error: null,
    details: { errors: [], calls: {} },
    ...overrides,
  });
  const runs: CollectionRun[] = [
    run('b-run', 'acme', '2026-11-26T10:00:00.000Z', {
      finished_at: '2026-11-26T10:00:03.500Z',
      status: 'ok',
      costs: 7,
      resources: 3,
      metrics: 12,
      details: {
        errors: [],
        calls: { 'GET /v1/instances': 2 },
        window: { start: '2026-11-01T00:00:00Z', end: '2026-11-27T00:00:00Z' },
      },
    }),
    run('a-run', 'other', '2026-11-26T10:00:01.000Z', {
      finished_at: '2026-11-26T10:00:02.000Z',
      status: 'partial',
      costs: 3,
      error: 'NETWORK: refused',
      details: { errors: [{ code: 'NETWORK', message: 'refused' }], calls: {} },
    }),
    run('c-run', 'acme', '2026-11-26T10:05:00.000Z', {
      finished_at: '2026-11-26T10:05:01.000Z',
      status: 'failed',
      error: 'AUTH_FAILED: 401',
      details: { errors: [{ code: 'AUTH_FAILED', message: '401' }], calls: { 'GET /v1/instances': 1 } },
    }),
  ];
  return { costs, resources, samples, runs };
}

/** Writes the dataset through the sink's ordinary write path (several batches, as collection does). */
export async function loadQueryDataset(sink: Sink, dataset: QueryDataset = queryDataset()): Promise<void> {
  await sink.writeCosts(dataset.costs.slice(0, 5));
  await sink.writeCosts(dataset.costs.slice(5));
  await sink.writeResources(dataset.resources);
  for (const ts of [...new Set(dataset.samples.map((sample) => sample.ts))])
    await sink.writeMetrics(dataset.samples.filter((sample) => sample.ts === ts));
  for (const run of dataset.runs) await sink.saveRun(run);
}

/** The reference model: what every engine must answer for a cost query. */
export function expectedCostTotals(costs: readonly CostRecord[], query: CostQuery): CostTotal[] {
  const key = (row: CostRecord): string | null => {
    const value = {
      provider: row.provider,
      service: row.service_name,
      region: row.region_id,
      resource: row.resource_id,
      day: row.charge_period_start.slice(0, 10),
      gpu_model: row.x_gpu_model,
    }[query.groupBy];
    return value ?? null;
  };
  return sumCostLines(
    costs
      .filter(
        (row) =>
          row.charge_period_start >= query.from &&
          row.charge_period_start < query.to &&
          (query.provider === undefined || row.provider === query.provider),
      )
      .map((row) => ({
        key: key(row),
        currency: row.billing_currency,
        billed_cost: row.billed_cost,
        effective_cost: row.effective_cost,
        list_cost: row.list_cost,
      })),
  );
}

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const byteOrder = (a: string, b: string): number => Buffer.compare(bytes(a), bytes(b));
const seriesOf = (sample: MetricSample): string =>
  seriesKey(sample.provider, sample.name, sample.resource_id, sample.labels);
const stored = (sample: MetricSample): MetricSample => ({ ...sample, labels: sortedKeys(sample.labels) });

/** Registers the read-side conformance tests for one engine; `open` gives a fresh, empty store each time. */
export function runQueryConformance(engine: string, open: () => Promise<QueryHarness>): void {
  const withData = (name: string, body: (sink: Sink, data: QueryDataset) => Promise<void>): void => {
    test(name, async () => {
      const harness = await open();
      try {
        const data = queryDataset();
        await loadQueryDataset(harness.sink, data);
        await body(harness.sink, data);
      } finally {
        await harness.dispose();
      }
    });
  };
  const queriesOf = (sink: Sink) => {
    assert.equal(typeof sink.queries, 'function', `${engine} has read queries`);
    return (sink.queries as NonNullable<Sink['queries']>).call(sink);
  };

  describe(`query conformance: ${engine}`, () => {
    withData(
      'cost totals for every group_by: exact per-currency decimals, null keys last, byte order, [from, to)',
      async (sink, data) => {
        const queries = queriesOf(sink);
        const ranges: Array<Pick<CostQuery, 'from' | 'to' | 'provider'>> = [
          { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' },
          { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' },
          { from: '2026-11-02T00:00:00Z', to: '2026-11-02T23:00:00Z', provider: 'acme' },
          { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', provider: 'other' },
          { from: '2027-01-01T00:00:00Z', to: '2027-02-01T00:00:00Z' },
        ];
        for (const range of ranges) {
          for (const groupBy of COST_GROUP_BY as readonly CostGroupBy[]) {
            const query: CostQuery = { ...range, groupBy };
            assert.deepEqual(
              await queries.costTotals(query),
              expectedCostTotals(data.costs, query),
              JSON.stringify(query),
            );
          }
        }
        // A few literal answers, so the reference model itself is checked.
        assert.deepEqual(
          await queries.costTotals({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', groupBy: 'provider' }),
          [
            {
              key: 'acme',
              currency: 'USD',
              billed_cost: '1234567653.32345679',
              effective_cost: '1234567653.320000001',
              list_cost: '1300000013.250000001',
              rows: 5,
            },
            {
              key: 'other',
              currency: 'EUR',
              billed_cost: '100000000000000.29',
              effective_cost: '0.31',
              list_cost: '100.3',
              rows: 2,
            },
            { key: 'other', currency: 'USD', billed_cost: '5', effective_cost: '5', list_cost: '5', rows: 1 },
          ],
        );
        assert.deepEqual(
          (
            await queries.costTotals({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', groupBy: 'region' })
          ).map((total) => [total.key, total.currency]),
          [
            ['', 'USD'],
            ['ams', 'USD'],
            ['ewr', 'USD'],
            ['fra', 'EUR'],
            [null, 'USD'],
          ],
        );
        assert.deepEqual(
          (
            await queries.costTotals({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', groupBy: 'resource' })
          ).map((total) => total.key),
          ['Z-upper', 'a-lower', 'i-1', 'i-2', 'é-accent', null],
        );
        assert.deepEqual(
          (
            await queries.costTotals({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', groupBy: 'gpu_model' })
          ).map((total) => [total.key, total.currency, total.billed_cost]),
          [
            ['A100-80GB', 'USD', '1234567903.123456789'],
            ['H100', 'EUR', '99999999999999.99'],
            ['H100', 'USD', '5.200000001'],
            [null, 'EUR', '0.3'],
            [null, 'USD', '-250'],
          ],
          'GPU cost by canonical model across providers',
        );
        assert.deepEqual(
          (
            await queries.costTotals({
              from: '2000-01-01T00:00:00Z',
              to: '2100-01-01T00:00:00Z',
              groupBy: 'day',
              provider: 'acme',
            })
          ).map((total) => [total.key, total.billed_cost]),
          [
            ['2026-10-31', '0.1'],
            ['2026-11-01', '1234567890.323456789'],
            ['2026-11-02', '-236.999999999'],
            ['2026-12-01', '7.77'],
          ],
        );
      },
    );

    withData('resources: every column, tags with sorted keys, filters, byte order, limit', async (sink, data) => {
      const queries = queriesOf(sink);
      const expected = (filter: (row: ResourceRecord) => boolean, limit = 100): ResourceRecord[] =>
        data.resources
          .filter(filter)
          .map((row) => ({
            ...row,
            gpu_model_raw: row.gpu_model_raw ?? null,
            parent_resource_id: row.parent_resource_id ?? null,
            first_seen_at: row.first_seen_at ?? row.last_seen_at,
            tags: row.tags === null ? null : sortedKeys(row.tags),
          }))
          .sort((a, b) => byteOrder(a.provider, b.provider) || byteOrder(a.resource_id, b.resource_id))
          .slice(0, limit);
      const all = await queries.resources({ limit: 100 });
      assert.deepEqual(
        all,
        expected(() => true),
      );
      assert.deepEqual(
        all.map((row) => `${row.provider}/${row.resource_id}`),
        ['acme/i-1', 'acme/i-10', 'acme/i-2', 'other/Z-upper', 'other/a-lower', 'other/é-accent'],
      );
      assert.deepEqual(
        Object.keys(all[2]?.tags ?? {}),
        ['alpha', 'mid', 'zeta'],
        'tag keys in code-unit order on every engine',
      );
      assert.deepEqual(
        await queries.resources({ provider: 'other', limit: 100 }),
        expected((row) => row.provider === 'other'),
      );
      assert.deepEqual(
        await queries.resources({ type: 'bucket', limit: 2 }),
        expected((row) => row.resource_type === 'bucket', 2),
      );
      assert.deepEqual(
        await queries.resources({ provider: 'acme', type: 'volume', limit: 10 }),
        expected((row) => row.provider === 'acme' && row.resource_type === 'volume'),
      );
      assert.deepEqual(await queries.resources({ provider: 'nobody', limit: 10 }), []);
    });

    withData(
      'metric samples: time order, ties by series key, filters on name/provider/[from, to), limit, NaN kept',
      async (sink, data) => {
        const queries = queriesOf(sink);
        const expected = (filter: (sample: MetricSample) => boolean, limit: number): MetricSample[] =>
          data.samples
            .filter(filter)
            .sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts) || byteOrder(seriesOf(a), seriesOf(b)))
            .slice(0, limit)
            .map(stored);
        assert.deepEqual(
          await queries.metrics({ limit: 1000 }),
          expected(() => true, 1000),
        );
        assert.deepEqual(
          await queries.metrics({ limit: 7 }),
          expected(() => true, 7),
        );
        assert.deepEqual(
          await queries.metrics({ name: 'hw.gpu.utilization', limit: 1000 }),
          expected((sample) => sample.name === 'hw.gpu.utilization', 1000),
        );
        assert.deepEqual(
          await queries.metrics({ provider: 'other', limit: 1000 }),
          expected((sample) => sample.provider === 'other', 1000),
        );
        const from = Date.parse('2026-11-26T10:05:00.000Z');
        const to = Date.parse('2026-11-26T10:10:00.250Z');
        assert.deepEqual(
          await queries.metrics({ name: 'system.cpu.utilization', provider: 'acme', from, to, limit: 1000 }),
          expected(
            (sample) =>
              sample.name === 'system.cpu.utilization' &&
              sample.provider === 'acme' &&
              Date.parse(sample.ts) >= from &&
              Date.parse(sample.ts) < to,
            1000,
          ),
        );
        const withNaN = await queries.metrics({ provider: 'other', limit: 1 });
        assert.ok(Number.isNaN(withNaN[0]?.value), 'a NaN comes back as NaN');
      },
    );

    withData(
      'latest samples: the newest point up to `until` of every series at or after `since`, by name then series key',
      async (sink, data) => {
        const queries = queriesOf(sink);
        const expected = (since: number, until = Number.POSITIVE_INFINITY): MetricSample[] => {
          const newest = new Map<string, MetricSample>();
          for (const sample of data.samples) {
            if (Date.parse(sample.ts) > until) continue;
            const key = seriesOf(sample);
            const previous = newest.get(key);
            if (!previous || Date.parse(sample.ts) > Date.parse(previous.ts)) newest.set(key, sample);
          }
          return [...newest.values()]
            .filter((sample) => Date.parse(sample.ts) >= since)
            .sort((a, b) => byteOrder(a.name, b.name) || byteOrder(seriesOf(a), seriesOf(b)))
            .map(stored);
        };
        for (const since of [
          0,
          Date.parse('2026-11-26T10:05:00.000Z'),
          Date.parse('2026-11-26T10:10:00.000Z'),
          Date.parse('2027-01-01T00:00:00Z'),
        ]) {
          assert.deepEqual(await queries.latestSamples(since), expected(since), new Date(since).toISOString());
        }
        assert.equal((await queries.latestSamples(0)).length, 6);
        // A bound on the newest point: a point after `until` (from the future) is never the latest.
        for (const until of [Date.parse('2026-11-26T10:05:00.000Z'), Date.parse('2026-11-26T10:07:00.000Z')])
          assert.deepEqual(await queries.latestSamples(0, until), expected(0, until), new Date(until).toISOString());
      },
    );

    test('GPU counts: each physical GPU once (parents, pods on nodes, UUIDs seen twice), exact shares', async () => {
      const harness = await open();
      try {
        await harness.sink.writeResources(gpuDataset());
        const queries = queriesOf(harness.sink);
        assert.deepEqual(await queries.gpuCounts({}), EXPECTED_GPU_COUNTS);
        const other = await queries.gpuCounts({ provider: 'other' });
        assert.deepEqual(
          [other.models.map((model) => [model.gpu_model, model.gpus]), other.total, other.shared],
          [
            [
              ['H100-SXM5-80GB', '1'],
              ['L4', '4'],
              ['Future GPU 9000', '1'],
            ],
            '6',
            '0',
          ],
          'one provider alone: what it sees is what it counts',
        );
        assert.deepEqual(await queries.gpuCounts({ provider: 'nobody' }), { models: [], total: '0', shared: '0' });
      } finally {
        await harness.dispose();
      }
    });

    withData('runs: newest first, provider filter, limit, every field as saved', async (sink, data) => {
      const newestFirst = [...data.runs].sort((a, b) => (a.started_at < b.started_at ? 1 : -1));
      assert.deepEqual(await sink.listRuns(), newestFirst);
      assert.deepEqual(
        await sink.listRuns({ provider: 'acme', limit: 1 }),
        newestFirst.filter((run) => run.provider === 'acme').slice(0, 1),
      );
      assert.deepEqual(await sink.listRuns({ provider: 'nobody' }), []);
    });

    withData(
      'interrupted runs: `running` rows started before the cut-off become failed with CANCELLED; later and finished ones are untouched',
      async (sink, data) => {
        const cutoff = new Date('2026-11-26T11:00:00.000Z');
        const stale = {
          ...(data.runs[0] as CollectionRun),
          id: 'stale',
          started_at: '2026-11-26T10:30:00.000Z',
          finished_at: null,
          status: 'running' as const,
          costs: 4,
          error: null,
          details: { errors: [{ code: 'RATE_LIMITED', message: 'slow down' }], calls: { 'GET /x': 1 } },
        };
        const bare = {
          ...stale,
          id: 'bare',
          provider: 'other',
          started_at: '2026-11-26T10:31:00.000Z',
          details: { errors: [], calls: {} },
        };
        const current = {
          ...stale,
          id: 'current',
          started_at: '2026-11-26T11:00:00.000Z',
          details: { errors: [], calls: {} },
        };
        for (const run of [stale, bare, current]) await sink.saveRun(run);
        assert.equal(await sink.markInterruptedRuns(cutoff), 2);
        assert.equal(await sink.markInterruptedRuns(cutoff), 0, 'marking twice changes nothing');
        const byId = new Map((await sink.listRuns({ limit: 100 })).map((run) => [run.id, run]));
        const message = `${INTERRUPTED_RUN_ERROR.code}: ${INTERRUPTED_RUN_ERROR.message}`;
        assert.deepEqual(byId.get('stale'), {
          ...stale,
          status: 'failed',
          finished_at: cutoff.toISOString(),
          error: message,
          details: { ...stale.details, errors: [...stale.details.errors, { ...INTERRUPTED_RUN_ERROR }] },
        });
        assert.deepEqual(byId.get('bare'), {
          ...bare,
          status: 'failed',
          finished_at: cutoff.toISOString(),
          error: message,
          details: { errors: [{ ...INTERRUPTED_RUN_ERROR }], calls: {} },
        });
        assert.deepEqual(byId.get('current'), current);
        for (const run of data.runs) assert.deepEqual(byId.get(run.id), run, `${run.id} (finished) is untouched`);
      },
    );
  });
}

/** Inventory describing the same GPUs several times, each case a rule of countGpus (src/core/gpu-count.ts). */
export function gpuDataset(): ResourceRecord[] {
  const row = (
    provider: string,
    id: string,
    type: string,
    model: string | null,
    count: number | null,
    parent: string | null = null,
  ): ResourceRecord =>
    conformanceResource({
      provider,
      resource_id: id,
      resource_type: type,
      gpu_model: model,
      gpu_model_raw: model,
      gpu_count: count,
      parent_resource_id: parent,
    });
  return [
    row('acme', 'i-2', 'instance', 'H100-SXM5-80GB', 8),
    // DCGM GPUs of i-2: i-2 counts them.
    row('acme', 'GPU-a', 'gpu', 'H100-SXM5-80GB', 1, 'i-2'),
    row('acme', 'GPU-b', 'gpu', 'H100-SXM5-80GB', 1, 'i-2'),
    row('acme', 'GPU-d', 'gpu', 'L4', 1),
    row('acme', 'node-1', 'gpu_node', 'A100-SXM4-80GB', 8),
    // A pod using 3 of node-1's GPUs.
    row('acme', 'training/pod-1', 'pod', 'A100-SXM4-80GB', 3, 'node-1'),
    row('acme', 'cpu-node', 'node', null, 0),
    // Shares of one GPU add up exactly.
    row('acme', 'vm-slice', 'instance', 'A100-80GB', 0.05),
    row('acme', 'vm-slice-2', 'instance', 'A100-80GB', 0.1667),
    // GPU-a again, by another provider that does not know its host: counted there, not again in the total.
    row('other', 'GPU-a', 'gpu', 'H100-SXM5-80GB', 1, 'host:h1'),
    // GPU-d again, a root in both: once in the total.
    row('other', 'GPU-d', 'gpu', 'L4', 1, 'host:h1'),
    row('other', 'GPU-c', 'gpu', 'Future GPU 9000', 1),
    // A parent that states no GPUs does not count them: its GPU does.
    row('other', 'host:h2', 'host', null, null),
    row('other', 'GPU-e', 'gpu', 'L4', 1, 'host:h2'),
    // A pod whose node is not stored is all that describes its GPUs.
    row('other', 'ns/pod-x', 'pod', 'L4', 2, 'node-gone'),
  ];
}

/** What every engine answers for gpuDataset(), worked out by hand from the rules above. */
export const EXPECTED_GPU_COUNTS: GpuCounts = {
  models: [
    {
      gpu_model: 'A100-80GB',
      known: true,
      vendor: 'NVIDIA',
      family: 'A100',
      memory_gb: 80,
      form_factor: null,
      gpus: '0.2167',
      providers: [{ provider: 'acme', gpus: '0.2167', resources: 2, covered: 0 }],
    },
    {
      gpu_model: 'A100-SXM4-80GB',
      known: true,
      vendor: 'NVIDIA',
      family: 'A100',
      memory_gb: 80,
      form_factor: 'SXM4',
      gpus: '8',
      providers: [{ provider: 'acme', gpus: '8', resources: 1, covered: 1 }],
    },
    {
      gpu_model: 'H100-SXM5-80GB',
      known: true,
      vendor: 'NVIDIA',
      family: 'H100',
      memory_gb: 80,
      form_factor: 'SXM5',
      gpus: '8',
      providers: [
        { provider: 'acme', gpus: '8', resources: 1, covered: 2 },
        { provider: 'other', gpus: '1', resources: 1, covered: 0 },
      ],
    },
    {
      gpu_model: 'L4',
      known: true,
      vendor: 'NVIDIA',
      family: 'L4',
      memory_gb: 24,
      form_factor: 'PCIe',
      gpus: '4',
      providers: [
        { provider: 'acme', gpus: '1', resources: 1, covered: 0 },
        { provider: 'other', gpus: '4', resources: 3, covered: 0 },
      ],
    },
    {
      gpu_model: 'Future GPU 9000',
      known: false,
      vendor: null,
      family: null,
      memory_gb: null,
      form_factor: null,
      gpus: '1',
      providers: [{ provider: 'other', gpus: '1', resources: 1, covered: 0 }],
    },
  ],
  total: '21.2167',
  shared: '2',
};
