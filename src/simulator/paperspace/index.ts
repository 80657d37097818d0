// Simulated Paperspace API (`/v1`): `GET /machines` with cursor pagination (`limit` 1..120, `after` <- `nextPage`,
// `hasMore`), a `limit` out of range refused with 400, Bearer auth, `{code,message}` errors.

import { seededRandom } from '../random.ts';
import { startSimServer, type SimRequest } from '../server.ts';
import type { SimulatedProvider } from '../provider.ts';
import type { PaperspaceWireError, PaperspaceWireMachine, PaperspaceWireMachinePage } from './wire.ts';

/** The API key the simulator accepts. */
export const PAPERSPACE_SIM_API_KEY = 'sim-paperspace-key';

/** `limit` bounds of GET /machines: "integer [ 1 .. 120 ]" in the API reference. */
export const PAPERSPACE_LIMIT_RANGE = { min: 1, max: 120 } as const;
/** Page size when `limit` is absent. UNVERIFIED: the reference gives no default; 20 is the simulator's choice. */
export const PAPERSPACE_SIM_DEFAULT_LIMIT = 20;

const TYPES: ReadonlyArray<Pick<PaperspaceWireMachine, 'machineType' | 'accelerators' | 'cpus' | 'ram' | 'usageRate'>> =
  [
    {
      machineType: 'A4000',
      accelerators: [{ name: 'A4000', count: 1, memory: 17179869184 }],
      cpus: 8,
      ram: 48318382080,
      usageRate: 0.76,
    },
    {
      machineType: 'A100-80G',
      accelerators: [{ name: 'A100-80G', count: 1, memory: 85899345920 }],
      cpus: 12,
      ram: 96636764160,
      usageRate: 3.18,
    },
    {
      machineType: 'A100-80Gx8',
      accelerators: [{ name: 'A100-80G', count: 8, memory: 85899345920 }],
      cpus: 96,
      ram: 687194767360,
      usageRate: 25.44,
    },
    {
      machineType: 'H100x8',
      accelerators: [{ name: 'H100', count: 8, memory: 85899345920 }],
      cpus: 128,
      ram: 1717986918400,
      usageRate: 47.6,
    },
    { machineType: 'C5', accelerators: null, cpus: 4, ram: 8589934592, usageRate: 0.08 },
  ];
/** Region codes as the API serves them (reference samples: `"region": "ny2"`), not display names. */
const REGIONS = ['ny2', 'ca1', 'ams1'];
const STATES = ['ready', 'ready', 'serviceready', 'off', 'starting'] as const;

/** Deterministic machines, ordered by creation date. */
export function simulatedPaperspaceMachines(seed = 1, count = 27): PaperspaceWireMachine[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const type = TYPES[index % TYPES.length] as (typeof TYPES)[number];
    const octet = 10 + index;
    return {
      id: `ps${(index + 1).toString(36).padStart(3, '0')}${Math.floor(random() * 36 ** 4)
        .toString(36)
        .padStart(4, '0')}`,
      name: `ps-machine-${index}`,
      state: index === 0 ? 'ready' : (STATES[Math.floor(random() * STATES.length)] ?? 'ready'),
      agentType: 'LinuxMachine',
      os: 'Ubuntu 22.04',
      ...type,
      region: REGIONS[index % REGIONS.length] ?? 'ny2',
      publicIp: index % 4 === 3 ? null : `184.105.3.${octet}`,
      privateIp: `10.64.0.${octet}`,
      storageRate: 5,
      storageTotal: 107374182400,
      storageUsed: Math.floor(random() * 107374182400),
      autoShutdownEnabled: false,
      reservation: null,
      dtCreated: new Date(Date.UTC(2026, 0, 1) + index * 3_600_000).toISOString(),
      dtModified: new Date(Date.UTC(2026, 0, 2) + index * 3_600_000).toISOString(),
      dtDeleted: null,
    };
  });
}

function listMachines(machines: readonly PaperspaceWireMachine[], request: SimRequest) {
  const raw = request.query.get('limit');
  const limit = raw === null ? PAPERSPACE_SIM_DEFAULT_LIMIT : Number(raw);
  if (!Number.isInteger(limit) || limit < PAPERSPACE_LIMIT_RANGE.min || limit > PAPERSPACE_LIMIT_RANGE.max)
    return {
      status: 400,
      body: {
        code: 'BAD_REQUEST',
        message: `limit must be an integer from ${PAPERSPACE_LIMIT_RANGE.min} to ${PAPERSPACE_LIMIT_RANGE.max}, got ${raw}`,
      } satisfies PaperspaceWireError,
    };
  const after = request.query.get('after');
  let start = 0;
  if (after !== null) {
    const id = Buffer.from(after, 'base64url').toString('utf8');
    const index = machines.findIndex((machine) => machine.id === id);
    if (index < 0)
      return {
        status: 400,
        body: { code: 'BAD_REQUEST', message: `Invalid cursor: ${after}` } satisfies PaperspaceWireError,
      };
    start = index + 1;
  }
  const items = machines.slice(start, start + limit);
  const hasMore = start + limit < machines.length;
  const last = items.at(-1);
  const page: PaperspaceWireMachinePage = {
    hasMore,
    items,
    ...(hasMore && last ? { nextPage: Buffer.from(last.id).toString('base64url') } : {}),
  };
  return { body: page };
}

/** Paperspace, simulated. */
export const paperspaceSimulation: SimulatedProvider = {
  name: 'paperspace',
  description: 'Paperspace API v1: 27 machines over 3 pages (single and 8-GPU types, CPU machines), cursor pagination',
  async start({ seed = 1 }) {
    const machines = simulatedPaperspaceMachines(seed);
    const server = await startSimServer({
      name: 'paperspace',
      guard: (request) =>
        request.headers.authorization === `Bearer ${PAPERSPACE_SIM_API_KEY}`
          ? undefined
          : {
              status: 401,
              body: { code: 'UNAUTHORIZED', message: 'Invalid or missing API key' } satisfies PaperspaceWireError,
            },
      routes: [{ method: 'GET', path: '/v1/machines', handle: (request) => listMachines(machines, request) }],
    });
    return {
      servers: [server],
      providerBlock: {
        enabled: true,
        collector_type: 'generic',
        display_name: 'Paperspace (simulated)',
        // 10 a page, so the 27 machines take three pages.
        api: { adapter: 'paperspace', base_url: `${server.url}/v1`, api_key: PAPERSPACE_SIM_API_KEY, page_size: 10 },
      },
      close: () => server.close(),
    };
  },
};
