/**
 * The analytic path through IP changes (`gateway.ipChanges`, sim/gateway/ip-changes.ts) for one
 * destination. Capacity is piecewise constant: each interval has its IPs taking new flows, each with
 * its per-IP limit. New flows split evenly over those IPs (the flow hash now spreads over the new
 * count); a removed IP takes no new flows, its connections end by the survival function of their
 * lifetimes, and those still open when the drain runs out are cut.
 *
 * Accepted traffic is tracked per IP slot on a grid of cells (as the fluid limit of sim/analytic/fluid.ts
 * does), because after an overload what a full IP frees is what it accepted one lifetime earlier,
 * not what was offered: the offered-load mean alone would keep an IP blocked long after an added IP
 * took half its new flows. A cell's arrivals to an IP are accepted in the share 1 − B, B the Erlang-B
 * blocking of an IP that carries the ports its accepted history still holds plus the cell's own
 * offered ports (pooled: the IPs taking new flows together), and never beyond the room left under
 * the limit. Where the run's
 * change times and end share a whole-second divisor, the cells end exactly on them, so with constant
 * holds the cut at a drain's end (open connections whose hold outlasts the drain) is exact.
 *
 * @module
 */

import type { IpTimeline } from "../gateway/ip-changes";
import { cellArrivals, weights } from "./fluid";
import { lifetimeMean, lifetimeUsed } from "./survival";
import { erlangBFast, type TransientModel } from "./transient";

/** Analytic figures of one destination through the IP changes. */
export interface IpChangeFigures {
  /** Expected attempts over the run. */
  readonly attempts: number;
  /** Expected port-allocation errors over the run. */
  readonly expectedErrors: number;
  /** Expected errors in each interval of the timeline. */
  readonly intervalErrors: readonly number[];
  /** Expected connections cut at the end of drains. */
  readonly connectionsCut: number;
  /** Time-averaged ports held (accepted traffic). */
  readonly meanPortsHeld: number;
  /** Largest expected ports held across the destination's IPs. */
  readonly peakHeld: number;
  /** Largest expected ports held on each IP slot. */
  readonly peakHeldPerSlot: readonly number[];
}

/** Most cells of the grid over the run. */
const MAX_CELLS = 20_000;
/** Cells per shortest mean lifetime. */
const CELLS_PER_LIFETIME = 20;

/** Greatest common divisor of whole numbers. */
function gcd(a: number, b: number): number {
  while (b > 0) [a, b] = [b, a % b];
  return a;
}

/** Cell width: about a twentieth of the shortest lifetime, ending on every change when it can. */
function cellWidth(T: number, shortest: number, timeline: IpTimeline): number {
  const n = Math.max(1, Math.min(MAX_CELLS, Math.ceil(T / (shortest / CELLS_PER_LIFETIME))));
  const dt = T / n;
  const marks = [T, ...timeline.events.map((e) => e.at)];
  if (!marks.every(Number.isInteger)) return dt;
  const g = marks.reduce(gcd);
  const aligned = g / Math.ceil(g / dt);
  return T / aligned <= MAX_CELLS ? aligned : dt;
}

/** The share of new flows slot `i` takes over time: 1 / (IPs taking new flows) while it takes them. */
function slotShare(timeline: IpTimeline, slot: number): { times: number[]; shares: number[] } {
  const times: number[] = [];
  const shares: number[] = [];
  for (const iv of timeline.intervals) {
    const takes = timeline.addedAt[slot] <= iv.fromSeconds && timeline.removedAt[slot] > iv.fromSeconds;
    times.push(iv.fromSeconds);
    shares.push(takes && iv.ips > 0 ? 1 / iv.ips : 0);
  }
  return { times, shares };
}

/** The product of two piecewise-constant curves (both from 0), as one curve. */
function product(
  aT: ArrayLike<number>,
  aV: ArrayLike<number>,
  bT: readonly number[],
  bV: readonly number[],
): { times: Float64Array; rates: Float64Array } {
  const times = [...new Set([...Array.from(aT), ...bT])].sort((x, y) => x - y);
  const rates = new Float64Array(times.length);
  let i = 0;
  let j = 0;
  times.forEach((t, k) => {
    while (i + 1 < aT.length && aT[i + 1] <= t) i++;
    while (j + 1 < bT.length && bT[j + 1] <= t) j++;
    rates[k] = aV[i] * bV[j];
  });
  return { times: Float64Array.from(times), rates };
}

/**
 * Erlang-B blocking of `servers` ports that carry `carried` on average: the blocking at the offered
 * load x with x·(1 − B(x)) = carried, by a few fixed-point steps x ← carried / (1 − B(x)). In a
 * steady state this is Erlang-B at the offered load itself; right after an overload the ports an IP
 * still holds, not what it was once offered, set its blocking.
 */
function blockingCarrying(carried: number, servers: number): number {
  let x = carried;
  let b = erlangBFast(x, servers);
  for (let i = 0; i < 8 && b > 1e-12; i++) {
    const next = Math.min(10 * servers, carried / Math.max(1e-9, 1 - b));
    if (Math.abs(next - x) < 1e-6 * servers) break;
    x = next;
    b = erlangBFast(x, servers);
  }
  return b;
}

/** Sum of acc[n − j] · w[j] for j from 1 (ports still held at the end of cell n from earlier cells). */
function carried(acc: Float64Array, w: Float64Array, n: number): number {
  let h = 0;
  for (let j = 1; j < w.length && j <= n; j++) h += acc[n - j] * w[j];
  return h;
}

