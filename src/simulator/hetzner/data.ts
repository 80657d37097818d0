// Deterministic Hetzner Cloud project data for the simulator: locations, server types with per-location prices,
// servers in several states (including `off`, still billed), primary IPs, volumes and the price list.
// Net prices have 4 places, gross 10 (the API reference's example precision); gross = net × 1.19 (VAT 19 %).

import type {
  HetznerWireLocation,
  HetznerWirePrice,
  HetznerWirePricing,
  HetznerWirePrimaryIp,
  HetznerWireServer,
  HetznerWireServerType,
  HetznerWireServerTypePrice,
  HetznerWireVolume,
} from './wire.ts';

const LOCATIONS: Record<string, HetznerWireLocation> = {
  fsn1: location(1, 'fsn1', 'Falkenstein DC Park 1', 'DE', 'Falkenstein', 50.47612, 12.370071, 'eu-central'),
  nbg1: location(2, 'nbg1', 'Nuremberg DC Park 1', 'DE', 'Nuremberg', 49.452102, 11.076665, 'eu-central'),
  hel1: location(3, 'hel1', 'Helsinki DC Park 1', 'FI', 'Helsinki', 60.169855, 24.938379, 'eu-central'),
  ash: location(4, 'ash', 'Ashburn, VA', 'US', 'Ashburn, VA', 39.045821, -77.487073, 'us-east'),
};

function location(
  id: number,
  name: string,
  description: string,
  country: string,
  city: string,
  latitude: number,
  longitude: number,
  networkZone: string,
): HetznerWireLocation {
  return { id, name, description, country, city, latitude, longitude, network_zone: networkZone };
}

function price(net: string, gross: string): HetznerWirePrice {
  return { net, gross };
}

const TB = 1024 ** 4;

function typePrice(where: string, hourly: HetznerWirePrice, monthly: HetznerWirePrice): HetznerWireServerTypePrice {
  return {
    location: where,
    price_hourly: hourly,
    price_monthly: monthly,
    included_traffic: (where === 'ash' ? 1 : 20) * TB,
    price_per_tb_traffic: price('1.0000', '1.1900000000'),
  };
}

function serverType(
  id: number,
  name: string,
  spec: Pick<HetznerWireServerType, 'cores' | 'memory' | 'disk' | 'cpu_type' | 'architecture' | 'category'>,
  eu: [HetznerWirePrice, HetznerWirePrice],
  ash?: [HetznerWirePrice, HetznerWirePrice],
): HetznerWireServerType {
  const prices = ['fsn1', 'nbg1', 'hel1'].map((where) => typePrice(where, ...eu));
  if (ash) prices.push(typePrice('ash', ...ash));
  return {
    id,
    name,
    description: name.toUpperCase(),
    storage_type: 'local',
    ...spec,
    prices,
    locations: prices.map((item) => ({
      id: LOCATIONS[item.location]?.id ?? 0,
      name: item.location,
      deprecation: null,
    })),
  };
}

/** The server types the simulator offers (Hetzner Cloud lists no GPU types). */
export const SERVER_TYPES: readonly HetznerWireServerType[] = [
  serverType(
    104,
    'cx22',
    { cores: 2, memory: 4, disk: 40, cpu_type: 'shared', architecture: 'x86', category: 'cost_optimized' },
    [price('0.0063', '0.0074970000'), price('3.7900', '4.5101000000')],
    [price('0.0080', '0.0095200000'), price('4.9900', '5.9381000000')],
  ),
  serverType(
    10,
    'cpx31',
    { cores: 4, memory: 8, disk: 160, cpu_type: 'shared', architecture: 'x86', category: 'regular_purpose' },
    [price('0.0224', '0.0266560000'), price('13.9900', '16.6481000000')],
    [price('0.0240', '0.0285600000'), price('14.9900', '17.8381000000')],
  ),
  serverType(
    98,
    'ccx33',
    { cores: 8, memory: 32, disk: 240, cpu_type: 'dedicated', architecture: 'x86', category: 'general_purpose' },
    [price('0.0769', '0.0915110000'), price('47.9900', '57.1081000000')],
    [price('0.0849', '0.1010310000'), price('52.9900', '63.0581000000')],
  ),
  serverType(
    93,
    'cax21',
    { cores: 4, memory: 8, disk: 80, cpu_type: 'shared', architecture: 'arm', category: 'cost_optimized' },
    [price('0.0104', '0.0123760000'), price('6.4900', '7.7231000000')],
  ),
];

function typeNamed(name: string): HetznerWireServerType {
  const found = SERVER_TYPES.find((type) => type.name === name);
  if (!found) throw new Error(`simulator hetzner: no server type ${name}`);
  return found;
}

