/**
 * The one decision about exhaustion. Every surface — `simulate`'s verdict and exit code, the table,
 * Markdown and HTML reports, `assessCapacity` (and through it the components' CapacityError and the
 * policy's capacity rule) — derives its answer from {@link destinationVerdict} and
 * {@link gatewayVerdict}, so they never disagree about the same input.
 *
 * @module
 */
import {
  HASH_OVERFLOW_TARGET,
  ipsNeededForPeak,
  ipsNeededForSustainedPeak,
  sustainedPeakErrors,
  ZERO_ERRORS_THRESHOLD,
} from "./analytic";
import { capacityFix } from "./capacity-message";
import { type DestinationLoad, destinationMinIps, perIpLimit } from "./load";
import type { Workload } from "./workload";

/** Why a destination or the gateway is exhausted. */
export type ExhaustionReason =
  /** The simulation produced port-allocation errors. */
  | "port-allocation-errors"
  /** A peak expectation checked as one instant does not fit (hash overflow risk ≥ 1%, or past IPs × limit). */
  | "peak-does-not-fit"
  /** A sustained peak expects at least ZERO_ERRORS_THRESHOLD errors over its duration. */
  | "sustained-peak-errors"
  /** Connections across all destinations exceed the gateway-wide cap (Azure 2,000,000); more IPs do not help. */
  | "gateway-connection-cap";

/** A peak expectation of one destination. */
export interface PeakExpectation {
  /** Connections open at the peak. */
  readonly connections: number;
  /** How long the peak lasts; with {@link holdSeconds}, the peak is checked as a sustained plateau. */
  readonly durationSeconds?: number;
  /** How long each connection lives during the peak. */
  readonly holdSeconds?: number;
}

/** What is known about one destination. */
export interface DestinationEvidence {
  /** IPs of the gateway. */
  readonly ips: number;
  /** Ports one IP may hold for the destination. */
  readonly perIpLimit: number;
  /** How a flow's IP is chosen. */
  readonly ipSelection: "hash" | "pooled";
  /** Simulated traffic: errors seen and the analytic fewest IPs for zero errors. */
  readonly simulated?: { readonly portAllocationErrors: number; readonly analyticMinIps: number };
  /** A peak expectation (`peakConnections`, optionally sustained). */
  readonly peak?: PeakExpectation;
}

/** The verdict for one destination. */
export interface DestinationVerdict {
  /** True when the destination fits with the gateway's IPs. */
  readonly ok: boolean;
  /** Why it does not fit (empty when ok). */
  readonly reasons: readonly ExhaustionReason[];
  /** Fewest IPs with which it fits: at most `ips` when ok, above `ips` when not. */
  readonly ipsNeeded: number;
  /** Expected errors of a sustained peak over its duration (absent for an instant or no peak). */
  readonly peakExpectedErrors?: number;
  /** True when a peak expectation was checked as one instant. */
  readonly peakIsInstant?: boolean;
}

/** Decides one destination's verdict from simulated errors and its peak expectation. */
export function destinationVerdict(e: DestinationEvidence): DestinationVerdict {
  const reasons: ExhaustionReason[] = [];
  let ipsNeeded = 1;
  let peakExpectedErrors: number | undefined;
  let peakIsInstant: boolean | undefined;
  if (e.simulated) {
    // The simulation decides; the analytic figure only refines the IP count on the same side.
    const failed = e.simulated.portAllocationErrors > 0;
    if (failed) reasons.push("port-allocation-errors");
    const analytic = e.simulated.analyticMinIps;
    ipsNeeded = failed ? Math.max(analytic, e.ips + 1) : Math.min(analytic, e.ips);
  }
  const p = e.peak;
  if (p && p.connections > 0) {
    if (p.durationSeconds !== undefined && p.holdSeconds !== undefined) {
      peakIsInstant = false;
      peakExpectedErrors = sustainedPeakErrors(
        p.connections,
        p.durationSeconds,
        p.holdSeconds,
        e.ips,
        e.perIpLimit,
        e.ipSelection,
      );
      if (peakExpectedErrors >= ZERO_ERRORS_THRESHOLD) reasons.push("sustained-peak-errors");
      ipsNeeded = Math.max(
        ipsNeeded,
        ipsNeededForSustainedPeak(
          p.connections,
          p.durationSeconds,
          p.holdSeconds,
          e.perIpLimit,
          e.ipSelection,
        ),
      );
    } else {
      peakIsInstant = true;
      const need = ipsNeededForPeak(p.connections, e.perIpLimit, e.ipSelection);
      if (need > e.ips) reasons.push("peak-does-not-fit");
      ipsNeeded = Math.max(ipsNeeded, need);
    }
  }
  const ok = reasons.length === 0;
  // Keep the IP count on the side of the verdict whatever rounding the planners did.
  ipsNeeded = ok ? Math.min(ipsNeeded, e.ips) : Math.max(ipsNeeded, e.ips + 1);
  return {
    ok,
    reasons,
    ipsNeeded,
    ...(peakExpectedErrors !== undefined ? { peakExpectedErrors } : {}),
    ...(peakIsInstant !== undefined ? { peakIsInstant } : {}),
  };
}

