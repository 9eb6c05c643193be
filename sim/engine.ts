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
 * @module
 */
import { CalendarQueue } from "./calendar";
import { endpointOf, idleTimeoutSeconds } from "./load";
import { gatewayRules, hashSelector, pooledSelector, type StreamModel, streamModels } from "./models";
import { DelayLine, type EventQueue, Fifo, Heap } from "./queues";
import { Rng } from "./random";
import { SERIES_SAMPLES, type SimulationSeries } from "./series";
import type { Workload } from "./workload";

/**
 * Raw counters of one run, indexed by destination (per-IP arrays by the destination's row, the sum
 * of the IP counts of the destinations before it, + IP).
 */
export interface EngineStats {
  attempts: Float64Array;
  errors: Float64Array;
  peakOpen: Int32Array;
  peakHeld: Int32Array;
  peakHeldPerIp: Int32Array;
  /** ∫ ports held dt over the run, per destination. */
  heldArea: Float64Array;
  idleTimeouts: number;
  peakOpenTotal: number;
}

/** Options of {@link runEngine}. */
export interface EngineOptions {
  /** Seed of the random source. */
  seed: number;
  /** Called now and then with the share of simulated time done (0 to 1). */
  onProgress?: (done: number) => void;
  /** Samples in the series. @default 500 */
  samples?: number;
  /**
   * Queue for the closes of random-hold connections: the calendar queue, or the binary heap it
   * replaced (kept as a reference; both give identical results). @default "calendar"
   */
  randomHoldQueue?: "calendar" | "heap";
}

