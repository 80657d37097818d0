// Paperspace API v1 machines -> inventory rows and derived-cost observations. Pure.

import { upstreamDecimal } from '../../core/decimal.ts';
import { gpuModelColumns } from '../../core/gpu-catalog.ts';
import { focusTime, type ResourceRecord } from '../../core/model.ts';
import type { Observation } from '../_common/derived-cost/index.ts';

/** One element of `GET /machines` `items`. */
export interface PaperspaceMachine {
  id: string;
  name?: string | null;
  state: string;
  machineType?: string | null;
  agentType?: string | null;
  accelerators?: Array<{ name: string; count: number; memory?: number }> | null;
  cpus?: number | null;
  /** Bytes. */
  ram?: number | null;
  region?: string | null;
  publicIp?: string | null;
  privateIp?: string | null;
  /** Hourly usage rate (USD per hour while running; unit per the API: "the usage rate of the machine"). */
  usageRate?: number | string | null;
  storageRate?: number | string | null;
  dtCreated?: string | null;
  dtDeleted?: string | null;
}

/** One page of `GET /machines`. */
export interface PaperspaceMachinePage {
  hasMore: boolean;
  nextPage?: string | null;
  items: PaperspaceMachine[];
}

/**
 * GPU model and total count: the accelerators list (name and memory per GPU), else an `x8` suffix on the machine type
 * (e.g. `H100x8`). `model` is the catalog id (`A100-80G` with 80 GiB -> `A100-80GB`), `raw` Paperspace's name.
 */
export function gpuOfMachine(machine: PaperspaceMachine): {
  model: string | null;
  raw: string | null;
  count: number | null;
} {
  const accelerators = (machine.accelerators ?? []).filter((accelerator) => accelerator.count > 0);
  if (accelerators.length > 0) {
    const names = [...new Set(accelerators.map((accelerator) => accelerator.name))];
    const memoryBytes = names.length === 1 ? (accelerators[0]?.memory ?? null) : null;
    const { gpu_model, gpu_model_raw } = gpuModelColumns(names.join('+'), { memoryBytes });
    return {
      model: gpu_model,
      raw: gpu_model_raw,
      count: accelerators.reduce((total, accelerator) => total + accelerator.count, 0),
    };
  }
  const suffix = /^(?<model>.+?)x(?<count>\d+)$/.exec(machine.machineType ?? '');
  if (suffix?.groups && /^(A|H|V|P|L|RTX)/i.test(suffix.groups.model ?? '')) {
    const { gpu_model, gpu_model_raw } = gpuModelColumns(suffix.groups.model);
    return { model: gpu_model, raw: gpu_model_raw, count: Number(suffix.groups.count) };
  }
  return {
    model: null,
    raw: null,
    count: machine.accelerators === null || machine.accelerators === undefined ? null : 0,
  };
}

/**
 * The region code the API uses (`ny2`, `ca1`, `ams1`: the reference's samples read `"region": "ny2"`). A display
 * name such as `East Coast (NY2)` (the legacy Core API's and the console's form) is read back to its code.
 */
export function regionCode(region: string | null | undefined): string | null {
  const text = region?.trim() ?? '';
  if (text === '') return null;
  const named = /\(([a-z]+\d+)\)$/i.exec(text);
  return (named?.[1] ?? text).toLowerCase();
}

/** `usageRate` as an exact decimal (the JSON number's shortest text, never float arithmetic). */
export function hourlyRate(machine: PaperspaceMachine, provider: string): string | null {
  const rate = machine.usageRate;
  if (rate === undefined || rate === null || rate === '') return null;
  return upstreamDecimal(rate, { provider, field: `machine ${machine.id} usageRate` });
}

/** Tags: addresses for the DCGM join plus the agent type. */
export function machineTags(machine: PaperspaceMachine): Record<string, string> {
  const tags: Record<string, string> = {};
  if (machine.publicIp) tags.ip = machine.publicIp;
  if (machine.privateIp) tags.private_ip = machine.privateIp;
  if (machine.name) tags.hostname = machine.name;
  if (machine.agentType) tags.agent_type = machine.agentType;
  return tags;
}

/** One inventory row per machine. */
export function resourceFromMachine(machine: PaperspaceMachine, provider: string, now: Date): ResourceRecord {
  const gpu = gpuOfMachine(machine);
  return {
    provider,
    resource_id: machine.id,
    resource_name: machine.name ?? null,
    resource_type: 'instance',
    region_id: regionCode(machine.region),
    status: machine.state,
    instance_type: machine.machineType ?? null,
    gpu_model: gpu.model,
    gpu_model_raw: gpu.raw,
    gpu_count: gpu.count,
    vcpus: machine.cpus ?? null,
    memory_bytes: machine.ram ?? null,
    price_per_hour: hourlyRate(machine, provider),
    currency: 'USD',
    tags: machineTags(machine),
    first_seen_at: machine.dtCreated ? focusTime(new Date(machine.dtCreated)) : null,
    last_seen_at: focusTime(now),
  };
}

/** What the derived-cost engine needs to know about a machine this run. */
export function observationFromMachine(machine: PaperspaceMachine, provider: string): Observation {
  const gpu = gpuOfMachine(machine);
  return {
    id: machine.id,
    status: machine.dtDeleted ? '__deleted__' : machine.state,
    hourlyPrice: hourlyRate(machine, provider),
    meta: {
      name: machine.name ?? null,
      instanceType: machine.machineType ?? null,
      region: regionCode(machine.region),
      gpuModel: gpu.model,
      gpuCount: gpu.count,
      resourceType: 'instance',
      tags: machineTags(machine),
    },
  };
}
