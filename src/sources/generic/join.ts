// Joins metric samples to the inventory an API adapter reported: a DCGM series labelled with a hostname,
// IP or instance id gets that instance's resource_id (the GPU's own id stays in labels). GPU and host rows
// found through exporters name the adapter's instance in tags.instance_id.

import type { MetricSample, ResourceRecord } from '../../core/model.ts';

/** Lookup from host identifiers to inventory resource ids. */
export interface JoinIndex {
  readonly size: number;
  /** Indexes a resource by its id, name and the `ip`/`hostname` tags adapters set. */
  add(resource: ResourceRecord): void;
  /** Sets sample.labels.instance_id when a host label matches an indexed resource. */
  resolve(sample: MetricSample): void;
  /**
   * Sets tags.instance_id on a GPU row (DCGM) or host row (node_exporter) whose host matches an indexed resource, and
   * makes that resource its parent: the instance the API lists is the same hardware and already counts its GPUs.
   */
  resolveGpu(resource: ResourceRecord): void;
}

const HOST_LABELS = ['Hostname', 'hostname', 'host', 'instance', 'node', 'nodename', 'instance_id'] as const;
const RESOURCE_KEYS = ['ip', 'main_ip', 'public_ip', 'private_ip', 'internal_ip', 'hostname', 'host'] as const;

/** Creates an empty join index. */
export function createJoinIndex(): JoinIndex {
  const byKey = new Map<string, string>();
  const put = (key: string | null | undefined, id: string): void => {
    if (key) byKey.set(key.toLowerCase(), id);
  };
  const lookup = (value: string | undefined): string | undefined =>
    value === undefined ? undefined : byKey.get(value.replace(/:\d+$/, '').toLowerCase());
  // Label objects may be shared and frozen (one per series, from the parser): never mutate them; hand out
  // one joined copy per original object, so identity still means "same series" downstream.
  const joinedLabels = new WeakMap<Record<string, string>, Record<string, string>>();
  return {
    get size() {
      return byKey.size;
    },
    add(resource) {
      if (resource.resource_type === 'gpu' || resource.resource_type === 'host') return;
      put(resource.resource_id, resource.resource_id);
      put(resource.resource_name, resource.resource_id);
      for (const key of RESOURCE_KEYS) put(resource.tags?.[key], resource.resource_id);
    },
    resolveGpu(resource) {
      if ((resource.resource_type !== 'gpu' && resource.resource_type !== 'host') || !resource.tags) return;
      const id = lookup(resource.tags.host ?? resource.tags.hostname) ?? lookup(resource.tags.instance);
      if (id === undefined) return;
      resource.tags = { ...resource.tags, instance_id: id };
      resource.parent_resource_id = id;
    },
    resolve(sample) {
      for (const label of HOST_LABELS) {
        const id = lookup(sample.labels[label]);
        if (id !== undefined) {
          let joined = joinedLabels.get(sample.labels);
          if (joined === undefined) {
            joined = Object.freeze({ ...sample.labels, instance_id: id });
            joinedLabels.set(sample.labels, joined);
          }
          sample.labels = joined;
          if (sample.resource_id === null) sample.resource_id = id;
          return;
        }
      }
    },
  };
}
