/**
 * One run of the engine around its event loop: the options, the state the loop reads and changes
 * (set up from the workload by {@link setUpRun}), and the raw counters it leaves
 * ({@link assembleStats}). sim/engine/engine.ts runs the loop.
 *
 * @module
 */

import { ipTimeline } from "../gateway/ip-changes";
import {
  type GatewayRules,
  gatewayRules,
  hashSelector,
  pooledSelector,
  type StreamModel,
  streamModels,
} from "../gateway/models";
import { SERIES_SAMPLES, type SimulationSeries } from "../result/series";
import type { Workload } from "../workload/workload";
import { IpSlots } from "./engine-ips";
import {
  type CounterLayout,
  counterLayout,
  type EventQueues,
  eventQueues,
  exponentialHolds,
  RateSegments,
  seriesRecorder,
} from "./engine-setup";
import { Rng } from "./random";

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
  /** Per destination: connections cut at the end of a drain (zeros without IP changes). */
  connectionsCut: Float64Array;
  /** Per interval of the IP timeline (sim/gateway/ip-changes.ts), per destination: errors in it. */
  intervalErrors?: number[][];
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

/** Everything a run reads and changes: the model, its queues, its counters and its clocks. */
export interface EngineRun {
  readonly T: number;
  readonly streams: readonly StreamModel[];
  readonly layout: CounterLayout;
  readonly queues: EventQueues;
  readonly rng: Rng;
  readonly rules: GatewayRules;
  /** 0 and 1: the hash and pooled selectors, inlined (same draws, same answers); 2: others, called. */
  readonly selectorKind: number;
  readonly expMean: Float64Array;
  readonly expExtra: Float64Array;
  readonly counters: { readonly held: Int32Array; readonly heldTotal: Int32Array; readonly open: Int32Array };
  readonly stats: EngineStats;
  readonly slots: IpSlots | undefined;
  /** Appends one sample of the counters to the series. */
  readonly record: (time: number) => void;
  /** Samples in the series. */
  readonly samples: number;
  readonly segments: RateSegments;
  readonly series: SimulationSeries;
  /** Gateway-wide figures kept by the event loop. */
  totals: { peakOpenTotal: number; idleTimeouts: number };
}

/** Sets up a run: the gateway rules, the counter layout, the queues, the counters, the IP slots, the series and the rate segments. */
export function setUpRun(w: Workload, options: EngineOptions): EngineRun {
  const rules = gatewayRules(w);
  const streams = streamModels(w);
  const timeline = ipTimeline(w);
  const layout = counterLayout(w, timeline, streams.length);
  const nd = w.destinations.length;
  const T = w.durationSeconds;
  const queues = eventQueues(streams, options.randomHoldQueue ?? "calendar");
  const { expMean, expExtra } = exponentialHolds(w, streams);
  const counters = {
    held: new Int32Array(layout.rows),
    heldTotal: new Int32Array(nd),
    open: new Int32Array(nd),
  };
  const stats = emptyStats(nd, layout.rows);
  const slots = timeline === undefined ? undefined : new IpSlots(timeline, layout, nd);
  const { series, record } = seriesRecorder(w, layout, { ...counters, errors: stats.errors });
  const samples = Math.max(1, options.samples ?? SERIES_SAMPLES);
  const segments = new RateSegments(streams, T, timeline?.events.map((e) => e.at) ?? []);
  const selector = rules.selector;
  const selectorKind = selector === hashSelector ? 0 : selector === pooledSelector ? 1 : 2;
  const rng = new Rng(options.seed);
  return {
    ...{ T, streams, layout, queues, rng, rules, selectorKind, expMean, expExtra },
    ...{
      counters,
      stats,
      slots,
      record,
      samples,
      segments,
      series,
      totals: { peakOpenTotal: 0, idleTimeouts: 0 },
    },
  };
}

/** Zeroed counters for `nd` destinations and `rows` per-IP row entries. */
function emptyStats(nd: number, rows: number): EngineStats {
  return {
    attempts: new Float64Array(nd),
    errors: new Float64Array(nd),
    peakOpen: new Int32Array(nd),
    peakHeld: new Int32Array(nd),
    peakHeldPerIp: new Int32Array(rows),
    heldArea: new Float64Array(nd),
    idleTimeouts: 0,
    peakOpenTotal: 0,
    connectionsCut: new Float64Array(nd),
  };
}

/** The run's counters once its events are done: the gateway-wide totals and, with IP changes, the cuts and each interval's errors. */
export function assembleStats(run: EngineRun): EngineStats {
  const { stats, slots, totals } = run;
  slots?.closeInterval(stats.errors);
  stats.idleTimeouts = totals.idleTimeouts;
  stats.peakOpenTotal = totals.peakOpenTotal;
  if (slots !== undefined) {
    stats.connectionsCut = slots.cut;
    stats.intervalErrors = slots.intervalErrors;
  }
  return stats;
}
