// One GetMetricData request sequence (NextToken followed), counted under cloudwatch:GetMetricData.

import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { CollectContext } from '../../core/source.ts';
import type { TimeWindow } from '../../core/window.ts';
import { awsCall, type AwsClientPool } from './client.ts';
import type { MetricDataResult } from './map.ts';

/** One GetMetricData page (the fields we read); `Messages` are about the whole operation (caps hit). */
export interface MetricDataPage {
  MetricDataResults?: MetricDataResult[];
  Messages?: Array<{ Code?: string; Value?: string }>;
  NextToken?: string;
}

/** Sends one GetMetricData request sequence, following NextToken; `onPage` gets each page as it comes. */
export async function pagedMetricData(
  context: CollectContext,
  pool: AwsClientPool,
  client: ReturnType<AwsClientPool['cloudWatch']>,
  request: { queries: MetricDataQuery[]; window: TimeWindow },
  onPage: (page: MetricDataPage) => Promise<void>,
): Promise<void> {
  let token: string | undefined;
  do {
    const page = await awsCall(context, 'cloudwatch:GetMetricData', (abortSignal) =>
      client.send(
        new pool.sdk.cloudWatch.GetMetricDataCommand({
          MetricDataQueries: request.queries,
          StartTime: request.window.start,
          EndTime: request.window.end,
          ScanBy: 'TimestampAscending',
          ...(token === undefined ? {} : { NextToken: token }),
        }),
        { abortSignal },
      ),
    );
    await onPage(page);
    token = page.NextToken || undefined;
  } while (token !== undefined);
}
