// Lambda Cloud API payloads -> inventory rows and derived-cost observations. Pure.

import { multiplyDecimals, upstreamDecimal } from '../../core/decimal.ts';
import { gpuModelColumns } from '../../core/gpu-catalog.ts';
import { focusTime, type ResourceRecord } from '../../core/model.ts';
import type { Observation } from '../_common/derived-cost/index.ts';

/** `instance_type` as the Lambda API returns it (embedded in instances and in /instance-types). */
export interface LambdaInstanceType {
  name: string;
  description?: string;
  gpu_description?: string;
  price_cents_per_hour?: number | string;
  specs?: { vcpus?: number; memory_gib?: number; storage_gib?: number; gpus?: number };
}

/** One element of `GET /instances` `data`. */
export interface LambdaInstance {
  id: string;
  name?: string | null;
  ip?: string | null;
  private_ip?: string | null;
  status: string;
  hostname?: string | null;
  region?: { name: string; description?: string } | null;
  instance_type?: LambdaInstanceType | null;
  tags?: Array<{ key: string; value: string }> | null;
}

/** `GET /instance-types`: a map keyed by type name. */
export interface LambdaInstanceTypes {
  data: Record<
    string,
    { instance_type: LambdaInstanceType; regions_with_capacity_available?: Array<{ name: string }> }
  >;
}

/**
 * GPU model and count of an instance type: `specs.gpus`, else the "8x" prefix of the description, else `gpu_8x_` in
 * the name. `model` is the catalog id of `gpu_description` (`H100 (80 GB SXM5)` -> `H100-SXM5-80GB`), `raw` that text.
 */
export function gpuOfInstanceType(type: LambdaInstanceType | null | undefined): {
  model: string | null;
  raw: string | null;
  count: number | null;
} {
  if (!type) return { model: null, raw: null, count: null };
  const fromDescription = /^\s*(\d+)\s*x\s+/i.exec(type.description ?? '');
  const fromName = /^gpu_(\d+)x_/i.exec(type.name);
  const count =
    type.specs?.gpus ?? (fromDescription ? Number(fromDescription[1]) : fromName ? Number(fromName[1]) : null);
  if (count === null || count === 0) return { model: null, raw: null, count: count === 0 ? 0 : null };
  const raw =
    (type.gpu_description ?? '').trim() || (type.description ?? '').replace(/^\s*\d+\s*x\s+/i, '').trim() || null;
  const { gpu_model, gpu_model_raw } = gpuModelColumns(raw);
  return { model: gpu_model, raw: gpu_model_raw, count };
}

/** Integer US cents per hour -> exact decimal dollars ("2392" -> "23.92"). */
export function dollarsPerHour(type: LambdaInstanceType | null | undefined, provider: string): string | null {
  const cents = type?.price_cents_per_hour;
  if (cents === undefined || cents === null || cents === '') return null;
  const field = `instance type ${type?.name ?? '?'} price_cents_per_hour`;
  return multiplyDecimals(upstreamDecimal(cents, { provider, field }), '0.01');
}

/** Tags of an instance: Lambda's key/value tags plus the addresses the DCGM join uses. */
export function instanceTags(instance: LambdaInstance): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of instance.tags ?? []) tags[tag.key] = tag.value;
  if (instance.ip) tags.ip = instance.ip;
  if (instance.private_ip) tags.private_ip = instance.private_ip;
  if (instance.hostname) tags.hostname = instance.hostname;
  return tags;
}

/** One inventory row per instance; the instance type comes from the embedded object or the price list. */
export function resourceFromInstance(
  instance: LambdaInstance,
  provider: string,
  now: Date,
  priceList: ReadonlyMap<string, LambdaInstanceType> = new Map(),
): ResourceRecord {
  const type = effectiveType(instance, priceList);
  const gpu = gpuOfInstanceType(type);
  const memoryGib = type?.specs?.memory_gib;
  return {
    provider,
    resource_id: instance.id,
    resource_name: instance.name ?? null,
    resource_type: 'instance',
    region_id: instance.region?.name ?? null,
    status: instance.status,
    instance_type: type?.name ?? null,
    gpu_model: gpu.model,
    gpu_model_raw: gpu.raw,
    gpu_count: gpu.count,
    vcpus: type?.specs?.vcpus ?? null,
    memory_bytes: memoryGib === undefined ? null : memoryGib * 1024 ** 3,
    price_per_hour: dollarsPerHour(type, provider),
    currency: 'USD',
    tags: instanceTags(instance),
    last_seen_at: focusTime(now),
  };
}

/** What the derived-cost engine needs to know about an instance this run. */
export function observationFromInstance(
  instance: LambdaInstance,
  provider: string,
  priceList: ReadonlyMap<string, LambdaInstanceType> = new Map(),
): Observation {
  const type = effectiveType(instance, priceList);
  const gpu = gpuOfInstanceType(type);
  return {
    id: instance.id,
    status: instance.status,
    hourlyPrice: dollarsPerHour(type, provider),
    meta: {
      name: instance.name ?? null,
      instanceType: type?.name ?? null,
      region: instance.region?.name ?? null,
      gpuModel: gpu.model,
      gpuCount: gpu.count,
      resourceType: 'instance',
      tags: instanceTags(instance),
    },
  };
}

/** The price list as a map by type name. */
export function priceListFromInstanceTypes(payload: LambdaInstanceTypes): Map<string, LambdaInstanceType> {
  return new Map(
    Object.entries(payload.data ?? {}).map(([name, entry]) => [
      name,
      { ...entry.instance_type, name: entry.instance_type.name ?? name },
    ]),
  );
}

function effectiveType(
  instance: LambdaInstance,
  priceList: ReadonlyMap<string, LambdaInstanceType>,
): LambdaInstanceType | null {
  const embedded = instance.instance_type ?? null;
  const listed = embedded ? priceList.get(embedded.name) : undefined;
  if (!embedded) return null;
  return embedded.price_cents_per_hour === undefined && listed
    ? { ...listed, ...embedded, price_cents_per_hour: listed.price_cents_per_hour }
    : embedded;
}
