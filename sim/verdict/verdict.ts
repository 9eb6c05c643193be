/**
 * The one decision about exhaustion. Every surface — `simulate`'s verdict and exit code, the table,
 * Markdown and HTML reports, `assessCapacity` (and through it the components' CapacityError and the
 * policy's capacity rule) — derives its answer from {@link destinationVerdict} and
 * {@link gatewayVerdict}, so they never disagree about the same input.
 *
 * @module
 */

import { fmt, plural } from "../../core/format";
import {
  HASH_OVERFLOW_TARGET,
  ipsNeededForPeak,
  ipsNeededForSustainedPeak,
  MIN_IPS_NOT_REACHABLE,
  MIN_IPS_SEARCH_CAP,
  sustainedPeakErrors,
  ZERO_ERRORS_THRESHOLD,
} from "../analytic/closed-forms";
import { destinationMinIpsPlan } from "../analytic/transient-plan";
import { type DestinationLoad, destinationIpCounts, perIpLimit } from "../gateway/load";
import { type AddressFamily, addressFamily } from "../workload/address";
import type { Workload } from "../workload/workload";
import { capacityFix } from "./capacity-message";
import { missedSteadyState } from "./steady-state";

/** Why a destination or the gateway is exhausted. */
export type ExhaustionReason =
  /** The simulation produced port-allocation errors. */
  | "port-allocation-errors"
  /** A peak expectation checked as one instant does not fit (hash overflow risk ≥ 1%, or past IPs × limit). */
  | "peak-does-not-fit"
  /** A sustained peak expects at least ZERO_ERRORS_THRESHOLD errors over its duration. */
  | "sustained-peak-errors"
  /** Connections across all destinations exceed the gateway-wide cap (Azure 2,000,000); more IPs do not help. */
  | "gateway-connection-cap"
  /**
   * The window ends before its ports fill, and the traffic once it has run long enough (its
   * steady state, ./steady-state) expects at least ZERO_ERRORS_THRESHOLD errors over the window.
   */
  | "steady-state-errors";

/**
 * What an IP count means: `fits` — that many IPs give zero expected errors; `beyond-search` — more
 * than the planners' search of 1,000 IPs would be needed (beyond any NAT gateway; the count reads
 * 1,001 as a marker, never as a number of IPs to set); `gateway-cap` — the gateway-wide connection cap
 * (Azure 2,000,000) is what fails, so no number of IPs helps.
 */
export type MinIpsReason = "fits" | "beyond-search" | "gateway-cap";

/** A fewest-IPs answer and what it means. */
export interface MinIpsAnswer {
  /** Fewest IPs, or MIN_IPS_NOT_REACHABLE (1,001) as a marker when `reason` is not `fits`. */
  readonly ips: number;
  /** What `ips` means. */
  readonly reason: MinIpsReason;
}

/** The reason of an IP count when none was given: the 1,001 marker reads as beyond the search. */
export function reasonOfIps(ips: number, reason?: MinIpsReason): MinIpsReason {
  return reason ?? (ips >= MIN_IPS_NOT_REACHABLE ? "beyond-search" : "fits");
}

/**
 * An IP count in words for messages: `3 IPs`; `more than 1,000 IPs (beyond any NAT gateway)`;
 * `no number of IPs (the gateway-wide connection cap is what fails; more IPs do not help)`.
 */
export function ipsNeededWords(ips: number, reason?: MinIpsReason): string {
  switch (reasonOfIps(ips, reason)) {
    case "fits":
      return plural(ips, "IP");
    case "beyond-search":
      return `more than ${fmt(MIN_IPS_SEARCH_CAP)} IPs (beyond any NAT gateway)`;
    case "gateway-cap":
      return "no number of IPs (the gateway-wide connection cap is what fails; more IPs do not help)";
  }
}

/** An IP count for a table cell: `3`, `>1,000`, or `none (cap)`. */
export function ipsNeededCell(ips: number, reason?: MinIpsReason): string {
  switch (reasonOfIps(ips, reason)) {
    case "fits":
      return String(ips);
    case "beyond-search":
      return `>${fmt(MIN_IPS_SEARCH_CAP)}`;
    case "gateway-cap":
      return "none (cap)";
  }
}

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
  readonly simulated?: {
    readonly portAllocationErrors: number;
    readonly analyticMinIps: number;
    /** What `analyticMinIps` means. @default from the count: 1,001 is `beyond-search` */
    readonly analyticMinIpsReason?: MinIpsReason;
  };
  /** A peak expectation (`peakConnections`, optionally sustained). */
  readonly peak?: PeakExpectation;
  /**
   * The traffic's steady state when the window ends before reaching it: judged as a sustained load
   * of `offered` Erlangs over `durationSeconds` (the window's length).
   */
  readonly steadyState?: {
    readonly offered: number;
    readonly portLifetimeSeconds: number;
    readonly durationSeconds: number;
  };
}

