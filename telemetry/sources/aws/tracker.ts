/**
 * Connection reconstruction for one network interface of VPC Flow Logs, independent of the order
 * the records arrive in. Records wait in a {@link ReorderBuffer} until no record still to come can
 * start before them; then each epoch's records are taken flow by flow in sorted order
 * ({@link compareRecords}) and each flow's state advances record by record, splitting it into
 * connections by one rule (telemetry/reconstruct/flow-records.ts: a SYN after a FIN or RST, or a
 * gap longer than the idle timeout, starts a new one). Nothing is kept per record once taken.
 *
 * - Gateway flows are keyed by the destination endpoint, the translated private address
 *   (`pkt-srcaddr`, one per Elastic IP; `srcaddr` when not logged) and the SNAT port; a flow holds
 *   the gateway→destination records and the replies (destination→gateway, keyed by `pkt-dstaddr`).
 *   A connection whose records show an inbound connection (a SYN from the remote side, a SYN-ACK
 *   from the interface) is a server's, not a translation: counted and left out.
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

import { AWS } from "../../../core/limits";
import type { ConnectionSink } from "../../reconstruct/connections";
import { FORWARD, SYN_RETRY_SECONDS } from "../../reconstruct/flow-records";
import {
  F_BITS,
  F_LAST,
  F_SEG_START,
  FinishedBuffer,
  FlowBits,
  FlowSlots,
  type TieRanks,
} from "../../reconstruct/flow-state";
import { FlowTable } from "../../reconstruct/flow-table";
import {
  EPOCH_SECONDS,
  R_AUX,
  R_BYTES,
  R_DIR_KIND,
  R_END,
  R_FILE,
  R_FLAGS,
  R_KEY_HI,
  R_KEY_LO,
  R_LINE,
  R_START,
  ReorderBuffer,
} from "../../reconstruct/reorder-buffer";
import { RECORD_SPAN_SECONDS, type TrackerContext } from "./flow-keys";
import { CLIENT_KIND, endClient, endGateway, type Flows, takeEpoch } from "./flow-steps";
import { ipText } from "./scan";

export { isOpening, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from "../../reconstruct/flow-records";
export {
  type Endpoint,
  flowLow,
  INBOUND_CONNECTION,
  RECORD_SPAN_SECONDS,
  type TrackerContext,
} from "./flow-keys";

/** Flow kinds of the records in the reorder buffer. */
const GATEWAY_FLOW = 0;
const CLIENT_FLOW = CLIENT_KIND;

/**
 * Seconds at most that connections wait, before reaching the sink, for a client's attempt still
 * unanswered (a TCP attempt is over within {@link SYN_RETRY_SECONDS} and the idle timeout; a UDP
 * client that keeps sending unanswered would hold them back for ever). A failed attempt found
 * later reaches the sink at the time everything before had been handed out.
 */
const PENDING_WAIT_SECONDS = 2 * SYN_RETRY_SECONDS + RECORD_SPAN_SECONDS;

/** Seconds of record start between two settlings (a multiple of {@link EPOCH_SECONDS}). */
export const SETTLE_SECONDS = 4 * EPOCH_SECONDS;

/** Bits of a gateway flow whose connection under way can be handed out open: going, and opening outwards. */
const OUTWARD = FlowBits.ACTIVE | FlowBits.OPENS_OUT;

/** Reconstruction state of one interface. */
export class InterfaceTracker {
  private readonly buffer = new ReorderBuffer();
  /** Gateway flows (gateway→destination and replies) and client flows (client↔gateway), by key. */
  gateway: Flows;
  client: Flows;
  /** The latest end of the logs once known ({@link InterfaceTracker.finishAll}). */
  private traceEnd = Number.POSITIVE_INFINITY;
  /** Connections finished and not yet handed to the sink. */
  readonly finished = new FinishedBuffer();
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
  /** Records routed to this interface. */
  routed = 0;
  /** Records of inbound connections (a server's interface). */
  inbound = 0;
  /** Records that contributed. */
  used = 0;
  /** Longest span (end − start) of a record routed here. */
  private longestSpan = 0;
  /** Earliest start and latest end of the records routed here. */
  minStart = Number.POSITIVE_INFINITY;
  maxEnd = Number.NEGATIVE_INFINITY;
  /** `file:line` where this interface was first seen. */
  firstFile = "";
  firstLine = 0;

  /**
   * The flow log's aggregation interval as its records show it: 1 minute unless a record spans
   * more, then 10 minutes (the two a flow log can have). A connection still going on has a record
   * at least this often.
   */
  get recordInterval(): number {
    const short = AWS.flowLogAggregationSeconds.value;
    return this.longestSpan > short ? RECORD_SPAN_SECONDS : short;
  }

  /** Connections handed to the sink so far (failed attempts included). */
  get connectionCount(): number {
    return this.finished.released;
  }

  /** Receives the connections in start order. */
  readonly sink: ConnectionSink;

