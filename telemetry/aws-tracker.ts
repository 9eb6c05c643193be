/**
 * Connection reconstruction for one network interface of VPC Flow Logs. Records are aggregated per
 * window (60 s or 600 s); a connection is the run of records with one 5-tuple (the SNAT port is the
 * source port), opened by a SYN without ACK (else at its first appearance), closed by FIN or RST in
 * `tcp-flags`, else by the idle timeout once no record follows for that long. Client→gateway SYNs
 * that the gateway never forwards are observed port-allocation failures: per destination and
 * second, client openings beyond the gateway's openings (a neighbouring second absorbs the
 * 1 s timestamp rounding). Live state is swept as time moves on, so memory follows open
 * connections, not records.
 *
 * @module
 */

import { ConnectionColumns } from "./connection-columns";
import type { ObservedClose } from "./connections";
import { FlowTable } from "./flow-table";

/** TCP flag bits as VPC Flow Logs log them (the OR over the window). */
export const TCP_FIN = 1;
/** SYN. */
export const TCP_SYN = 2;
/** RST. */
export const TCP_RST = 4;
/** ACK, logged only together with SYN (SYN-ACK 18). */
export const TCP_ACK = 16;

/** One destination endpoint; connections share its strings. */
export interface Endpoint {
  /** Small integer id (part of the numeric flow keys). */
  readonly id: number;
  readonly address: string;
  readonly port: number;
  readonly protocol: "tcp" | "udp";
}

/** A reconstructed connection, in absolute unix seconds until the trace is assembled. */
export interface RawConnection {
  address: string;
  port: number;
  protocol: "tcp" | "udp";
  start: number;
  end: number;
  close: ObservedClose;
  failed: boolean;
  gatewayIp?: string;
}

interface LiveFlow {
  readonly endpoint: Endpoint;
  first: number;
  last: number;
  flags: number;
  gatewayIp: string | undefined;
}

interface ClientFlow {
  endpoint: Endpoint;
  last: number;
}

/** Low half of a gateway→destination flow's key: the SNAT port and the id of the gateway's private address. */
export function flowLow(snatPort: number, sourceId: number): number {
  return snatPort * 65_536 + sourceId;
}

/** Closing kind from the OR of the flags seen (RST wins: its shorter hold-down is what the gateway applies). */
export function closeOf(flags: number): ObservedClose | undefined {
  if (flags & TCP_RST) return "rst";
  if (flags & TCP_FIN) return "fin";
  return undefined;
}

/** True when the flags mark an opening: SYN without ACK (the client's SYN, not the server's SYN-ACK). */
export function isOpening(flags: number): boolean {
  return (flags & TCP_SYN) !== 0 && (flags & TCP_ACK) === 0;
}

/** Reconstruction state of one interface. */
export class InterfaceTracker {
  /** Gateway→destination flows, keyed by (endpoint id, {@link flowLow}). */
  private live = new FlowTable<LiveFlow>();
  /** Client→gateway flows, keyed by (client address, client port). */
  private clients = new FlowTable<ClientFlow>();
  /** Per endpoint with pending counts, per logged second: client openings minus gateway openings (this interface's only). */
  private readonly pending = new Map<Endpoint, Map<number, number>>();
  /** Connections finished so far (endpoint column: {@link Endpoint.id}; gateway column: index in `gatewayIps`). */
  readonly done = new ConnectionColumns();
  /** Distinct gateway IPs seen (pkt-srcaddr), by first appearance. */
  readonly gatewayIps = new Set<string>();
  /** Index of each gateway IP in `gatewayIps`. */
  private readonly gatewayIndex = new Map<string, number>();
  /** Gateway→destination records. */
  egress = 0;
  /** Client→gateway records with a public pkt-dstaddr (proof this is a NAT gateway's interface). */
  transit = 0;
  /** Records that contributed. */
  used = 0;
  /** Earliest start and latest end of the records used. */
  minStart = Number.POSITIVE_INFINITY;
  maxEnd = Number.NEGATIVE_INFINITY;
  /** `file:line` where this interface was first seen. */
  firstFile = "";
  firstLine = 0;

  /** Flows still live (not yet finished). */
  get liveCount(): number {
    return this.live.size + this.clients.size;
  }

  /** @param idleSeconds the gateway's idle timeout: a gap this long ends a connection */
  constructor(private readonly idleSeconds: number) {}

  private span(start: number, end: number): void {
    this.used++;
    if (start < this.minStart) this.minStart = start;
    if (end > this.maxEnd) this.maxEnd = end;
  }

