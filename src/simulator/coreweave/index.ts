// Simulated CoreWeave cluster Kubernetes API: `GET /api/v1/nodes` and `/api/v1/pods` with `limit`/`continue`
// paging, Bearer ServiceAccount tokens (one lacking RBAC on pods), Kubernetes `Status` error bodies, and continue
// tokens that expire on demand (410 Expired): `POST /sim/expire-continue-tokens {"count": n}`.

import { seededRandom } from '../random.ts';
import { startSimServer, type SimRequest, type SimResponse } from '../server.ts';
import type { SimulatedProvider } from '../provider.ts';
import type { KubeWireList, KubeWireNode, KubeWirePod, KubeWireStatus } from './wire.ts';

/** A token with get/list on nodes and pods. */
export const COREWEAVE_SIM_TOKEN = 'sim-coreweave-token';
/** A token whose ClusterRole covers nodes only: listing pods answers 403. */
export const COREWEAVE_SIM_NODES_ONLY_TOKEN = 'sim-coreweave-nodes-only';

/** Instance types the simulated cluster runs, with the rate card the demo uses (USD/h, illustrative). */
export const COREWEAVE_SIM_RATE_CARD: Readonly<Record<string, string>> = {
  'gd-8xh100ib-i128': '49.24',
  'gd-8xa100-i128': '21.60',
  'gd-1xl40-i32': '1.25',
};

/** The simulated customer's Org ID (UNVERIFIED format), the `node.coreweave.cloud/reserved` of production nodes. */
export const COREWEAVE_SIM_ORG_ID = 'a1b2c3';
/** The node CoreWeave has pulled into triage (an 8x H100, cordoned). */
export const COREWEAVE_SIM_TRIAGE_NODE_INDEX = 8;

const NODE_TYPES = [
  { type: 'gd-8xh100ib-i128', product: 'NVIDIA-H100-80GB-HBM3', count: 8, cpu: '128', memory: '2113327328Ki' },
  { type: 'gd-8xa100-i128', product: 'NVIDIA-A100-SXM4-80GB', count: 8, cpu: '128', memory: '2113327328Ki' },
  { type: 'gd-1xl40-i32', product: 'NVIDIA-L40', count: 1, cpu: '32', memory: '263856720Ki' },
  { type: 'cd-gp-i64-erapids', product: undefined, count: 0, cpu: '64', memory: '527713440Ki' },
];

function status(code: number, reason: string, message: string): SimResponse {
  const body: KubeWireStatus = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  return { status: code, body };
}

/** Deterministic nodes as the API returns them in a NodeList. */
export function simulatedNodes(seed = 1, count = 24): KubeWireNode[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const spec = NODE_TYPES[index % NODE_TYPES.length] ?? NODE_TYPES[0];
    if (!spec) throw new Error('no node types');
    const name = `g${spec.count}-${index.toString().padStart(3, '0')}`;
    const ip = `10.128.${Math.floor(index / 200)}.${(index % 200) + 10}`;
    const triage = index === COREWEAVE_SIM_TRIAGE_NODE_INDEX;
    const labels: Record<string, string> = {
      'kubernetes.io/hostname': name,
      // CKS lifecycle labels: production nodes are reserved for the customer's Org ID; otherwise reserved = state.
      'node.coreweave.cloud/state': triage ? 'triage' : 'production',
      'node.coreweave.cloud/reserved': triage ? 'triage' : COREWEAVE_SIM_ORG_ID,
      'node.kubernetes.io/instance-type': spec.type,
      'topology.kubernetes.io/region': 'US-EAST-04',
      'topology.kubernetes.io/zone': 'US-EAST-04A',
    };
    if (spec.product) {
      labels['nvidia.com/gpu.product'] = spec.product;
      labels['nvidia.com/gpu.count'] = String(spec.count);
      labels['gpu.nvidia.com/class'] = spec.product.replace(/^NVIDIA-/, '').replace(/-/g, '_');
    }
    const ready = random() > 0.1;
    return {
      metadata: {
        name,
        uid: `uid-${index}`,
        resourceVersion: String(1000 + index),
        creationTimestamp: new Date(Date.UTC(2026, 1, 1) + index * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        labels,
      },
      spec: { providerID: `coreweave://${name}`, ...(index % 11 === 5 || triage ? { unschedulable: true } : {}) },
      status: {
        capacity: {
          cpu: spec.cpu,
          memory: spec.memory,
          pods: '110',
          ...(spec.count ? { 'nvidia.com/gpu': String(spec.count) } : {}),
        },
        allocatable: {
          cpu: spec.cpu,
          memory: spec.memory,
          pods: '110',
          ...(spec.count ? { 'nvidia.com/gpu': String(spec.count) } : {}),
        },
        conditions: [
          { type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'KubeletReady' : 'KubeletNotReady' },
        ],
        addresses: [
          { type: 'InternalIP', address: ip },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: { kubeletVersion: 'v1.31.4', containerRuntimeVersion: 'containerd://1.7.23' },
      },
    };
  });
}

