// Paperspace API v1 wire shapes as the simulator serves them, written from `Paperspace/cli` @c7bdd42
// `api/openapi.ts` (typed from the public OpenAPI) and docs.digitalocean.com's Paperspace machine reference,
// not from the adapter's own types.

/** One GPU group of a machine; `memory` in bytes (UNVERIFIED: the spec does not name the unit). */
export interface PaperspaceWireAccelerator {
  name: string;
  count: number;
  memory: number;
}

/** One item of `GET /v1/machines` (`{hasMore, items, nextPage?}`). `ram` and storage sizes are bytes. */
export interface PaperspaceWireMachine {
  id: string;
  name: string;
  /** off | starting | stopping | restarting | serviceready | ready | upgrading | provisioning. */
  state: string;
  /** UNVERIFIED: a list filter in the spec; served here as a field too. */
  agentType: string;
  /** UNVERIFIED: not in the documented item; the simulator serves it as an extra field. */
  os: string;
  machineType: string;
  accelerators: PaperspaceWireAccelerator[] | null;
  cpus: number;
  ram: number;
  /** "The usage rate of the machine": a JSON number; UNVERIFIED that it is USD per hour. */
  usageRate: number;
  /** The region code, e.g. `ny2` (the reference's samples); display names such as `East Coast (NY2)` are not served. */
  region: string;
  publicIp: string | null;
  privateIp: string;
  /** UNVERIFIED unit (USD per month is assumed). */
  storageRate: number;
  storageTotal: number;
  storageUsed: number;
  autoShutdownEnabled: boolean;
  /** The spec allows a reservation object; the simulator serves none. */
  reservation: null;
  dtCreated: string;
  dtModified: string;
  dtDeleted: string | null;
}

/** A `GET /v1/machines` page: pass `nextPage` back as `?after=` until `hasMore` is false. */
export interface PaperspaceWireMachinePage {
  hasMore: boolean;
  items: PaperspaceWireMachine[];
  nextPage?: string;
}

/** Paperspace's error body (`{code, message, details?}`), codes as the CLI maps them (e.g. UNAUTHORIZED). */
export interface PaperspaceWireError {
  code: string;
  message: string;
}
