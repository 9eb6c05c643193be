/**
 * One epoch of VPC Flow Logs records taken into the flows they belong to: the records are grouped by
 * flow (each flow's in {@link compareRecords} order), then each flow's state advances record by
 * record — a duplicate of the record before is skipped, a record that starts a connection ends the
 * one under way — and a connection ended goes to the tracker's finished buffer (or closes the one
 * handed out while open).
 *
 * @module
 */

import type { ConnectionSink } from "../../reconstruct/connections";
import {
  BACKWARD,
  compareRecords,
  FORWARD,
  isOpening,
  startsConnection,
  startsNewAttempt,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
} from "../../reconstruct/flow-records";
import {
  F_BITS,
  F_ENDPOINT,
  F_FIRST_FILE,
  F_FIRST_LINE,
  F_GATEWAY,
  F_HANDLE,
  F_HEAD,
  F_LAST,
  F_LAST_FORWARD,
  F_PREV_BYTES,
  F_PREV_DIR,
  F_PREV_END,
  F_PREV_FLAGS,
  F_PREV_START,
  F_SEG_COUNT,
  F_SEG_FLAGS,
  F_SEG_LAST,
  F_SEG_START,
  F_TAIL,
  F_TIE,
  type FinishedBuffer,
  FLOW_WORDS,
  FlowBits,
  type FlowSlots,
} from "../../reconstruct/flow-state";
import type { FlowTable } from "../../reconstruct/flow-table";
import {
  R_AUX,
  R_BYTES,
  R_DIR_KIND,
  R_END,
  R_FILE,
  R_FLAGS,
  R_KEY_HI,
  R_KEY_LO,
  R_LINE,
  R_NEXT,
  R_START,
  type ReorderBuffer,
} from "../../reconstruct/reorder-buffer";
import { INBOUND_CONNECTION, type TrackerContext } from "./flow-keys";

/** The flows of one kind: their keys and their state. */
export interface Flows {
  readonly keys: FlowTable;
  readonly slots: FlowSlots;
}

/** What the steps advance and report to: an interface's flows, counters and outlets (tracker.ts). */
export interface FlowOwner {
  readonly context: TrackerContext;
  readonly gateway: Flows;
  readonly client: Flows;
  readonly finished: FinishedBuffer;
  readonly sink: ConnectionSink;
  /** The flow log's aggregation interval as the records show it. */
  readonly recordInterval: number;
  /** Gateway→client records seen: without any, no attempt can be told carried. */
  readonly returns: number;
  /** Records that contributed, and records of inbound connections. */
  used: number;
  inbound: number;
}

/** Close codes (index in CLOSE_CODES). */
const FIN = 0;
const RST = 1;
const IDLE = 2;
const OPEN = 3;

/** Flow kind bit of a record's {@link R_DIR_KIND} word: a client flow's record. */
export const CLIENT_KIND = 2;

/** Close code of the OR of a connection's flags (RST wins: its hold-down is what the gateway applies), -1 for none. */
function closeCodeOf(flags: number): number {
  return flags & TCP_RST ? RST : flags & TCP_FIN ? FIN : -1;
}

/** Slots touched in the second being taken (word offset, + 1 for a client flow). */
let touched = new Int32Array(1024);

/**
 * Takes the records of an epoch (word offsets in `records`, in start order in `order[0, count)`),
 * one second at a time: chains each record of the second to its flow in {@link compareRecords}
 * order, then advances every flow touched over its records (while both are still in cache).
 */
export function takeEpoch(t: FlowOwner, records: ReorderBuffer, order: Int32Array, count: number): void {
  const w = records.words;
  for (let from = 0; from < count; ) {
    const second = w[order[from] + R_START];
    let to = from + 1;
    while (to < count && w[order[to] + R_START] === second) to++;
    takeSecond(t, records, order, from, to);
    from = to;
  }
}

