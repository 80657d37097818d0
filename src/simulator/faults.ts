// Switchable faults for simulated upstreams. Each fault applies to the next `count` matching requests
// (or to every request when count is omitted), so tests can script "two 429s, then success".

/** One kind of failure the simulator can inject. */
export type FaultKind =
  | 'latency' // delay the response by `ms`
  | 'rate_limit' // HTTP 429, with Retry-After `retry_after` (seconds or HTTP-date) when given
  | 'server_error' // HTTP `status` (default 500)
  | 'unauthorized' // HTTP 401
  | 'malformed' // a 200 whose body is not valid JSON/exposition text
  | 'truncated' // a declared Content-Length longer than the bytes sent, then the socket closes
  | 'stall' // headers sent, then no body until the client gives up
  | 'reset' // the connection is destroyed without a response
  | 'oversized'; // a 200 with a body of `bytes` bytes

/** A fault rule. */
export interface Fault {
  kind: FaultKind;
  /** Requests this applies to; undefined = all until cleared. */
  count?: number;
  /** Only requests whose path contains this string. */
  path?: string;
  ms?: number;
  status?: number;
  retry_after?: string;
  bytes?: number;
  /** Extra headers for the fault response (e.g. x-ratelimit-reset). */
  headers?: Record<string, string>;
}

/** A queue of active faults. */
export class FaultPlan {
  #faults: Fault[] = [];

  /** Replaces the plan. */
  set(faults: Fault[]): void {
    this.#faults = faults.map((fault) => ({ ...fault }));
  }

  /** Adds one fault. */
  add(fault: Fault): void {
    this.#faults.push({ ...fault });
  }

  /** Removes every fault. */
  clear(): void {
    this.#faults = [];
  }

  /** The faults currently armed. */
  list(): Fault[] {
    return this.#faults.map((fault) => ({ ...fault }));
  }

  /** Takes the faults that apply to a request path, consuming one use of each counted fault. */
  take(path: string): Fault[] {
    const applied: Fault[] = [];
    for (const fault of this.#faults) {
      if (fault.path !== undefined && !path.includes(fault.path)) continue;
      if (fault.count !== undefined) {
        if (fault.count <= 0) continue;
        fault.count -= 1;
      }
      applied.push(fault);
    }
    this.#faults = this.#faults.filter((fault) => fault.count === undefined || fault.count > 0);
    return applied;
  }
}