  /** @param makeSink makes the sink, given the gateway IPs by index (the array grows while reading) */
  constructor(
    readonly context: TrackerContext,
    makeSink: (gatewayIps: readonly string[]) => ConnectionSink,
  ) {
    this.sink = makeSink(this.gatewayIps);
    this.gateway = { keys: new FlowTable(), slots: new FlowSlots() };
    this.client = { keys: new FlowTable(), slots: new FlowSlots() };
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

  /** Puts a record in the reorder buffer. */
  private put(
    kind: number,
    hi: number,
    lo: number,
    aux: number,
    dir: number,
    start: number,
    end: number,
    flags: number,
    bytes: number,
    file: number,
    line: number,
  ): void {
    const o = this.buffer.add(start);
    const w = this.buffer.words;
    w[o + R_START] = start;
    w[o + R_END] = end;
    w[o + R_FLAGS] = flags;
    w[o + R_DIR_KIND] = dir + kind;
    this.buffer.floats[o + R_BYTES] = bytes;
    w[o + R_KEY_HI] = hi;
    w[o + R_KEY_LO] = lo;
    w[o + R_AUX] = aux;
    w[o + R_FILE] = file;
    w[o + R_LINE] = line;
    this.routed++;
    if (start < this.minStart) this.minStart = start;
    if (end > this.maxEnd) this.maxEnd = end;
    if (end - start > this.longestSpan) this.longestSpan = end - start;
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
    this.put(GATEWAY_FLOW, endpoint, low, gateway, dir, start, end, flags, bytes, file, line);
    if (dir === FORWARD) this.egress++;
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
    this.put(CLIENT_FLOW, client | 0, low, endpoint, dir, start, end, flags, bytes, file, line);
    if (dir === FORWARD) this.transit++;
    else this.returns++;
  }

  /**
   * Takes every record starting before `before` (no record still to come can: the reader's
   * lateness bound), epoch by epoch; after each, ends the flows no later record can continue and
   * hands the sink the connections that start before it.
   */
  advance(before: number): void {
    this.buffer.release(before, (epoch, order, count) => {
      takeEpoch(this, this.buffer, order, count);
      // Settling visits every live flow: every few epochs is enough, and cheaper. The points depend
      // on record times alone, so that the connections come out the same for any delivery order.
      const taken = (epoch.number + 1) * EPOCH_SECONDS;
      if (taken % SETTLE_SECONDS === 0) this.settle(taken);
    });
  }

  /**
   * After every record starting before `taken` was taken: ends the connections of flows whose
   * latest packet is more than the idle timeout before it (or before the end of the logs, when
   * known) — a later record would start a new one — and hands the sink the connections starting
   * an idle timeout before `taken`. A client's attempt not answered yet may still turn out failed: connections
   * after its start wait for it, at most {@link PENDING_WAIT_SECONDS}.
   */
  private settle(taken: number): void {
    const idle = this.context.idleSeconds;
    const horizon = Math.min(taken, this.traceEnd) - idle;
    const gw = this.gateway.slots.words;
    this.gateway.keys.retain((o) => {
      if (gw[o + F_LAST] >= horizon) return true;
      endGateway(this, o, Number.POSITIVE_INFINITY);
      this.gateway.slots.release(o);
      return false;
    });
    const cw = this.client.slots.words;
    let pending = taken;
    this.client.keys.retain((o) => {
      if (cw[o + F_LAST] >= horizon) {
        if ((cw[o + F_BITS] & (FlowBits.ATTEMPT | FlowBits.ANSWERED)) === FlowBits.ATTEMPT)
          pending = Math.min(pending, cw[o + F_SEG_START]);
        return true;
      }
      endClient(this, o);
      this.client.slots.release(o);
      return false;
    });
    // A connection handed out open must close before a later start passes its end: one whose last
    // packet is an idle timeout back is closed by now (its flow ended, or a new connection began).
    this.release(Math.min(horizon, Math.max(pending, taken - PENDING_WAIT_SECONDS)));
  }

  /** Hands the sink the finished connections starting before `watermark`, and opens the live ones that do. */
  private release(watermark: number): void {
    const slots = this.gateway.slots;
    this.finished.release(
      watermark,
      this.sink,
      slots,
      (visit) =>
        this.gateway.keys.forEach((o) => {
          const w = slots.words;
          if ((w[o + F_BITS] & OUTWARD) === OUTWARD && w[o + F_SEG_START] < watermark) visit(o);
        }),
      this.ranks,
    );
  }

  /**
   * Ends the trace at `traceEnd` (the latest end read): takes every record left, and ends every
   * connection — one without FIN or RST whose last record is within the flow log's aggregation
   * interval of the end stays open.
   */
  finishAll(traceEnd: number): void {
    this.traceEnd = traceEnd;
    this.advance(Number.POSITIVE_INFINITY);
    this.gateway.keys.forEach((o) => {
      endGateway(this, o, traceEnd);
      this.gateway.slots.release(o);
    });
    this.client.keys.forEach((o) => {
      endClient(this, o);
      this.client.slots.release(o);
    });
    this.gateway = { keys: new FlowTable(), slots: this.gateway.slots };
    this.client = { keys: new FlowTable(), slots: this.client.slots };
    this.release(Number.POSITIVE_INFINITY);
  }
}