/** Takes the records `order[from, to)`, which start in the same second. */
function takeSecond(t: FlowOwner, records: ReorderBuffer, order: Int32Array, from: number, to: number): void {
  const w = records.words;
  const fl = records.floats;
  let n = 0;
  for (let k = from; k < to; k++) {
    const at = order[k];
    const client = w[at + R_DIR_KIND] & CLIENT_KIND;
    const flows = client ? t.client : t.gateway;
    const hi = w[at + R_KEY_HI];
    const lo = w[at + R_KEY_LO];
    let o = flows.keys.get(hi, lo);
    if (o < 0) {
      o = flows.slots.alloc(client ? w[at + R_AUX] : hi, -1);
      flows.keys.set(hi, lo, o);
      flows.slots.words[o + F_TIE] = lo >>> 16; // the SNAT port of a gateway flow
    }
    const sw = flows.slots.words;
    w[at + R_NEXT] = -1;
    const head = sw[o + F_HEAD];
    if (head < 0) {
      sw[o + F_HEAD] = at;
      sw[o + F_TAIL] = at;
      if (n === touched.length) {
        const more = new Int32Array(n * 2);
        more.set(touched);
        touched = more;
      }
      touched[n++] = o + (client ? 1 : 0);
    } else if (before(w, fl, sw[o + F_TAIL], at) <= 0) {
      w[sw[o + F_TAIL] + R_NEXT] = at;
      sw[o + F_TAIL] = at;
    } else if (before(w, fl, at, head) < 0) {
      w[at + R_NEXT] = head;
      sw[o + F_HEAD] = at;
    } else {
      let p = head;
      while (before(w, fl, w[p + R_NEXT], at) <= 0) p = w[p + R_NEXT];
      w[at + R_NEXT] = w[p + R_NEXT];
      w[p + R_NEXT] = at;
    }
  }
  for (let k = 0; k < n; k++) {
    const client = touched[k] & 1;
    const o = touched[k] - client;
    const flows = client ? t.client : t.gateway;
    for (let at = flows.slots.words[o + F_HEAD]; at >= 0; at = w[at + R_NEXT]) {
      if (client) clientStep(t, o, w, fl, at);
      else gatewayStep(t, o, w, fl, at);
    }
    flows.slots.words[o + F_HEAD] = -1;
  }
}

/** {@link compareRecords} of the records at word offsets `a` and `b`. */
function before(w: Int32Array, fl: Float32Array, a: number, b: number): number {
  return compareRecords(
    w[a + R_START],
    w[a + R_END],
    w[a + R_DIR_KIND],
    w[a + R_FLAGS],
    fl[a + R_BYTES],
    w[b + R_START],
    w[b + R_END],
    w[b + R_DIR_KIND],
    w[b + R_FLAGS],
    fl[b + R_BYTES],
  );
}

/**
 * True when the record at `at` repeats the flow's record before (the same window delivered twice);
 * then it is counted as skipped.
 */
function duplicate(
  t: FlowOwner,
  s: FlowSlots,
  o: number,
  w: Int32Array,
  fl: Float32Array,
  at: number,
): boolean {
  const sw = s.words;
  const bytes = fl[at + R_BYTES];
  const prevBytes = s.floats[o + F_PREV_BYTES];
  if (
    (sw[o + F_BITS] & FlowBits.ACTIVE) !== 0 &&
    sw[o + F_PREV_START] === w[at + R_START] &&
    sw[o + F_PREV_END] === w[at + R_END] &&
    sw[o + F_PREV_DIR] === w[at + R_DIR_KIND] &&
    sw[o + F_PREV_FLAGS] === w[at + R_FLAGS] &&
    (prevBytes === bytes || (Number.isNaN(bytes) && Number.isNaN(prevBytes)))
  ) {
    t.context.skips.add(
      "duplicate record (the same window delivered twice)",
      t.context.files[w[at + R_FILE]],
      w[at + R_LINE],
    );
    return true;
  }
  return false;
}

