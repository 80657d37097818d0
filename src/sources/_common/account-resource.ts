// The inventory row of a provider account (balance, spend, last invoice in its tags): one per provider, so a
// billing dashboard can show the account next to its instances.

import type { ResourceRecord } from '../../core/model.ts';

/** The `account:<provider>` resource; `pricePerHour` is the current spend rate when the API reports one. */
export function accountResource(
  provider: string,
  name: string | null,
  tags: Record<string, string>,
  seenAt: string,
  pricePerHour: string | null = null,
): ResourceRecord {
  return {
    provider,
    resource_id: `account:${provider}`,
    resource_name: name,
    resource_type: 'account',
    region_id: null,
    status: null,
    instance_type: null,
    gpu_model: null,
    gpu_count: null,
    vcpus: null,
    memory_bytes: null,
    price_per_hour: pricePerHour,
    currency: 'USD',
    tags,
    last_seen_at: seenAt,
  };
}
