// Hetzner Cloud API payloads -> inventory rows, derived-cost observations and VAT columns. Pure.

import { addDecimals, divideDecimals, multiplyDecimals, normalizeDecimal } from '../../core/decimal.ts';
import { gpuModelColumns } from '../../core/gpu-catalog.ts';
import { focusTime, type CostRecord, type ResourceRecord } from '../../core/model.ts';
import type { Observation } from '../_common/derived-cost/index.ts';

/** `{net, gross}` decimal strings. */
export interface HetznerPrice {
  net: string;
  gross: string;
}

/** One location's price of a server type (embedded in server types, servers and `/pricing`). */
export interface HetznerLocationPrice {
  location: string;
  price_hourly: HetznerPrice;
  price_monthly: HetznerPrice;
  included_traffic?: number;
  price_per_tb_traffic?: HetznerPrice;
}

/** A server type; the API gives no GPU field. */
export interface HetznerServerType {
  id?: number;
  name: string;
  description?: string;
  cores?: number;
  /** GB. */
  memory?: number;
  disk?: number;
  cpu_type?: string;
  architecture?: string;
  category?: string;
  prices?: HetznerLocationPrice[];
}

/** A location as embedded in servers, primary IPs and volumes. */
export interface HetznerLocation {
  name: string;
  city?: string;
  country?: string;
  network_zone?: string;
}

/** A server (`GET /servers`). Payloads from before 2026-07-01 carry `datacenter.location` instead of `location`. */
export interface HetznerServer {
  id: number;
  name: string;
  status: string;
  created?: string;
  server_type?: HetznerServerType | null;
  location?: HetznerLocation | null;
  datacenter?: { name?: string; location?: HetznerLocation | null } | null;
  public_net?: {
    ipv4?: { ip?: string | null } | null;
    ipv6?: { ip?: string | null } | null;
  } | null;
  private_net?: Array<{ ip?: string | null }> | null;
  labels?: Record<string, string> | null;
  backup_window?: string | null;
}

/** A primary IP (`GET /primary_ips`): billed while it exists, assigned or not. */
export interface HetznerPrimaryIp {
  id: number;
  name?: string;
  ip?: string;
  type: string;
  assignee_id?: number | null;
  created?: string;
  location?: HetznerLocation | null;
  datacenter?: { location?: HetznerLocation | null } | null;
  labels?: Record<string, string> | null;
}

/** A volume (`GET /volumes`); `size` in GB. */
export interface HetznerVolume {
  id: number;
  name?: string;
  server?: number | null;
  status: string;
  size: number;
  created?: string;
  location?: HetznerLocation | null;
  labels?: Record<string, string> | null;
}

/** `GET /pricing` `pricing` (the parts the collector reads). */
export interface HetznerPricing {
  currency: string;
  vat_rate: string;
  volume?: { price_per_gb_month: HetznerPrice };
  server_types?: Array<{ name: string; prices: HetznerLocationPrice[] }>;
  primary_ips?: Array<{
    type: string;
    prices: Array<{ location: string; price_hourly: HetznerPrice; price_monthly: HetznerPrice }>;
  }>;
}

/** `meta.pagination`. */
export interface HetznerPagination {
  page: number;
  per_page: number;
  previous_page: number | null;
  next_page: number | null;
  last_page: number | null;
  total_entries: number | null;
}

/** Hours over which a volume's per-GB monthly price is spread (UNVERIFIED: the API gives no hourly volume price). */
export const VOLUME_HOURS_PER_MONTH = '730';

/** GPU facts of a server type, when one has a GPU. */
export interface GpuServerType {
  /** The GPU as named by Hetzner (fed to the GPU catalog). */
  raw: string;
  count: number;
}

/**
 * Known Hetzner Cloud server types with GPUs: none. The Cloud API's server types have no GPU field and Hetzner
 * lists no GPU type (GEX44/GEX130 are dedicated Robot servers, outside this API). A type added here maps through
 * the GPU catalog.
 */
export const HETZNER_GPU_SERVER_TYPES: Readonly<Record<string, GpuServerType>> = Object.freeze({});