/** Makes the record at `at` the flow's record before, and its latest end part of the flow's. */
function remember(
  s: FlowSlots,
  o: number,
  w: Int32Array,
  fl: Float32Array,
  at: number,
  first: boolean,
): void {
  const sw = s.words;
  const end = w[at + R_END];
  if (first || end > sw[o + F_LAST]) sw[o + F_LAST] = end;
  sw[o + F_PREV_START] = w[at + R_START];
  sw[o + F_PREV_END] = end;
  sw[o + F_PREV_DIR] = w[at + R_DIR_KIND];
  sw[o + F_PREV_FLAGS] = w[at + R_FLAGS];
  s.floats[o + F_PREV_BYTES] = fl[at + R_BYTES];
}

/** Starts a connection at the record at `at`. */
function begin(s: FlowSlots, o: number, w: Int32Array, at: number): void {
  const sw = s.words;
  sw[o + F_SEG_START] = w[at + R_START];
  sw[o + F_SEG_LAST] = w[at + R_END];
  sw[o + F_SEG_FLAGS] = 0;
  sw[o + F_SEG_COUNT] = 0;
  sw[o + F_BITS] = FlowBits.ACTIVE;
  sw[o + F_FIRST_FILE] = w[at + R_FILE];
  sw[o + F_FIRST_LINE] = w[at + R_LINE];
  sw[o + F_HANDLE] = -1;
  sw[o + F_LAST_FORWARD] = w[at + R_START];
  s.bytes[o / FLOW_WORDS] = 0;
}

/**
 * True when the record at `at` starts a new connection on the active flow at `o`
 * ({@link startsConnection}); on a client's flow (`attempts`) also a new attempt after an
 * unanswered one ({@link startsNewAttempt}).
 */
function startsHere(
  t: FlowOwner,
  sw: Int32Array,
  o: number,
  w: Int32Array,
  at: number,
  attempts: boolean,
): boolean {
  const start = w[at + R_START];
  const opening = (w[at + R_DIR_KIND] & 1) === FORWARD && isOpening(w[at + R_FLAGS]);
  return (
    startsConnection(start, opening, sw[o + F_LAST], sw[o + F_PREV_FLAGS], t.context.idleSeconds) ||
    (attempts &&
      opening &&
      (sw[o + F_BITS] & FlowBits.ANSWERED) === 0 &&
      startsNewAttempt(start, sw[o + F_SEG_START], sw[o + F_LAST_FORWARD]))
  );
}

/** Advances gateway flow `o` over the record at `at`. */
function gatewayStep(t: FlowOwner, o: number, w: Int32Array, fl: Float32Array, at: number): void {
  const s = t.gateway.slots;
  if (duplicate(t, s, o, w, fl, at)) return;
  const sw = s.words;
  const start = w[at + R_START];
  const flags = w[at + R_FLAGS];
  const dir = w[at + R_DIR_KIND] & 1;
  const active = (sw[o + F_BITS] & FlowBits.ACTIVE) !== 0;
  if (!active || startsHere(t, sw, o, w, at, false)) {
    if (active) endGateway(t, o, Number.POSITIVE_INFINITY);
    begin(s, o, w, at);
  }
  let bits = sw[o + F_BITS];
  if (flags > 0) sw[o + F_SEG_FLAGS] |= flags;
  if (w[at + R_END] > sw[o + F_SEG_LAST]) sw[o + F_SEG_LAST] = w[at + R_END];
  const bytes = fl[at + R_BYTES];
  if (bytes > 0) s.bytes[o / FLOW_WORDS] += bytes;
  if (dir === FORWARD) {
    bits |= FlowBits.FORWARD;
    if (start === sw[o + F_SEG_START]) bits |= FlowBits.OPENS_OUT;
    if (flags >= 0 && (flags & (TCP_SYN | TCP_ACK)) === TCP_SYN + TCP_ACK) bits |= FlowBits.INBOUND;
  } else if (isOpening(flags)) bits |= FlowBits.INBOUND;
  sw[o + F_BITS] = bits;
  if (w[at + R_AUX] >= 0) sw[o + F_GATEWAY] = w[at + R_AUX];
  sw[o + F_SEG_COUNT]++;
  remember(s, o, w, fl, at, !active);
  t.used++;
}

