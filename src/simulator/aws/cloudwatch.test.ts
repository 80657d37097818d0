// The simulated CloudWatch enforces what the real API does (rules and sources: src/sources/aws/README.md,
// Simulator), checked through the real @aws-sdk/client-cloudwatch over HTTP.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { startAwsSimulator, type AwsSimulator } from './server.ts';
import { PAYER_ACCESS_KEY, PAYER_SECRET_KEY } from './world.ts';

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

  it('rejects an unquoted namespace with a slash and accepts any double-quoted name', async () => {
    await assert.rejects(insights('SELECT AVG(CPUUtilization) FROM AWS/EC2'), /unexpected character/);
    const result = await insights('SELECT AVG("nvidia_smi_utilization_gpu") FROM "CWAgent" WHERE "index" = \'7\'');
    assert.equal(result.MetricDataResults?.length, 1, 'no GROUP BY: one aggregated series');
  });
});
