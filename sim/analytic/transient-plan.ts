/**
 * Planning from the time-varying analytic path: the fewest IPs a destination needs for what the run
 * actually fills (fill-aware `minIpsForZeroErrors`), and expected idle timeouts.
 *
 * @module
 */

import type { DestinationLoad } from "../gateway/load";
import type { Workload } from "../workload/workload";
import { MIN_IPS_NOT_REACHABLE, MIN_IPS_SEARCH_CAP, ZERO_ERRORS_THRESHOLD } from "./closed-forms";
import { lifetimeUsed } from "./survival";
import { cannotBlock, type TransientModel, transientModelOf } from "./transient";
import { analyzeDestination } from "./transient-analysis";

/** The fill-aware planner's answer for one destination. */
export interface MinIpsPlan {
  /** Fewest IPs with expected errors below the threshold, or {@link MIN_IPS_NOT_REACHABLE}. */
  readonly ips: number;
  /**
   * `fits`: `ips` IPs suffice; `beyond-search`: more than {@link MIN_IPS_SEARCH_CAP} IPs would be
   * needed; `gateway-cap`: the gateway-wide connection cap causes the errors, more IPs do not help.
   */
  readonly reason: "fits" | "beyond-search" | "gateway-cap";
}

/**
 * Fewest IPs with which destination `d`'s expected errors, from m(t) over the run as scheduled,
 * stay below `threshold`: a run too short to fill (or a burst shorter than the lifetime) is sized
 * for what it reaches, not for its steady state. Binary search on 1…{@link MIN_IPS_SEARCH_CAP}
 * (expected errors fall as IPs are added), so at most ~11 integrations.
 *
 * @param threshold @default 0.5 (sim/analytic ZERO_ERRORS_THRESHOLD)
 */
export function fillAwareMinIps(model: TransientModel, d: number, threshold = 0.5): MinIpsPlan {
  const errorsAt = (k: number) => analyzeDestination(model, d, k, threshold);
  // IP counts whose bound rules out any blocking need no integration.
  const fits = (k: number) => cannotBlock(model, d, k) || errorsAt(k).expectedErrors < threshold;
  if (cannotBlock(model, d, 1)) return { ips: 1, reason: "fits" };
  if (!cannotBlock(model, d, MIN_IPS_SEARCH_CAP)) {
    const top = errorsAt(MIN_IPS_SEARCH_CAP);
    if (top.capLimited) return { ips: MIN_IPS_NOT_REACHABLE, reason: "gateway-cap" };
    if (top.expectedErrors >= threshold) return { ips: MIN_IPS_NOT_REACHABLE, reason: "beyond-search" };
  }
  let bad = 0;
  let good = MIN_IPS_SEARCH_CAP;
  while (good - bad > 1) {
    const mid = Math.floor((bad + good) / 2);
    if (fits(mid)) good = mid;
    else bad = mid;
  }
  return { ips: good, reason: "fits" };
}

/** Expected idle timeouts of destination `d` over the run, before blocking (ends by idle timeout before the end). */
export function expectedIdleTimeouts(model: TransientModel, d: number): number {
  const w = model.workload;
  const T = w.durationSeconds;
  let n = 0;
  w.traffic.forEach((t, i) => {
    const c = model.streams[i];
    if (c.dest !== d || t.close !== "idle") return;
    for (let j = 0; j < c.times.length; j++) {
      const a = c.times[j];
      const b = j + 1 < c.times.length ? c.times[j + 1] : T;
      // ∫ₐᵇ P(S_open ≤ T − u) du = (b − a) − [E min(S, T − a) − E min(S, T − b)]
      n += c.rates[j] * (b - a - (lifetimeUsed(c.open, T - a) - lifetimeUsed(c.open, T - b)));
    }
  });
  return Math.max(0, n);
}

/**
 * `minIpsForZeroErrors` of one destination of a workload: the fill-aware planner
 * ({@link fillAwareMinIps}), which sizes for the ports the run actually fills from its
 * schedule, not for each segment's steady state. `MIN_IPS_NOT_REACHABLE` (sim/analytic/closed-forms.ts) when more
 * than `MIN_IPS_SEARCH_CAP` IPs would be needed or the gateway-wide cap is what fails.
 */
export function destinationMinIps(w: Workload, load: DestinationLoad): number {
  return destinationMinIpsPlan(w, load).ips;
}

/** {@link destinationMinIps} with its reason (`fits`, `beyond-search`, `gateway-cap`). */
export function destinationMinIpsPlan(w: Workload, load: DestinationLoad): MinIpsPlan {
  const d = w.destinations.findIndex((x) => x.name === load.name);
  if (d < 0 || !load.hasTraffic) return { ips: 1, reason: "fits" };
  return fillAwareMinIps(transientModelOf(w), d, ZERO_ERRORS_THRESHOLD);
}
