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

import { ipText } from "./aws-scan";
import type { ConnectionSink, ObservedClose } from "./connections";
import { ClientFlows, FinishedBuffer, LiveFlows } from "./flow-state";
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

/** Close codes (index in CLOSE_CODES). */
const FIN = 0;
const RST = 1;
const IDLE = 2;
const OPEN = 3;

/**
 * Seconds a record may reach back before the newest records' sweep horizon: the longest flow-log
 * aggregation window (600 s). Connections starting earlier than the horizon by more than this are
 * final and handed to the sink.
 */
export const RECORD_SPAN_SECONDS = 600;

/**
 * Low half of a gateway→destination flow's key: the SNAT port and the id of the gateway's private
 * address, as a signed 32-bit integer (as the flow table keeps it), so that passing it on never
 * boxes a number.
 */
export function flowLow(snatPort: number, sourceId: number): number {
  return (snatPort * 65_536 + sourceId) | 0;
}

/** Closing kind from the OR of the flags seen (RST wins: its shorter hold-down is what the gateway applies). */
export function closeOf(flags: number): ObservedClose | undefined {
  if (flags & TCP_RST) return "rst";
  if (flags & TCP_FIN) return "fin";
  return undefined;
}

/** {@link closeOf} as a close code, -1 for none. */
function closeCodeOf(flags: number): number {
  return flags & TCP_RST ? RST : flags & TCP_FIN ? FIN : -1;
}

/** True when the flags mark an opening: SYN without ACK (the client's SYN, not the server's SYN-ACK). */
export function isOpening(flags: number): boolean {
  return (flags & TCP_SYN) !== 0 && (flags & TCP_ACK) === 0;
}

/** Reconstruction state of one interface. */
export class InterfaceTracker {
  /**
   * Gateway→destination flows, keyed by (endpoint id, {@link flowLow}): slots of `flows`. Sweeps
   * finish and hand out flows in this table's slot order, which breaks ties between connections
   * starting in the same second: its layout (hash, doubling when half full) is part of the output.
   */
  private live = new FlowTable();
  private readonly flows = new LiveFlows();
  /** Client→gateway flows, keyed by (client address, client port): slots of `clientFlows`. */
  private clients = new FlowTable();
  private readonly clientFlows = new ClientFlows();
  /** Per endpoint with pending counts, per logged second: client openings minus gateway openings (this interface's only). */
  private readonly pending = new Map<number, Map<number, number>>();
  /**
   * Lower bounds of the live flows' first and last packet and of the client flows' last packet:
   * a sweep skips the scans of a table where nothing can be old enough (reading starts with such
   * sweeps, and any stretch of logs shorter than the sweep lag has them).
   */
  private lowestFirst = Number.POSITIVE_INFINITY;
  private lowestLast = Number.POSITIVE_INFINITY;
  private lowestClientLast = Number.POSITIVE_INFINITY;
  /** Connections finished and not yet handed to the sink. */
  private readonly finished = new FinishedBuffer();
  /** Distinct gateway IPs seen (pkt-srcaddr), by first appearance. */
  readonly gatewayIps: string[] = [];
  /** Index of each gateway IP (as a number) in `gatewayIps`. */
  private readonly gatewayIndex = new Map<number, number>();
  private lastGateway = -1;
  private lastGatewayIndex = -1;
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

  /** Connections handed to the sink so far (failed attempts included). */
  get connectionCount(): number {
    return this.finished.released;
  }

  /** Receives the connections in start order. */
  readonly sink: ConnectionSink;

  /**
   * @param idleSeconds the gateway's idle timeout: a gap this long ends a connection
   * @param makeSink makes the sink, given the gateway IPs by index (the array grows while reading)
   * @param isTcp whether an endpoint (by id) is TCP
   */
  constructor(
    private readonly idleSeconds: number,
    makeSink: (gatewayIps: readonly string[]) => ConnectionSink,
    private readonly isTcp: (endpoint: number) => boolean,
  ) {
    this.sink = makeSink(this.gatewayIps);
  }

  private span(start: number, end: number): void {
    this.used++;
    if (start < this.minStart) this.minStart = start;
    if (end > this.maxEnd) this.maxEnd = end;
  }

  /** Index of a gateway IP (pkt-srcaddr as a number), -1 for none (`ip` < 0). */
  gatewayOf(ip: number): number {
    if (ip < 0) return -1;
    if (ip === this.lastGateway) return this.lastGatewayIndex;
    let g = this.gatewayIndex.get(ip);
    if (g === undefined) {
      g = this.gatewayIps.length;
      this.gatewayIndex.set(ip, g);
      this.gatewayIps.push(ipText(ip));
    }
    this.lastGateway = ip;
    this.lastGatewayIndex = g;
    return g;
  }

