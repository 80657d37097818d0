// The providers OptiInfra knows by name: what each is, which collector serves it, and what works today.
// Drives the shipped providers.yaml comments, `.env.example`, `providers list` and the README table.
// A provider not listed here still works: any name in providers.yaml is a generic provider.

/** How far support for a provider has come. */
export type ProviderStatus = 'available' | 'planned';

/** One known provider. */
export interface KnownProvider {
  name: string;
  display_name: string;
  collector_type: 'dedicated' | 'generic';
  /** The API adapter (generic) or dedicated collector type, when one exists or is planned. */
  component?: string;
  /** What it collects, in words, for the README. */
  collects: string;
  /** Status of the provider-specific part (the generic metrics paths work for every provider). */
  status: ProviderStatus;
}

/** The seed's 15 providers, in the order the shipped providers.yaml declares them. */
export const KNOWN_PROVIDERS: readonly KnownProvider[] = [
  {
    name: 'aws',
    display_name: 'Amazon Web Services',
    collector_type: 'dedicated',
    component: 'aws',
    collects: 'Cost Explorer costs, CloudWatch metrics, EC2/S3/RDS inventory',
    status: 'available',
  },
  {
    name: 'gcp',
    display_name: 'Google Cloud',
    collector_type: 'dedicated',
    component: 'gcp',
    collects: 'Compute inventory with GPU model and count, Cloud Monitoring metrics (BigQuery billing export: planned)',
    status: 'available',
  },
  {
    name: 'azure',
    display_name: 'Microsoft Azure',
    collector_type: 'dedicated',
    component: 'azure',
    collects: 'Cost Management, Azure Monitor, Resource Manager inventory',
    status: 'planned',
  },
  {
    name: 'vultr',
    display_name: 'Vultr',
    collector_type: 'generic',
    component: 'vultr',
    collects: 'instances, bare metal, billing history, invoices, pending charges + Prometheus/DCGM',
    status: 'available',
  },
  {
    name: 'runpod',
    display_name: 'RunPod',
    collector_type: 'generic',
    component: 'runpod',
    collects: 'pods, billing buckets, balance + Prometheus/DCGM',
    status: 'available',
  },
  {
    name: 'lambda_labs',
    display_name: 'Lambda',
    collector_type: 'generic',
    component: 'lambda_labs',
    collects: 'instances, instance types, derived cost + Prometheus/DCGM',
    status: 'available',
  },
  {
    name: 'coreweave',
    display_name: 'CoreWeave',
    collector_type: 'generic',
    component: 'coreweave',
    collects: 'Kubernetes GPU nodes and pods, rate-card cost + Prometheus/DCGM',
    status: 'available',
  },
  {
    name: 'paperspace',
    display_name: 'Paperspace',
    collector_type: 'generic',
    component: 'paperspace',
    collects: 'machines, derived cost + Prometheus/DCGM',
    status: 'available',
  },
  {
    name: 'digitalocean',
    display_name: 'DigitalOcean',
    collector_type: 'generic',
    component: 'digitalocean',
    collects: 'Droplets, GPU Droplets, sizes, balance, invoices, invoice preview + Prometheus/DCGM',
    status: 'available',
  },
  {
    name: 'linode',
    display_name: 'Linode (Akamai)',
    collector_type: 'generic',
    component: 'linode',
    collects:
      'instances, types (GPU plans, region prices), balance, uninvoiced total, invoices and items + Prometheus/DCGM',
    status: 'available',
  },
  {
    name: 'hetzner',
    display_name: 'Hetzner Cloud',
    collector_type: 'generic',
    component: 'hetzner',
    collects: 'servers, server types, primary IPs, volumes, derived cost (net + VAT) + Prometheus/DCGM',
    status: 'available',
  },
  {
    name: 'ovhcloud',
    display_name: 'OVHcloud',
    collector_type: 'generic',
    component: 'ovhcloud',
    collects: 'Public Cloud instances and flavors (GPU model, count), project usage, bills + Prometheus/DCGM',
    status: 'available',
  },
  {
    name: 'onprem',
    display_name: 'On-premises',
    collector_type: 'generic',
    collects: 'Prometheus, node_exporter, DCGM, vLLM metrics',
    status: 'available',
  },
  {
    name: 'kubernetes',
    display_name: 'Kubernetes',
    collector_type: 'generic',
    collects: 'Prometheus, node_exporter, DCGM, vLLM metrics',
    status: 'available',
  },
  {
    name: 'docker',
    display_name: 'Docker',
    collector_type: 'generic',
    collects: 'Prometheus, node_exporter, DCGM, vLLM metrics',
    status: 'available',
  },
];

/** Dedicated collectors planned but not yet registered: accepted in providers.yaml while disabled. */
export const PLANNED_DEDICATED: readonly string[] = ['aws', 'gcp', 'azure'];
