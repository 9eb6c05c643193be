/**
 * The discrete-event core. Arrivals of all streams form one Poisson process (rates change at
 * schedule steps; the stream of each arrival is drawn from an alias table). Each accepted connection
 * schedules its close and then its port's release:
 * - constant open time: one push into a {@link DelayLine} per (open time, hold-down), whose close and
 *   release cursors pass it at the close and release times;
 * - random open time: a push into the {@link CalendarQueue}; at its close the release goes into a
 *   FIFO per hold-down (closes pop in time order, so each FIFO stays sorted).
 * Before each arrival every event due by then is processed (only counters change, so the order of
 * events due between two arrivals does not matter beyond keeping each FIFO sorted). The hot loop is
 * allocation-free and inlines the hash and pooled IP selectors. State lives in typed arrays; memory
 * follows the connections pending, not the attempts made.
 *
 * IP changes (`gateway.ipChanges`) start a segment: new flows then go to the IPs taking new flows
 * (sim/engine/engine-ips.ts maps a drawn position to its IP slot), existing flows stay on their IP, and at
 * the end of a drain the connections still open on the removed IP are cut. A run without changes
 * skips all of it behind one constant flag. A run reads top to bottom in {@link runEngine}: set up
 * (sim/engine/engine-run.ts, from the steps in sim/engine/engine-setup.ts), the event loop, the
 * counters assembled.
 *
 * @module
 */

import type { SimulationSeries } from "../result/series";
import type { Workload } from "../workload/workload";
import { assembleStats, type EngineOptions, type EngineRun, type EngineStats, setUpRun } from "./engine-run";

export type { EngineOptions, EngineStats } from "./engine-run";

/** Runs a validated workload through the engine. */
export function runEngine(
  w: Workload,
  options: EngineOptions,
): { stats: EngineStats; series: SimulationSeries } {
  const run = setUpRun(w, options);
  runEvents(run, options.onProgress);
  const stats = assembleStats(run);
  options.onProgress?.(1);
  return { stats, series: run.series };
}

/**
 * The event loop, one pass per arrival: the next arrival (or the next rate segment and its IP
 * changes), the closes and releases due before it (`drainUntil`, `advanceTo` with the samples), its
 * stream, admit or refuse, and for an admitted connection its counters and its close.
 * Why one function: the closes, the releases and the arrivals share the gateway-wide open count and
 * the queues through this function's locals. Moving the closes and releases into a class of their
 * own (methods, fields) gave bit-identical results but cost about 10 % of the benchmark's attempts/s
 * (cases a and b), so only the steps around the loop are split out (sim/engine/engine-run.ts).
 */
