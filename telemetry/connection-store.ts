/**
 * Connections in typed-array columns sorted by start, instead of one object each: start (8 bytes),
 * duration (4 bytes while every duration is exact in a 32-bit float, as whole seconds are; else 8),
 * endpoint index (4), close kind and failed (1), gateway IP index (2): 19 bytes a connection. The
 * flow-log reader fills one in start order as a {@link ConnectionSink}; replay reads one; objects
 * are built only when asked for.
 *
 * @module
 */
import {
  CLOSE_CODES,
  type ConnectionSink,
  type ConnectionStoreView,
  type EndpointRef,
  type ObservedConnection,
} from "./connections";

/** Code of `open` in {@link CLOSE_CODES}. */
const OPEN = 3;
/** Added to the close code of a failed attempt. */
const FAILED = 4;
/** Gateway indices at or above this are stored as unknown (a NAT gateway has a handful of IPs). */
const MAX_GATEWAYS = 65_535;

/** Growable columns of connections in start order. */
export class ConnectionStore implements ConnectionSink, ConnectionStoreView {
  private starts = new Float64Array(1024);
  private durations: Float32Array | Float64Array = new Float32Array(1024);
  private endpointIds = new Int32Array(1024);
  /** Gateway IP index + 1 (0: none). */
  private gateways = new Uint16Array(1024);
  /** Close code + {@link FAILED} when failed. */
  private kinds = new Uint8Array(1024);
  /** Connections held. */
  length = 0;
  /** Subtracted from the stored starts when read (the trace's time 0 in the writer's seconds). */
  origin = 0;

  /**
   * @param endpoints endpoints by index (may grow while the store fills)
   * @param gatewayNames gateway IPs by index (may grow while the store fills)
   */
  constructor(
    readonly endpoints: readonly EndpointRef[],
    readonly gatewayNames: readonly string[] = [],
  ) {}

  /**
   * A store of connections given as objects (sorted by start), with their endpoints indexed in order
   * of first appearance.
   */
  static fromConnections(connections: Iterable<ObservedConnection>): ConnectionStore {
    const endpoints: EndpointRef[] = [];
    const gatewayNames: string[] = [];
    const endpointIndex = new Map<string, number>();
    const gatewayIndex = new Map<string, number>();
    const store = new ConnectionStore(endpoints, gatewayNames);
    for (const c of connections) {
      const key = `${c.address}:${c.port}/${c.protocol}`;
      let e = endpointIndex.get(key);
      if (e === undefined) {
        e = endpoints.length;
        endpointIndex.set(key, e);
        endpoints.push({ address: c.address, port: c.port, protocol: c.protocol });
      }
      let g = -1;
      if (c.gatewayIp !== undefined) {
        g = gatewayIndex.get(c.gatewayIp) ?? gatewayNames.length;
        if (g === gatewayNames.length) {
          gatewayIndex.set(c.gatewayIp, g);
          gatewayNames.push(c.gatewayIp);
        }
      }
      store.add(e, c.start, c.end, CLOSE_CODES.indexOf(c.close), c.failed, g);
    }
    return store;
  }

  /** {@inheritDoc ConnectionSink.add} */
  add(endpoint: number, start: number, end: number, close: number, failed: boolean, gateway: number): void {
    const i = this.length;
    if (i === this.starts.length) this.grow(i * 2);
    this.starts[i] = start;
    this.setDuration(i, end - start);
    this.endpointIds[i] = endpoint;
    this.gateways[i] = gateway >= 0 && gateway < MAX_GATEWAYS ? gateway + 1 : 0;
    this.kinds[i] = close + (failed ? FAILED : 0);
    this.length = i + 1;
  }

  /** {@inheritDoc ConnectionSink.open} */
  open(endpoint: number, start: number, gateway: number): number {
    const i = this.length;
    this.add(endpoint, start, start, OPEN, false, gateway);
    return i;
  }

  /** {@inheritDoc ConnectionSink.close} */
  close(handle: number, end: number, close: number, gateway: number): void {
    this.setDuration(handle, end - this.starts[handle]);
    this.kinds[handle] = close;
    this.gateways[handle] = gateway >= 0 && gateway < MAX_GATEWAYS ? gateway + 1 : 0;
  }

  private setDuration(i: number, d: number): void {
    if (this.durations instanceof Float32Array && Math.fround(d) !== d) {
      // A duration a 32-bit float cannot hold exactly (sub-second times): 8 bytes from here on.
      this.durations = Float64Array.from(this.durations);
    }
    this.durations[i] = d;
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Float32Array | Int32Array | Uint16Array | Uint8Array>(
      a: T,
      b: T,
    ) => {
      b.set(a);
      return b;
    };
    this.starts = copy(this.starts, new Float64Array(capacity));
    this.durations =
      this.durations instanceof Float32Array
        ? copy(this.durations, new Float32Array(capacity))
        : copy(this.durations, new Float64Array(capacity));
    this.endpointIds = copy(this.endpointIds, new Int32Array(capacity));
    this.gateways = copy(this.gateways, new Uint16Array(capacity));
    this.kinds = copy(this.kinds, new Uint8Array(capacity));
  }

  /** {@inheritDoc ConnectionStoreView.start} */
  start(i: number): number {
    return this.starts[i] - this.origin;
  }

  /** {@inheritDoc ConnectionStoreView.end} */
  end(i: number): number {
    return this.start(i) + this.durations[i];
  }

  /** {@inheritDoc ConnectionStoreView.endpoint} */
  endpoint(i: number): number {
    return this.endpointIds[i];
  }

  /** {@inheritDoc ConnectionStoreView.duration} */
  duration(i: number): number {
    return this.durations[i];
  }

  /** {@inheritDoc ConnectionStoreView.closeCode} */
  closeCode(i: number): number {
    return this.kinds[i] & 3;
  }

  /** {@inheritDoc ConnectionStoreView.isFailed} */
  isFailed(i: number): boolean {
    return this.kinds[i] >= FAILED;
  }

  /** {@inheritDoc ConnectionStoreView.at} */
  at(i: number): ObservedConnection {
    const e = this.endpoints[this.endpointIds[i]];
    const g = this.gateways[i];
    const start = this.start(i);
    const end = this.end(i);
    const close = CLOSE_CODES[this.kinds[i] & 3];
    const failed = this.kinds[i] >= FAILED;
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
          gatewayIp: this.gatewayNames[g - 1],
        };
  }

  /** The connections as objects, one at a time. */
  *[Symbol.iterator](): Generator<ObservedConnection> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}
