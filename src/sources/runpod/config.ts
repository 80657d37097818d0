// Configuration of the RunPod adapter: one URL key per API host (REST v2 and GraphQL), since RunPod retires
// its APIs on different dates (REST v1 on 2026-11-15, GraphQL in early 2027).

import * as s from '../../core/config/schema.ts';

/** RunPod REST v2 base, version path included (paths are then `/pods`, `/billing`, ...). */
export const RUNPOD_DEFAULT_BASE_URL = 'https://api.runpod.io/v2';
/** RunPod GraphQL endpoint, used only for the balance and spend rate REST v2 does not offer yet. */
export const RUNPOD_DEFAULT_GRAPHQL_URL = 'https://api.runpod.io/graphql';

/** The RunPod adapter's `api:` keys. */
export const runpodConfigSchema = s.object({
  base_url: s.url({ doc: 'RunPod REST v2 base URL, /v2 included', default: RUNPOD_DEFAULT_BASE_URL }),
  graphql_url: s.url({ doc: 'RunPod GraphQL URL (balance and spend rate only)', default: RUNPOD_DEFAULT_GRAPHQL_URL }),
  api_key: s.string({ doc: 'RunPod API key (Read Only is enough)', secret: true, required: true, nonEmpty: true }),
  balance: s.boolean({
    doc: 'read the balance and spend rate from GraphQL `myself` (turn off once GraphQL is retired)',
    default: true,
  }),
  bucket_size: s.oneOf(['hour', 'day'] as const, {
    doc: 'billing bucket size: each bucket becomes one cost row per pod',
    default: 'day',
  }),
});

/** The validated `api:` block the factory receives (adapter and the common keys included). */
export type RunpodConfig = s.Infer<typeof runpodConfigSchema.shape>;
