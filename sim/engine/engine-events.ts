/**
 * The engine's events between two arrivals: the closes and port releases due by a time
 * ({@link DueEvents}), and the series samples taken on the way ({@link SampleClock}). Only counters
 * change, so the order of the events due between two arrivals does not matter beyond keeping each
 * release FIFO sorted (closes pop in time order). sim/engine/engine.ts calls them before each arrival.
 *
 * @module
 */

import type { IpSlots } from "./engine-ips";
import type { CounterLayout, EventQueues } from "./engine-setup";

/** The live counters of a run: ports held per IP row entry and per destination, connections open. */
export interface LiveCounters {
  /** Ports held, per row entry (destination row + IP slot). */
  readonly held: Int32Array;
  /** Ports held, per destination. */
  readonly heldTotal: Int32Array;
  /** Connections open, per destination. */
  readonly open: Int32Array;
}

/**
 * Processes the closes and releases due by a time and keeps the gateway-wide open count. With IP
 * changes (`slots`), a connection of a cut IP is skipped and each slot's open count and port-seconds
 * ahead follow; `track` is constant over a run, so its branches cost a run without changes nothing.
 */
export class DueEvents {
  /** Connections open over every destination. */
  totalOpen = 0;
  /** Connections ended by the idle timeout so far. */
  idleTimeouts = 0;
  private readonly track: boolean;
  private readonly ipBits: number;
  private readonly ipMask: number;
  private readonly rowOf: Int32Array;
  private readonly openSlot: Int32Array;
  private readonly sumEnd: Float64Array;
  private readonly dead: Uint8Array;

  constructor(
    private readonly q: EventQueues,
    layout: CounterLayout,
    private readonly c: LiveCounters,
    slots: IpSlots | undefined,
    private readonly T: number,
  ) {
    this.track = slots !== undefined;
    this.ipBits = layout.ipBits;
    this.ipMask = (1 << layout.ipBits) - 1;
    this.rowOf = layout.rowOf;
    this.openSlot = slots?.openSlot ?? new Int32Array(0);
    this.sumEnd = slots?.sumEnd ?? new Float64Array(0);
    this.dead = slots?.dead ?? new Uint8Array(0);
  }

  /** Processes every close and release due by `t`. */
  until(t: number): void {
    this.passDelayLines(t);
    if (this.q.randomQueue.size > 0) this.popRandomCloses(t);
    this.popReleases(t);
  }

  /** Constant open times: moves each delay line's close cursor, then its release cursor, up to `t`. */
  private passDelayLines(t: number): void {
    const { track, ipBits, ipMask, rowOf, openSlot, sumEnd, dead, T } = this;
    const { lines, destOf, idleOf } = this.q;
    const { held, heldTotal, open } = this.c;
    let closed = 0;
    let idle = 0;
    for (let g = 0; g < lines.length; g++) {
      const line = lines[g];
      const times = line.times;
      const payloads = line.payloads;
      const mask = line.mask;
      const tail = line.tail;
      let c = line.closeHead;
      while (c < tail && times[c & mask] <= t) {
        const payload = payloads[c & mask];
        const s = payload >>> ipBits;
        c++;
        if (track) {
          const r = rowOf[destOf[s]] + (payload & ipMask);
          if (dead[r]) continue;
          openSlot[r]--;
        }
        open[destOf[s]]--;
        closed++;
        idle += idleOf[s];
      }
      line.closeHead = c;
      const after = line.after;
      let r = line.releaseHead;
      while (r < c && times[r & mask] + after <= t) {
        const payload = payloads[r & mask];
        const d = destOf[payload >>> ipBits];
        const at = rowOf[d] + (payload & ipMask);
        if (track) {
          if (dead[at]) {
            r++;
            continue;
          }
          sumEnd[at] -= Math.min(times[r & mask] + after, T);
        }
        held[at]--;
        heldTotal[d]--;
        r++;
      }
      line.releaseHead = r;
    }
    this.totalOpen -= closed;
    this.idleTimeouts += idle;
  }

  /** Random open times: pops the closes due; a port with a hold-down goes to its release FIFO. */
  private popRandomCloses(t: number): void {
    const { track, ipBits, ipMask, rowOf, openSlot, sumEnd, dead, T } = this;
    const { randomQueue, releaseFifos, destOf, fifoOf, afterOf, idleOf } = this.q;
    const { held, heldTotal, open } = this.c;
    let closed = 0;
    let idle = 0;
    while (randomQueue.peekTime() <= t) {
      const time = randomQueue.peekTime();
      const payload = randomQueue.peekPayload();
      randomQueue.pop();
      const s = payload >>> ipBits;
      const d = destOf[s];
      if (track) {
        const at = rowOf[d] + (payload & ipMask);
        if (dead[at]) continue;
        openSlot[at]--;
        if (fifoOf[s] < 0) sumEnd[at] -= Math.min(time, T);
      }
      open[d]--;
      closed++;
      idle += idleOf[s];
      const f = fifoOf[s];
      if (f >= 0) releaseFifos[f].push(time + afterOf[s], payload);
      else {
        held[rowOf[d] + (payload & ipMask)]--;
        heldTotal[d]--;
      }
    }
    this.totalOpen -= closed;
    this.idleTimeouts += idle;
  }

  /** Hold-downs of random-hold connections: lets go of the ports whose release is due. */
  private popReleases(t: number): void {
    const { track, ipBits, ipMask, rowOf, sumEnd, dead, T } = this;
    const { releaseFifos, destOf } = this.q;
    const { held, heldTotal } = this.c;
    for (let q = 0; q < releaseFifos.length; q++) {
      const fifo = releaseFifos[q];
      while (fifo.size > 0 && fifo.peekTime() <= t) {
        const payload = fifo.peekPayload();
        const d = destOf[payload >>> ipBits];
        const at = rowOf[d] + (payload & ipMask);
        if (track) {
          const time = fifo.peekTime();
          fifo.pop();
          if (dead[at]) continue;
          sumEnd[at] -= Math.min(time, T);
        } else fifo.pop();
        held[at]--;
        heldTotal[d]--;
      }
    }
  }
}

/** The series' sample times: before an event past the next sample, the events due by each sample are processed and the sample recorded. */
export class SampleClock {
  /** Time of the next sample. */
  nextSample: number;
  private index = 1;
  private readonly dt: number;

  constructor(
    private readonly due: DueEvents,
    private readonly record: (time: number) => void,
    private readonly samples: number,
    private readonly T: number,
  ) {
    this.dt = T / samples;
    this.nextSample = this.dt;
  }

  /** Processes the events due by `t`, recording every sample passed on the way. */
  advanceTo(t: number): void {
    const { due, samples } = this;
    while (this.nextSample <= t && this.index <= samples) {
      due.until(this.nextSample);
      this.record(this.nextSample);
      this.index++;
      this.nextSample = this.index === samples ? this.T : this.index * this.dt;
    }
    due.until(t);
  }
}