/** GPU model (catalog id), raw name and count of a server type; nulls for a type without GPU. */
export function gpuOfServerType(
  type: HetznerServerType | null | undefined,
  table: Readonly<Record<string, GpuServerType>> = HETZNER_GPU_SERVER_TYPES,
): { model: string | null; raw: string | null; count: number | null } {
  const known = type ? table[type.name.toLowerCase()] : undefined;
  if (!known) return { model: null, raw: null, count: null };
  const { gpu_model, gpu_model_raw } = gpuModelColumns(known.raw);
  return { model: gpu_model, raw: gpu_model_raw, count: known.count };
}

/** Location name of a server, primary IP or volume (`location`, else the older `datacenter.location`). */
export function locationOf(item: {
  location?: HetznerLocation | null;
  datacenter?: { location?: HetznerLocation | null } | null;
}): string | null {
  return item.location?.name ?? item.datacenter?.location?.name ?? null;
}

/** Net and gross hourly and monthly prices of a resource, as decimal strings. */
export interface LocationPrices {
  hourlyNet: string;
  hourlyGross: string;
  monthlyNet: string;
  monthlyGross: string;
}

/** The price of a server type in a location: the type's own `prices`, else the `/pricing` price list. */
export function serverTypePrices(
  type: HetznerServerType | null | undefined,
  where: string | null,
  pricing?: HetznerPricing,
): LocationPrices | null {
  if (!type || where === null) return null;
  const listed = pricing?.server_types?.find((item) => item.name === type.name)?.prices;
  const entry = type.prices?.find((item) => item.location === where) ?? listed?.find((item) => item.location === where);
  return entry ? fromPrice(entry.price_hourly, entry.price_monthly) : null;
}

/** The price of a primary IP of `type` (ipv4/ipv6) in a location. */
export function primaryIpPrices(type: string, where: string | null, pricing: HetznerPricing): LocationPrices | null {
  const entry = pricing.primary_ips?.find((item) => item.type === type)?.prices.find((item) => item.location === where);
  return entry ? fromPrice(entry.price_hourly, entry.price_monthly) : null;
}

/** A volume's price: `size` GB × the per-GB monthly price, spread over VOLUME_HOURS_PER_MONTH for the hourly rate. */
export function volumePrices(sizeGb: number, pricing: HetznerPricing): LocationPrices | null {
  const perGb = pricing.volume?.price_per_gb_month;
  if (!perGb) return null;
  const monthlyNet = multiplyDecimals(normalizeDecimal(perGb.net), String(sizeGb));
  const monthlyGross = multiplyDecimals(normalizeDecimal(perGb.gross), String(sizeGb));
  return {
    hourlyNet: divideDecimals(monthlyNet, VOLUME_HOURS_PER_MONTH, 10),
    hourlyGross: divideDecimals(monthlyGross, VOLUME_HOURS_PER_MONTH, 10),
    monthlyNet,
    monthlyGross,
  };
}

function fromPrice(hourly: HetznerPrice, monthly: HetznerPrice): LocationPrices {
  return {
    hourlyNet: normalizeDecimal(hourly.net),
    hourlyGross: normalizeDecimal(hourly.gross),
    monthlyNet: normalizeDecimal(monthly.net),
    monthlyGross: normalizeDecimal(monthly.gross),
  };
}

function priceTags(prices: LocationPrices | null): Record<string, string> {
  if (!prices) return {};
  return {
    price_hourly_gross: prices.hourlyGross,
    price_monthly_net: prices.monthlyNet,
    price_monthly_gross: prices.monthlyGross,
  };
}

function labelTags(labels: Record<string, string> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).map(([key, value]) => [`label:${key}`, value]));
}

/** Tags of a server: its labels, and the addresses and hostname (the server name) the DCGM/node_exporter join uses. */
export function serverTags(server: HetznerServer): Record<string, string> {
  const tags = labelTags(server.labels);
  const ipv4 = server.public_net?.ipv4?.ip;
  const privateIp = server.private_net?.find((net) => net.ip)?.ip;
  if (ipv4) tags.ip = ipv4;
  else if (privateIp) tags.ip = privateIp;
  if (ipv4) tags.public_ip = ipv4;
  if (server.public_net?.ipv6?.ip) tags.ipv6 = server.public_net.ipv6.ip;
  if (privateIp) tags.private_ip = privateIp;
  tags.hostname = server.name;
  return tags;
}

