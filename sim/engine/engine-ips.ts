/**
 * The engine's IP changes (`gateway.ipChanges`, sim/gateway/ip-changes.ts): which IP slots take new flows,
 * the connections open and the port-seconds still ahead on each slot, and the cut at the end of a
 * drain. Only runs with IP changes create one; the hot loop tests a constant flag before touching it.
 *
 * @module
 */

import { activeAt, type IpTimeline } from "../gateway/ip-changes";
import type { CounterLayout } from "./engine-setup";

/** Counters of the engine that an IP change reads or changes. */
export interface IpCounters {
  readonly held: Int32Array;
  readonly heldTotal: Int32Array;
  readonly open: Int32Array;
  readonly errors: Float64Array;
  readonly heldArea: Float64Array;
}

/** Per-slot state of a run whose IPs change. */
export class IpSlots {
  /** Per row entry: the slot of the j-th IP taking new flows (j < ipsOf[d]). */
  readonly activeMap: Int32Array;
  /** Per row entry: connections open on that IP. */
  readonly openSlot: Int32Array;
  /** Per row entry: Σ over ports held of the time each is released (capped at the run's end). */
  readonly sumEnd: Float64Array;
  /** Per row entry: 1 once the IP's drain ended (its connections were cut). */
  readonly dead: Uint8Array;
  /** Per destination: connections cut at the end of a drain. */
  readonly cut: Float64Array;
  /** Per interval of the timeline, per destination: port-allocation errors in it. */
  readonly intervalErrors: number[][] = [];
  private next = 0;
  private readonly errorsBefore: Float64Array;

  constructor(
    readonly timeline: IpTimeline,
    private readonly layout: CounterLayout,
    nd: number,
  ) {
    this.activeMap = new Int32Array(layout.rows);
    for (let d = 0; d < nd; d++)
      for (let j = 0; j < layout.widthOf[d]; j++) this.activeMap[layout.rowOf[d] + j] = j;
    this.openSlot = new Int32Array(layout.rows);
    this.sumEnd = new Float64Array(layout.rows);
    this.dead = new Uint8Array(layout.rows);
    this.cut = new Float64Array(nd);
    this.errorsBefore = new Float64Array(nd);
    this.setActive(0);
  }

  /** Time of the next change not yet applied (Infinity when none is left). */
  get nextAt(): number {
    return this.next < this.timeline.events.length
      ? this.timeline.events[this.next].at
      : Number.POSITIVE_INFINITY;
  }

  /**
   * Applies every change due by `t` (every close and release due by then already processed) and
   * returns the connections cut, which the caller takes off its gateway-wide open count.
   */
  apply(t: number, c: IpCounters): number {
    const events = this.timeline.events;
    let cutNow = 0;
    if (!(this.next < events.length && events[this.next].at <= t)) return 0;
    this.closeInterval(c.errors);
    while (this.next < events.length && events[this.next].at <= t) {
      const e = events[this.next++];
      if (e.kind === "cut") cutNow += this.cutSlot(e.slot, e.at, c);
    }
    this.setActive(t);
    return cutNow;
  }

  /** Closes the interval in progress (at a change, or at the end of the run). */
  closeInterval(errors: Float64Array): void {
    this.intervalErrors.push(Array.from(errors, (e, d) => e - this.errorsBefore[d]));
    this.errorsBefore.set(errors);
  }

  private setActive(t: number): void {
    const active = activeAt(this.timeline, t);
    const { rowOf, ipsOf, changes } = this.layout;
    for (let d = 0; d < changes.length; d++) {
      if (!changes[d]) continue;
      active.forEach((slot, j) => {
        this.activeMap[rowOf[d] + j] = slot;
      });
      ipsOf[d] = active.length;
    }
  }

  /** The drain of `slot` is over at `at`: its open connections are cut and its ports let go. */
  private cutSlot(slot: number, at: number, c: IpCounters): number {
    const { rowOf, changes } = this.layout;
    let n = 0;
    for (let d = 0; d < changes.length; d++) {
      if (!changes[d]) continue;
      const r = rowOf[d] + slot;
      const open = this.openSlot[r];
      this.cut[d] += open;
      c.open[d] -= open;
      n += open;
      // The port-seconds these ports were counted for beyond `at` never happen.
      c.heldArea[d] -= this.sumEnd[r] - c.held[r] * at;
      c.heldTotal[d] -= c.held[r];
      c.held[r] = 0;
      this.openSlot[r] = 0;
      this.sumEnd[r] = 0;
      this.dead[r] = 1;
    }
    return n;
  }
}
