// Host inventory from node_exporter: every host seen becomes a `host` resource (hostname from node_uname_info's
// nodename, CPUs counted from node_cpu_seconds_total, memory from MemTotal, OS and kernel from node_os_info and
// node_uname_info) whose id is hostResourceId(hostname), the id its metrics carry as resource_id.

import type { ResourceRecord } from '../../../core/model.ts';
import { hostResourceId } from './host-id.ts';

/** The node_exporter series a host row is built from. */
export const HOST_FACT_NAMES: ReadonlySet<string> = new Set([
  'node_uname_info',
  'node_os_info',
  'node_cpu_seconds_total',
  'node_memory_MemTotal_bytes',
]);

/** What one node_exporter says about its host. */
export interface HostFacts {
  uname?: Record<string, string>;
  os?: Record<string, string>;
  cpus: Set<string>;
  /** CPU count when it came already counted (the Prometheus path's count query). */
  cpuCount?: number;
  memoryBytes?: number;
  /** The scrape's `instance` (host:port) and `job`, for the fallback name and tags. */
  instance?: string;
  job?: string;
}

/** Empty facts for one exporter. */
export function createHostFacts(instance?: string, job?: string): HostFacts {
  return { cpus: new Set(), ...(instance !== undefined ? { instance } : {}), ...(job !== undefined ? { job } : {}) };
}

/** Notes one series if it is a host fact (see HOST_FACT_NAMES). */
export function noteHostFact(facts: HostFacts, name: string, labels: Record<string, string>, value: number): void {
  switch (name) {
    case 'node_uname_info':
      facts.uname = labels;
      break;
    case 'node_os_info':
      facts.os = labels;
      break;
    case 'node_cpu_seconds_total':
      if (labels.cpu !== undefined) facts.cpus.add(labels.cpu);
      break;
    case 'node_memory_MemTotal_bytes':
      facts.memoryBytes = value;
      break;
  }
  facts.instance ??= labels.instance;
  facts.job ??= labels.job;
}

/** Whether the facts came from a node_exporter at all. */
export function hasHostFacts(facts: HostFacts): boolean {
  return (
    facts.uname !== undefined || facts.cpus.size > 0 || facts.cpuCount !== undefined || facts.memoryBytes !== undefined
  );
}

/** The host's name: node_uname_info's nodename, else the scrape address without its port. */
export function hostNameOf(facts: HostFacts): string | undefined {
  const nodename = facts.uname?.nodename;
  if (nodename !== undefined && nodename !== '') return nodename;
  return facts.instance === undefined ? undefined : addressOf(facts.instance);
}

/** The host part of an `instance` label or URL host (`10.0.0.5:9100` -> `10.0.0.5`, `[::1]:9100` -> `::1`). */
export function addressOf(instance: string): string {
  return instance.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
}

/** The `host` resource of the facts; undefined without a name. */
export function hostResource(provider: string, facts: HostFacts, lastSeenAt: string): ResourceRecord | undefined {
  const name = hostNameOf(facts);
  if (name === undefined) return undefined;
  const tags: Record<string, string> = {};
  const put = (key: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') tags[key] = value;
  };
  put('hostname', name);
  put('os', facts.os?.pretty_name ?? facts.os?.name ?? facts.uname?.sysname);
  put('os_id', facts.os?.id);
  put('os_version', facts.os?.version_id ?? facts.os?.version);
  put('kernel', facts.uname?.release);
  put('kernel_version', facts.uname?.version);
  put('arch', facts.uname?.machine);
  put('instance', facts.instance);
  put('job', facts.job);
  const cpus = facts.cpuCount ?? (facts.cpus.size > 0 ? facts.cpus.size : undefined);
  return {
    provider,
    resource_id: hostResourceId(name),
    resource_name: name,
    resource_type: 'host',
    region_id: null,
    status: 'running',
    instance_type: null,
    gpu_model: null,
    gpu_count: null,
    vcpus: cpus ?? null,
    memory_bytes: facts.memoryBytes ?? null,
    price_per_hour: null,
    currency: null,
    tags,
    last_seen_at: lastSeenAt,
  };
}
