/**
 * Connection reconstruction for one network interface of VPC Flow Logs, independent of the order
 * the records arrive in. Every record is kept with its flow until the flow is final (no record
 * within the accepted lateness can still reach it); then the flow's records are sorted and split
 * into connections (telemetry/reconstruct/flow-records.ts: a SYN after a FIN or RST, or a gap longer than the idle
 * timeout, starts a new one).
 *
 * - Gateway flows are keyed by the destination endpoint, the translated private address
 *   (`pkt-srcaddr`, one per Elastic IP; `srcaddr` when not logged) and the SNAT port; a flow holds
 *   the gateway→destination records and the replies (destination→gateway, keyed by `pkt-dstaddr`).
 *   A flow whose records show an inbound connection (a SYN from the remote side, a SYN-ACK from the
 *   interface) is a server's, not a translation: counted and left out.
 * - Client flows are keyed by the client's address and port and the destination (`pkt-dstaddr`); a
 *   flow holds the client→gateway records and the gateway→client ones (`pkt-srcaddr` the
 *   destination). An attempt (a client SYN, or any client UDP record) that never got a packet back
 *   through the gateway is a port-allocation failure, counted once however often the client
 *   retransmitted its SYN.
 *
 * Final connections go to a {@link FinishedBuffer} and reach the sink in start order.
 *
 * @module
 */

import type { ConnectionSink } from "../../reconstruct/connections";
import {
  BACKWARD,
  FORWARD,
  isOpening,
  RecordPool,
  SYN_RETRY_SECONDS,
  segmentStarts,
  sortedRecords,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
} from "../../reconstruct/flow-records";
import { FinishedBuffer, LiveFlows, type TieRanks } from "../../reconstruct/flow-state";
import { FlowTable } from "../../reconstruct/flow-table";
import { INBOUND_CONNECTION, RECORD_SPAN_SECONDS, type TrackerContext } from "./flow-keys";
import { ipText } from "./scan";

