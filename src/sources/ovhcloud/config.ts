// Keys of the OVHcloud `api:` block: the endpoint, the three AK/AS/CK credentials and the Public Cloud project.

import * as s from '../../core/config/schema.ts';

/** The API roots of the three OVHcloud regions, version path included (go-ovh `ovh/ovh.go` Endpoints). */
export const OVH_ENDPOINTS = {
  'ovh-eu': 'https://eu.api.ovh.com/1.0',
  'ovh-ca': 'https://ca.api.ovh.com/1.0',
  'ovh-us': 'https://api.us.ovhcloud.com/1.0',
} as const;

/** An endpoint name. */
export type OvhEndpoint = keyof typeof OVH_ENDPOINTS;

/** OVHcloud adapter configuration schema. */
export const ovhConfigSchema = s.object({
  endpoint: s.oneOf(Object.keys(OVH_ENDPOINTS) as OvhEndpoint[], {
    doc: 'OVHcloud API region: ovh-eu, ovh-ca or ovh-us',
    default: 'ovh-eu',
  }),
  base_url: s.url({ doc: 'replaces the endpoint (simulator, proxy), version path included, e.g. .../1.0' }),
  application_key: s.string({
    doc: 'Application Key (AK) from createApp / createToken',
    required: true,
    nonEmpty: true,
  }),
  application_secret: s.string({
    doc: 'Application Secret (AS): signs every request, never sent',
    secret: true,
    required: true,
    nonEmpty: true,
  }),
  consumer_key: s.string({
    doc: 'Consumer Key (CK) validated with GET-only rules on /cloud/project/* and /me/*',
    secret: true,
    required: true,
    nonEmpty: true,
  }),
  project_id: s.string({
    doc: 'Public Cloud project ID (serviceName) whose instances and usage are collected',
    required: true,
    nonEmpty: true,
  }),
  concurrency: s.number({
    doc: 'detail requests in flight at once when a list returns IDs (bills, bill details, usage history)',
    default: 4,
    min: 1,
    max: 16,
    integer: true,
  }),
});

/** The validated `api:` block as the factory receives it. */
export type OvhConfig = s.Infer<typeof ovhConfigSchema.shape>;