function server(
  id: number,
  name: string,
  type: string,
  where: string,
  status: string,
  created: string,
  extra: Partial<HetznerWireServer> = {},
): HetznerWireServer {
  const octet = 10 + id;
  return {
    id,
    name,
    status,
    created,
    public_net: {
      ipv4: { id: 100 + id, ip: `203.0.113.${octet}`, blocked: false, dns_ptr: `static.${octet}.example.com` },
      ipv6: null,
      floating_ips: [],
      firewalls: [],
    },
    private_net: [{ network: 7, ip: `10.0.0.${octet}`, alias_ips: [], mac_address: `86:00:00:00:00:${octet}` }],
    server_type: typeNamed(type),
    location: LOCATIONS[where] as HetznerWireLocation,
    labels: { team: id % 2 === 0 ? 'data' : 'web' },
    volumes: [],
    primary_disk_size: typeNamed(type).disk,
    included_traffic: 0,
    outgoing_traffic: 123_456_789,
    ingoing_traffic: 987_654_321,
    backup_window: null,
    rescue_enabled: false,
    locked: false,
    protection: { delete: false, rebuild: false },
    load_balancers: [],
    ...extra,
  };
}

/** Everything one simulated project holds. */
export interface HetznerDataset {
  servers: HetznerWireServer[];
  primaryIps: HetznerWirePrimaryIp[];
  volumes: HetznerWireVolume[];
  serverTypes: readonly HetznerWireServerType[];
  pricing: HetznerWirePricing;
}

/** The simulated project (fixed dates so tests can compute costs independently). */
export function hetznerDataset(): HetznerDataset {
  const servers = [
    server(1, 'web-1', 'cx22', 'fsn1', 'running', '2026-02-10T08:00:00+00:00', { volumes: [] }),
    server(2, 'web-2', 'cx22', 'nbg1', 'off', '2026-03-05T10:30:00+00:00'),
    server(3, 'db-1', 'ccx33', 'fsn1', 'running', '2026-01-01T00:00:00+00:00', { volumes: [201] }),
    server(4, 'app-ash', 'cpx31', 'ash', 'running', '2026-03-10T00:00:00+00:00'),
    server(5, 'arm-1', 'cax21', 'hel1', 'running', '2026-03-27T22:15:00+00:00'),
    server(6, 'batch-1', 'cpx31', 'nbg1', 'running', '2026-03-15T00:20:00+00:00'),
    server(7, 'build-1', 'cx22', 'fsn1', 'initializing', '2026-03-27T22:50:00+00:00'),
  ];
  const primaryIps: HetznerWirePrimaryIp[] = [
    primaryIp(101, 'ipv4', 'fsn1', 1, '2026-02-10T08:00:00+00:00'),
    primaryIp(102, 'ipv4', 'nbg1', null, '2026-03-20T06:00:00+00:00'),
    primaryIp(103, 'ipv6', 'fsn1', 1, '2026-02-10T08:00:00+00:00'),
  ];
  const volumes: HetznerWireVolume[] = [
    volume(201, 'db-data', 3, 'fsn1', 100, '2026-01-15T00:00:00+00:00'),
    volume(202, 'scratch', null, 'nbg1', 10, '2026-03-25T12:00:00+00:00'),
  ];
  const ipPrices = (hourly: HetznerWirePrice, monthly: HetznerWirePrice) =>
    Object.keys(LOCATIONS).map((where) => ({ location: where, price_hourly: hourly, price_monthly: monthly }));
  const pricing: HetznerWirePricing = {
    currency: 'EUR',
    vat_rate: '19.00',
    image: { price_per_gb_month: price('0.0110', '0.0130900000') },
    volume: { price_per_gb_month: price('0.0440', '0.0523600000') },
    server_backup: { percentage: '20.00' },
    server_types: SERVER_TYPES.map((type) => ({ id: type.id, name: type.name, prices: type.prices })),
    primary_ips: [
      { type: 'ipv4', prices: ipPrices(price('0.0008', '0.0009520000'), price('0.5000', '0.5950000000')) },
      { type: 'ipv6', prices: ipPrices(price('0.0000', '0.0000000000'), price('0.0000', '0.0000000000')) },
    ],
    floating_ips: [],
    load_balancer_types: [],
  };
  return { servers, primaryIps, volumes, serverTypes: SERVER_TYPES, pricing };
}

function primaryIp(
  id: number,
  type: 'ipv4' | 'ipv6',
  where: string,
  assignee: number | null,
  created: string,
): HetznerWirePrimaryIp {
  return {
    id,
    name: `primary_ip-${id}`,
    ip: type === 'ipv4' ? `203.0.113.${id - 90}` : '2001:db8:1::/64',
    type,
    assignee_id: assignee,
    assignee_type: 'server',
    auto_delete: assignee !== null,
    blocked: false,
    created,
    location: LOCATIONS[where] as HetznerWireLocation,
    labels: {},
    protection: { delete: false },
    dns_ptr: [],
  };
}

function volume(
  id: number,
  name: string,
  attached: number | null,
  where: string,
  size: number,
  created: string,
): HetznerWireVolume {
  return {
    id,
    name,
    server: attached,
    status: 'available',
    location: LOCATIONS[where] as HetznerWireLocation,
    size,
    format: 'ext4',
    linux_device: `/dev/disk/by-id/scsi-0HC_Volume_${id}`,
    created,
    labels: {},
    protection: { delete: false },
  };
}
