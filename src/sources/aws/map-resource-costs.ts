// Pure mapping of GetCostAndUsageWithResources pages (EC2 compute per resource, DAILY, grouped by RESOURCE_ID
// and the service-level rows' second dimension) and the residual arithmetic: for each (day, EC2 compute,
// region or linked account) the per-resource rows plus one residual row add up exactly to the service-level
// row they replace. No I/O here: tests feed recorded payloads from testdata/.

import { addDecimals, subtractDecimals } from '../../core/decimal.ts';
import type { CostRecord } from '../../core/model.ts';
import { costRecordsFromCostExplorer, type CostExplorerPage, type CostMappingContext } from './map.ts';

/** The service GetCostAndUsageWithResources must be filtered on (the API requires it). */
export const RESOURCE_COST_SERVICE = 'Amazon Elastic Compute Cloud - Compute';

/** What this run's EC2 inventory knows about an instance, joined onto its cost rows. */
export interface KnownInstance {
  name: string | null;
  instanceType: string | null;
  region: string;
  gpuModel: string | null;
  gpuCount: number | null;
}

/** What a resource-level page is mapped with. */
export interface ResourceCostMappingContext extends CostMappingContext {
  /** Instance ID -> inventory details (GPU model and count), for the instances seen this run. */
  instances: ReadonlyMap<string, KnownInstance>;
}

/** Keys Cost Explorer may use for cost no resource is named for: left to the residual row. */
export function isUnattributedResourceKey(key: string): boolean {
  return key.trim() === '' || /^no ?resource ?id$/i.test(key.trim());
}

/** FOCUS rows of one GetCostAndUsageWithResources page (Keys = [RESOURCE_ID, REGION | LINKED_ACCOUNT]), one per resource and day. */
export function costRecordsFromResourceCosts(
  page: CostExplorerPage,
  context: ResourceCostMappingContext,
): CostRecord[] {
  const rows: CostRecord[] = [];
  for (const result of page.ResultsByTime ?? []) {
    for (const group of result.Groups ?? []) {
      const resourceId = group.Keys?.[0] ?? '';
      if (isUnattributedResourceKey(resourceId)) continue;
      // The service-level mapper fills every FOCUS column the same way; the resource columns are added below.
      const [row] = costRecordsFromCostExplorer(
        {
          ResultsByTime: [{ ...result, Groups: [{ ...group, Keys: [RESOURCE_COST_SERVICE, group.Keys?.[1] ?? ''] }] }],
        },
        context,
      );
      if (row === undefined) continue;
      const known = context.instances.get(resourceId);
      const regionId = context.secondDimension === 'REGION' ? row.region_id : (known?.region ?? null);
      const tags = { ...row.tags, ...(known?.instanceType ? { 'aws:instance-type': known.instanceType } : {}) };
      rows.push({
        ...row,
        charge_description: `${RESOURCE_COST_SERVICE}: ${resourceId}${known?.name ? ` (${known.name})` : ''}${regionId ? ` in ${regionId}` : ''}${result.Estimated ? ' (estimated)' : ''}`,
        resource_id: resourceId,
        resource_name: known?.name ?? null,
        resource_type: resourceId.startsWith('i-') ? 'instance' : null,
        region_id: regionId,
        tags: Object.keys(tags).length === 0 ? null : tags,
        x_gpu_model: known?.gpuModel ?? null,
        x_gpu_count: known?.gpuCount ?? null,
      });
    }
  }
  return rows;
}

/** The service-level row a resource row nests in: day + the second group-by dimension's value. */
export function splitKeyOf(row: CostRecord, secondDimension: CostMappingContext['secondDimension']): string {
  return `${row.charge_period_start}|${secondDimension === 'REGION' ? (row.region_id ?? '') : (row.sub_account_id ?? '')}`;
}

/** Sums of the resource rows emitted for one (day, second dimension). */
export interface ResourceCostTotals {
  billed: string;
  effective: string;
  contracted: string;
  /** Usage quantity per unit. */
  quantities: Map<string, string>;
  /** One of the resource rows, to build a residual from when no service-level row exists. */
  example: CostRecord;
  /** region_id of the service-level row these rows nest in (null when grouped by LINKED_ACCOUNT). */
  serviceRegionId: string | null;
}

/** Adds resource rows to the running totals, keyed by splitKeyOf. */
export function addResourceCostTotals(
  totals: Map<string, ResourceCostTotals>,
  rows: readonly CostRecord[],
  secondDimension: CostMappingContext['secondDimension'],
): void {
  for (const row of rows) {
    const key = splitKeyOf(row, secondDimension);
    const entry = totals.get(key) ?? {
      billed: '0',
      effective: '0',
      contracted: '0',
      quantities: new Map<string, string>(),
      example: row,
      serviceRegionId: secondDimension === 'REGION' ? row.region_id : null,
    };
    entry.billed = addDecimals(entry.billed, row.billed_cost);
    entry.effective = addDecimals(entry.effective, row.effective_cost);
    entry.contracted = addDecimals(entry.contracted, row.contracted_cost);
    if (row.pricing_unit !== null && row.pricing_quantity !== null) {
      entry.quantities.set(
        row.pricing_unit,
        addDecimals(entry.quantities.get(row.pricing_unit) ?? '0', row.pricing_quantity),
      );
    }
    totals.set(key, entry);
  }
}

/**
 * The row that replaces a service-level row once resource rows were emitted for its (day, second dimension):
 * the service-level amounts minus the resource rows', `resource_id` null. It keeps the service row's identity
 * columns (so it upserts over a service row stored by an earlier run). Without totals it is the service row
 * itself; without a service row (resource data Cost Explorer did not total) it is a negative balancing row.
 */
export function residualCostRecord(
  serviceRow: CostRecord | undefined,
  totals: ResourceCostTotals | undefined,
): CostRecord {
  if (totals === undefined) {
    if (serviceRow === undefined) throw new RangeError('residualCostRecord needs a service row or totals');
    return serviceRow;
  }
  const base: CostRecord = serviceRow ?? {
    ...totals.example,
    billed_cost: '0',
    effective_cost: '0',
    list_cost: '0',
    contracted_cost: '0',
    charge_category: 'Usage',
    pricing_quantity: totals.example.pricing_unit === null ? null : '0',
    consumed_quantity: totals.example.pricing_unit === null ? null : '0',
    region_id: totals.serviceRegionId,
    tags: totals.example.tags?.['aws:account-name']
      ? { 'aws:account-name': totals.example.tags['aws:account-name'] }
      : null,
    x_gpu_model: null,
    x_gpu_count: null,
  };
  const billed = subtractDecimals(base.billed_cost, totals.billed);
  const quantity =
    base.pricing_unit === null || base.pricing_quantity === null
      ? null
      : subtractDecimals(base.pricing_quantity, totals.quantities.get(base.pricing_unit) ?? '0');
  const where = base.region_id ?? base.sub_account_id ?? '';
  return {
    ...base,
    billed_cost: billed,
    list_cost: billed,
    effective_cost: subtractDecimals(base.effective_cost, totals.effective),
    contracted_cost: subtractDecimals(base.contracted_cost, totals.contracted),
    pricing_quantity: quantity,
    consumed_quantity: base.consumed_unit === null ? null : quantity,
    charge_description: `${base.service_name}${where ? ` in ${where}` : ''} not attributed to a resource (service total minus the per-resource rows)`,
    resource_id: null,
    resource_name: null,
    resource_type: null,
    tags: { ...base.tags, 'aws:cost-split': 'residual' },
    x_gpu_model: null,
    x_gpu_count: null,
  };
}
