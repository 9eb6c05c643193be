/**
 * The engine's setup steps, each a pure function of the workload: the layout of its per-IP
 * counters (a row per destination, one entry per IP slot), the event queues of its streams, the
 * exponential holds it draws inline, the segments of constant rates (with their alias tables) and
 * the series recorder. sim/engine/engine.ts runs them in order and then the hot loop.
 *
 * @module
 */

import { followsIpChanges, type IpTimeline, rowWidth } from "../gateway/ip-changes";
import { endpointOf, idleTimeoutSeconds } from "../gateway/load";
import { gatewayRules, type StreamModel } from "../gateway/models";
import type { SimulationSeries } from "../result/series";
import type { Workload } from "../workload/workload";
import { CalendarQueue } from "./calendar";
import { DelayLine, type EventQueue, Fifo, Heap } from "./queues";
import { Rng } from "./random";

/** Where each destination's per-IP counters live, and how many of its IPs take new flows. */
export interface CounterLayout {
  /** First entry of destination d's row. */
  readonly rowOf: Int32Array;
  /** Entries of destination d's row: its IPs, or every IP slot the run uses when IPs change. */
  readonly widthOf: Int32Array;
  /** IPs taking new flows for destination d now (changed by IP changes). */
  readonly ipsOf: Int32Array;
  /** Rows of all destinations together. */
  readonly rows: number;
  /** The one row width when every destination has it and IPs never change, else 0. */
  readonly kUniform: number;
  /** Bits of an event payload that hold the IP slot. */
  readonly ipBits: number;
  /** True for destinations whose IPs follow `gateway.ipChanges` (IPv4 ones). */
  readonly changes: Uint8Array;
}

/** The counter layout of a workload (`timeline`: its IP changes, if any). */
export function counterLayout(w: Workload, timeline: IpTimeline | undefined, streams: number): CounterLayout {
  const initial = gatewayRules(w).ipsPerDestination;
  const changes = Uint8Array.from(w.destinations, (_, d) =>
    timeline !== undefined && followsIpChanges(w, d) ? 1 : 0,
  );
  const widthOf = Int32Array.from(initial, (_, d) => rowWidth(w, d, timeline));
  const rowOf = new Int32Array(widthOf.length);
  let rows = 0;
  for (let d = 0; d < widthOf.length; d++) {
    rowOf[d] = rows;
    rows += widthOf[d];
  }
  const kMax = widthOf.reduce((m, n) => Math.max(m, n), 1);
  // One family and fixed IPs (the usual case): every row is d × k and the hot loop reads no
  // per-destination count.
  const kUniform = timeline === undefined && widthOf.every((n) => n === widthOf[0]) ? kMax : 0;
  const ipBits = Math.max(1, Math.ceil(Math.log2(kMax)));
  if (streams * 2 ** ipBits > 2 ** 31) throw new RangeError(`too many streams (${streams}) for ${kMax} IPs`);
  return { rowOf, widthOf, ipsOf: Int32Array.from(initial), rows, kUniform, ipBits, changes };
}

/** The queues of a run and each stream's place in them. */
export interface EventQueues {
  /** A delay line per (constant open time, hold-down). */
  readonly lines: DelayLine[];
  /** A release FIFO per hold-down of random-hold streams. */
  readonly releaseFifos: Fifo[];
  /** The queue of random-hold closes. */
  readonly randomQueue: EventQueue;
  /** Per stream: its delay line, or -1. */
  readonly lineOf: Int32Array;
  /** Per stream: its release FIFO, or -1 (no hold-down). */
  readonly fifoOf: Int32Array;
  /** Per stream: its constant open time (delay-line streams). */
  readonly openOf: Float64Array;
  /** Per stream: its destination. */
  readonly destOf: Int32Array;
  /** Per stream: seconds a port stays held after close. */
  readonly afterOf: Float64Array;
  /** Per stream: 1 when its connections end by the idle timeout. */
  readonly idleOf: Uint8Array;
}

/**
 * The queues for a run: a delay line per (constant open time, hold-down); one calendar queue (or
 * heap) for random open times, then a release FIFO per hold-down.
 */