/** The verdict for the whole gateway. */
export interface GatewayVerdict {
  /** True when every destination fits and no gateway-wide limit is broken. */
  readonly ok: boolean;
  /** Why not (empty when ok), without repeats. */
  readonly reasons: readonly ExhaustionReason[];
  /** Fewest IPs with which every destination fits. */
  readonly ipsNeeded: number;
  /** False when a gateway-wide limit fails: adding IPs cannot fix it. */
  readonly moreIpsHelp: boolean;
  /** Connections across all destinations at their peaks, compared with the cap. */
  readonly totalConnections: number;
  /** The gateway-wide connection cap (Infinity when the cloud has none). */
  readonly totalConnectionsCap: number;
}

/** Decides the gateway's verdict from its destinations' verdicts and the connections across them. */
export function gatewayVerdict(
  destinations: readonly DestinationVerdict[],
  totalConnections: number,
  totalConnectionsCap: number,
): GatewayVerdict {
  const reasons = [...new Set(destinations.flatMap((d) => d.reasons))];
  const capExceeded = totalConnections > totalConnectionsCap;
  if (capExceeded) reasons.push("gateway-connection-cap");
  return {
    ok: reasons.length === 0,
    reasons,
    ipsNeeded: destinations.reduce((m, d) => Math.max(m, d.ipsNeeded), 1),
    moreIpsHelp: !capExceeded,
    totalConnections,
    totalConnectionsCap,
  };
}

/** Plain words for a reason, for messages and reports. */
export function reasonText(reason: ExhaustionReason): string {
  switch (reason) {
    case "port-allocation-errors":
      return "port-allocation errors in the simulation";
    case "peak-does-not-fit":
      return `an expected peak does not fit (checked as one instant, under ${HASH_OVERFLOW_TARGET * 100}% overflow risk)`;
    case "sustained-peak-errors":
      return `a sustained peak expects ${ZERO_ERRORS_THRESHOLD} or more port-allocation errors`;
    case "gateway-connection-cap":
      return "connections across all destinations exceed the gateway-wide cap";
  }
}

/**
 * The fix for an exhausted gateway, naming the setting and a value that would work; never an IP
 * count when more IPs cannot help (worded by ./capacity-message, as every surface's fix is).
 *
 * @param ipsField the setting that holds the IP count, e.g. `gateway.ips`
 */
export function verdictFix(v: GatewayVerdict, ips: number, maxIps: number, ipsField: string): string {
  return capacityFix({ ...v, ips, maxIps }, { name: ipsField });
}

/**
 * The verdict of each destination of a workload, given its port-allocation errors (simulated, or
 * expected and rounded) and the analytic fewest IPs for its traffic.
 */
export function workloadVerdicts(
  w: Workload,
  loads: readonly DestinationLoad[],
  errors: ArrayLike<number>,
  analyticMinIps: (load: DestinationLoad) => number = (load) => destinationMinIps(w, load),
): DestinationVerdict[] {
  const k = w.gateway.ips;
  const limit = perIpLimit(w);
  const sel = w.gateway.ipSelection;
  return loads.map((load, i) => {
    const d = w.destinations[i];
    return destinationVerdict({
      ips: k,
      perIpLimit: limit,
      ipSelection: sel,
      simulated: load.hasTraffic
        ? { portAllocationErrors: errors[i], analyticMinIps: analyticMinIps(load) }
        : undefined,
      peak:
        d.peakConnections === undefined
          ? undefined
          : {
              connections: d.peakConnections,
              durationSeconds: d.peakDurationSeconds,
              holdSeconds: d.peakHoldSeconds,
            },
    });
  });
}