/** Deterministic pods; about half request GPUs. */
export function simulatedPods(nodes: readonly KubeWireNode[], seed = 1, count = 40): KubeWirePod[] {
  const random = seededRandom(seed + 17);
  return Array.from({ length: count }, (_, index) => {
    const node = nodes[index % nodes.length] as KubeWireNode;
    const gpus = Number(node.metadata.labels['nvidia.com/gpu.count'] ?? '0');
    const request = gpus > 0 && index % 2 === 0 ? Math.max(1, Math.floor(random() * gpus) + 1) : 0;
    return {
      metadata: {
        name: `job-${index}`,
        namespace: index % 3 === 0 ? 'training' : 'inference',
        uid: `pod-${index}`,
        creationTimestamp: '2026-03-01T00:00:00Z',
        labels: { app: index % 3 === 0 ? 'trainer' : 'server' },
        ownerReferences: [{ kind: 'Job', name: `job-${index}` }],
      },
      spec: {
        nodeName: node.metadata.name,
        containers: [
          {
            name: 'main',
            resources:
              request > 0 ? { limits: { 'nvidia.com/gpu': String(request), cpu: '8' } } : { requests: { cpu: '2' } },
          },
        ],
      },
      status: { phase: 'Running', startTime: '2026-03-01T00:00:05Z' },
    };
  });
}

interface Token {
  rv: string;
  offset: number;
}

/** Serves a list page; continue tokens carry the offset and the list's resourceVersion. */
function listPage<T>(
  kind: string,
  items: readonly T[],
  request: SimRequest,
  resourceVersion: string,
  expire: { pending: number },
): SimResponse {
  const limit = Number(request.query.get('limit') ?? '0');
  const raw = request.query.get('continue');
  let offset = 0;
  if (raw) {
    if (expire.pending > 0) {
      expire.pending -= 1;
      return status(
        410,
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
    try {
      offset = (JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Token).offset;
    } catch {
      return status(400, 'BadRequest', 'continue key is not valid: illegal base64 data');
    }
  }
  const end = limit > 0 ? Math.min(items.length, offset + limit) : items.length;
  const next =
    end < items.length
      ? Buffer.from(JSON.stringify({ rv: resourceVersion, offset: end } satisfies Token)).toString('base64url')
      : undefined;
  const page: KubeWireList<T> = {
    kind,
    apiVersion: 'v1',
    metadata: { resourceVersion, ...(next ? { continue: next, remainingItemCount: items.length - end } : {}) },
    items: items.slice(offset, end),
  };
  return { body: page };
}

/** CoreWeave, simulated. */
export const coreweaveSimulation: SimulatedProvider = {
  name: 'coreweave',
  description:
    'CoreWeave CKS Kubernetes API: 24 nodes (8x H100, 8x A100, 1x L40, CPU) and 40 pods, limit/continue paging, 410 Expired on demand',
  async start({ seed = 1 }) {
    const nodes = simulatedNodes(seed);
    const pods = simulatedPods(nodes, seed);
    const expire = { pending: 0 };
    const server = await startSimServer({
      name: 'coreweave',
      guard: (request) => {
        if (request.path.startsWith('/sim/')) return undefined;
        const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
        if (token !== COREWEAVE_SIM_TOKEN && token !== COREWEAVE_SIM_NODES_ONLY_TOKEN)
          return status(401, 'Unauthorized', 'Unauthorized');
        if (token === COREWEAVE_SIM_NODES_ONLY_TOKEN && request.path === '/api/v1/pods') {
          return status(
            403,
            'Forbidden',
            'pods is forbidden: User "system:serviceaccount:optiinfra:collector" cannot list resource "pods" in API group "" at the cluster scope',
          );
        }
        return undefined;
      },
      routes: [
        {
          method: 'GET',
          path: '/api/v1/nodes',
          handle: (request) => listPage('NodeList', nodes, request, '884422', expire),
        },
        {
          method: 'GET',
          path: '/api/v1/pods',
          handle: (request) => listPage('PodList', pods, request, '884431', expire),
        },
        {
          method: 'POST',
          path: '/sim/expire-continue-tokens',
          handle: (request) => {
            const body =
              request.body.length > 0 ? (JSON.parse(request.body.toString('utf8')) as { count?: number }) : {};
            expire.pending = body.count ?? 1;
            return { body: { pending: expire.pending } };
          },
        },
      ],
    });
    return {
      servers: [server],
      providerBlock: {
        enabled: true,
        collector_type: 'generic',
        display_name: 'CoreWeave (simulated)',
        api: {
          adapter: 'coreweave',
          base_url: server.url,
          api_key: COREWEAVE_SIM_TOKEN,
          page_size: 10,
          rate_card: { ...COREWEAVE_SIM_RATE_CARD },
        },
      },
      close: () => server.close(),
    };
  },
};
