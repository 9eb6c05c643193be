/**
 * Finished connections of the flow-log reader kept in typed-array columns (start, end, endpoint
 * index, close kind, failed, gateway IP index: 14 bytes each) instead of one object each, so the
 * reader's memory stays small while it reads; objects are built once, sorted by start, at the end.
 *
 * @module
 */
import type { ObservedClose, ObservedConnection } from "./connections";

/** Close kinds by code (the `close` column). */
const CLOSES: readonly ObservedClose[] = ["fin", "rst", "idle", "open"];

/** What the columns' endpoint index points to. */
export interface ColumnEndpoint {
  readonly address: string;
  readonly port: number;
  readonly protocol: "tcp" | "udp";
}

/** Growable columns of finished connections (times in the reader's own seconds). */
export class ConnectionColumns {
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private endpointIds = new Int32Array(1024);
  /** Gateway IP index + 1 (0: none). */
  private gateways = new Int32Array(1024);
  /** Close code (index in CLOSES) + 4 when failed. */
  private kinds = new Uint8Array(1024);
  /** Connections held. */
  length = 0;

  /** Adds one connection; `gateway` is an index into the gateway names, -1 for none. */
  push(
    start: number,
    end: number,
    endpointId: number,
    close: ObservedClose,
    failed: boolean,
    gateway: number,
  ): void {
    const i = this.length;
    if (i === this.starts.length) this.grow(i * 2);
    this.starts[i] = start;
    this.ends[i] = end;
    this.endpointIds[i] = endpointId;
    this.gateways[i] = gateway + 1;
    this.kinds[i] = CLOSES.indexOf(close) + (failed ? 4 : 0);
    this.length = i + 1;
  }

  private grow(capacity: number): void {
    const copy = <T extends Int32Array | Uint8Array>(a: T, b: T) => {
      b.set(a);
      return b;
    };
    this.starts = copy(this.starts, new Int32Array(capacity));
    this.ends = copy(this.ends, new Int32Array(capacity));
    this.endpointIds = copy(this.endpointIds, new Int32Array(capacity));
    this.gateways = copy(this.gateways, new Int32Array(capacity));
    this.kinds = copy(this.kinds, new Uint8Array(capacity));
  }

  /**
   * Indices of the connections in start order (stable: ties keep the order they finished in). A
   * counting sort by start second: linear in connections plus the trace's span.
   */
  startOrder(): Uint32Array {
    const n = this.length;
    let lo = 0;
    let hi = -1;
    for (let i = 0; i < n; i++) {
      const s = this.starts[i];
      if (i === 0 || s < lo) lo = s;
      if (s > hi) hi = s;
    }
    const order = new Uint32Array(n);
    if (hi - lo > 4 * n + 10_000_000) {
      // A span too long for one counter per second: a comparison sort (stable) instead.
      const sorted = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => this.starts[a] - this.starts[b] || a - b,
      );
      order.set(sorted);
      return order;
    }
    const firstAt = new Uint32Array(Math.max(hi - lo + 2, 1));
    for (let i = 0; i < n; i++) firstAt[this.starts[i] - lo + 1]++;
    for (let s = 1; s < firstAt.length; s++) firstAt[s] += firstAt[s - 1];
    for (let i = 0; i < n; i++) order[firstAt[this.starts[i] - lo]++] = i;
    return order;
  }

  /**
   * Connection `i` as an object, times shifted by `-t0`.
   *
   * @param endpoints endpoints by index
   * @param gatewayNames gateway IPs by index
   */
  at(
    i: number,
    endpoints: readonly ColumnEndpoint[],
    gatewayNames: readonly string[],
    t0: number,
  ): ObservedConnection {
    const e = endpoints[this.endpointIds[i]];
    const kind = this.kinds[i];
    const g = this.gateways[i];
    const start = this.starts[i] - t0;
    const end = this.ends[i] - t0;
    const close = CLOSES[kind & 3];
    const failed = kind >= 4;
    // Without a gateway IP the field is left out (not undefined), as the trace's contract says.
    return g === 0
      ? { address: e.address, port: e.port, protocol: e.protocol, start, end, close, failed }
      : {
          address: e.address,
          port: e.port,
          protocol: e.protocol,
          start,
          end,
          close,
          failed,
          gatewayIp: gatewayNames[g - 1],
        };
  }
}