  /** A gateway→destination record. `flags` is -1 when the format has no tcp-flags; `gateway` -1 when not logged. */
  egressRecord(
    low: number,
    endpoint: number,
    start: number,
    end: number,
    flags: number,
    gateway: number,
  ): void {
    this.egress++;
    this.span(start, end);
    const f = this.flows;
    let slot = this.live.get(endpoint, low);
    const opening = flags >= 0 && isOpening(flags);
    if (
      slot >= 0 &&
      (start > f.last[slot] + this.idleSeconds ||
        (opening && closeCodeOf(f.flags[slot]) >= 0 && start >= f.last[slot]))
    ) {
      // The port was reused for a new connection to the same destination.
      this.finish(slot, -1);
      slot = -1;
    }
    if (slot < 0) {
      slot = f.alloc(endpoint, start, end, gateway);
      this.live.set(endpoint, low, slot);
      if (start < this.lowestFirst) this.lowestFirst = start;
      if (end < this.lowestLast) this.lowestLast = end;
      if (flags < 0 || opening) this.countOpening(endpoint, start, -1);
    } else {
      if (start < f.first[slot] && f.handle[slot] < 0) {
        f.first[slot] = start;
        if (start < this.lowestFirst) this.lowestFirst = start;
      }
      if (end > f.last[slot]) f.last[slot] = end;
      if (gateway >= 0) f.gateway[slot] = gateway;
    }
    if (flags > 0) f.flags[slot] |= flags;
  }

  /** A destination→gateway record (a response): its flags and times belong to the live flow, if any. */
  responseRecord(endpoint: number, low: number, start: number, end: number, flags: number): boolean {
    const slot = this.live.get(endpoint, low);
    if (slot < 0) return false;
    this.span(start, end);
    const f = this.flows;
    if (end > f.last[slot]) f.last[slot] = end;
    if (flags > 0) f.flags[slot] |= flags & (TCP_FIN | TCP_RST);
    return true;
  }

  /** A client→gateway record towards a public destination (pkt-dstaddr); `flags` -1 for UDP or without tcp-flags. */
  clientRecord(
    client: number,
    clientPort: number,
    endpoint: number,
    start: number,
    end: number,
    flags: number,
  ): void {
    this.transit++;
    this.span(start, end);
    const c = this.clientFlows;
    const slot = this.clients.get(client, clientPort);
    if (slot >= 0 && c.endpoint[slot] === endpoint && start <= c.last[slot] + this.idleSeconds) {
      if (end > c.last[slot]) c.last[slot] = end;
      return;
    }
    if (slot >= 0) {
      c.endpoint[slot] = endpoint;
      c.last[slot] = end;
    } else this.clients.set(client, clientPort, c.alloc(endpoint, end));
    if (end < this.lowestClientLast) this.lowestClientLast = end;
    if (flags < 0 || isOpening(flags)) this.countOpening(endpoint, start, 1);
  }

  private countOpening(endpoint: number, second: number, delta: number): void {
    let diffs = this.pending.get(endpoint);
    if (diffs === undefined) {
      diffs = new Map();
      this.pending.set(endpoint, diffs);
    }
    diffs.set(second, (diffs.get(second) ?? 0) + delta);
  }

  /** Ends the flow in `slot` (close code `close`, or -1: from its flags, else idle) and frees the slot. */
  private finish(slot: number, close: number): void {
    const f = this.flows;
    const e = f.endpoint[slot];
    const kind =
      close >= 0
        ? close
        : this.isTcp(e) && closeCodeOf(f.flags[slot]) >= 0
          ? closeCodeOf(f.flags[slot])
          : IDLE;
    const h = f.handle[slot];
    if (h >= 0) this.sink.close(h, f.last[slot], kind, f.gateway[slot]);
    else this.finished.push(f.first[slot], f.last[slot], e, kind, false, f.gateway[slot]);
    f.release(slot);
  }

  /**
   * Finishes live state that can no longer change (flows, client flows and opening counts older
   * than `horizon`), then hands the sink what starts more than a flow-log window before it.
   */
  sweep(horizon: number): void {
    const f = this.flows;
    if (horizon > this.lowestLast) {
      let first = Number.POSITIVE_INFINITY;
      let last = Number.POSITIVE_INFINITY;
      this.live.retain((slot) => {
        if (f.last[slot] >= horizon) {
          if (f.first[slot] < first) first = f.first[slot];
          if (f.last[slot] < last) last = f.last[slot];
          return true;
        }
        this.finish(slot, -1);
        return false;
      });
      this.lowestFirst = first;
      this.lowestLast = last;
    }
    const c = this.clientFlows;
    if (horizon > this.lowestClientLast) {
      let last = Number.POSITIVE_INFINITY;
      this.clients.retain((slot) => {
        if (c.last[slot] >= horizon) {
          if (c.last[slot] < last) last = c.last[slot];
          return true;
        }
        c.release(slot);
        return false;
      });
      this.lowestClientLast = last;
    }
    this.resolveFailures(horizon);
    const watermark = horizon - RECORD_SPAN_SECONDS;
    this.finished.release(watermark, this.sink, f, (visit) => {
      if (watermark > this.lowestFirst) this.live.forEach(visit);
    });
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
        for (let i = 0; i < prevPos; i++) this.finished.push(prev, prev, endpoint, RST, true, -1);
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
    const f = this.flows;
    this.live.forEach((slot) => {
      const closed = this.isTcp(f.endpoint[slot]) ? closeCodeOf(f.flags[slot]) : -1;
      this.finish(slot, closed >= 0 ? closed : f.last[slot] >= traceEnd - this.idleSeconds ? OPEN : IDLE);
    });
    this.live = new FlowTable();
    this.clients = new FlowTable();
    this.resolveFailures(Number.POSITIVE_INFINITY);
    this.finished.release(Number.POSITIVE_INFINITY, this.sink, f, () => {});
  }
}
