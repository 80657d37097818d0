// `demo` prints GPUs per canonical model equal to the physical GPUs of the simulated fleet. The expected fleet is
// worked out here from the simulators' own data (plans, nodes, instance types, pods, machines, DCGM hosts), with
// the model of each raw name written out by hand, never through the product's catalog or counting code. Every
// machine is counted once: a Vultr host's DCGM GPUs are that instance's cards, CoreWeave pods use their node's
// GPUs, and the two exporter-host simulations serve the same host (same seed, same GPU UUIDs).

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SIM_ACCOUNTS, SIM_INSTANCES, SIM_INSTANCE_TYPES } from '../src/simulator/aws/world.ts';
import { simulatedNodes, simulatedPods } from '../src/simulator/coreweave/index.ts';
import { projectInstances } from '../src/simulator/gcp/data.ts';
import { GCP_SIM_PROJECTS } from '../src/simulator/gcp/index.ts';
import { simulatedGpus } from '../src/simulator/exporter-host/dcgm-page.ts';
import { simulatedLambdaInstances } from '../src/simulator/lambda-labs/index.ts';
import { simulatedPaperspaceMachines } from '../src/simulator/paperspace/index.ts';
import { runpodDataset } from '../src/simulator/runpod/data.ts';
import { vultrDataset } from '../src/simulator/vultr/data.ts';
import { linodeDataset } from '../src/simulator/linode/data.ts';
import { ovhDataset } from '../src/simulator/ovhcloud/data.ts';
import { doDataset } from '../src/simulator/digitalocean/data.ts';
import { runCli } from './support/cli.ts';
import { exactSum } from './support/exact-money.ts';

/** The seed `demo` starts every simulator with. */
const SEED = 42;

