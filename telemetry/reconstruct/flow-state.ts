/**
 * The flow-log tracker's state in typed-array columns, so that reading allocates no object per flow
 * or per connection:
 * - {@link FlowSlots}: the flows still going on (the connection under way, the record before, the
 *   handle of a connection already handed out while open), slots reused through a free list;
 * - {@link FinishedBuffer}: connections finished but not yet handed out, released to a
 *   {@link ConnectionSink} in start order once no connection can start before them any more.
 *
 * @module
 */
import type { ConnectionSink } from "./connections";
import { grown } from "./flow-records";

/**
 * Indices `0..n-1` sorted by `starts` (stable). Whole-second starts over a span not much longer than
 * their number are counted into place (linear); others are sorted by comparison.
 */
export function startOrder(starts: Float64Array, n: number): Int32Array {
  const order = new Int32Array(n);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let whole = true;
  for (let k = 0; k < n; k++) {
    const s = starts[k];
    if (s < lo) lo = s;
    if (s > hi) hi = s;
    if (s !== Math.floor(s)) whole = false;
  }
  if (n === 0) return order;
  if (!whole || hi - lo > 4 * n + 65_536) {
    const sorted = Array.from({ length: n }, (_, k) => k).sort((a, b) => starts[a] - starts[b] || a - b);
    order.set(sorted);
    return order;
  }
  const at = new Int32Array(hi - lo + 2);
  for (let k = 0; k < n; k++) at[starts[k] - lo + 1]++;
  for (let s = 1; s < at.length; s++) at[s] += at[s - 1];
  for (let k = 0; k < n; k++) order[at[starts[k] - lo]++] = k;
  return order;
}

/** Int32 words per flow slot of {@link FlowSlots}, at these offsets. */
export const FLOW_WORDS = 20;
/** Endpoint id of the flow. */
export const F_ENDPOINT = 0;
/** Gateway IP index, -1 when unknown. */
export const F_GATEWAY = 1;
/** Latest end among the flow's records so far. */
export const F_LAST = 2;
/** The previous record (in sorted order): start, end, direction, flags, bytes (a float, see `floats`). */
export const F_PREV_START = 3;
export const F_PREV_END = 4;
export const F_PREV_DIR = 5;
export const F_PREV_FLAGS = 6;
export const F_PREV_BYTES = 7;
/** The current connection: its first record's start, latest end, OR of its flags, {@link FlowBits}, records. */
export const F_SEG_START = 8;
export const F_SEG_LAST = 9;
export const F_SEG_FLAGS = 10;
export const F_BITS = 11;
export const F_SEG_COUNT = 12;
/** Where the current connection's first record was read (file index and line, for reports). */
export const F_FIRST_FILE = 13;
export const F_FIRST_LINE = 14;
/** Sink handle of the current connection when handed out while open, else -1. */
export const F_HANDLE = 15;
/** Latest end of the current attempt's forward records (client flows). */
export const F_LAST_FORWARD = 16;
/** First and last record (word offsets) of the flow's records in the epoch being taken; -1: none. */
export const F_HEAD = 17;
export const F_TAIL = 18;
/**
 * A number telling apart, by what they are, live flows of one endpoint and gateway IP (e.g. the
 * SNAT port): it orders connections handed out open that start in the same second.
 */
export const F_TIE = 19;

/** Bits of {@link F_BITS}. */
export const FlowBits = {
  /** A connection is under way (the flow has had a record). */
  ACTIVE: 1,
  /** A forward record was seen in the connection. */
  FORWARD: 2,
  /** A record shows an inbound connection (a SYN from outside, a SYN-ACK from the interface). */
  INBOUND: 4,
  /** A forward record starts the connection: it opens outwards. */
  OPENS_OUT: 8,
  /** Client flows: the connection holds an attempt (a SYN, or a record without flags). */
  ATTEMPT: 16,
  /** Client flows: a record came back to the client. */
  ANSWERED: 32,
} as const;