  /** A gateway→destination record. `flags` is -1 when the format has no tcp-flags. */
  egressRecord(
    low: number,
    endpoint: Endpoint,
    start: number,
    end: number,
    flags: number,
    gatewayIp: string | undefined,
  ): void {
    this.egress++;
    this.span(start, end);
    let flow = this.live.get(endpoint.id, low);
    const opening = flags >= 0 && isOpening(flags);
    if (
      flow !== undefined &&
      (start > flow.last + this.idleSeconds ||
        (opening && closeOf(flow.flags) !== undefined && start >= flow.last))
    ) {
      // The port was reused for a new connection to the same destination.
      this.finish(flow, undefined);
      flow = undefined;
    }
    if (flow === undefined) {
      flow = { endpoint, first: start, last: end, flags: 0, gatewayIp };
      this.live.set(endpoint.id, low, flow);
      if (flags < 0 || opening) this.countOpening(endpoint, start, -1);
    } else {
      if (start < flow.first) flow.first = start;
      if (end > flow.last) flow.last = end;
    }
    if (flags > 0) flow.flags |= flags;
    if (gatewayIp !== undefined) {
      flow.gatewayIp = gatewayIp;
      if (!this.gatewayIndex.has(gatewayIp)) {
        this.gatewayIndex.set(gatewayIp, this.gatewayIps.size);
        this.gatewayIps.add(gatewayIp);
      }
    }
  }

  /** A destination→gateway record (a response): its flags and times belong to the live flow, if any. */
  responseRecord(endpointId: number, low: number, start: number, end: number, flags: number): boolean {
    const flow = this.live.get(endpointId, low);
    if (flow === undefined) return false;
    this.span(start, end);
    if (end > flow.last) flow.last = end;
    if (flags > 0) flow.flags |= flags & (TCP_FIN | TCP_RST);
    return true;
  }

  /** A client→gateway record towards a public destination (pkt-dstaddr); `flags` -1 for UDP or without tcp-flags. */
  clientRecord(
    client: number,
    clientPort: number,
    endpoint: Endpoint,
    start: number,
    end: number,
    flags: number,
  ): void {
    this.transit++;
    this.span(start, end);
    const flow = this.clients.get(client, clientPort);
    if (flow !== undefined && flow.endpoint === endpoint && start <= flow.last + this.idleSeconds) {
      if (end > flow.last) flow.last = end;
      return;
    }
    this.clients.set(client, clientPort, { endpoint, last: end });
    if (flags < 0 || isOpening(flags)) this.countOpening(endpoint, start, 1);
  }

  private countOpening(endpoint: Endpoint, second: number, delta: number): void {
    let diffs = this.pending.get(endpoint);
    if (diffs === undefined) {
      diffs = new Map();
      this.pending.set(endpoint, diffs);
    }
    diffs.set(second, (diffs.get(second) ?? 0) + delta);
  }

  private finish(flow: LiveFlow, close: ObservedClose | undefined): void {
    const e = flow.endpoint;
    const kind = close ?? (e.protocol === "tcp" ? closeOf(flow.flags) : undefined) ?? "idle";
    const g = flow.gatewayIp === undefined ? -1 : (this.gatewayIndex.get(flow.gatewayIp) ?? -1);
    this.done.push(flow.first, flow.last, e.id, kind, false, g);
  }

  /** Live state that can no longer change: flows, client flows and opening counts older than `horizon`. */
  sweep(horizon: number): void {
    this.live.retain((flow) => {
      if (flow.last >= horizon) return true;
      this.finish(flow, undefined);
      return false;
    });
    this.clients.retain((flow) => flow.last >= horizon);
    this.resolveFailures(horizon);
  }

  /** Turns unmatched client openings before `horizon` into failed attempts (only when clients were seen). */
  private resolveFailures(horizon: number): void {
    for (const [endpoint, diffs] of this.pending) {
      const seconds = [...diffs.keys()].filter((s) => s < horizon).sort((a, b) => a - b);
      let prev = Number.NaN;
      let prevPos = 0;
      let prevNeg = 0;
      const emit = () => {
        if (this.transit === 0) return;
        for (let i = 0; i < prevPos; i++) {
          this.done.push(prev, prev, endpoint.id, "rst", true, -1);
        }
      };
      for (const s of seconds) {
        let d = diffs.get(s)!;
        diffs.delete(s);
        if (s - prev === 1) {
          // A neighbouring second absorbs the timestamp rounding between the two legs.
          const fromPrevGateway = Math.min(Math.max(d, 0), prevNeg);
          d -= fromPrevGateway;
          const fromPrevClient = Math.min(Math.max(-d, 0), prevPos);
          d += fromPrevClient;
          prevPos -= fromPrevClient;
        }
        emit();
        prev = s;
        prevPos = Math.max(d, 0);
        prevNeg = Math.max(-d, 0);
      }
      emit();
      if (diffs.size === 0) this.pending.delete(endpoint);
    }
  }

  /** Ends the trace at `traceEnd`: flows without FIN or RST seen within the idle timeout stay open. */
  finishAll(traceEnd: number): void {
    this.live.forEach((flow) => {
      const closed = flow.endpoint.protocol === "tcp" ? closeOf(flow.flags) : undefined;
      this.finish(flow, closed ?? (flow.last >= traceEnd - this.idleSeconds ? "open" : "idle"));
    });
    this.live = new FlowTable();
    this.clients = new FlowTable();
    this.resolveFailures(Number.POSITIVE_INFINITY);
  }
}
