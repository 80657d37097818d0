// Keys of the Paperspace `api:` block beyond the common adapter/base_url/api_key.

import * as s from '../../core/config/schema.ts';
import { billingOverrideShape } from '../_common/derived-cost/index.ts';

/** The documented API base, version path included. */
export const PAPERSPACE_DEFAULT_BASE_URL = 'https://api.paperspace.com/v1';

/** Paperspace adapter configuration schema. */
export const paperspaceConfigSchema = s.object({
  base_url: s.url({ doc: 'Paperspace API base URL, version path included', default: PAPERSPACE_DEFAULT_BASE_URL }),
  api_key: s.string({
    doc: 'Paperspace API key (Team settings > API keys)',
    secret: true,
    required: true,
    nonEmpty: true,
  }),
  // The API reference bounds `limit` of GET /machines to "integer [ 1 .. 120 ]" and refuses others.
  page_size: s.number({
    doc: 'machines requested per page (`limit`, 1-120 as the API allows)',
    default: 100,
    min: 1,
    max: 120,
    integer: true,
  }),
  ...billingOverrideShape,
});

/** The validated `api:` block as the factory receives it. */
export type PaperspaceConfig = s.Infer<typeof paperspaceConfigSchema.shape>;