function runEvents(run: EngineRun, onProgress: ((done: number) => void) | undefined): void {
  const { T, streams, rng, segments, selectorKind, expMean, expExtra, slots, record, samples } = run;
  const { lines, releaseFifos, randomQueue, lineOf, fifoOf, openOf, destOf, afterOf, idleOf } = run.queues;
  const { rowOf, ipsOf, kUniform, ipBits } = run.layout;
  const { held, heldTotal, open } = run.counters;
  const { attempts, errors, peakOpen, peakHeld, peakHeldPerIp, heldArea } = run.stats;
  const { perIpLimit: limit, totalConnections: totalCap, selector } = run.rules;
  const { cuts, aliasProb, aliasOf } = segments;
  // IP changes: `track` is constant over the run, so its branches cost a run without them nothing.
  const track = run.slots !== undefined;
  const activeMap = run.slots?.activeMap ?? new Int32Array(0);
  const openSlot = run.slots?.openSlot ?? new Int32Array(0);
  const sumEnd = run.slots?.sumEnd ?? new Float64Array(0);
  const dead = run.slots?.dead ?? new Uint8Array(0);
  const ipMask = (1 << ipBits) - 1;
  const ns = streams.length;
  let totalOpen = 0;
  let peakOpenTotal = 0;
  let idleTimeouts = 0;

  /** Processes every close and release due by `t` (counters only; see the module comment). */
  const drainUntil = (t: number) => {
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
        totalOpen--;
        idleTimeouts += idleOf[s];
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
    if (randomQueue.size > 0) {
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
        totalOpen--;
        idleTimeouts += idleOf[s];
        const f = fifoOf[s];
        if (f >= 0) releaseFifos[f].push(time + afterOf[s], payload);
        else {
          held[rowOf[d] + (payload & ipMask)]--;
          heldTotal[d]--;
        }
      }
    }
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
  };

  const dt = T / samples;
  let sampleIndex = 1;
  let nextSample = dt;
  /** Processes the events due by `t`, recording every sample passed on the way. */
  const advanceTo = (t: number) => {
    while (nextSample <= t && sampleIndex <= samples) {
      drainUntil(nextSample);
      record(nextSample);
      sampleIndex++;
      nextSample = sampleIndex === samples ? T : sampleIndex * dt;
    }
    drainUntil(t);
  };
  /** At a segment boundary: closes and releases due by `t`, then the IP changes due. */
  const changeIps = (t: number) => {
    if (slots === undefined || slots.nextAt > t) return;
    advanceTo(t);
    totalOpen -= slots.apply(t, { held, heldTotal, open, errors, heldArea });
  };

  let counter = 0;
  let seg = 0;
  let t = 0;
  segments.setRates(0);
  let lambda = segments.lambda;
  let meanGap = 1 / lambda;
  // Standard exponential numbers drawn in blocks (for the gaps between arrivals and exponential
  // holds): a block costs one tight loop, where a draw per call returns a boxed number.
  const exps = new Float64Array(256);
  let ei = exps.length;
  for (;;) {
    // The next arrival, or the start of the next segment of constant rates.
    const segEnd = cuts[seg + 1];
    if (ei === exps.length) {
      rng.fillExp1(exps);
      ei = 0;
    }
    const next = lambda > 0 ? t + exps[ei++] * meanGap : Number.POSITIVE_INFINITY;
    if (next >= segEnd) {
      if (seg + 2 >= cuts.length) break;
      seg++;
      t = segEnd;
      segments.setRates(t);
      lambda = segments.lambda;
      meanGap = 1 / lambda;
      if (track) changeIps(t);
      continue;
    }
    t = next;
    // The closes and releases due before it (and the samples passed).
    if (t >= nextSample) advanceTo(t);
    else drainUntil(t);
    // Its stream, from the segment's alias table.
    let s = 0;
    if (ns > 1) {
      const u = rng.float() * ns;
      const i = Math.floor(u);
      s = u - i < aliasProb[i] ? i : aliasOf[i];
    }
    const d = destOf[s];
    attempts[d]++;
    if ((++counter & 0xfffff) === 0 && onProgress) onProgress(t / T);
    // Admit or refuse: an IP with a free port, within the gateway's connection cap.
    const k = kUniform > 0 ? kUniform : ipsOf[d];
    const row = kUniform > 0 ? d * kUniform : rowOf[d];
    let ip = -1;
    if (totalOpen < totalCap) {
      if (selectorKind === 0) {
        let h = k === 1 ? 0 : Math.floor(rng.float() * k);
        if (track) h = activeMap[row + h];
        if (held[row + h] < limit) ip = h;
      } else if (selectorKind === 1) {
        const start = k === 1 ? 0 : Math.floor(rng.float() * k);
        // Through IP changes, positions among the IPs taking new flows map to their slots.
        if (track) ip = pooledSlot(activeMap, held, row, k, start, limit);
        else
          for (let i = 0; i < k; i++) {
            const c = start + i < k ? start + i : start + i - k;
            if (held[row + c] < limit) {
              ip = c;
              break;
            }
          }
      } else {
        ip = selector.choose(held, row, k, limit, rng);
        if (track && ip >= 0) ip = activeMap[row + ip];
      }
    }
    if (ip < 0) {
      errors[d]++;
      continue;
    }
    // An admitted connection: its counters and their peaks.
    const h = ++held[row + ip];
    if (h > peakHeldPerIp[row + ip]) peakHeldPerIp[row + ip] = h;
    const ht = ++heldTotal[d];
    if (ht > peakHeld[d]) peakHeld[d] = ht;
    const o = ++open[d];
    if (o > peakOpen[d]) peakOpen[d] = o;
    if (++totalOpen > peakOpenTotal) peakOpenTotal = totalOpen;
    // Its close: into its delay line (constant open time) or the random-hold queue.
    const payload = (s << ipBits) | ip;
    const line = lineOf[s];
    let close: number;
    if (line >= 0) {
      close = t + openOf[s];
      lines[line].push(close, payload);
    } else {
      const mean = expMean[s];
      let openFor: number;
      if (mean > 0) {
        if (ei === exps.length) {
          rng.fillExp1(exps);
          ei = 0;
        }
        openFor = exps[ei++] * mean + expExtra[s];
      } else openFor = streams[s].sampleOpen(rng);
      close = t + openFor;
      randomQueue.push(close, payload);
    }
    const end = Math.min(close + afterOf[s], T);
    heldArea[d] += end - t;
    if (track) {
      openSlot[row + ip]++;
      sumEnd[row + ip] += end;
    }
  }
  advanceTo(T);
  run.totals.peakOpenTotal = peakOpenTotal;
  run.totals.idleTimeouts = idleTimeouts;
}

/** The pooled choice through IP changes: from position `start`, the first IP taking new flows with a free port. */
function pooledSlot(
  activeMap: Int32Array,
  held: Int32Array,
  row: number,
  k: number,
  start: number,
  limit: number,
) {
  for (let i = 0; i < k; i++) {
    const slot = activeMap[row + (start + i < k ? start + i : start + i - k)];
    if (held[row + slot] < limit) return slot;
  }
  return -1;
}