/** Resource ids: servers keep their numeric id; primary IPs and volumes are prefixed (separate id spaces). */
export const primaryIpResourceId = (ip: HetznerPrimaryIp): string => `primary_ip:${ip.id}`;
export const volumeResourceId = (volume: HetznerVolume): string => `volume:${volume.id}`;

/** One inventory row per server; `price_per_hour` is the net hourly price in its location. */
export function resourceFromServer(
  server: HetznerServer,
  provider: string,
  now: Date,
  currency: string | null,
  pricing?: HetznerPricing,
): ResourceRecord {
  const type = server.server_type ?? null;
  const where = locationOf(server);
  const prices = serverTypePrices(type, where, pricing);
  const gpu = gpuOfServerType(type);
  return {
    provider,
    resource_id: String(server.id),
    resource_name: server.name,
    resource_type: 'instance',
    region_id: where,
    status: server.status,
    instance_type: type?.name ?? null,
    gpu_model: gpu.model,
    gpu_model_raw: gpu.raw,
    gpu_count: gpu.count,
    vcpus: type?.cores ?? null,
    memory_bytes: type?.memory === undefined ? null : Math.round(type.memory * 1024 ** 3),
    price_per_hour: prices?.hourlyNet ?? null,
    currency,
    tags: { ...serverTags(server), ...priceTags(prices) },
    first_seen_at: server.created ? focusTime(new Date(server.created)) : null,
    last_seen_at: focusTime(now),
  };
}

/** A primary IP's inventory row (status `assigned`/`unassigned`: both bill). */
export function resourceFromPrimaryIp(
  ip: HetznerPrimaryIp,
  provider: string,
  now: Date,
  pricing: HetznerPricing | undefined,
): ResourceRecord {
  const where = locationOf(ip);
  const prices = pricing ? primaryIpPrices(ip.type, where, pricing) : null;
  return {
    provider,
    resource_id: primaryIpResourceId(ip),
    resource_name: ip.name ?? null,
    resource_type: 'primary_ip',
    region_id: where,
    status: primaryIpStatus(ip),
    instance_type: ip.type,
    gpu_model: null,
    gpu_count: null,
    vcpus: null,
    memory_bytes: null,
    price_per_hour: prices?.hourlyNet ?? null,
    currency: pricing?.currency ?? null,
    tags: {
      ...labelTags(ip.labels),
      ...(ip.ip ? { ip: ip.ip } : {}),
      ...(ip.assignee_id ? { assignee_id: String(ip.assignee_id) } : {}),
      ...priceTags(prices),
    },
    parent_resource_id: ip.assignee_id ? String(ip.assignee_id) : null,
    first_seen_at: ip.created ? focusTime(new Date(ip.created)) : null,
    last_seen_at: focusTime(now),
  };
}

/** A volume's inventory row. */
export function resourceFromVolume(
  volume: HetznerVolume,
  provider: string,
  now: Date,
  pricing: HetznerPricing | undefined,
): ResourceRecord {
  const prices = pricing ? volumePrices(volume.size, pricing) : null;
  return {
    provider,
    resource_id: volumeResourceId(volume),
    resource_name: volume.name ?? null,
    resource_type: 'volume',
    region_id: locationOf(volume),
    status: volume.status,
    instance_type: 'volume',
    gpu_model: null,
    gpu_count: null,
    vcpus: null,
    memory_bytes: null,
    price_per_hour: prices?.hourlyNet ?? null,
    currency: pricing?.currency ?? null,
    tags: {
      ...labelTags(volume.labels),
      size_gb: String(volume.size),
      ...(volume.server ? { server_id: String(volume.server) } : {}),
      ...priceTags(prices),
    },
    parent_resource_id: volume.server ? String(volume.server) : null,
    first_seen_at: volume.created ? focusTime(new Date(volume.created)) : null,
    last_seen_at: focusTime(now),
  };
}

