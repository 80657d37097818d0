// Lambda Cloud API v1 wire shapes as the simulator serves them, written from Lambda's OpenAPI v1.10.0
// (`cloud.lambda.ai/api/v1/openapi.json`, mirrored at api-evangelist/lambda-labs; cross-checked against v1.5.3 at
// konfig-sdks/openapi-examples), not from the adapter's own types.

/** A region (`{name, description}`). */
export interface LambdaWireRegion {
  name: string;
  description: string;
}

/** An instance type, embedded in every instance and in the price list; price in US cents per hour (integer). */
export interface LambdaWireInstanceType {
  name: string;
  description: string;
  gpu_description: string;
  price_cents_per_hour: number;
  specs: { vcpus: number; memory_gib: number; storage_gib: number; gpus: number };
}

/**
 * One item of `GET /api/v1/instances` (`{"data":[…]}`) and `data` of `GET /api/v1/instances/{id}`. No launch
 * time exists on the wire. The simulator leaves out `file_system_mounts` and `firewall_rulesets`, and serves two
 * of the spec's five `actions` (migrate, rebuild and cold_reboot are absent).
 */
export interface LambdaWireInstance {
  id: string;
  name: string;
  ip: string;
  private_ip: string;
  /** booting | active | unhealthy | terminated | terminating | preempted. */
  status: string;
  ssh_key_names: string[];
  file_system_names: string[];
  region: LambdaWireRegion;
  instance_type: LambdaWireInstanceType;
  hostname: string;
  /** UNVERIFIED: not in v1.10.0's Instance; the simulator keeps it as an extra field a client must ignore. */
  is_reserved: boolean;
  actions: { restart: { available: boolean }; terminate: { available: boolean } };
  tags: Array<{ key: string; value: string }>;
}

/** `data` of `GET /api/v1/instance-types`: a map from type name to the type and the regions with capacity. */
export type LambdaWireInstanceTypes = Record<
  string,
  {
    instance_type: LambdaWireInstanceType;
    regions_with_capacity_available: LambdaWireRegion[];
  }
>;

/** Lambda's error body (`{error:{code,message,suggestion?}}`), e.g. code `global/invalid-api-key`. */
export interface LambdaWireError {
  error: { code: string; message: string; suggestion?: string };
}
