/**
 * The discrete-event core. Arrivals of all streams form one Poisson process (rates change at
 * schedule steps); each accepted connection schedules a close (FIFO per constant open time, a heap
 * for random ones) and then a port release (FIFO per closing queue and hold-down). State lives in
 * typed arrays; memory follows the connections pending, not the attempts made.
 *
 * @module
 */
import { gatewayRules, streamModels } from "./models";
import { Fifo, Heap } from "./queues";
import { Rng } from "./random";
import { SERIES_SAMPLES, type SimulationSeries } from "./series";
import type { Workload } from "./workload";

/** Raw counters of one run, indexed by destination (and by destination × IPs + IP for per-IP arrays). */
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
}

/** Runs a validated workload through the engine. */
export function runEngine(
  w: Workload,
  options: EngineOptions,
): { stats: EngineStats; series: SimulationSeries } {
  const rules = gatewayRules(w);
  const k = rules.ips;
  const limit = rules.perIpLimit;
  const totalCap = rules.totalConnections;
  const selector = rules.selector;
  const streams = streamModels(w);
  const nd = w.destinations.length;
  const ns = streams.length;
  const T = w.durationSeconds;
  const rng = new Rng(options.seed);
  // An event's payload packs the stream index and the IP: stream << ipBits | ip.
  const ipBits = Math.max(1, Math.ceil(Math.log2(k)));
  const ipMask = (1 << ipBits) - 1;
  if (ns * 2 ** ipBits > 2 ** 31) throw new RangeError(`too many streams (${ns}) for ${k} IPs`);

  // Queues: a close FIFO per constant open time, one heap for random ones; a release FIFO per
  // (closing queue, hold-down) so that release times stay in order within each FIFO.
  const closeQueues: (Fifo | Heap)[] = [];
  const closeKey = new Map<string, number>();
  const releaseQueues: Fifo[] = [];
  const releaseKey = new Map<string, number>();
  const releaseOf = new Int32Array(ns);
  const closeOf = new Int32Array(ns);
  const destOf = new Int32Array(ns);
  const afterOf = new Float64Array(ns);
  const idleOf = new Uint8Array(ns);
  streams.forEach((s, i) => {
    const ck = s.openConstant === undefined ? "heap" : `fifo:${s.openConstant}`;
    if (!closeKey.has(ck)) {
      closeKey.set(ck, closeQueues.length);
      closeQueues.push(s.openConstant === undefined ? new Heap() : new Fifo());
    }
    closeOf[i] = closeKey.get(ck)!;
    const rk = `${closeOf[i]}:${s.after}`;
    if (s.after > 0 && !releaseKey.has(rk)) {
      releaseKey.set(rk, releaseQueues.length);
      releaseQueues.push(new Fifo());
    }
    releaseOf[i] = s.after > 0 ? releaseKey.get(rk)! : -1;
    destOf[i] = s.dest;
    afterOf[i] = s.after;
    idleOf[i] = s.idle ? 1 : 0;
  });

  const held = new Int32Array(nd * k);
  const heldTotal = new Int32Array(nd);
  const open = new Int32Array(nd);
  const stats: EngineStats = {
    attempts: new Float64Array(nd),
    errors: new Float64Array(nd),
    peakOpen: new Int32Array(nd),
    peakHeld: new Int32Array(nd),
    peakHeldPerIp: new Int32Array(nd * k),
    heldArea: new Float64Array(nd),
    idleTimeouts: 0,
    peakOpenTotal: 0,
  };
  let totalOpen = 0;
  let idleTimeouts = 0;

  const drainUntil = (t: number) => {
    for (let q = 0; q < closeQueues.length; q++) {
      const queue = closeQueues[q];
      while (queue.size > 0 && queue.peekTime() <= t) {
        const time = queue.peekTime();
        const payload = queue.peekPayload();
        queue.pop();
        const s = payload >>> ipBits;
        const d = destOf[s];
        open[d]--;
        totalOpen--;
        idleTimeouts += idleOf[s];
        const r = releaseOf[s];
        if (r >= 0) releaseQueues[r].push(time + afterOf[s], payload);
        else {
          held[d * k + (payload & ipMask)]--;
          heldTotal[d]--;
        }
      }
    }
    for (let q = 0; q < releaseQueues.length; q++) {
      const queue = releaseQueues[q];
      while (queue.size > 0 && queue.peekTime() <= t) {
        const payload = queue.peekPayload();
        queue.pop();
        const d = destOf[payload >>> ipBits];
        held[d * k + (payload & ipMask)]--;
        heldTotal[d]--;
      }
    }
  };

  // Series sampling.
  const samples = Math.max(1, options.samples ?? SERIES_SAMPLES);
  const dt = T / samples;
  const series: SimulationSeries = {
    times: [],
    destinations: w.destinations.map((d) => ({
      name: d.name,
      endpoint: `${d.address}:${d.port}/${d.protocol}`,
      portsHeldPerIp: Array.from({ length: k }, () => []),
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
      for (let ip = 0; ip < k; ip++) sd.portsHeldPerIp[ip].push(held[d * k + ip]);
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

  // Segments of constant rates.
  const cutSet = new Set<number>([0, T]);
  for (const s of streams) for (const step of s.schedule) if (step.atSeconds < T) cutSet.add(step.atSeconds);
  const cuts = [...cutSet].sort((a, b) => a - b);
  const cum = new Float64Array(ns);
  let lambda = 0;
  const setRates = (at: number) => {
    lambda = 0;
    for (let s = 0; s < ns; s++) {
      let m = 1;
      for (const step of streams[s].schedule) if (step.atSeconds <= at) m = step.multiplier;
      lambda += streams[s].rate * m;
      cum[s] = lambda;
    }
  };

  const { attempts, errors, peakOpen, peakHeld, peakHeldPerIp, heldArea } = stats;
  const onProgress = options.onProgress;
  let counter = 0;
  let seg = 0;
  let t = 0;
  setRates(0);
  for (;;) {
    const segEnd = cuts[seg + 1];
    const next = lambda > 0 ? t - Math.log(rng.float()) / lambda : Number.POSITIVE_INFINITY;
    if (next >= segEnd) {
      if (seg + 2 >= cuts.length) break;
      seg++;
      t = segEnd;
      setRates(t);
      continue;
    }
    t = next;
    if (t >= nextSample) advanceTo(t);
    else drainUntil(t);
    let s = 0;
    if (ns > 1) {
      const u = rng.float() * lambda;
      let lo = 0;
      let hi = ns - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      s = lo;
    }
    const d = destOf[s];
    attempts[d]++;
    if ((++counter & 0xfffff) === 0 && onProgress) onProgress(t / T);
    const row = d * k;
    const ip = totalOpen < totalCap ? selector.choose(held, row, k, limit, rng) : -1;
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
    if (++totalOpen > stats.peakOpenTotal) stats.peakOpenTotal = totalOpen;
    const stream = streams[s];
    const openFor = stream.sampleOpen(rng);
    const end = t + openFor + afterOf[s];
    heldArea[d] += Math.min(end, T) - t;
    closeQueues[closeOf[s]].push(t + openFor, (s << ipBits) | ip);
  }
  advanceTo(T);
  stats.idleTimeouts = idleTimeouts;
  onProgress?.(1);
  return { stats, series };
}
