// Which process a collection run belongs to, so a collector starting next to a running one (a manual `collect`
// beside the service) closes only the runs whose process is gone.

import { hostname } from 'node:os';

/** The process that ran a collection run (stored in its details). */
export interface RunOwner {
  host: string;
  pid: number;
  /** When that process started (ISO-8601): a pid reused by a later process is not the owner. */
  started_at: string;
}

/** This process as a run owner. */
export function currentRunOwner(): RunOwner {
  return { host: hostname(), pid: process.pid, started_at: new Date(performance.timeOrigin).toISOString() };
}

/**
 * Whether the owner is certainly gone: this host, and its pid is either free or this process (a restarted
 * container gets the same pid). A process on another host cannot be checked from here: not gone.
 */
export function runOwnerGone(owner: RunOwner, self: RunOwner = currentRunOwner()): boolean {
  if (owner.host !== self.host) return false;
  if (owner.pid === self.pid) return owner.started_at !== self.started_at;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the pid is alive under another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
