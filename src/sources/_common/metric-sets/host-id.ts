// One id scheme for a host seen only through its exporters (node_exporter, DCGM), so the host row, its GPUs'
// parent link and its metrics' resource_id agree without either side knowing the other.

/** The resource id of a host named `name` (node_uname_info nodename, DCGM Hostname, or instance without port). */
export function hostResourceId(name: string): string {
  return `host:${name.replace(/:\d+$/, '').toLowerCase()}`;
}