function primaryIpStatus(ip: HetznerPrimaryIp): string {
  return ip.assignee_id ? 'assigned' : 'unassigned';
}

function since(created: string | undefined): Date | undefined {
  const parsed = created ? new Date(created) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
}

/** What the derived-cost engine needs about a server: net prices, status, creation time (billing starts then). */
export function observationFromServer(server: HetznerServer, pricing?: HetznerPricing): Observation {
  const type = server.server_type ?? null;
  const where = locationOf(server);
  const prices = serverTypePrices(type, where, pricing);
  const gpu = gpuOfServerType(type);
  return {
    id: String(server.id),
    status: server.status,
    hourlyPrice: prices?.hourlyNet ?? null,
    runningSince: since(server.created),
    ...(prices ? { monthlyPrice: prices.monthlyNet } : {}),
    meta: {
      name: server.name,
      instanceType: type?.name ?? null,
      region: where,
      gpuModel: gpu.model,
      gpuCount: gpu.count,
      resourceType: 'instance',
      tags: serverTags(server),
    },
  };
}

/** A primary IP as a derived-cost observation. */
export function observationFromPrimaryIp(ip: HetznerPrimaryIp, pricing: HetznerPricing): Observation {
  const where = locationOf(ip);
  const prices = primaryIpPrices(ip.type, where, pricing);
  return {
    id: primaryIpResourceId(ip),
    status: primaryIpStatus(ip),
    hourlyPrice: prices?.hourlyNet ?? null,
    runningSince: since(ip.created),
    ...(prices ? { monthlyPrice: prices.monthlyNet } : {}),
    meta: {
      name: ip.name ?? null,
      instanceType: `primary_ip_${ip.type}`,
      region: where,
      gpuModel: null,
      gpuCount: null,
      resourceType: 'primary_ip',
      tags: { ...(ip.ip ? { ip: ip.ip } : {}), ...(ip.assignee_id ? { assignee_id: String(ip.assignee_id) } : {}) },
    },
  };
}

/** A volume as a derived-cost observation. */
export function observationFromVolume(volume: HetznerVolume, pricing: HetznerPricing): Observation {
  const prices = volumePrices(volume.size, pricing);
  return {
    id: volumeResourceId(volume),
    status: volume.status,
    hourlyPrice: prices?.hourlyNet ?? null,
    runningSince: since(volume.created),
    ...(prices ? { monthlyPrice: prices.monthlyNet } : {}),
    meta: {
      name: volume.name ?? null,
      instanceType: 'volume',
      region: locationOf(volume),
      gpuModel: null,
      gpuCount: null,
      resourceType: 'volume',
      tags: { size_gb: String(volume.size), ...(volume.server ? { server_id: String(volume.server) } : {}) },
    },
  };
}

const SERVICES: Readonly<Record<string, { category: string; name: string }>> = {
  instance: { category: 'Compute', name: 'Hetzner Cloud Servers' },
  primary_ip: { category: 'Networking', name: 'Hetzner Cloud Primary IPs' },
  volume: { category: 'Storage', name: 'Hetzner Cloud Volumes' },
};

/**
 * Finishes a derived row: `billed_cost` stays the net amount; VAT goes to tags `vat_rate` (percent, as the API
 * gives it), `vat_cost` (net × rate, 10 places) and `gross_cost`; service columns follow the resource type.
 */
export function withVat(row: CostRecord, vatRate: string): CostRecord {
  const vat = divideDecimals(multiplyDecimals(row.billed_cost, normalizeDecimal(vatRate)), '100', 10);
  const service = SERVICES[row.resource_type ?? ''] ?? SERVICES.instance;
  return {
    ...row,
    service_category: service?.category ?? 'Compute',
    service_name: service?.name ?? 'Hetzner Cloud',
    tags: {
      ...row.tags,
      price_basis: 'net',
      vat_rate: vatRate,
      vat_cost: vat,
      gross_cost: addDecimals(row.billed_cost, vat),
    },
  };
}
