// The Cloud Monitoring REST seam: `projects.timeSeries.list` (GET /v3/projects/{p}/timeSeries) for one metric type,
// aligned per period, paged by `pageToken`, with 401/403 turned into errors naming roles/monitoring.viewer.

import { CollectorError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http.ts';
import type { TimeWindow } from '../../core/window.ts';
import type { TokenSource } from './auth.ts';
import type { MonitoringListResponse } from './map-metrics.ts';
import type { MonitoringMetricSpec } from './metric-catalog.ts';
import { pagesByToken } from './paging.ts';

/** The public Cloud Monitoring API root. */
export const MONITORING_ENDPOINT = 'https://monitoring.googleapis.com';

/** Cloud Monitoring calls used by the collector. */
export interface MonitoringClient {
  /** Pages of the series of one metric type on gce_instance resources in `window`. */
  timeSeries(projectId: string, spec: MonitoringMetricSpec, window: TimeWindow): AsyncGenerator<MonitoringListResponse>;
}

/** Options of the Monitoring client. */
export interface MonitoringClientOptions {
  provider: string;
  endpoint: string;
  periodSeconds: number;
  pageSize: number;
  token: TokenSource;
}

/** Creates the client; sends nothing until the first page is asked for. */
export function createMonitoringClient(http: HttpClient, options: MonitoringClientOptions): MonitoringClient {
  const { provider, endpoint, periodSeconds, pageSize, token } = options;
  return {
    timeSeries(projectId, spec, window) {
      return pagesByToken<MonitoringListResponse>(http, {
        provider,
        url: `${endpoint}/v3/projects/${encodeURIComponent(projectId)}/timeSeries`,
        query: {
          filter: `metric.type = "${spec.type}" AND resource.type = "gce_instance"`,
          'interval.startTime': window.start.toISOString(),
          'interval.endTime': window.end.toISOString(),
          'aggregation.alignmentPeriod': `${periodSeconds}s`,
          'aggregation.perSeriesAligner': spec.aligner,
          view: 'FULL',
          pageSize,
        },
        token,
        operation: 'monitoring:timeSeries.list',
        subject: `${projectId} ${spec.type}`,
        explain: (error) => explainAuthFailure(error, provider, projectId),
      });
    },
  };
}

/** 401/403 become permanent errors naming the project and the role that grants `monitoring.timeSeries.list`. */
function explainAuthFailure(error: unknown, provider: string, projectId: string): unknown {
  if (!(error instanceof CollectorError) || error.code !== 'AUTH_FAILED') return error;
  const message =
    error.context.status === 401
      ? `${provider} (GCP): Cloud Monitoring rejected the credentials (HTTP 401) for project ${projectId}: check ` +
        'access_token (it expires after about an hour) or credentials_file'
      : `${provider} (GCP): the credentials may not read metrics of project ${projectId} (HTTP 403): grant ` +
        'roles/monitoring.viewer (permission monitoring.timeSeries.list) on the project';
  return new CollectorError('AUTH_FAILED', message, error.context, { cause: error, kind: 'permanent' });
}