/** Slots of {@link FlowSlots} once a reader outgrows its first 1,024. */
const LARGE_SLOTS = 1 << 18;

/**
 * The state of live flows, one slot of {@link FLOW_WORDS} words each in one Int32Array (a record
 * touches one or two cache lines of its flow, not one per field), slots reused through a free list.
 * Bytes of the current connection are summed in `bytes` (a float64 per slot).
 */
export class FlowSlots {
  words = new Int32Array(FLOW_WORDS * 1024);
  floats = new Float32Array(this.words.buffer);
  bytes = new Float64Array(1024);
  private free = new Int32Array(1024);
  private freeCount = 0;
  private used = 0;

  /** A new slot (word offset) for a flow of `endpoint`: no connection yet, no records taken. */
  alloc(endpoint: number, gateway: number): number {
    let i: number;
    if (this.freeCount > 0) i = this.free[--this.freeCount];
    else {
      i = this.used++;
      if (i === this.bytes.length) {
        // From the small start straight to room for a quarter of a million flows (20 MB of address
        // space, committed page by page as slots are first used): each doubling would copy the
        // slots into fresh pages, and first writes to fresh pages are much of what a slot costs.
        const slots = Math.max(i * 2, LARGE_SLOTS);
        this.words = grown(this.words, slots * FLOW_WORDS);
        this.floats = new Float32Array(this.words.buffer);
        this.bytes = grown(this.bytes, slots);
      }
    }
    const o = i * FLOW_WORDS;
    const w = this.words;
    for (let k = o; k < o + FLOW_WORDS; k++) w[k] = 0; // a loop: fill() costs a call into the runtime
    this.words[o + F_ENDPOINT] = endpoint;
    this.words[o + F_GATEWAY] = gateway;
    this.words[o + F_HANDLE] = -1;
    this.words[o + F_HEAD] = -1;
    return o;
  }

  /** Gives the slot at word offset `o` back. */
  release(o: number): void {
    if (this.freeCount === this.free.length) this.free = grown(this.free, this.free.length * 2);
    this.free[this.freeCount++] = o / FLOW_WORDS;
  }
}

/** Numbers ordering endpoints and gateway IPs (by index) by what they are, not by when they were first seen. */
export interface TieRanks {
  endpoint(endpoint: number): number;
  /** -1 for none. */
  gateway(gateway: number): number;
}

/**
 * Finished connections waiting to be handed out in start order. {@link FinishedBuffer.release}
 * hands out, sorted by start (ties in the order they finished), those starting before a watermark,
 * together with the live flows that started before it (opened in the sink, to be closed later).
 */
export class FinishedBuffer {
  private start = new Float64Array(1024);
  private end = new Float64Array(1024);
  private endpoint = new Int32Array(1024);
  /** Close code + 4 when failed. */
  private kind = new Uint8Array(1024);
  private gateway = new Int32Array(1024);
  /** Connections held. */
  length = 0;
  /** Everything starting before this was handed out: later starts are raised to it. */
  watermark = Number.NEGATIVE_INFINITY;
  /** Connections handed out. */
  released = 0;

  /** Adds a finished connection (a failed attempt: `end` = `start`). */
  push(start: number, end: number, endpoint: number, close: number, failed: boolean, gateway: number): void {
    const i = this.length;
    if (i === this.start.length) {
      const c = i * 2;
      this.start = grown(this.start, c);
      this.end = grown(this.end, c);
      this.endpoint = grown(this.endpoint, c);
      this.kind = grown(this.kind, c);
      this.gateway = grown(this.gateway, c);
    }
    this.start[i] = start;
    this.end[i] = end;
    this.endpoint[i] = endpoint;
    this.kind[i] = close + (failed ? 4 : 0);
    this.gateway[i] = gateway;
    this.length = i + 1;
  }