export { isOpening, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from "../../reconstruct/flow-records";
export {
  type Endpoint,
  flowLow,
  INBOUND_CONNECTION,
  RECORD_SPAN_SECONDS,
  type TrackerContext,
} from "./flow-keys";

/** Close codes (index in CLOSE_CODES). */
const FIN = 0;
const RST = 1;
const IDLE = 2;
const OPEN = 3;

/** Close code of the OR of a connection's flags (RST wins: its hold-down is what the gateway applies), -1 for none. */
function closeCodeOf(flags: number): number {
  return flags & TCP_RST ? RST : flags & TCP_FIN ? FIN : -1;
}

/** Reconstruction state of one interface. */
export class InterfaceTracker {
  private gatewayKeys = new FlowTable();
  private readonly flows = new LiveFlows();
  private clientKeys = new FlowTable();
  private readonly clients = new LiveFlows();
  private readonly records = new RecordPool();
  /** Connections finished and not yet handed to the sink. */
  private readonly finished = new FinishedBuffer();
  /** Distinct gateway IPs seen (the translated private addresses), by first appearance. */
  readonly gatewayIps: string[] = [];
  private readonly gatewayIndex = new Map<number, number>();
  /** The gateway IPs as numbers, by index. */
  private readonly gatewayNumbers: number[] = [];
  /** Orders ties between connections starting in the same second. */
  private readonly ranks: TieRanks = {
    endpoint: (e) => this.context.rank(e),
    gateway: (g) => (g < 0 ? -1 : this.gatewayNumbers[g]),
  };
  /** Gateway→destination records. */
  egress = 0;
  /** Client→gateway records with a public pkt-dstaddr (proof this is a NAT gateway's interface). */
  transit = 0;
  /** Gateway→client records (what tells a carried attempt from a failed one). */
  returns = 0;
  /** Records of inbound connections (a server's interface). */
  inbound = 0;
  /** Records that contributed. */
  used = 0;
  /** Earliest start and latest end of the records kept. */
  minStart = Number.POSITIVE_INFINITY;
  maxEnd = Number.NEGATIVE_INFINITY;
  /** `file:line` where this interface was first seen. */
  firstFile = "";
  firstLine = 0;

  /** Flows still live (not yet finished). */
  get liveCount(): number {
    return this.records.size;
  }

  /** Connections handed to the sink so far (failed attempts included). */
  get connectionCount(): number {
    return this.finished.released;
  }

  /** Receives the connections in start order. */
  readonly sink: ConnectionSink;

  /** @param makeSink makes the sink, given the gateway IPs by index (the array grows while reading) */
  constructor(
    private readonly context: TrackerContext,
    makeSink: (gatewayIps: readonly string[]) => ConnectionSink,
  ) {
    this.sink = makeSink(this.gatewayIps);
  }

  /** Index of a gateway IP (a translated private address as a number), -1 for none (`ip` < 0). */
  gatewayOf(ip: number): number {
    if (ip < 0) return -1;
    let g = this.gatewayIndex.get(ip);
    if (g === undefined) {
      g = this.gatewayIps.length;
      this.gatewayIndex.set(ip, g);
      this.gatewayIps.push(ipText(ip));
      this.gatewayNumbers.push(ip);
    }
    return g;
  }

  /**
   * A record of a gateway flow: gateway→destination (`dir` FORWARD) or its reply. `flags` is -1
   * without tcp-flags (or for UDP), `gateway` -1 when not logged.
   */
  gatewayRecord(
    endpoint: number,
    low: number,
    dir: number,
    start: number,
    end: number,
    flags: number,
    bytes: number,
    gateway: number,
    file: number,
    line: number,
  ): void {
    if (
      this.keep(
        this.flows,
        this.gatewayKeys,
        endpoint,
        low,
        dir,
        start,
        end,
        flags,
        bytes,
        gateway,
        file,
        line,
      )
    ) {
      if (dir === FORWARD) this.egress++;
    }
  }

  /** A record of a client flow: client→gateway (`dir` FORWARD, pkt-dstaddr the destination) or gateway→client. */
  clientRecord(
    client: number,
    low: number,
    endpoint: number,
    dir: number,
    start: number,
    end: number,
    flags: number,
    bytes: number,
    file: number,
    line: number,
  ): void {
    if (
      this.keep(
        this.clients,
        this.clientKeys,
        client | 0,
        low,
        dir,
        start,
        end,
        flags,
        bytes,
        -1,
        file,
        line,
        endpoint,
      )
    ) {
      if (dir === FORWARD) this.transit++;
      else this.returns++;
    }
  }

  /** Chains a record to its flow (a new one when none is live); false for a duplicate, counted as skipped. */
  private keep(
    flows: LiveFlows,
    keys: FlowTable,
    hi: number,
    lo: number,
    dir: number,
    start: number,
    end: number,
    flags: number,
    bytes: number,
    gateway: number,
    file: number,
    line: number,
    endpoint = hi,
  ): boolean {
    let slot = keys.get(hi, lo);
    if (slot < 0) {
      slot = flows.alloc(endpoint, gateway);
      keys.set(hi, lo, slot);
    } else if (this.records.holds(flows.head[slot], start, end, flags, dir, bytes)) {
      this.context.skips.add(
        "duplicate record (the same window delivered twice)",
        this.context.files[file],
        line,
      );
      return false;
    }
    flows.head[slot] = this.records.alloc(start, end, flags, dir, bytes, file, line, flows.head[slot]);
    flows.count[slot]++;
    if (start < flows.first[slot]) flows.first[slot] = start;
    if (end > flows.last[slot]) flows.last[slot] = end;
    if (gateway >= 0) flows.gateway[slot] = gateway;
    this.used++;
    if (start < this.minStart) this.minStart = start;
    if (end > this.maxEnd) this.maxEnd = end;
    return true;
  }

  /**
   * Ends what is final once every record still to come starts at or after `horizon` + the idle
   * timeout: flows whose last packet is before `horizon` (all their connections), and the
   * connections of other flows that a later one follows in that final part. Then hands the sink
   * what starts more than a flow-log window before `horizon`.
   */
  sweep(horizon: number): void {
    const finalBefore = horizon + this.context.idleSeconds;
    const f = this.flows;
    this.gatewayKeys.retain((slot) => {
      if (f.last[slot] < horizon) {
        this.flushGateway(slot, finalBefore, true, Number.POSITIVE_INFINITY);
        f.release(slot);
        return false;
      }
      if (f.count[slot] > 1 && f.first[slot] < horizon) this.flushGateway(slot, finalBefore, false, 0);
      return true;
    });
    const c = this.clients;
    this.clientKeys.retain((slot) => {
      if (c.last[slot] >= horizon) return true;
      this.flushClient(slot);
      c.release(slot);
      return false;
    });
    const watermark = horizon - RECORD_SPAN_SECONDS;
    this.finished.release(
      watermark,
      this.sink,
      f,
      (visit) =>
        this.gatewayKeys.forEach((slot) => {
          if (f.first[slot] < watermark && this.opensOut(slot)) visit(slot);
        }),
      this.ranks,
    );
  }

  /** True when the flow's first record is a forward one (a connection of ours, not a bare reply). */
  private opensOut(slot: number): boolean {
    const p = this.records;
    const first = this.flows.first[slot];
    for (let i = this.flows.head[slot]; i >= 0; i = p.next[i]) {
      if (p.start[i] === first && p.dir[i] === FORWARD) return true;
    }
    return false;
  }

  /**
   * Turns the gateway flow in `slot` into connections: all of them when `all` (then `traceEnd`
   * tells a connection still open from one ended idle), else those followed by another connection
   * whose first record starts before `finalBefore`. Their records leave the pool.
   */
  private flushGateway(slot: number, finalBefore: number, all: boolean, traceEnd: number): void {
    const p = this.records;
    const f = this.flows;
    const ids = sortedRecords(p, f.head[slot]);
    const starts = segmentStarts(p, ids, this.context.idleSeconds);
    let done = starts.length;
    if (!all) {
      while (done > 0 && p.start[ids[starts[done - 1]]] >= finalBefore) done--;
      done--; // the last final segment may still grow
      if (done <= 0) return;
    }
    for (let s = 0; s < done; s++) {
      const to = s + 1 < starts.length ? starts[s + 1] : ids.length;
      this.emitGateway(slot, ids, starts[s], to, s + 1 < starts.length ? Number.POSITIVE_INFINITY : traceEnd);
    }
    // Rechain what is left (the connections not final yet).
    const from = done < starts.length ? starts[done] : ids.length;
    let head = -1;
    for (let k = ids.length - 1; k >= 0; k--) {
      if (k < from) p.release(ids[k]);
      else {
        p.next[ids[k]] = head;
        head = ids[k];
      }
    }
    f.head[slot] = head;
    f.count[slot] = ids.length - from;
    f.first[slot] = from < ids.length ? p.start[ids[from]] : Number.POSITIVE_INFINITY;
  }

  /** One connection from the sorted records `ids[from, to)` of gateway flow `slot`. */
  private emitGateway(
    slot: number,
    ids: readonly number[],
    from: number,
    to: number,
    traceEnd: number,
  ): void {
    const p = this.records;
    const f = this.flows;
    let last = Number.NEGATIVE_INFINITY;
    let flags = 0;
    let forward = false;
    let inbound = false;
    let bytes = 0;
    for (let k = from; k < to; k++) {
      const i = ids[k];
      const fl = p.flags[i];
      if (p.bytes[i] > 0) bytes += p.bytes[i];
      if (p.end[i] > last) last = p.end[i];
      if (fl > 0) flags |= fl;
      if (p.dir[i] === FORWARD) {
        forward = true;
        if (fl >= 0 && (fl & (TCP_SYN | TCP_ACK)) === TCP_SYN + TCP_ACK) inbound = true;
      } else if (isOpening(fl)) inbound = true;
    }
    const handle = from === 0 ? f.handle[slot] : -1;
    if (from === 0) f.handle[slot] = -1;
    const first = ids[from];
    if ((inbound || !forward) && handle < 0) {
      this.inbound += inbound ? to - from : 0;
      this.used -= to - from;
      this.context.skips.add(
        inbound ? INBOUND_CONNECTION : "reply of no outbound connection",
        this.context.files[p.file[first]],
        p.line[first],
        to - from,
      );
      return;
    }
    if (bytes > 0) this.sink.carried?.(f.endpoint[slot], bytes);
    const tcp = this.context.isTcp(f.endpoint[slot]);
    const closed = tcp ? closeCodeOf(flags) : -1;
    const close = closed >= 0 ? closed : last >= traceEnd - this.context.idleSeconds ? OPEN : IDLE;
    if (handle >= 0) this.sink.close(handle, last, close, f.gateway[slot]);
    else this.finished.push(p.start[first], last, f.endpoint[slot], close, false, f.gateway[slot]);
  }

  /**
   * Turns the client flow in `slot` into failed attempts: each of its attempts (a client SYN, or
   * any client record without flags) with no gateway→client record. Only when the interface logs
   * the gateway→client leg at all (else no attempt can be told carried).
   */
  private flushClient(slot: number): void {
    const p = this.records;
    const c = this.clients;
    const ids = sortedRecords(p, c.head[slot]);
    const starts = segmentStarts(p, ids, this.context.idleSeconds, SYN_RETRY_SECONDS);
    for (let s = 0; s < starts.length && this.returns > 0; s++) {
      const to = s + 1 < starts.length ? starts[s + 1] : ids.length;
      let attempt = false;
      let answered = false;
      for (let k = starts[s]; k < to; k++) {
        const i = ids[k];
        if (p.dir[i] === BACKWARD) answered = true;
        else if (p.flags[i] < 0 || isOpening(p.flags[i])) attempt = true;
      }
      if (attempt && !answered) {
        const at = p.start[ids[starts[s]]];
        this.finished.push(at, at, c.endpoint[slot], RST, true, -1);
      }
    }
    for (const i of ids) p.release(i);
    c.head[slot] = -1;
  }

  /** Ends the trace at `traceEnd`: connections without FIN or RST seen within the idle timeout stay open. */
  finishAll(traceEnd: number): void {
    const f = this.flows;
    this.gatewayKeys.forEach((slot) => {
      this.flushGateway(slot, Number.POSITIVE_INFINITY, true, traceEnd);
      f.release(slot);
    });
    this.clientKeys.forEach((slot) => {
      this.flushClient(slot);
      this.clients.release(slot);
    });
    this.gatewayKeys = new FlowTable();
    this.clientKeys = new FlowTable();
    this.finished.release(Number.POSITIVE_INFINITY, this.sink, f, () => {}, this.ranks);
  }
}