/** [provider, raw name as the simulator serves it] -> the canonical model that GPU is (vendor spec, by hand). */
const MODEL: Readonly<Record<string, string>> = {
  // Vultr sells the 80 GB A100 and H100 (its per-card VRAM); the API does not say SXM or PCIe.
  'vultr:NVIDIA_A100': 'A100-80GB',
  'vultr:NVIDIA_H100': 'H100-80GB',
  'vultr:NVIDIA_L40S': 'L40S',
  'vultr:NVIDIA_A16': 'A16',
  'vultr:h100': 'H100-80GB',
  'vultr:mi300x': 'MI300X',
  'vultr:l40': 'L40',
  'coreweave:NVIDIA-H100-80GB-HBM3': 'H100-SXM5-80GB',
  'coreweave:NVIDIA-A100-SXM4-80GB': 'A100-SXM4-80GB',
  'coreweave:NVIDIA-L40': 'L40',
  'lambda:H100 (80 GB SXM5)': 'H100-SXM5-80GB',
  'lambda:H100 (80 GB PCIe)': 'H100-PCIE-80GB',
  'lambda:A100 (80 GB SXM4)': 'A100-SXM4-80GB',
  'lambda:A100 (40 GB PCIe)': 'A100-PCIE-40GB',
  'lambda:A10 (24 GB PCIe)': 'A10',
  'lambda:RTX A6000 (48 GB)': 'RTX-A6000',
  'paperspace:A100-80G': 'A100-80GB',
  'paperspace:H100': 'H100-80GB',
  'paperspace:A4000': 'RTX-A4000',
  'runpod:NVIDIA H100 80GB HBM3': 'H100-SXM5-80GB',
  'runpod:NVIDIA A100-SXM4-80GB': 'A100-SXM4-80GB',
  'runpod:NVIDIA GeForce RTX 4090': 'RTX-4090',
  'runpod:NVIDIA L40S': 'L40S',
  // AWS documents p4d as A100 40 GB SXM4 and p5 as H100 80 GB SXM5 (instance-type pages).
  'aws:p4d.24xlarge': 'A100-SXM4-40GB',
  'aws:p5.48xlarge': 'H100-SXM5-80GB',
  'aws:g5.xlarge': 'A10G',
  'aws:g5.12xlarge': 'A10G',
  'aws:g6.xlarge': 'L4',
  'aws:g6.12xlarge': 'L4',
  'dcgm:NVIDIA H100 80GB HBM3': 'H100-SXM5-80GB',
  // Linode's g1 GPU plans are NVIDIA Quadro RTX 6000 (24 GB), g2 plans RTX 4000 Ada (linode/docs GPU pages).
  'linode:g1-gpu-rtx6000': 'QUADRO-RTX-6000',
  'linode:g2-gpu-rtx4000a': 'RTX-4000-ADA',
  // OVHcloud GPU flavors (Public Cloud GPU pages): h100 = H100 80 GB, a100 = A100 80 GB, t1 = Tesla V100 16 GB.
  'ovhcloud:h100-380': 'H100-80GB',
  'ovhcloud:h100-1520': 'H100-80GB',
  'ovhcloud:l40s-180': 'L40S',
  'ovhcloud:a100-720': 'A100-80GB',
  'ovhcloud:t1-90': 'V100-16GB',
  'ovhcloud:l4-90': 'L4',
  // DigitalOcean's gpu_info names the card and its VRAM (80 GB H100; SXM or PCIe not said).
  'digitalocean:nvidia_h100': 'H100-80GB',
  'digitalocean:amd_mi300x': 'MI300X',
  'digitalocean:nvidia_l40s': 'L40S',
  'digitalocean:nvidia_rtx_4000_ada': 'RTX-4000-ADA',
  // GCP accelerator-optimized machine types (compute/docs/gpus): a2-highgpu = A100 40 GB, a3-highgpu = H100 80 GB
  // SXM5, g2 = L4; attached accelerators nvidia-tesla-t4 = T4, nvidia-tesla-v100 = V100 16 GB SXM2.
  'gcp:a2-highgpu-8g': 'A100-SXM4-40GB',
  'gcp:a3-highgpu-8g': 'H100-SXM5-80GB',
  'gcp:g2-standard-24': 'L4',
  'gcp:nvidia-tesla-t4': 'T4',
  'gcp:nvidia-tesla-v100': 'V100-SXM2-16GB',
};

/** GPUs a GCP accelerator-optimized machine type comes with (compute/docs/accelerator-optimized-machines, by hand). */
const GCP_MACHINE_GPUS: Readonly<Record<string, number>> = {
  'a2-highgpu-8g': 8,
  'a3-highgpu-8g': 8,
  'g2-standard-24': 2,
};

/** GPUs of an OVHcloud GPU flavor: its RAM over the RAM each GPU of the family comes with (by hand). */
const OVH_FLAVOR_GPUS: Readonly<Record<string, number>> = {
  'h100-380': 1,
  'h100-1520': 4,
  'l40s-180': 2,
  'a100-720': 4,
  't1-90': 2,
  'l4-90': 1,
};

/** VRAM of one Vultr card, GB (a plan's gpu_vram_gb over it is the card count, or a share below one card). */
const VULTR_CARD_GB: Readonly<Record<string, number>> = { A100: 80, H100: 80, L40S: 48, A16: 16 };

