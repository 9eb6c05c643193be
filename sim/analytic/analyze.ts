/**
 * `analyzeWorkload`: the JSON result contract filled from the time-varying analytic path
 * (sim/analytic/transient.ts) instead of a simulation. Cost follows schedule steps × destinations, not
 * attempts, so a day of traffic at thousands of connections per second is answered in well under a
 * second.
 *
 * How each field is filled:
 * - `attempts`: the expected number, rounded to a whole number.
 * - `portAllocationErrors`: expected errors rounded to the nearest whole number, so a destination
 *   reads as having errors exactly when its expected errors reach ZERO_ERRORS_THRESHOLD (0.5);
 *   `blockingRatio` uses the unrounded figures.
 * - `meanPortsHeld`: ∫ m(t)(1 − B(t)) dt / duration, the granted share of the infinite-server mean.
 * - `peakPortsHeld`, `peakConnections`: the count at time t is Poisson with mean m(t), so the peak is
 *   estimated as the largest m(t) plus z·√m(t), z = √(2 ln n) with n ≈ duration ÷ mean lifetime
 *   independent looks (at least 2), capped at the capacity; `peakPortsHeldPerIp` splits it evenly
 *   (hash: each IP's own Poisson peak, capped at the per-IP limit).
 * - `erlangB`: steady-state Erlang-B at the peak offered load, as the simulator reports it.
 * - `minIpsForZeroErrors`: the fill-aware planner (sim/analytic/transient.ts `fillAwareMinIps`).
 *
 * @module
 */

import { followsIpChanges, ipTimeline, rowWidth } from "../gateway/ip-changes";
import { destinationIpCounts, destinationLoads, perIpLimit } from "../gateway/load";
import {
  addIpChangeFields,
  type DestinationResult,
  familyFields,
  gatewayResultFields,
  ipsV6Field,
  type SimulationResult,
  startsEmptyField,
  steadyStateField,
} from "../result/result";
import { gatewayVerdict, workloadFamilies, workloadVerdicts } from "../verdict/verdict";
import type { Workload } from "../workload/workload";
import { gatewayBlocking, ipsNeededForPeak, ZERO_ERRORS_THRESHOLD } from "./closed-forms";
import { lifetimeMean } from "./survival";
import { meanOpenAt, meanOpenTotalAt, streamsOf, type TransientModel, transientModelOf } from "./transient";
import { analyzeDestination } from "./transient-analysis";
import { analyzeIpChanges, type IpChangeFigures } from "./transient-ips";
import { expectedIdleTimeouts, fillAwareMinIps, type MinIpsPlan } from "./transient-plan";

/** Analytic details of one destination beyond the result contract. */
export interface AnalyticDestination {
  /** Destination name. */
  readonly name: string;
  /** `address:port/protocol`. */
  readonly endpoint: string;
  /** Expected port-allocation errors (unrounded). */
  readonly expectedErrors: number;
  /** Expected attempts (unrounded). */
  readonly expectedAttempts: number;
  /** Expected errors the gateway-wide cap alone causes (Azure 2,000,000 open connections). */
  readonly capErrors: number;
  /** True when the gateway-wide cap, not the IPs, is what fails: more IPs do not help. */
  readonly capLimited: boolean;
  /** The fill-aware planner's answer, with its reason. */
  readonly minIps: MinIpsPlan;
  /** Largest infinite-server mean of ports held, and when. */
  readonly peakMeanHeld: number;
  /** Seconds into the run of `peakMeanHeld`. */
  readonly peakTime: number;
  /** True when integration hit its evaluation budget (figures less precise). */
  readonly budgetExhausted: boolean;
}

/** The analytic result and its per-destination details. */
export interface AnalyticRun {
  /** The JSON result contract, filled analytically. */
  readonly result: SimulationResult;
  /** Per-destination analytic details, in workload order. */
  readonly details: readonly AnalyticDestination[];
}

/** z of the Poisson peak estimate for `looks` roughly independent looks. */
function peakZ(looks: number): number {
  return Math.sqrt(2 * Math.log(Math.max(2, looks)));
}

const poissonPeak = (mean: number, z: number, cap: number) =>
  Math.min(cap, Math.round(mean > 0 ? mean + z * Math.sqrt(mean) : 0));