/**
 * Ends the connection under way on gateway flow `o`; `traceEnd` tells one still open (no FIN or RST,
 * a record within the flow log's aggregation interval of the end of the logs: a connection going on
 * has one at least that often) from one gone quiet, which the gateway ends at its idle timeout.
 */
export function endGateway(t: FlowOwner, o: number, traceEnd: number): void {
  const sw = t.gateway.slots.words;
  const bits = sw[o + F_BITS];
  const count = sw[o + F_SEG_COUNT];
  const handle = sw[o + F_HANDLE];
  sw[o + F_BITS] = bits & ~FlowBits.ACTIVE;
  sw[o + F_HANDLE] = -1;
  const inbound = (bits & FlowBits.INBOUND) !== 0;
  if ((inbound || (bits & FlowBits.FORWARD) === 0) && handle < 0) {
    if (inbound) t.inbound += count;
    t.used -= count;
    t.context.skips.add(
      inbound ? INBOUND_CONNECTION : "reply of no outbound connection",
      t.context.files[sw[o + F_FIRST_FILE]],
      sw[o + F_FIRST_LINE],
      count,
    );
    return;
  }
  const endpoint = sw[o + F_ENDPOINT];
  const bytes = t.gateway.slots.bytes[o / FLOW_WORDS];
  if (bytes > 0) t.sink.carried?.(endpoint, bytes);
  const last = sw[o + F_SEG_LAST];
  const closed = t.context.isTcp(endpoint) ? closeCodeOf(sw[o + F_SEG_FLAGS]) : -1;
  const close = closed >= 0 ? closed : last >= traceEnd - t.recordInterval ? OPEN : IDLE;
  if (handle >= 0) t.sink.close(handle, last, close, sw[o + F_GATEWAY]);
  else t.finished.push(sw[o + F_SEG_START], last, endpoint, close, false, sw[o + F_GATEWAY]);
}

/** Advances client flow `o` over the record at `at`. */
function clientStep(t: FlowOwner, o: number, w: Int32Array, fl: Float32Array, at: number): void {
  const s = t.client.slots;
  if (duplicate(t, s, o, w, fl, at)) return;
  const sw = s.words;
  const flags = w[at + R_FLAGS];
  const dir = w[at + R_DIR_KIND] & 1;
  const active = (sw[o + F_BITS] & FlowBits.ACTIVE) !== 0;
  if (!active || startsHere(t, sw, o, w, at, true)) {
    if (active) endClient(t, o);
    begin(s, o, w, at);
  }
  if (dir === FORWARD && w[at + R_END] > sw[o + F_LAST_FORWARD]) sw[o + F_LAST_FORWARD] = w[at + R_END];
  if (dir === BACKWARD) sw[o + F_BITS] |= FlowBits.ANSWERED;
  else if (flags < 0 || isOpening(flags)) sw[o + F_BITS] |= FlowBits.ATTEMPT;
  remember(s, o, w, fl, at, !active);
  t.used++;
}

/**
 * Ends the attempt under way on client flow `o`: a failed attempt when it holds an attempt (a
 * client SYN, or a client record without flags) and nothing came back — only when the interface
 * logs the gateway→client leg at all (else no attempt can be told carried).
 */
export function endClient(t: FlowOwner, o: number): void {
  const sw = t.client.slots.words;
  const bits = sw[o + F_BITS];
  sw[o + F_BITS] = bits & ~FlowBits.ACTIVE;
  if (t.returns > 0 && (bits & (FlowBits.ATTEMPT | FlowBits.ANSWERED)) === FlowBits.ATTEMPT) {
    const at = sw[o + F_SEG_START];
    t.finished.push(at, at, sw[o + F_ENDPOINT], RST, true, -1);
  }
}