/** The verdict for one destination. */
export interface DestinationVerdict {
  /** True when the destination fits with the gateway's IPs. */
  readonly ok: boolean;
  /** Why it does not fit (empty when ok). */
  readonly reasons: readonly ExhaustionReason[];
  /** Fewest IPs with which it fits: at most `ips` when ok, above `ips` when not. */
  readonly ipsNeeded: number;
  /** What `ipsNeeded` means (`fits` when ok). */
  readonly ipsNeededReason: MinIpsReason;
  /** Expected errors of a sustained peak over its duration (absent for an instant or no peak). */
  readonly peakExpectedErrors?: number;
  /** True when a peak expectation was checked as one instant. */
  readonly peakIsInstant?: boolean;
  /** Expected errors over the window at the traffic's steady state (absent when the window reaches it or starts empty). */
  readonly steadyStateExpectedErrors?: number;
  /** Fewest IPs with which the steady state expects no errors (absent with `steadyStateExpectedErrors`). */
  readonly steadyStateIpsNeeded?: number;
}

/** Decides one destination's verdict from simulated errors and its peak expectation. */
export function destinationVerdict(e: DestinationEvidence): DestinationVerdict {
  const reasons: ExhaustionReason[] = [];
  let ipsNeeded = 1;
  let peakExpectedErrors: number | undefined;
  let peakIsInstant: boolean | undefined;
  let marker: MinIpsReason = "fits";
  if (e.simulated) {
    // The simulation decides; the analytic figure only refines the IP count on the same side.
    const failed = e.simulated.portAllocationErrors > 0;
    if (failed) reasons.push("port-allocation-errors");
    const analytic = e.simulated.analyticMinIps;
    ipsNeeded = failed ? Math.max(analytic, e.ips + 1) : Math.min(analytic, e.ips);
    if (failed) marker = reasonOfIps(analytic, e.simulated.analyticMinIpsReason);
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
  let steadyStateExpectedErrors: number | undefined;
  let steadyStateIpsNeeded: number | undefined;
  const s = e.steadyState;
  if (s && s.offered > 0) {
    steadyStateExpectedErrors = sustainedPeakErrors(
      s.offered,
      s.durationSeconds,
      s.portLifetimeSeconds,
      e.ips,
      e.perIpLimit,
      e.ipSelection,
    );
    steadyStateIpsNeeded = ipsNeededForSustainedPeak(
      s.offered,
      s.durationSeconds,
      s.portLifetimeSeconds,
      e.perIpLimit,
      e.ipSelection,
    );
    if (steadyStateExpectedErrors >= ZERO_ERRORS_THRESHOLD) reasons.push("steady-state-errors");
    ipsNeeded = Math.max(ipsNeeded, steadyStateIpsNeeded);
  }
  const ok = reasons.length === 0;
  // Keep the IP count on the side of the verdict whatever rounding the planners did.
  ipsNeeded = ok ? Math.min(ipsNeeded, e.ips) : Math.max(ipsNeeded, e.ips + 1);
  const ipsNeededReason: MinIpsReason = ok ? "fits" : marker === "fits" ? reasonOfIps(ipsNeeded) : marker;
  return {
    ok,
    reasons,
    ipsNeeded,
    ipsNeededReason,
    ...(peakExpectedErrors !== undefined ? { peakExpectedErrors } : {}),
    ...(peakIsInstant !== undefined ? { peakIsInstant } : {}),
    ...(steadyStateExpectedErrors !== undefined ? { steadyStateExpectedErrors, steadyStateIpsNeeded } : {}),
  };
}

/** The verdict for the whole gateway. */
export interface GatewayVerdict {
  /** True when every destination fits and no gateway-wide limit is broken. */
  readonly ok: boolean;
  /** Why not (empty when ok), without repeats. */
  readonly reasons: readonly ExhaustionReason[];
  /**
   * Fewest IPs with which every destination fits (1,001 is a marker: see `ipsNeededReason`); with
   * families given, every IPv4 destination (the IPv6 ones are counted in `ipsV6Needed`).
   */
  readonly ipsNeeded: number;
  /** What `ipsNeeded` means. */
  readonly ipsNeededReason: MinIpsReason;
  /** Fewest IPv6 addresses with which every IPv6 destination fits; absent without IPv6 destinations. */
  readonly ipsV6Needed?: number;
  /** What `ipsV6Needed` means; absent without IPv6 destinations. */
  readonly ipsV6NeededReason?: MinIpsReason;
  /** False when a gateway-wide limit fails: adding IPs cannot fix it. */
  readonly moreIpsHelp: boolean;
  /** Connections across all destinations at their peaks, compared with the cap. */
  readonly totalConnections: number;
  /** The gateway-wide connection cap (Infinity when the cloud has none). */
  readonly totalConnectionsCap: number;
}

/** The fewest IPs over some destinations' verdicts, and what it means. */
function neededOver(destinations: readonly DestinationVerdict[], capExceeded: boolean): MinIpsAnswer {
  const ips = destinations.reduce((m, d) => Math.max(m, d.ipsNeeded), 1);
  const reason: MinIpsReason = capExceeded
    ? "gateway-cap"
    : destinations.some((d) => d.ipsNeededReason === "beyond-search")
      ? "beyond-search"
      : reasonOfIps(ips);
  return { ips, reason };
}

/**
 * Decides the gateway's verdict from its destinations' verdicts and the connections across them.
 * With `families` (one per destination), IPv4 and IPv6 destinations are sized apart: `ipsNeeded`
 * counts IPv4 addresses for the IPv4 destinations, `ipsV6Needed` IPv6 addresses for the IPv6 ones;
 * the gateway-wide connection cap is shared by both.
 *
 * @param families each destination's address family @default every destination IPv4
 */
export function gatewayVerdict(
  destinations: readonly DestinationVerdict[],
  totalConnections: number,
  totalConnectionsCap: number,
  families?: readonly AddressFamily[],
): GatewayVerdict {
  const reasons = [...new Set(destinations.flatMap((d) => d.reasons))];
  // The cap fails when connections pass it, or when a destination's errors come from it (traffic
  // never holds more than the cap, it is refused at it).
  const capExceeded =
    totalConnections > totalConnectionsCap || destinations.some((d) => d.ipsNeededReason === "gateway-cap");
  if (capExceeded && !reasons.includes("gateway-connection-cap")) reasons.push("gateway-connection-cap");
  const v6 = destinations.filter((_, i) => families?.[i] === "ipv6");
  const v4 = v6.length === 0 ? destinations : destinations.filter((_, i) => families?.[i] !== "ipv6");
  const need = neededOver(v4, capExceeded);
  const needV6 = v6.length > 0 ? neededOver(v6, capExceeded) : undefined;
  return {
    ok: reasons.length === 0,
    reasons,
    ipsNeeded: need.ips,
    ipsNeededReason: need.reason,
    ...(needV6 ? { ipsV6Needed: needV6.ips, ipsV6NeededReason: needV6.reason } : {}),
    moreIpsHelp: !capExceeded,
    totalConnections,
    totalConnectionsCap,
  };
}

/** Each destination's address family, in workload order (for {@link gatewayVerdict}). */
export function workloadFamilies(w: Workload): AddressFamily[] {
  return w.destinations.map((d) => addressFamily(d.address));
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
    case "steady-state-errors":
      return "the window ends before its ports fill, and the traffic once it has run long enough expects port-allocation errors";
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

function simulatedEvidence(
  portAllocationErrors: number,
  plan: MinIpsAnswer,
): DestinationEvidence["simulated"] {
  return { portAllocationErrors, analyticMinIps: plan.ips, analyticMinIpsReason: plan.reason };
}

/**
 * The verdict of each destination of a workload, given its port-allocation errors (simulated, or
 * expected and rounded) and the analytic fewest IPs for its traffic; each destination against the
 * IPs of its own family (IPv6 addresses for an IPv6 destination).
 */
export function workloadVerdicts(
  w: Workload,
  loads: readonly DestinationLoad[],
  errors: ArrayLike<number>,
  analyticMinIps: (load: DestinationLoad) => MinIpsAnswer = (load) => destinationMinIpsPlan(w, load),
): DestinationVerdict[] {
  const ipsOf = destinationIpCounts(w);
  const limit = perIpLimit(w);
  const sel = w.gateway.ipSelection;
  return loads.map((load, i) => {
    const d = w.destinations[i];
    const steady = missedSteadyState(w, d);
    return destinationVerdict({
      ips: ipsOf[i],
      perIpLimit: limit,
      ipSelection: sel,
      simulated: load.hasTraffic ? simulatedEvidence(errors[i], analyticMinIps(load)) : undefined,
      peak:
        d.peakConnections === undefined
          ? undefined
          : {
              connections: d.peakConnections,
              durationSeconds: d.peakDurationSeconds,
              holdSeconds: d.peakHoldSeconds,
            },
      steadyState: steady && {
        offered: steady.offered,
        portLifetimeSeconds: steady.portLifetimeSeconds,
        durationSeconds: w.durationSeconds,
      },
    });
  });
}
