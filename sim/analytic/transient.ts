/**
 * The time-varying analytic path. For Poisson arrivals whose rate is piecewise constant (base rate ×
 * schedule multiplier), the mean number of ports held by an infinite-server system, m(t), is exact:
 * m(t) = Σ over rate steps Δλⱼ · E[min(S, t − sⱼ)], S the port lifetime. Blocking follows the
 * modified-offered-load approximation (Jagerman 1975; Massey & Whitt 1994): at time t the gateway
 * blocks like Erlang-B at offered load m(t) — per IP at m(t)/k under per-flow hashing (thinning keeps
 * each IP's stream Poisson), Erlang-B(m(t), kN) pooled — and the Azure gateway-wide cap like
 * Erlang-B(open connections, 2,000,000). Expected errors are ∫ λ(t)·B(t) dt, integrated by adaptive
 * Simpson on panels whose edges sit at rate steps and at the ages where m(t) bends after each step.
 * The cost follows schedule steps × destinations × a bounded number of points, never attempts.
 *
 * @module
 */

import { AZURE } from "../../core/limits";
import { perIpLimit, portLifetime, ratesAtSteps } from "../gateway/load";
import type { HoldSpec, Traffic, Workload } from "../workload/workload";
import {
  type Lifetime,
  lifetimeExcess,
  lifetimeFeatureAges,
  lifetimeHorizon,
  lifetimeMean,
  lifetimeOf,
} from "./survival";

/**
 * Erlang-B(offered, servers), equal to sim/analytic's `erlangB` but in O(√offered) steps: 0 at once
 * where a Chernoff bound puts it below 1e-30, else the forward recurrence started ~10√E below
 * min(N, E) from the fluid value 1 − j/E (the start's error shrinks by a factor j/E per step, to
 * below e^-50 by the time it reaches min(N, E)).
 */
export function erlangBFast(offered: number, servers: number): number {
  const e = offered;
  if (!(e > 0)) return 0;
  const n = Math.floor(servers);
  if (n <= 0) return 1;
  if (n > e) {
    // B ≤ P(X ≥ N)/P(X ≤ N) ≤ 2·e^{−E}(eE/N)^N for X ~ Poisson(E), N > E.
    const logBound = Math.LN2 + n - e - n * Math.log(n / e);
    if (logBound < -69) return 0;
  }
  // Steps needed before min(N, E) for the start's error to shrink below e^-40: each step scales
  // it by j/E ≤ min(N, E)/E, and over 10√E steps below E by e^-50 at least.
  const back = n < e ? Math.min(10 * Math.sqrt(e), 40 / Math.log(e / n)) : 10 * Math.sqrt(e);
  const j0 = Math.max(0, Math.floor(Math.min(n, e) - back - 30));
  let b = j0 === 0 ? 1 : 1 - j0 / e;
  for (let j = j0 + 1; j <= n; j++) {
    b = (e * b) / (j + e * b);
    if (b < 1e-300) return 0;
  }
  return b;
}

/** Lifetimes of one traffic stream's connections: port held, and connection open. */
export interface StreamLifetimes {
  /** Hold + what follows it while the port stays held (idle timeout and/or reuse hold-down). */
  readonly held: Lifetime;
  /** Hold + the idle timeout for `close: idle`: what counts against the gateway-wide cap. */
  readonly open: Lifetime;
}

/**
 * A stream's lifetimes from the one lifetime rule (`portLifetime`, sim/gateway/load.ts) the engine and replay
 * apply: open = hold + the idle timeout when it ends by it, held = open + the reuse hold-down. The
 * only place the analytic path reads these rules.
 */
export function streamLifetimes(w: Workload, t: Traffic, protocol: "tcp" | "udp"): StreamLifetimes {
  const life = portLifetime(w, protocol, t.close);
  const openExtra = life.openAfterHold;
  const heldExtra = life.openAfterHold + life.heldAfterClose;
  return {
    held: lifetimeOf(t.holdSeconds as HoldSpec, heldExtra),
    open: lifetimeOf(t.holdSeconds, openExtra),
  };
}

