/**
 * The flow-log tracker's state in typed-array columns, so that reading allocates no object per flow
 * or per connection:
 * - {@link LiveFlows}: the flows still going on (their records, first and last packet, gateway IP,
 *   the handle of a connection already handed out while open), slots reused through a free list;
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

/**
 * Live flows, one slot each: the endpoint, the gateway IP, the chain of its records (record-pool
 * slots), the earliest start and latest end among them, whether any forward record was seen, and
 * the sink handle of its first connection when that was handed out while open.
 */
export class LiveFlows {
  endpoint = new Int32Array(1024);
  /** Gateway IP index, -1 when unknown. */
  gateway = new Int32Array(1024);
  /** First record of the chain (in the record pool), -1 for none. */
  head = new Int32Array(1024);
  first = new Float64Array(1024);
  last = new Float64Array(1024);
  /** Records chained. */
  count = new Int32Array(1024);
  /** Sink handle of the first connection, handed out while still open; -1 when not handed out. */
  handle = new Int32Array(1024);
  private free = new Int32Array(1024);
  private freeCount = 0;
  private used = 0;

  /** A new slot without records, its handle cleared. */
  alloc(endpoint: number, gateway: number): number {
    let i: number;
    if (this.freeCount > 0) i = this.free[--this.freeCount];
    else {
      i = this.used++;
      if (i === this.first.length) this.grow(i * 2);
    }
    this.endpoint[i] = endpoint;
    this.gateway[i] = gateway;
    this.head[i] = -1;
    this.first[i] = Number.POSITIVE_INFINITY;
    this.last[i] = Number.NEGATIVE_INFINITY;
    this.count[i] = 0;
    this.handle[i] = -1;
    return i;
  }

  /** Gives slot `i` back. */
  release(i: number): void {
    if (this.freeCount === this.free.length) this.free = grown(this.free, this.free.length * 2);
    this.free[this.freeCount++] = i;
  }

  private grow(capacity: number): void {
    this.endpoint = grown(this.endpoint, capacity);
    this.gateway = grown(this.gateway, capacity);
    this.head = grown(this.head, capacity);
    this.first = grown(this.first, capacity);
    this.last = grown(this.last, capacity);
    this.count = grown(this.count, capacity);
    this.handle = grown(this.handle, capacity);
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
    live: LiveFlows,
    rank: TieRanks,
  ): void {
    const r = new Float64Array(order.length);
    const e = new Float64Array(order.length);
    const g = new Float64Array(order.length);
    const before = (a: number, b: number) => r[a] - r[b] || e[a] - e[b] || g[a] - g[b];
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
            r[k] = rank.endpoint(live.endpoint[slot]);
            e[k] = Number.POSITIVE_INFINITY;
            g[k] = 8 * 2 ** 33 + rank.gateway(live.gateway[slot]);
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
    live: LiveFlows,
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
      if (live.handle[slot] < 0 && live.first[slot] < watermark) pick(-1 - slot, live.first[slot]);
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
        live.first[slot] = s;
        live.handle[slot] = sink.open(live.endpoint[slot], s, live.gateway[slot]);
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
