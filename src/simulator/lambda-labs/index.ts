// Simulated Lambda Cloud API (`/api/v1`): instances with embedded instance types and the instance-type map,
// Bearer or Basic (`key:`) auth, Lambda's `{error:{code,message,suggestion}}` error body, and the framework's faults.

import { seededRandom } from '../random.ts';
import { startSimServer, type SimRequest, type SimResponse } from '../server.ts';
import type { SimulatedProvider } from '../provider.ts';
import type { LambdaWireError, LambdaWireInstance, LambdaWireInstanceType, LambdaWireInstanceTypes } from './wire.ts';

/** The API key the simulator accepts. */
export const LAMBDA_SIM_API_KEY = 'sim-lambda-key';

const TYPES: LambdaWireInstanceType[] = [
  {
    name: 'gpu_1x_a10',
    description: '1x A10 (24 GB PCIe)',
    gpu_description: 'A10 (24 GB PCIe)',
    price_cents_per_hour: 75,
    specs: { vcpus: 30, memory_gib: 200, storage_gib: 1400, gpus: 1 },
  },
  {
    name: 'gpu_1x_h100_pcie',
    description: '1x H100 (80 GB PCIe)',
    gpu_description: 'H100 (80 GB PCIe)',
    price_cents_per_hour: 249,
    specs: { vcpus: 26, memory_gib: 200, storage_gib: 1000, gpus: 1 },
  },
  {
    name: 'gpu_2x_a100_pcie',
    description: '2x A100 (40 GB PCIe)',
    gpu_description: 'A100 (40 GB PCIe)',
    price_cents_per_hour: 258,
    specs: { vcpus: 60, memory_gib: 400, storage_gib: 1000, gpus: 2 },
  },
  {
    name: 'gpu_4x_a6000',
    description: '4x RTX A6000 (48 GB)',
    gpu_description: 'RTX A6000 (48 GB)',
    price_cents_per_hour: 320,
    specs: { vcpus: 56, memory_gib: 400, storage_gib: 1000, gpus: 4 },
  },
  {
    name: 'gpu_8x_a100_80gb_sxm4',
    description: '8x A100 (80 GB SXM4)',
    gpu_description: 'A100 (80 GB SXM4)',
    price_cents_per_hour: 1432,
    specs: { vcpus: 240, memory_gib: 1800, storage_gib: 19500, gpus: 8 },
  },
  {
    name: 'gpu_8x_h100_sxm5',
    description: '8x H100 (80 GB SXM5)',
    gpu_description: 'H100 (80 GB SXM5)',
    price_cents_per_hour: 2392,
    specs: { vcpus: 208, memory_gib: 1800, storage_gib: 24780, gpus: 8 },
  },
];

const REGIONS = [
  { name: 'us-east-1', description: 'Virginia, USA' },
  { name: 'us-west-1', description: 'California, USA' },
  { name: 'europe-central-1', description: 'Germany' },
];

const STATUSES = ['active', 'active', 'active', 'booting', 'unhealthy'] as const;

/** Deterministic instances as `GET /instances` returns them. */
export function simulatedLambdaInstances(seed = 1, count = 10): LambdaWireInstance[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const type = TYPES[index % TYPES.length] as LambdaWireInstanceType;
    const region = REGIONS[Math.floor(random() * REGIONS.length)] ?? {
      name: 'us-east-1',
      description: 'Virginia, USA',
    };
    const octet = 10 + index;
    return {
      id: (Math.floor(random() * 2 ** 48).toString(16) + index.toString(16)).padStart(32, '0'),
      name: `lambda-node-${index}`,
      ip: `198.51.100.${octet}`,
      private_ip: `10.0.0.${octet}`,
      status: index === 0 ? 'active' : (STATUSES[Math.floor(random() * STATUSES.length)] ?? 'active'),
      ssh_key_names: ['ops'],
      file_system_names: [],
      region,
      instance_type: type,
      hostname: `10-0-0-${octet}.cloud.lambda.ai`,
      is_reserved: false,
      actions: { restart: { available: true }, terminate: { available: true } },
      tags: [{ key: 'team', value: index % 2 === 0 ? 'research' : 'serving' }],
    };
  });
}

function authorized(request: SimRequest): boolean {
  const header = request.headers.authorization ?? '';
  if (header === `Bearer ${LAMBDA_SIM_API_KEY}`) return true;
  return header === `Basic ${Buffer.from(`${LAMBDA_SIM_API_KEY}:`).toString('base64')}`;
}

const INVALID_KEY: SimResponse = {
  status: 401,
  body: {
    error: {
      code: 'global/invalid-api-key',
      message: 'API key was invalid, expired, or deleted.',
      suggestion: 'Check your API key or create a new one, then try again.',
    },
  } satisfies LambdaWireError,
};

/** Lambda Cloud, simulated. */
export const lambdaLabsSimulation: SimulatedProvider = {
  name: 'lambda_labs',
  description: 'Lambda Cloud API v1: instances (1 to 8 GPUs) and the instance-type price list',
  async start({ seed = 1 }) {
    const instances = simulatedLambdaInstances(seed);
    const server = await startSimServer({
      name: 'lambda_labs',
      guard: (request) => (authorized(request) ? undefined : INVALID_KEY),
      routes: [
        { method: 'GET', path: '/api/v1/instances', handle: () => ({ body: { data: instances } }) },
        {
          method: 'GET',
          path: /\/api\/v1\/instances\/(?<id>[^/]+)/,
          handle: (request) => {
            const found = instances.find((instance) => instance.id === request.params.id);
            const notFound: LambdaWireError = {
              error: { code: 'global/object-does-not-exist', message: 'Specified instance does not exist.' },
            };
            return found ? { body: { data: found } } : { status: 404, body: notFound };
          },
        },
        {
          method: 'GET',
          path: '/api/v1/instance-types',
          handle: () => {
            const data: LambdaWireInstanceTypes = Object.fromEntries(
              TYPES.map((type) => [
                type.name,
                { instance_type: type, regions_with_capacity_available: REGIONS.slice(0, 2) },
              ]),
            );
            return { body: { data } };
          },
        },
      ],
    });
    return {
      servers: [server],
      providerBlock: {
        enabled: true,
        collector_type: 'generic',
        display_name: 'Lambda (simulated)',
        api: { adapter: 'lambda_labs', base_url: `${server.url}/api/v1`, api_key: LAMBDA_SIM_API_KEY },
      },
      close: () => server.close(),
    };
  },
};