/** A stream's rate over time and its lifetimes, ready for m(t). */
interface StreamCurve {
  readonly dest: number;
  /** Step times, from 0, strictly increasing, all before the end of the run. */
  readonly times: Float64Array;
  /** Rate from times[j] on. */
  readonly rates: Float64Array;
  /** rates[j] − rates[j − 1] (rates[0] for j = 0). */
  readonly deltas: Float64Array;
  readonly held: Lifetime;
  readonly open: Lifetime;
  readonly heldHorizon: number;
  readonly openHorizon: number;
  /** Expected attempts over the run, from the schedule as written. */
  readonly attempts: number;
}

function lastAtOrBefore(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Infinite-server mean of ports in use at time t for one stream: λₚ·E[S] − Σⱼ Δλⱼ·E[(S − (t − sⱼ))⁺]
 * over the steps younger than the lifetime's horizon (older steps have finished filling).
 */
function streamMean(c: StreamCurve, open: boolean, t: number): number {
  const l = open ? c.open : c.held;
  const horizon = open ? c.openHorizon : c.heldHorizon;
  const p = lastAtOrBefore(c.times, t);
  let m = c.rates[p] * lifetimeMean(l);
  for (let j = p; j >= 0; j--) {
    const age = t - c.times[j];
    if (age > horizon) break;
    if (c.deltas[j] !== 0) m -= c.deltas[j] * lifetimeExcess(l, age);
  }
  return Math.max(0, m);
}

/**
 * Share of a lifetime's mean left beyond the age at which a rate step counts as fully filled: the
 * m(t) error it allows is this × E[S] × the sum of rate changes, well below one port.
 */
const HORIZON_TOLERANCE = 1e-7;

/** Most panel edges the integration uses; past this, only rate steps are kept as edges. */
const MAX_BREAKPOINTS = 5_000;

/**
 * Most rate steps per stream the analytic path keeps (work grows with steps × steps within a
 * lifetime's horizon). A longer schedule is coarsened into this many equal windows, each at the
 * highest rate it contains: conservative (ports held and errors are over-, never under-estimated);
 * attempts are still counted from the schedule as written.
 */
const MAX_STEPS = 250;

function peakWindows(
  times: Float64Array,
  rates: Float64Array,
  end: number,
  width: number,
): { times: Float64Array; rates: Float64Array } {
  const n = Math.ceil(end / width);
  const out = new Float64Array(n);
  for (let j = 0; j < times.length; j++) {
    const stop = j + 1 < times.length ? times[j + 1] : end;
    const first = Math.floor(times[j] / width);
    const last = Math.min(n - 1, Math.ceil(stop / width) - 1);
    for (let i = first; i <= last; i++) out[i] = Math.max(out[i], rates[j]);
  }
  return { times: Float64Array.from({ length: n }, (_, i) => i * width), rates: out };
}

/** Rate steps closer than (shortest mean lifetime ÷ this) are merged into their average rate. */
const MERGE_FRACTION = 20;

/**
 * Merges runs of steps closer together than `gap` seconds into one step at the run's start with the
 * run's average rate (attempts preserved exactly). A schedule much finer than the port lifetime
 * changes m(t) by less than the rate's variation over `gap`, and merging bounds the steps each
 * evaluation of m(t) sums.
 */
function mergeDenseSteps(
  times: readonly number[],
  rates: readonly number[],
  end: number,
  gap: number,
): { times: Float64Array; rates: Float64Array } {
  const outT: number[] = [];
  const outR: number[] = [];
  let j = 0;
  while (j < times.length) {
    const start = times[j];
    let k = j;
    let attempts = 0;
    do {
      const next = k + 1 < times.length ? times[k + 1] : end;
      attempts += rates[k] * (next - times[k]);
      k++;
    } while (k < times.length && times[k] - start < gap);
    const stop = k < times.length ? times[k] : end;
    outT.push(start);
    outR.push(k === j + 1 ? rates[j] : attempts / (stop - start));
    j = k;
  }
  return { times: Float64Array.from(outT), rates: Float64Array.from(outR) };
}

/** Fluid-limit figures for every destination at one IP count (sim/analytic/fluid.ts computes them). */
export interface FluidErrors {
  /** Rejected arrivals per destination over the run. */
  readonly errors: Float64Array;
  /** ∫ ports held dt per destination over the run (accepted traffic only). */
  readonly heldArea: Float64Array;
}

/** A workload prepared for the analytic path: stream curves, panel edges, gateway rules. */
export interface TransientModel {
  /** The workload. */
  readonly workload: Workload;
  /** Ports one IP may hold for one destination. */
  readonly perIpLimit: number;
  /** Gateway-wide cap on open connections (Azure 2,000,000; AWS none: Infinity). */
  readonly totalConnections: number;
  /** @internal */
  readonly streams: readonly StreamCurve[];
  /** @internal sorted panel edges from 0 to the end of the run */
  readonly edges: Float64Array;
  /** @internal memo of the total open connections by time */
  readonly openTotal: Map<number, number>;
  /** @internal memo of the gateway-wide cap's blocking by time */
  readonly capBlocking: Map<number, number>;
  /** @internal memo of the fluid-limit errors by IP count */
  readonly fluid: Map<number, FluidErrors>;
  /** @internal memo of ports held per destination by time */
  readonly held: Map<number, number>[];
}

/** Prepares a validated workload for {@link analyzeDestination} and {@link fillAwareMinIps}. */
export function transientModel(w: Workload): TransientModel {
  const T = w.durationSeconds;
  const index = new Map(w.destinations.map((d, i) => [d.name, i]));
  const cap = w.cloud === "azure" ? AZURE.totalConnections.value : Number.POSITIVE_INFINITY;
  const streams = w.traffic.map((t): StreamCurve => {
    const dest = index.get(t.to)!;
    const { held, open } = streamLifetimes(w, t, w.destinations[dest].protocol);
    const steps = [0, ...(t.schedule ?? []).map((s) => s.atSeconds).filter((s) => s > 0 && s < T)];
    const stepRates = ratesAtSteps(t, steps);
    let { times, rates } = mergeDenseSteps(
      steps,
      stepRates,
      T,
      Math.min(lifetimeMean(held), lifetimeMean(open)) / MERGE_FRACTION,
    );
    let attempts = 0;
    steps.forEach((s, j) => {
      attempts += stepRates[j] * ((j + 1 < steps.length ? steps[j + 1] : T) - s);
    });
    if (times.length > MAX_STEPS) ({ times, rates } = peakWindows(times, rates, T, T / MAX_STEPS));
    const deltas = rates.map((r, j) => (j === 0 ? r : r - rates[j - 1]));
    return {
      dest,
      times,
      rates,
      deltas,
      held,
      open,
      attempts,
      heldHorizon: lifetimeHorizon(held, T, HORIZON_TOLERANCE),
      openHorizon: lifetimeHorizon(open, T, HORIZON_TOLERANCE),
    };
  });
  const cuts = new Set<number>([0, T]);
  for (const c of streams) for (const s of c.times) cuts.add(s);
  const edges = new Set(cuts);
  const lifetimes = new Set<Lifetime>();
  for (const c of streams) lifetimes.add(c.held).add(c.open);
  const ages = [...new Set([...lifetimes].flatMap(lifetimeFeatureAges))];
  if (cuts.size * (ages.length + 1) <= MAX_BREAKPOINTS) {
    for (const s of cuts) for (const a of ages) if (s + a < T) edges.add(s + a);
  }
  return {
    workload: w,
    perIpLimit: perIpLimit(w),
    totalConnections: cap,
    streams,
    edges: Float64Array.from([...edges].sort((a, b) => a - b)),
    openTotal: new Map(),
    capBlocking: new Map(),
    fluid: new Map(),
    held: w.destinations.map(() => new Map()),
  };
}

const models = new WeakMap<Workload, TransientModel>();
/** The workload whose model of the traffic a workload with other IP counts shares. */
const traffic = new WeakMap<Workload, Workload>();

/**
 * {@link transientModel}, cached per workload object (workloads are not mutated) and shared by
 * the workloads {@link withGatewayIps} made from it.
 */
export function transientModelOf(w: Workload): TransientModel {
  const base = traffic.get(w) ?? w;
  let m = models.get(base);
  if (m === undefined) {
    m = transientModel(base);
    models.set(base, m);
  }
  return m;
}

/**
 * The workload on a gateway with other IP counts, sharing `w`'s model of the traffic: the model
 * depends on the traffic and the per-IP limit, never on the IP counts, so the IPs-needed search,
 * auto-sizing and the what-if rows build it once. The result has a fixed IP count (no `ipChanges`).
 *
 * @param ipsV6 IPv6 addresses @default the workload's
 */
export function withGatewayIps(w: Workload, ips: number, ipsV6?: number): Workload {
  // A fixed IP count: any IP changes of the workload are left out.
  const { ipChanges: _changes, ...gateway } = w.gateway;
  const out: Workload = { ...w, gateway: { ...gateway, ips, ...(ipsV6 !== undefined ? { ipsV6 } : {}) } };
  traffic.set(out, traffic.get(w) ?? w);
  return out;
}

const byDestination = new WeakMap<TransientModel, StreamCurve[][]>();

/** The streams of destination `d` (grouped once per model, so per-destination work stays linear). */
export function streamsOf(model: TransientModel, d: number): readonly StreamCurve[] {
  let groups = byDestination.get(model);
  if (groups === undefined) {
    groups = model.workload.destinations.map(() => []);
    for (const c of model.streams) groups[c.dest]?.push(c);
    byDestination.set(model, groups);
  }
  return groups[d] ?? [];
}

/** Arrival rate to destination `d` at time t. */
export function destRate(model: TransientModel, d: number, t: number): number {
  let r = 0;
  for (const c of streamsOf(model, d)) r += c.rates[lastAtOrBefore(c.times, t)];
  return r;
}

/** Infinite-server mean of ports held for destination `d` at time t (open plus hold-down). */
export function meanPortsHeldAt(model: TransientModel, d: number, t: number): number {
  const memo = model.held[d];
  let m = memo.get(t);
  if (m === undefined) {
    m = 0;
    for (const c of streamsOf(model, d)) m += streamMean(c, false, t);
    memo.set(t, m);
  }
  return m;
}

/** Infinite-server mean of open connections at time t across the gateway (all destinations). */
export function meanOpenTotalAt(model: TransientModel, t: number): number {
  let m = model.openTotal.get(t);
  if (m === undefined) {
    m = 0;
    for (const c of model.streams) m += streamMean(c, true, t);
    model.openTotal.set(t, m);
  }
  return m;
}

/** Infinite-server mean of open connections to destination `d` at time t. */
export function meanOpenAt(model: TransientModel, d: number, t: number): number {
  let m = 0;
  for (const c of streamsOf(model, d)) m += streamMean(c, true, t);
  return m;
}

/**
 * An upper bound of m(t) over the run: Σ over streams of the highest rate × mean lifetime (of ports
 * held for destination `d`, or of open connections across the gateway when `d` is true).
 */
export function upperBound(model: TransientModel, d: number | true): number {
  let m = 0;
  for (const c of d === true ? model.streams : streamsOf(model, d)) {
    m +=
      c.rates.reduce((a, r) => Math.max(a, r), Number.NEGATIVE_INFINITY) *
      lifetimeMean(d === true ? c.open : c.held);
  }
  return m;
}

/**
 * True when destination `d` cannot block with `ips` IPs at any time: Erlang-B at the upper bound of
 * m(t) (and of the gateway's open connections) is below 1e-30.
 */
export function cannotBlock(model: TransientModel, d: number, ips: number): boolean {
  const N = model.perIpLimit;
  const m = upperBound(model, d);
  const ip =
    model.workload.gateway.ipSelection === "hash" ? erlangBFast(m / ips, N) : erlangBFast(m, ips * N);
  const cap = model.totalConnections;
  return ip === 0 && (!Number.isFinite(cap) || erlangBFast(upperBound(model, true), cap) === 0);
}
