/**
 * Connections in typed-array columns sorted by start, instead of one object each, in blocks of 65,536
 * (growing adds a block: nothing is copied, no room is left spare): start (8 bytes),
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
} from "../reconstruct/connections";

/** Code of `open` in {@link CLOSE_CODES}. */
const OPEN = 3;
/** Added to the close code of a failed attempt. */
const FAILED = 4;
/** Gateway indices at or above this are stored as unknown (a NAT gateway has a handful of IPs). */
const MAX_GATEWAYS = 65_535;

/** Connections per block of the columns: growing adds a block, never copies. */
const BLOCK = 65_536;
const SHIFT = 16;
const MASK = BLOCK - 1;

/** Growable columns of connections in start order, in blocks of {@link BLOCK}. */
export class ConnectionStore implements ConnectionSink, ConnectionStoreView {
  private readonly starts: Float64Array[] = [];
  private readonly durations: (Float32Array | Float64Array)[] = [];
  private readonly endpointIds: Int32Array[] = [];
  /** Gateway IP index + 1 (0: none). */
  private readonly gateways: Uint16Array[] = [];
  /** Close code + {@link FAILED} when failed. */
  private readonly kinds: Uint8Array[] = [];
  /** Connections held. */
  length = 0;
  /** Subtracted from the stored starts when read (the trace's time 0 in the writer's seconds). */
  origin = 0;
  /** Bytes carried per endpoint index, when the reader counts them ({@link carried}). */
  private readonly bytes: number[] = [];

  /**
   * @param endpoints endpoints by index (may grow while the store fills)
   * @param gatewayNames gateway IPs by index (may grow while the store fills)
   */
  constructor(
    readonly endpoints: readonly EndpointRef[],
    readonly gatewayNames: readonly string[] = [],
  ) {}

  /** Counts bytes the gateway carried for an endpoint (readers that count bytes per record call it). */
  carried(endpoint: number, bytes: number): void {
    this.bytes[endpoint] = (this.bytes[endpoint] ?? 0) + bytes;
  }

  /** Bytes counted by {@link carried} for an endpoint; undefined when none was counted. */
  bytesCarried(endpoint: number): number | undefined {
    return this.bytes[endpoint];
  }

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
    const b = i >>> SHIFT;
    if (b === this.starts.length) {
      this.starts.push(new Float64Array(BLOCK));
      this.durations.push(new Float32Array(BLOCK));
      this.endpointIds.push(new Int32Array(BLOCK));
      this.gateways.push(new Uint16Array(BLOCK));
      this.kinds.push(new Uint8Array(BLOCK));
    }
    const k = i & MASK;
    this.starts[b][k] = start;
    this.setDuration(i, end - start);
    this.endpointIds[b][k] = endpoint;
    this.gateways[b][k] = gateway >= 0 && gateway < MAX_GATEWAYS ? gateway + 1 : 0;
    this.kinds[b][k] = close + (failed ? FAILED : 0);
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
    const b = handle >>> SHIFT;
    const k = handle & MASK;
    this.setDuration(handle, end - this.starts[b][k]);
    this.kinds[b][k] = close;
    this.gateways[b][k] = gateway >= 0 && gateway < MAX_GATEWAYS ? gateway + 1 : 0;
  }

  private setDuration(i: number, d: number): void {
    const b = i >>> SHIFT;
    let block = this.durations[b];
    if (block instanceof Float32Array && Math.fround(d) !== d) {
      // A duration a 32-bit float cannot hold exactly (sub-second times): 8 bytes in this block.
      block = Float64Array.from(block);
      this.durations[b] = block;
    }
    block[i & MASK] = d;
  }

  /** {@inheritDoc ConnectionStoreView.start} */
  start(i: number): number {
    return this.starts[i >>> SHIFT][i & MASK] - this.origin;
  }

  /** {@inheritDoc ConnectionStoreView.end} */
  end(i: number): number {
    return this.start(i) + this.durations[i >>> SHIFT][i & MASK];
  }

  /** {@inheritDoc ConnectionStoreView.endpoint} */
  endpoint(i: number): number {
    return this.endpointIds[i >>> SHIFT][i & MASK];
  }

  /** {@inheritDoc ConnectionStoreView.duration} */
  duration(i: number): number {
    return this.durations[i >>> SHIFT][i & MASK];
  }

  /** {@inheritDoc ConnectionStoreView.closeCode} */
  closeCode(i: number): number {
    return this.kinds[i >>> SHIFT][i & MASK] & 3;
  }

  /** {@inheritDoc ConnectionStoreView.isFailed} */
  isFailed(i: number): boolean {
    return this.kinds[i >>> SHIFT][i & MASK] >= FAILED;
  }

  /** {@inheritDoc ConnectionStoreView.at} */
  at(i: number): ObservedConnection {
    const e = this.endpoints[this.endpoint(i)];
    const g = this.gateways[i >>> SHIFT][i & MASK];
    const start = this.start(i);
    const end = this.end(i);
    const close = CLOSE_CODES[this.closeCode(i)];
    const failed = this.isFailed(i);
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