  /**
   * Orders connections starting in the same second by what they are (endpoint, end, close, gateway
   * IP), not by when they were finished, so that the order records arrived in never shows.
   */
  private breakTies(
    order: Int32Array,
    starts: Float64Array,
    picked: Int32Array,
    live: FlowSlots,
    rank: TieRanks,
  ): void {
    const r = new Float64Array(order.length);
    const e = new Float64Array(order.length);
    const g = new Float64Array(order.length);
    const q = new Float64Array(order.length);
    const before = (a: number, b: number) => r[a] - r[b] || e[a] - e[b] || g[a] - g[b] || q[a] - q[b];
    for (let from = 0; from < order.length; ) {
      let to = from + 1;
      while (to < order.length && starts[order[to]] === starts[order[from]]) to++;
      if (to - from > 1) {
        for (let o = from; o < to; o++) {
          const k = order[o];
          const i = picked[k];
          if (i >= 0) {
            r[k] = rank.endpoint(this.endpoint[i]);
            e[k] = this.end[i];
            g[k] = this.kind[i] * 2 ** 33 + rank.gateway(this.gateway[i]);
          } else {
            const slot = -1 - i;
            r[k] = rank.endpoint(live.words[slot + F_ENDPOINT]);
            e[k] = Number.POSITIVE_INFINITY;
            g[k] = 8 * 2 ** 33 + rank.gateway(live.words[slot + F_GATEWAY]);
            q[k] = live.words[slot + F_TIE];
          }
        }
        order.set(Array.from(order.subarray(from, to)).sort(before), from);
      }
      from = to;
    }
  }

  /**
   * Hands out to `sink`, in start order, the connections starting before `watermark` and the live
   * flows of `live` that did (those are opened; their slots keep the handle). A start below the
   * previous watermark (a record reaching further back than a flow-log window) is raised to it.
   */
  release(
    watermark: number,
    sink: ConnectionSink,
    live: FlowSlots,
    forEachLive: (visit: (slot: number) => void) => void,
    rank: TieRanks,
  ): void {
    const floor = this.watermark;
    // Candidates: buffered indices (≥ 0) and live slots (encoded as -1 - slot), with their starts.
    let n = 0;
    let picked = new Int32Array(this.length + 64);
    let starts = new Float64Array(this.length + 64);
    const pick = (i: number, s: number) => {
      if (n === picked.length) {
        picked = grown(picked, n * 2);
        starts = grown(starts, n * 2);
      }
      picked[n] = i;
      starts[n++] = Math.max(s, floor);
    };
    for (let i = 0; i < this.length; i++) if (this.start[i] < watermark) pick(i, this.start[i]);
    forEachLive((slot) => {
      const w = live.words;
      if (w[slot + F_HANDLE] < 0 && w[slot + F_SEG_START] < watermark) pick(-1 - slot, w[slot + F_SEG_START]);
    });
    const order = startOrder(starts, n);
    this.breakTies(order, starts, picked, live, rank);
    for (let o = 0; o < order.length; o++) {
      const k = order[o];
      const i = picked[k];
      const s = starts[k];
      if (i >= 0) {
        const kind = this.kind[i];
        sink.add(this.endpoint[i], s, Math.max(this.end[i], s), kind & 3, kind >= 4, this.gateway[i]);
      } else {
        const slot = -1 - i;
        const w = live.words;
        w[slot + F_SEG_START] = s;
        w[slot + F_HANDLE] = sink.open(w[slot + F_ENDPOINT], s, w[slot + F_GATEWAY]);
      }
    }
    this.released += order.length;
    // Keep the rest, in the order they finished.
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      if (this.start[i] < watermark) continue;
      this.start[kept] = this.start[i];
      this.end[kept] = this.end[i];
      this.endpoint[kept] = this.endpoint[i];
      this.kind[kept] = this.kind[i];
      this.gateway[kept] = this.gateway[i];
      kept++;
    }
    this.length = kept;
    if (watermark > this.watermark) this.watermark = watermark;
  }
}
