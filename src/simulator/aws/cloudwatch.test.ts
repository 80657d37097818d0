// The simulated CloudWatch enforces what the real API does (rules and sources: src/sources/aws/README.md,
// Simulator), checked through the real @aws-sdk/client-cloudwatch over HTTP.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { startAwsSimulator, type AwsSimulator } from './server.ts';
import { PAYER_ACCESS_KEY, PAYER_SECRET_KEY, simFleet } from './world.ts';

describe('simulated CloudWatch GetMetricData', () => {
  let simulator: AwsSimulator;
  let client: CloudWatchClient;
  const end = new Date(Math.floor(Date.now() / 300_000) * 300_000);
  const start = new Date(end.getTime() - 30 * 60_000);

  before(async () => {
    simulator = await startAwsSimulator({ seed: 3, metricResultsPerPage: 1000 });
    client = new CloudWatchClient({
      region: 'us-east-1',
      endpoint: simulator.url,
      credentials: { accessKeyId: PAYER_ACCESS_KEY, secretAccessKey: PAYER_SECRET_KEY },
      maxAttempts: 1,
    });
  });
  after(async () => {
    client.destroy();
    await simulator.close();
  });

  const insights = (expression: string, extra: Partial<MetricDataQuery> = {}) =>
    client.send(
      new GetMetricDataCommand({
        MetricDataQueries: [{ Id: 'q', Expression: expression, Period: 300, ...extra }],
        StartTime: start,
        EndTime: end,
      }),
    );

  it('rejects an unquoted reserved keyword (index) with a 400 ValidationError, in any letter case', async () => {
    for (const expression of [
      'SELECT AVG(nvidia_smi_utilization_gpu) FROM CWAgent GROUP BY InstanceId, index',
      "SELECT AVG(nvidia_smi_utilization_gpu) FROM CWAgent WHERE Index = '0'",
    ]) {
      await assert.rejects(insights(expression), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'ValidationException');
        assert.equal(error.$metadata?.httpStatusCode, 400);
        assert.match(error.message, /reserved keyword/);
        return true;
      });
    }
    const quoted = await insights('SELECT AVG(nvidia_smi_utilization_gpu) FROM CWAgent GROUP BY InstanceId, "index"');
    // p4d (8 GPUs) and p5 (8 GPUs) run the agent in us-east-1; each instance's aggregated metric is Other.
    assert.equal(quoted.MetricDataResults?.length, 16 + 2);
  });

  it('groups metrics without a GROUP BY key as Other; expands dynamic labels; default labels are the group values', async () => {
    const query = 'SELECT AVG(nvidia_smi_utilization_gpu) FROM CWAgent GROUP BY InstanceId, "index"';
    const plain = await insights(query);
    const labels = (plain.MetricDataResults ?? []).map((result) => result.Label);
    assert.ok(labels.includes('i-00000000000000001 Other'));
    assert.ok(labels.includes('i-00000000000000002 7'));
    const labelled = await insights(query, { Label: "${PROP('Dim.InstanceId')}/gpu${PROP('Dim.index')}" });
    const expanded = (labelled.MetricDataResults ?? []).map((result) => result.Label);
    assert.ok(expanded.includes('i-00000000000000001/gpuOther'));
    assert.ok(expanded.includes('i-00000000000000002/gpu7'));
    // A name that is not a group key expands to the value its metrics share.
    const byIndex = await insights(
      'SELECT MAX(nvidia_smi_power_draw) FROM CWAgent WHERE "index" = \'2\' GROUP BY InstanceId',
      {
        Label: "${PROP('Dim.InstanceId')} ${PROP('Dim.index')} ${PROP('MetricName')}",
      },
    );
    assert.deepEqual(
      (byIndex.MetricDataResults ?? []).map((result) => result.Label),
      ['i-00000000000000001 2 nvidia_smi_power_draw', 'i-00000000000000002 2 nvidia_smi_power_draw'],
    );
  });

  it('rejects a period that is not a multiple of 60 s (standard-resolution metrics) with a 400 ValidationError', async () => {
    await assert.rejects(
      insights('SELECT AVG(nvidia_smi_utilization_gpu) FROM CWAgent', { Period: 90 }),
      (error: Error) => error.name === 'ValidationException' && /multiple of 60/.test(error.message),
    );
    const metricStat = (period: number) =>
      client.send(
        new GetMetricDataCommand({
          MetricDataQueries: [
            {
              Id: 'cpu',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/EC2',
                  MetricName: 'CPUUtilization',
                  Dimensions: [{ Name: 'InstanceId', Value: 'i-00000000000000001' }],
                },
                Period: period,
                Stat: 'Average',
              },
            },
          ],
          StartTime: start,
          EndTime: end,
        }),
      );
    await assert.rejects(metricStat(30), /MetricStat.Period must be a multiple of 60/);
    assert.equal((await metricStat(120)).MetricDataResults?.[0]?.Values?.length, 15);
  });

  it('rejects an unquoted namespace with a slash and accepts any double-quoted name', async () => {
    await assert.rejects(insights('SELECT AVG(CPUUtilization) FROM AWS/EC2'), /unexpected character/);
    const result = await insights('SELECT AVG("nvidia_smi_utilization_gpu") FROM "CWAgent" WHERE "index" = \'7\'');
    assert.equal(result.MetricDataResults?.length, 1, 'no GROUP BY: one aggregated series');
  });

  it('returns at most 500 series: without ORDER BY an arbitrary 500 (not the first in order), with a message', async () => {
    const big = await startAwsSimulator({
      seed: 5,
      metricResultsPerPage: 1000,
      extraInstances: simFleet({
        count: 70,
        account: '111111111111',
        region: 'us-east-1',
        type: 'p5.48xlarge',
        firstIndex: 500,
      }),
    });
    const bigClient = new CloudWatchClient({
      region: 'us-east-1',
      endpoint: big.url,
      credentials: { accessKeyId: PAYER_ACCESS_KEY, secretAccessKey: PAYER_SECRET_KEY },
      maxAttempts: 1,
    });
    const run = (expression: string) =>
      bigClient.send(
        new GetMetricDataCommand({
          MetricDataQueries: [{ Id: 'q', Expression: expression, Period: 300 }],
          StartTime: start,
          EndTime: end,
        }),
      );
    try {
      const query = 'SELECT AVG(nvidia_smi_utilization_gpu) FROM CWAgent GROUP BY InstanceId, "index"';
      // 72 instances x 8 GPUs + 72 Other groups = 648 series.
      const capped = await run(query);
      const labels = (capped.MetricDataResults ?? []).map((result) => result.Label ?? '');
      assert.equal(labels.length, 500);
      assert.deepEqual(
        capped.Messages?.map((message) => message.Code),
        ['MaxQueryResultsExceeded'],
      );
      // Every series, from one query per GPU index (72 each): the capped answer is not their first 500.
      const instances = (
        (await run('SELECT AVG(nvidia_smi_utilization_gpu) FROM CWAgent WHERE "index" = \'0\' GROUP BY InstanceId'))
          .MetricDataResults ?? []
      ).map((result) => result.Label ?? '');
      assert.equal(instances.length, 72);
      const everySeries = instances
        .flatMap((id) => [...Array.from({ length: 8 }, (_, index) => `${id} ${index}`), `${id} Other`])
        .sort((left, right) => left.localeCompare(right));
      assert.equal(everySeries.length, 648);
      assert.ok(labels.every((label) => everySeries.includes(label)));
      assert.notDeepEqual(labels, everySeries.slice(0, 500), 'which 500 is arbitrary');
      const ordered = await run(`${query} ORDER BY MAX() DESC`);
      const maxOf = (values: number[] | undefined) => Math.max(...(values ?? []));
      const maxima = (ordered.MetricDataResults ?? []).map((result) => maxOf(result.Values));
      assert.equal(maxima.length, 500);
      assert.deepEqual(
        maxima,
        [...maxima].sort((left, right) => right - left),
      );
      const limited = await run(`${query} LIMIT 10`);
      assert.equal(limited.MetricDataResults?.length, 10);
      assert.deepEqual(limited.Messages, []);
      await assert.rejects(run(`${query} LIMIT 501`), /LIMIT must be between 1 and 500/);
      const perIndex = await run(
        'SELECT AVG(nvidia_smi_utilization_gpu) FROM CWAgent WHERE "index" = \'0\' GROUP BY InstanceId',
      );
      assert.equal(perIndex.MetricDataResults?.length, 72);
      assert.deepEqual(perIndex.Messages, []);
    } finally {
      bigClient.destroy();
      await big.close();
    }
  });
});