export function eventQueues(
  streams: readonly StreamModel[],
  randomHoldQueue: "calendar" | "heap",
): EventQueues {
  const ns = streams.length;
  const lines: DelayLine[] = [];
  const lineKey = new Map<string, number>();
  const releaseFifos: Fifo[] = [];
  const fifoKey = new Map<number, number>();
  const q = {
    lineOf: new Int32Array(ns).fill(-1),
    fifoOf: new Int32Array(ns).fill(-1),
    openOf: new Float64Array(ns),
    destOf: new Int32Array(ns),
    afterOf: new Float64Array(ns),
    idleOf: new Uint8Array(ns),
  };
  let randomRate = 0;
  streams.forEach((s, i) => {
    q.destOf[i] = s.dest;
    q.afterOf[i] = s.after;
    q.idleOf[i] = s.idle ? 1 : 0;
    if (s.openConstant !== undefined) {
      const key = `${s.openConstant}:${s.after}`;
      if (!lineKey.has(key)) {
        lineKey.set(key, lines.length);
        lines.push(new DelayLine(s.after));
      }
      q.lineOf[i] = lineKey.get(key)!;
      q.openOf[i] = s.openConstant;
    } else {
      randomRate += s.rate;
      if (s.after > 0) {
        if (!fifoKey.has(s.after)) {
          fifoKey.set(s.after, releaseFifos.length);
          releaseFifos.push(new Fifo());
        }
        q.fifoOf[i] = fifoKey.get(s.after)!;
      }
    }
  });
  const randomQueue: EventQueue = randomHoldQueue === "heap" ? new Heap() : new CalendarQueue(randomRate);
  return { lines, releaseFifos, randomQueue, ...q };
}

/**
 * Exponential open times drawn in the loop instead of through the stream's sampler (which costs
 * two calls and a boxed number per draw): for each stream whose hold is exponential, the mean and
 * the extra seconds (0, or the idle timeout for `close: idle`) are taken only when the sampler gives
 * bit-identical draws from the same seed, so the results are those of the sampler. mean 0: use it.
 */
export function exponentialHolds(w: Workload, streams: readonly StreamModel[]) {
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
 * The segments of constant rates of a run and, within one, the stream of an arrival drawn from an
 * alias table (Walker/Vose: one uniform number, O(1) whatever the number of streams). Segments start
 * at every schedule step and every IP change.
 */
export class RateSegments {
  /** Segment boundaries from 0 to the end of the run. */
  readonly cuts: number[];
  /** Alias table: probability of keeping index i. */
  readonly aliasProb: Float64Array;
  /** Alias table: the alternative of index i. */
  readonly aliasOf: Int32Array;
  /** Total arrival rate of the current segment. */
  lambda = 0;
  private readonly nextStep: Int32Array;
  private readonly rates: number[];

  constructor(
    private readonly streams: readonly StreamModel[],
    T: number,
    extraCuts: readonly number[],
  ) {
    const cutSet = new Set<number>([0, T]);
    for (const s of streams)
      for (const step of s.schedule) if (step.atSeconds < T) cutSet.add(step.atSeconds);
    for (const c of extraCuts) if (c < T) cutSet.add(c);
    this.cuts = [...cutSet].sort((a, b) => a - b);
    this.aliasProb = new Float64Array(streams.length);
    this.aliasOf = new Int32Array(streams.length);
    this.nextStep = new Int32Array(streams.length);
    this.rates = streams.map((s) => s.rate);
  }

  /**
   * Sets the rates in force at `at`. Segments start in time order, so one pointer per stream walks
   * its schedule once over the whole run (O(streams) per segment for the alias table).
   */
  setRates(at: number): void {
    const { streams, rates, nextStep } = this;
    let lambda = 0;
    for (let i = 0; i < streams.length; i++) {
      const schedule = streams[i].schedule;
      let j = nextStep[i];
      if (j < schedule.length && schedule[j].atSeconds <= at) {
        while (j + 1 < schedule.length && schedule[j + 1].atSeconds <= at) j++;
        rates[i] = streams[i].rate * schedule[j].multiplier;
        nextStep[i] = j + 1;
      }
      lambda += rates[i];
    }
    this.lambda = lambda;
    if (lambda > 0) buildAlias(rates, lambda, this.aliasProb, this.aliasOf);
  }
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

/** Counters the series recorder reads at each sample. */
export interface SampledCounters {
  readonly held: Int32Array;
  readonly heldTotal: Int32Array;
  readonly open: Int32Array;
  readonly errors: Float64Array;
}

/** An empty series for a workload and a recorder that appends one sample of the counters. */
export function seriesRecorder(
  w: Workload,
  layout: CounterLayout,
  c: SampledCounters,
): { series: SimulationSeries; record: (time: number) => void } {
  const nd = w.destinations.length;
  const { rowOf, widthOf } = layout;
  const series: SimulationSeries = {
    times: [],
    destinations: w.destinations.map((d, i) => ({
      name: d.name,
      endpoint: endpointOf(d),
      portsHeldPerIp: Array.from({ length: widthOf[i] }, () => []),
      portsHeld: [],
      openConnections: [],
      errors: [],
    })),
  };
  const errorsAtSample = new Float64Array(nd);
  const record = (time: number) => {
    series.times.push(time);
    for (let d = 0; d < nd; d++) {
      const sd = series.destinations[d];
      for (let ip = 0; ip < widthOf[d]; ip++) sd.portsHeldPerIp[ip].push(c.held[rowOf[d] + ip]);
      sd.portsHeld.push(c.heldTotal[d]);
      sd.openConnections.push(c.open[d]);
      sd.errors.push(c.errors[d] - errorsAtSample[d]);
      errorsAtSample[d] = c.errors[d];
    }
  };
  return { series, record };
}