/** Runs a validated workload through the engine. */
export function runEngine(
  w: Workload,
  options: EngineOptions,
): { stats: EngineStats; series: SimulationSeries } {
  const rules = gatewayRules(w);
  // Each destination's IPs (IPv4 or IPv6 addresses) own a row of `held`: rowOf[d] .. rowOf[d] + ipsOf[d].
  const ipsOf = Int32Array.from(rules.ipsPerDestination);
  const rowOf = new Int32Array(ipsOf.length);
  let rows = 0;
  for (let d = 0; d < ipsOf.length; d++) {
    rowOf[d] = rows;
    rows += ipsOf[d];
  }
  const kMax = ipsOf.reduce((m, n) => Math.max(m, n), 1);
  // One family (the usual case): every destination has the same IPs, so the row is d × k and the
  // hot loop reads no per-destination count.
  const kUniform = ipsOf.every((n) => n === ipsOf[0]) ? kMax : 0;
  const limit = rules.perIpLimit;
  const totalCap = rules.totalConnections;
  const selector = rules.selector;
  // The two built-in selectors are inlined below (same draws, same answers); others are called.
  const selectorKind = selector === hashSelector ? 0 : selector === pooledSelector ? 1 : 2;
  const streams = streamModels(w);
  const nd = w.destinations.length;
  const ns = streams.length;
  const T = w.durationSeconds;
  const rng = new Rng(options.seed);
  // An event's payload packs the stream index and the IP: stream << ipBits | ip.
  const ipBits = Math.max(1, Math.ceil(Math.log2(kMax)));
  const ipMask = (1 << ipBits) - 1;
  if (ns * 2 ** ipBits > 2 ** 31) throw new RangeError(`too many streams (${ns}) for ${kMax} IPs`);

  // Queues: a delay line per (constant open time, hold-down); one calendar queue (or heap) for
  // random open times, then a release FIFO per hold-down.
  const lines: DelayLine[] = [];
  const lineKey = new Map<string, number>();
  const releaseFifos: Fifo[] = [];
  const fifoKey = new Map<number, number>();
  const lineOf = new Int32Array(ns).fill(-1);
  const fifoOf = new Int32Array(ns).fill(-1);
  const openOf = new Float64Array(ns);
  const destOf = new Int32Array(ns);
  const afterOf = new Float64Array(ns);
  const idleOf = new Uint8Array(ns);
  let randomRate = 0;
  streams.forEach((s, i) => {
    destOf[i] = s.dest;
    afterOf[i] = s.after;
    idleOf[i] = s.idle ? 1 : 0;
    if (s.openConstant !== undefined) {
      const key = `${s.openConstant}:${s.after}`;
      if (!lineKey.has(key)) {
        lineKey.set(key, lines.length);
        lines.push(new DelayLine(s.after));
      }
      lineOf[i] = lineKey.get(key)!;
      openOf[i] = s.openConstant;
    } else {
      randomRate += s.rate;
      if (s.after > 0) {
        if (!fifoKey.has(s.after)) {
          fifoKey.set(s.after, releaseFifos.length);
          releaseFifos.push(new Fifo());
        }
        fifoOf[i] = fifoKey.get(s.after)!;
      }
    }
  });
  const { expMean, expExtra } = exponentialHolds(w, streams);
  const randomQueue: EventQueue =
    options.randomHoldQueue === "heap" ? new Heap() : new CalendarQueue(randomRate);

  const held = new Int32Array(rows);
  const heldTotal = new Int32Array(nd);
  const open = new Int32Array(nd);
  const stats: EngineStats = {
    attempts: new Float64Array(nd),
    errors: new Float64Array(nd),
    peakOpen: new Int32Array(nd),
    peakHeld: new Int32Array(nd),
    peakHeldPerIp: new Int32Array(rows),
    heldArea: new Float64Array(nd),
    idleTimeouts: 0,
    peakOpenTotal: 0,
  };
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
        const s = payloads[c & mask] >>> ipBits;
        open[destOf[s]]--;
        totalOpen--;
        idleTimeouts += idleOf[s];
        c++;
      }
      line.closeHead = c;
      const after = line.after;
      let r = line.releaseHead;
      while (r < c && times[r & mask] + after <= t) {
        const payload = payloads[r & mask];
        const d = destOf[payload >>> ipBits];
        held[rowOf[d] + (payload & ipMask)]--;
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
        fifo.pop();
        const d = destOf[payload >>> ipBits];
        held[rowOf[d] + (payload & ipMask)]--;
        heldTotal[d]--;
      }
    }
  };

  // Series sampling.
  const samples = Math.max(1, options.samples ?? SERIES_SAMPLES);
  const dt = T / samples;
  const series: SimulationSeries = {
    times: [],
    destinations: w.destinations.map((d, i) => ({
      name: d.name,
      endpoint: endpointOf(d),
      portsHeldPerIp: Array.from({ length: ipsOf[i] }, () => []),
      portsHeld: [],
      openConnections: [],
      errors: [],
    })),
  };
  const errorsAtSample = new Float64Array(nd);
  let sampleIndex = 1;
  let nextSample = dt;
  const record = (time: number) => {
    series.times.push(time);
    for (let d = 0; d < nd; d++) {
      const sd = series.destinations[d];
      for (let ip = 0; ip < ipsOf[d]; ip++) sd.portsHeldPerIp[ip].push(held[rowOf[d] + ip]);
      sd.portsHeld.push(heldTotal[d]);
      sd.openConnections.push(open[d]);
      sd.errors.push(stats.errors[d] - errorsAtSample[d]);
      errorsAtSample[d] = stats.errors[d];
    }
  };
  const advanceTo = (t: number) => {
    while (nextSample <= t && sampleIndex <= samples) {
      drainUntil(nextSample);
      record(nextSample);
      sampleIndex++;
      nextSample = sampleIndex === samples ? T : sampleIndex * dt;
    }
    drainUntil(t);
  };

  // Segments of constant rates; within one, the stream of an arrival comes from an alias table
  // (Walker/Vose: one uniform number, O(1) whatever the number of streams).
  const cutSet = new Set<number>([0, T]);
  for (const s of streams) for (const step of s.schedule) if (step.atSeconds < T) cutSet.add(step.atSeconds);
  const cuts = [...cutSet].sort((a, b) => a - b);
  const aliasProb = new Float64Array(ns);
  const aliasOf = new Int32Array(ns);
  let lambda = 0;
  // Each stream's next schedule step: segments start in time order, so one pointer per stream walks
  // its schedule once over the whole run (O(streams) per segment for the alias table).
  const nextStep = new Int32Array(ns);
  const rates = streams.map((s) => s.rate);
  const setRates = (at: number) => {
    lambda = 0;
    for (let i = 0; i < ns; i++) {
      const schedule = streams[i].schedule;
      let j = nextStep[i];
      if (j < schedule.length && schedule[j].atSeconds <= at) {
        while (j + 1 < schedule.length && schedule[j + 1].atSeconds <= at) j++;
        rates[i] = streams[i].rate * schedule[j].multiplier;
        nextStep[i] = j + 1;
      }
      lambda += rates[i];
    }
    if (lambda > 0) buildAlias(rates, lambda, aliasProb, aliasOf);
  };

  const { attempts, errors, peakOpen, peakHeld, peakHeldPerIp, heldArea } = stats;
  const onProgress = options.onProgress;
  let counter = 0;
  let seg = 0;
  let t = 0;
  setRates(0);
  let meanGap = 1 / lambda;
  // Standard exponential numbers drawn in blocks (for the gaps between arrivals and exponential
  // holds): a block costs one tight loop, where a draw per call returns a boxed number.
  const exps = new Float64Array(256);
  let ei = exps.length;
  for (;;) {
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
      setRates(t);
      meanGap = 1 / lambda;
      continue;
    }
    t = next;
    if (t >= nextSample) advanceTo(t);
    else drainUntil(t);
    let s = 0;
    if (ns > 1) {
      const u = rng.float() * ns;
      const i = Math.floor(u);
      s = u - i < aliasProb[i] ? i : aliasOf[i];
    }
    const d = destOf[s];
    attempts[d]++;
    if ((++counter & 0xfffff) === 0 && onProgress) onProgress(t / T);
    const k = kUniform > 0 ? kUniform : ipsOf[d];
    const row = kUniform > 0 ? d * kUniform : rowOf[d];
    let ip = -1;
    if (totalOpen < totalCap) {
      if (selectorKind === 0) {
        const h = k === 1 ? 0 : Math.floor(rng.float() * k);
        if (held[row + h] < limit) ip = h;
      } else if (selectorKind === 1) {
        const start = k === 1 ? 0 : Math.floor(rng.float() * k);
        for (let i = 0; i < k; i++) {
          const c = start + i < k ? start + i : start + i - k;
          if (held[row + c] < limit) {
            ip = c;
            break;
          }
        }
      } else ip = selector.choose(held, row, k, limit, rng);
    }
    if (ip < 0) {
      errors[d]++;
      continue;
    }
    const h = ++held[row + ip];
    if (h > peakHeldPerIp[row + ip]) peakHeldPerIp[row + ip] = h;
    const ht = ++heldTotal[d];
    if (ht > peakHeld[d]) peakHeld[d] = ht;
    const o = ++open[d];
    if (o > peakOpen[d]) peakOpen[d] = o;
    if (++totalOpen > peakOpenTotal) peakOpenTotal = totalOpen;
    const payload = (s << ipBits) | ip;
    const line = lineOf[s];
    if (line >= 0) {
      const close = t + openOf[s];
      heldArea[d] += Math.min(close + afterOf[s], T) - t;
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
      const close = t + openFor;
      heldArea[d] += Math.min(close + afterOf[s], T) - t;
      randomQueue.push(close, payload);
    }
  }
  advanceTo(T);
  stats.idleTimeouts = idleTimeouts;
  stats.peakOpenTotal = peakOpenTotal;
  onProgress?.(1);
  return { stats, series };
}