/** Largest value of `g` over the model's panel edges and their midpoints. */
function maxOverEdges(model: TransientModel, g: (t: number) => number): number {
  const e = model.edges;
  let best = 0;
  for (let i = 0; i < e.length; i++) {
    best = Math.max(best, g(e[i]));
    if (i + 1 < e.length) best = Math.max(best, g((e[i] + e[i + 1]) / 2));
  }
  return best;
}

/**
 * Analyzes a validated workload without simulating it and returns the result contract plus the
 * per-destination analytic details (expected errors, whether the gateway-wide cap is what fails).
 * Verdict `exhausted` when any destination's expected errors reach ZERO_ERRORS_THRESHOLD or a
 * peak-only expectation does not fit, as `simulate` decides it.
 */
export function analyzeWorkloadDetailed(w: Workload): AnalyticRun {
  const model = transientModelOf(w);
  const limit = perIpLimit(w);
  const sel = w.gateway.ipSelection;
  const T = w.durationSeconds;
  const loads = destinationLoads(w);
  const ipsOf = destinationIpCounts(w);
  const details: AnalyticDestination[] = [];
  const timeline = ipTimeline(w);
  const changes: (IpChangeFigures | undefined)[] = [];
  let idleTimeouts = 0;
  const destinations = loads.map((load, d): DestinationResult => {
    // Each destination against its own family's IPs (IPv6 addresses for an IPv6 destination).
    const k = ipsOf[d];
    const peakOnly = load.hasTraffic ? undefined : w.destinations[d].peakConnections;
    const fixed = analyzeDestination(model, d, k, ZERO_ERRORS_THRESHOLD);
    // Through IP changes (IPv4 destinations): the transition path's errors and ports held.
    const change =
      timeline !== undefined && followsIpChanges(w, d) && load.hasTraffic
        ? analyzeIpChanges(model, timeline, d)
        : undefined;
    changes.push(change);
    const a = change
      ? {
          ...fixed,
          expectedErrors: change.expectedErrors,
          meanPortsHeld: change.meanPortsHeld,
          peakMeanHeld: change.peakHeld,
        }
      : fixed;
    const plan: MinIpsPlan =
      peakOnly !== undefined
        ? { ips: ipsNeededForPeak(peakOnly, limit, sel), reason: "fits" }
        : load.hasTraffic
          ? fillAwareMinIps(model, d, ZERO_ERRORS_THRESHOLD)
          : { ips: 1, reason: "fits" };
    const streams = streamsOf(model, d);
    const meanLife =
      streams.reduce((s, c) => s + lifetimeMean(c.held) * c.rates[0], 0) /
      Math.max(
        1e-300,
        streams.reduce((s, c) => s + c.rates[0], 0),
      );
    const z = peakZ(meanLife > 0 ? T / meanLife : 2);
    const zIp = peakZ((meanLife > 0 ? T / meanLife : 2) * k);
    const peakHeld = poissonPeak(a.peakMeanHeld, z, k * limit);
    const perIp =
      sel === "hash" ? poissonPeak(a.peakMeanHeld / k, zIp, limit) : Math.min(limit, Math.ceil(peakHeld / k));
    // Open connections are a share of the ports held; where the ports fill up, the same share of
    // what is granted.
    const granted = a.peakMeanHeld > 0 ? Math.min(1, (k * limit) / a.peakMeanHeld) : 1;
    const peakOpenMean = load.hasTraffic ? granted * maxOverEdges(model, (t) => meanOpenAt(model, d, t)) : 0;
    const idle = expectedIdleTimeouts(model, d) * (a.attempts > 0 ? 1 - a.expectedErrors / a.attempts : 1);
    idleTimeouts += idle;
    details.push({
      name: load.name,
      endpoint: load.endpoint,
      expectedErrors: a.expectedErrors,
      expectedAttempts: a.attempts,
      capErrors: a.capErrors,
      capLimited: a.capLimited,
      minIps: plan,
      peakMeanHeld: a.peakMeanHeld,
      peakTime: a.peakTime,
      budgetExhausted: a.budgetExhausted,
    });
    return {
      name: load.name,
      endpoint: load.endpoint,
      attempts: Math.round(a.attempts),
      portAllocationErrors: Math.round(a.expectedErrors),
      blockingRatio: a.attempts > 0 ? a.expectedErrors / a.attempts : 0,
      peakConnections: peakOnly ?? Math.min(peakHeld, poissonPeak(peakOpenMean, z, Number.POSITIVE_INFINITY)),
      meanPortsHeld: a.meanPortsHeld,
      peakPortsHeld: peakHeld,
      peakPortsHeldPerIp: change
        ? change.peakHeldPerSlot.map((m) => poissonPeak(m, zIp, limit))
        : Array.from({ length: rowWidth(w, d, timeline) }, () => perIp),
      capacity: k * limit,
      erlangB: gatewayBlocking(load.peakOffered, k, limit, sel),
      minIpsForZeroErrors: plan.ips,
      minIpsReason: plan.reason,
      verdict: "ok",
      reasons: [],
      ...familyFields(w.destinations[d], k),
    };
  });
  // One verdict function decides, as for a simulation: expected errors rounded stand for simulated ones.
  const dv = workloadVerdicts(
    w,
    loads,
    destinations.map((d) => d.portAllocationErrors),
    (load) => details[loads.indexOf(load)].minIps,
  );
  destinations.forEach((d, i) => {
    d.minIpsForZeroErrors = dv[i].ipsNeeded;
    d.minIpsReason = dv[i].ipsNeededReason;
    d.verdict = dv[i].ok ? "ok" : "exhausted";
    d.reasons = [...dv[i].reasons];
    if (dv[i].peakExpectedErrors !== undefined) d.peakExpectedErrors = dv[i].peakExpectedErrors;
    Object.assign(d, steadyStateField(w, w.destinations[i], dv[i]));
  });
  const openPeak = w.traffic.length > 0 ? maxOverEdges(model, (t) => meanOpenTotalAt(model, t)) : 0;
  const totalCap = Math.min(
    model.totalConnections,
    destinations.reduce((s, d) => s + d.capacity, 0),
  );
  const allStreams = model.streams;
  const openLife =
    allStreams.reduce((s, c) => s + lifetimeMean(c.open) * c.rates[0], 0) /
    Math.max(
      1e-300,
      allStreams.reduce((s, c) => s + c.rates[0], 0),
    );
  // Never above the sum of the destinations' own peaks (which count only granted connections).
  const peakConnections = Math.min(
    poissonPeak(openPeak, peakZ(openLife > 0 ? T / openLife : 2), totalCap),
    destinations.reduce((s, d) => s + d.peakConnections, 0),
  );
  const expectedOnTop = w.destinations.reduce(
    (s, spec, i) =>
      s +
      Math.max(0, (spec.peakConnections ?? 0) - (loads[i].hasTraffic ? destinations[i].peakConnections : 0)),
    0,
  );
  const gv = gatewayVerdict(dv, peakConnections + expectedOnTop, model.totalConnections, workloadFamilies(w));
  const result: SimulationResult = {
    cloud: w.cloud,
    ips: w.gateway.ips,
    ...ipsV6Field(w),
    ipSelection: sel,
    seed: w.seed,
    durationSeconds: T,
    ...startsEmptyField(w),
    destinations,
    ...gatewayResultFields(destinations, Math.round(idleTimeouts), peakConnections, gv),
  };
  if (timeline !== undefined) {
    addIpChangeFields(
      result,
      timeline,
      destinations.map((_, i) => ({
        connectionsCut: Math.round(changes[i]?.connectionsCut ?? 0),
        // A destination the changes do not touch has its errors spread over the intervals by length.
        intervalErrors:
          changes[i]?.intervalErrors.map((e) => Math.round(e)) ??
          timeline.intervals.map((iv) =>
            Math.round((details[i].expectedErrors * (iv.toSeconds - iv.fromSeconds)) / T),
          ),
      })),
    );
  }
  return { result, details };
}

/**
 * The JSON result contract of a workload, filled analytically (see the module notes for how each
 * field is estimated). Same verdict rule as `simulate`.
 */
export function analyzeWorkload(w: Workload): SimulationResult {
  return analyzeWorkloadDetailed(w).result;
}
