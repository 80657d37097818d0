// The Compute Engine v1 REST wire format as the simulator writes it (its own types, from the REST reference
// https://cloud.google.com/compute/docs/reference/rest/v1/instances/aggregatedList and the discovery document
// https://compute.googleapis.com/discovery/v1/apis/compute/v1/rest; see src/sources/gcp/README.md "Simulator").

/** `guestAccelerators[]` of an instance. */
export interface WireAcceleratorConfig {
  acceleratorType: string;
  acceleratorCount: number;
}

/** A compute#instance, with the fields the simulator serves. */
export interface WireInstance {
  kind: 'compute#instance';
  id: string;
  name: string;
  creationTimestamp: string;
  machineType: string;
  status: string;
  zone: string;
  selfLink: string;
  labels?: Record<string, string>;
  guestAccelerators?: WireAcceleratorConfig[];
  scheduling: {
    provisioningModel: 'STANDARD' | 'SPOT';
    preemptible: boolean;
    automaticRestart: boolean;
    onHostMaintenance: 'MIGRATE' | 'TERMINATE';
  };
}

/** A warning of a scope with no results. */
export interface WireWarning {
  code: string;
  message: string;
  data: Array<{ key: string; value: string }>;
}

/** compute#instanceAggregatedList. */
export interface WireAggregatedList {
  kind: 'compute#instanceAggregatedList';
  id: string;
  items: Record<string, { instances: WireInstance[] } | { warning: WireWarning }>;
  nextPageToken?: string;
  selfLink: string;
  unreachables?: string[];
}

/** The Google JSON error document (https://cloud.google.com/apis/design/errors#http_mapping). */
export interface WireError {
  error: {
    code: number;
    message: string;
    errors: Array<{ message: string; domain: string; reason: string }>;
    status?: string;
  };
}

/** A monitoring.v3 TimeSeries as served (REST JSON: int64 as strings, timestamps RFC 3339). */
export interface WireTimeSeries {
  metric: { type: string; labels: Record<string, string> };
  resource: { type: 'gce_instance'; labels: { project_id: string; instance_id: string; zone: string } };
  metricKind: 'GAUGE' | 'DELTA';
  valueType: 'DOUBLE' | 'INT64';
  points: Array<{ interval: { startTime: string; endTime: string }; value: { doubleValue: number } }>;
}

/** ListTimeSeriesResponse. */
export interface WireListTimeSeriesResponse {
  timeSeries: WireTimeSeries[];
  nextPageToken?: string;
  unit?: string;
}