/**
 * Exponential open times drawn in the loop instead of through the stream's sampler (which costs
 * two calls and a boxed number per draw): for each stream whose hold is exponential, the mean and
 * the extra seconds (0, or the idle timeout for `close: idle`) are taken only when the sampler gives
 * bit-identical draws from the same seed, so the results are those of the sampler. mean 0: use it.
 */
function exponentialHolds(w: Workload, streams: readonly StreamModel[]) {
  const expMean = new Float64Array(streams.length);
  const expExtra = new Float64Array(streams.length);
  streams.forEach((s, i) => {
    const hold = w.traffic[i]?.holdSeconds;
    if (s.openConstant !== undefined || typeof hold !== "object" || hold.distribution !== "exponential")
      return;
    for (const extra of [0, idleTimeoutSeconds(w, w.destinations[s.dest].protocol)]) {
      const a = new Rng(12345);
      const b = new Rng(12345);
      let same = true;
      for (let n = 0; n < 64 && same; n++) same = s.sampleOpen(a) === b.exp1() * hold.mean + extra;
      if (same && a.nextUint32() === b.nextUint32() && hold.mean > 0) {
        expMean[i] = hold.mean;
        expExtra[i] = extra;
        return;
      }
    }
  });
  return { expMean, expExtra };
}

/**
 * Fills a Walker alias table (Vose's method) for choosing index i with probability rates[i] / sum:
 * draw u uniform in [0, n), i = ⌊u⌋; take i when u − i < prob[i], else alias[i].
 */
function buildAlias(rates: readonly number[], sum: number, prob: Float64Array, alias: Int32Array): void {
  const n = rates.length;
  const scaled = rates.map((r) => (r * n) / sum);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) (scaled[i] < 1 ? small : large).push(i);
  while (small.length > 0 && large.length > 0) {
    const l = small.pop()!;
    const g = large.pop()!;
    prob[l] = scaled[l];
    alias[l] = g;
    scaled[g] = scaled[g] + scaled[l] - 1;
    (scaled[g] < 1 ? small : large).push(g);
  }
  // What is left has probability 1 up to rounding.
  for (const i of large) {
    prob[i] = 1;
    alias[i] = i;
  }
  for (const i of small) {
    prob[i] = rates[i] > 0 ? 1 : 0;
    alias[i] = i;
  }
}