/** Physical GPUs of the demo's fleet: model -> (provider -> GPUs). */
function expectedFleet(): Map<string, Map<string, string[]>> {
  const fleet = new Map<string, Map<string, string[]>>();
  const add = (provider: string, raw: string, gpus: string | number, source = provider): void => {
    const model = MODEL[`${source === 'lambda_labs' ? 'lambda' : source}:${raw}`];
    assert.ok(model, `the test knows what ${provider} "${raw}" is`);
    const byProvider = fleet.get(model) ?? new Map<string, string[]>();
    fleet.set(model, byProvider);
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), String(gpus)]);
  };
  const vultr = vultrDataset(SEED, new Date());
  for (const instance of vultr.instances) {
    const plan = vultr.plans.find((candidate) => candidate.id === instance.plan);
    if (!plan?.gpu_type) continue;
    const card = VULTR_CARD_GB[plan.gpu_type.replace(/^NVIDIA_/, '')] ?? NaN;
    const vram = plan.gpu_vram_gb ?? NaN;
    // gpu-01 also runs dcgm-exporter: its 8 DCGM GPUs are these 8 cards, not 8 more.
    add('vultr', plan.gpu_type, vram >= card ? Math.round(vram / card) : vram / card);
  }
  for (const server of vultr.bareMetals) {
    const match = /-(?:(\d+)-)?([a-z0-9]+)-gpu$/.exec(server.plan);
    if (match) add('vultr', match[2] ?? '', match[1] === undefined ? 1 : Number(match[1]));
  }
  // A GPU Droplet's cards are its size's gpu_info; train-h100x8-01's DCGM GPUs are those 8 cards, not 8 more.
  const digitalocean = doDataset(new Date());
  for (const droplet of digitalocean.gpuDroplets) {
    const info = digitalocean.sizes.find((size) => size.slug === droplet.size_slug)?.gpu_info;
    if (info) add('digitalocean', info.model, info.count);
  }
  // Pods run on these nodes and use their GPUs: the nodes alone are the hardware.
  for (const node of simulatedNodes(SEED)) {
    const product = node.metadata.labels['nvidia.com/gpu.product'];
    if (product) add('coreweave', product, Number(node.metadata.labels['nvidia.com/gpu.count']));
  }
  for (const instance of simulatedLambdaInstances(SEED)) {
    const type = instance.instance_type;
    if (type?.gpu_description && type.specs?.gpus) add('lambda_labs', type.gpu_description, type.specs.gpus);
  }
  for (const machine of simulatedPaperspaceMachines(SEED))
    for (const accelerator of machine.accelerators ?? []) add('paperspace', accelerator.name, accelerator.count);
  for (const pod of runpodDataset(SEED, new Date()).pods) if (pod.gpu) add('runpod', pod.gpu.id, pod.gpu.count ?? 1);
  // Linode: the type id's family names the card, the type's `gpus` the count; gpu-train-1's DCGM GPUs are its own.
  const linode = linodeDataset(SEED, new Date());
  for (const instance of linode.instances) {
    const type = linode.types.find((candidate) => candidate.id === instance.type);
    const family = /^(g1-gpu-rtx6000|g2-gpu-rtx4000a)/.exec(instance.type)?.[1];
    if (type && family && type.gpus > 0) add('linode', family, type.gpus);
  }
  const ovh = ovhDataset(SEED, new Date());
  for (const instance of ovh.instances) {
    const flavor = ovh.flavors.find((candidate) => candidate.id === instance.flavorId)?.name ?? '';
    const gpus = OVH_FLAVOR_GPUS[flavor];
    if (gpus !== undefined) add('ovhcloud', flavor, gpus);
  }
  // The demo collects AWS with the payer's keys: EC2 lists the payer account's instances.
  for (const instance of SIM_INSTANCES.filter((item) => item.account === SIM_ACCOUNTS[0]?.id)) {
    const gpu = SIM_INSTANCE_TYPES[instance.type]?.gpu;
    if (gpu) add('aws', instance.type, gpu.count);
  }
  for (const project of GCP_SIM_PROJECTS)
    for (const instance of projectInstances(project, SEED)) {
      const type = instance.machineType.split('/').pop() ?? '';
      const accelerator = instance.guestAccelerators?.[0];
      if (accelerator) add('gcp', accelerator.acceleratorType.split('/').pop() ?? '', accelerator.acceleratorCount);
      else if (GCP_MACHINE_GPUS[type] !== undefined) add('gcp', type, GCP_MACHINE_GPUS[type]);
    }
  // exporter_host and prometheus_host each start startExporterHost({ seed }): host 0, the same 8 GPU UUIDs.
  const uuids = new Set<string>();
  for (const provider of ['exporter_host', 'prometheus_host'])
    for (const gpu of simulatedGpus({ seed: SEED, host: 0, gpus: 8 })) {
      add(provider, gpu.modelName, 1, 'dcgm');
      uuids.add(gpu.uuid);
    }
  assert.equal(uuids.size, 8, 'one host of 8 GPUs, seen by two providers');
  return fleet;
}