/**
 * Expected errors, cuts and ports held of destination `d` through the workload's IP changes.
 * Cost: cells × IP slots × the destination's streams × lifetime history, all bounded.
 */
export function analyzeIpChanges(model: TransientModel, timeline: IpTimeline, d: number): IpChangeFigures {
  const w = model.workload;
  const T = w.durationSeconds;
  const N = model.perIpLimit;
  const hash = w.gateway.ipSelection === "hash";
  const streams = model.streams.filter((c) => c.dest === d);
  const slots = timeline.slots;
  const attempts = streams.reduce((s, c) => s + c.attempts, 0);
  const shortest = Math.min(...streams.map((c) => Math.max(1e-6, lifetimeMean(c.held))), T);
  const dt = cellWidth(T, shortest, timeline);
  const n = Math.max(1, Math.round(T / dt));
  const shares = Array.from({ length: slots }, (_, i) => slotShare(timeline, i));
  // arrivals[s][i]: offered arrivals of stream s to slot i per cell; accepted likewise.
  const arrivals = streams.map((c) =>
    shares.map((sh) => {
      const p = product(c.times, c.rates, sh.times, sh.shares);
      return cellArrivals(p.times, p.rates, dt, n, T);
    }),
  );
  const accepted = streams.map(() => shares.map(() => new Float64Array(n)));
  const held = streams.map((c) => weights(model, c.held, dt));
  const cutCell = timeline.cutAt.map((c) => (Number.isFinite(c) ? Math.round(c / dt) : n + 1));
  const intervalErrors = new Array<number>(timeline.intervals.length).fill(0);
  const peakHeldPerSlot = new Array<number>(slots).fill(0);
  const before = new Float64Array(slots);
  const old = new Float64Array(slots);
  const offered = new Float64Array(slots);
  let errors = 0;
  let area = 0;
  let peakHeld = 0;
  let interval = 0;
  for (let i = 0; i < n; i++) {
    while (
      interval + 1 < timeline.intervals.length &&
      timeline.intervals[interval + 1].fromSeconds <= i * dt + dt / 2
    )
      interval++;
    let pooledOld = 0;
    let pooledNew = 0;
    let pooledRoom = 0;
    for (let k = 0; k < slots; k++) {
      old[k] = 0;
      offered[k] = 0;
      if (i >= cutCell[k]) continue;
      for (let s = 0; s < streams.length; s++) {
        old[k] += carried(accepted[s][k], held[s], i);
        offered[k] += arrivals[s][k][i] * (held[s][0] ?? 0);
      }
      if (offered[k] > 0) {
        pooledOld += old[k];
        pooledNew += offered[k];
        pooledRoom += Math.max(0, N - old[k]);
      }
    }
    const ipsNow = timeline.intervals[interval].ips;
    const bPooled = hash ? 0 : blockingCarrying(pooledOld + pooledNew, ipsNow * N);
    const thetaPooled = pooledNew > pooledRoom ? pooledRoom / pooledNew : 1;
    let heldNow = 0;
    for (let k = 0; k < slots; k++) {
      let after = old[k];
      if (offered[k] > 0) {
        const room = Math.max(0, N - old[k]);
        const share = hash
          ? Math.min(1 - blockingCarrying(old[k] + offered[k], N), offered[k] > room ? room / offered[k] : 1)
          : Math.min(1 - bPooled, thetaPooled);
        for (let s = 0; s < streams.length; s++) {
          const a = arrivals[s][k][i];
          const acc = a * share;
          accepted[s][k][i] = acc;
          errors += a - acc;
          intervalErrors[interval] += a - acc;
          after += acc * (held[s][0] ?? 0);
        }
      }
      area += (dt * (before[k] + after)) / 2;
      before[k] = i + 1 >= cutCell[k] ? 0 : after;
      if (after > peakHeldPerSlot[k]) peakHeldPerSlot[k] = after;
      heldNow += after;
    }
    if (heldNow > peakHeld) peakHeld = heldNow;
  }
  return {
    attempts,
    expectedErrors: Math.max(0, Math.min(attempts, errors)),
    intervalErrors: intervalErrors.map((e) => Math.max(0, e)),
    connectionsCut: cutsOf(timeline, streams, accepted, dt),
    meanPortsHeld: Math.max(0, area / T),
    peakHeld,
    peakHeldPerSlot,
  };
}

/**
 * Connections open on each removed IP when its drain ends: each earlier cell's accepted arrivals
 * (spread evenly over the cell) times the chance their connection is still open then.
 */
function cutsOf(
  timeline: IpTimeline,
  streams: TransientModel["streams"],
  accepted: Float64Array[][],
  dt: number,
): number {
  let cut = 0;
  timeline.cutAt.forEach((at, k) => {
    if (!Number.isFinite(at)) return;
    streams.forEach((c, s) => {
      const acc = accepted[s][k];
      const last = Math.min(acc.length, Math.ceil(at / dt));
      for (let j = 0; j < last; j++) {
        if (acc[j] === 0) continue;
        const from = j * dt;
        const to = Math.min((j + 1) * dt, at);
        // P(open at `at`) averaged over arrival times in the cell, from E[min(S, x)].
        const open = (lifetimeUsed(c.open, at - from) - lifetimeUsed(c.open, at - to)) / dt;
        cut += acc[j] * open;
      }
    });
  });
  return cut;
}