/** The rows of the demo's "GPUs by model" table: model -> [GPUs, PROVIDERS cell]. */
function printedTable(stdout: string): Map<string, [string, string]> {
  const start = stdout.indexOf('GPUs by model (physical, each counted once):\n');
  assert.ok(start >= 0, stdout);
  const lines = stdout.slice(start).split('\n').slice(3);
  const rows = new Map<string, [string, string]>();
  for (const line of lines) {
    if (line.trim() === '' || line.startsWith('  ')) break;
    const total = /^TOTAL\s+(\S+)$/.exec(line);
    const match = total ? ['', 'TOTAL', total[1], ''] : /^(\S+)\s+\S+\s+(?:\S+ GB|\?)\s+\S+\s+(\S+)\s*(.*)$/.exec(line);
    assert.ok(match, `a table row: ${line}`);
    rows.set(match[1] ?? '', [match[2] ?? '', match[3] ?? '']);
  }
  return rows;
}

test('demo: GPUs per canonical model equal the physical GPUs of the simulated fleet, each counted once', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'optiinfra-demo-gpus-'));
  const result = await runCli(['demo'], { cwd: directory, timeoutMs: 240_000 });
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const printed = printedTable(result.stdout);
  const fleet = expectedFleet();
  const expected = new Map<string, [string, string]>();
  for (const [model, byProvider] of fleet) {
    const perProvider = [...byProvider].sort(([a], [b]) => (a < b ? -1 : 1));
    // The exporter host is in both PROVIDERS entries but once in GPUS.
    const counted = perProvider.filter(([provider]) => provider !== 'prometheus_host');
    expected.set(model, [
      exactSum(counted.flatMap(([, gpus]) => gpus)),
      perProvider.map(([provider, gpus]) => `${provider} ${exactSum(gpus)}`).join(', '),
    ]);
  }
  const total = exactSum([...expected.values()].map(([gpus]) => gpus));
  expected.set('TOTAL', [total, '']);
  assert.deepEqual(
    [...printed].sort(([a], [b]) => (a < b ? -1 : 1)),
    [...expected].sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  // The two counts the issue found doubled: Vultr 42 (its cards are 33.05) and CoreWeave 152 (its nodes hold 102).
  const perProvider = (provider: string): string =>
    exactSum([...fleet.values()].flatMap((byProvider) => byProvider.get(provider) ?? []));
  assert.deepEqual([perProvider('vultr'), perProvider('coreweave')], ['33.05', '102']);
  assert.match(result.stdout, new RegExp(`\\nvultr +\\d+ +${perProvider('vultr').replace('.', '\\.')}\\n`));
  assert.match(result.stdout, new RegExp(`\\ncoreweave +\\d+ +${perProvider('coreweave')}\\n`));
  const gpuPods = simulatedPods(simulatedNodes(SEED), SEED).filter((pod) =>
    pod.spec.containers.some((container) => container.resources.limits?.['nvidia.com/gpu'] !== undefined),
  );
  // Rows described by a parent: Vultr gpu-01's and DigitalOcean train-h100x8-01's 8 DCGM GPUs, Linode
  // gpu-train-1's 4, and every GPU pod.
  assert.match(result.stdout, new RegExp(`\\n  ${8 + 8 + 4 + gpuPods.length} rows not counted again: their parent`));
  assert.match(result.stdout, /8 GPUs seen by more than one provider \(same UUID\) count once in the total/);
});
