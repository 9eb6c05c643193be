/**
 * The simulator's result object: the JSON contract of `natcap simulate --json` (docs/architecture.md, "JSON
 * result"). Field names and meanings are stable; new fields may be added, none renamed.
 *
 * @module
 */

import type { IpInterval, IpTimeline } from "../gateway/ip-changes";
import { missedSteadyState, type SteadyStateLoad } from "../verdict/steady-state";
import type { DestinationVerdict, ExhaustionReason, GatewayVerdict, MinIpsReason } from "../verdict/verdict";
import { type AddressFamily, addressFamily } from "../workload/address";
import type { Destination, Workload } from "../workload/schema";

/** Result for one destination (one destination IP, port and protocol). */
export interface DestinationResult {
  /** Destination name from the workload. */
  name: string;
  /** `address:port/protocol`, e.g. `203.0.113.10:636/tcp`; IPv6 in brackets, `[2001:db8::1]:443/tcp`. */
  endpoint: string;
  /**
   * The destination's address family: `ipv6` for an IPv6 address (its ports come from the gateway's
   * IPv6 addresses, `ipsV6`), `ipv4` for an IPv4 address or a DNS name (ports from `ips`).
   */
  addressFamily?: AddressFamily;
  /**
   * IPs whose ports serve this destination: the gateway's `ips` for IPv4, `ipsV6` for IPv6. `capacity`,
   * `peakPortsHeldPerIp` and `minIpsForZeroErrors` count these.
   */
  ips?: number;
  /** New connections attempted during the run. */
  attempts: number;
  /** Attempts that found no free port (AWS ErrorPortAllocation; Azure SNATConnectionCount Failed). */
  portAllocationErrors: number;
  /** portAllocationErrors / attempts (0 when there were no attempts). */
  blockingRatio: number;
  /** Most connections open at once (AWS ActiveConnectionCount; Azure TotalConnectionCount). */
  peakConnections: number;
  /** Time-averaged ports held for this destination: open connections plus ports in reuse hold-down. */
  meanPortsHeld: number;
  /** Most ports held at once for this destination (open plus hold-down). */
  peakPortsHeld: number;
  /** Most ports held at once on each IP for this destination, one entry per IP. */
  peakPortsHeldPerIp: number[];
  /** Ports available to this destination across its IPs (its family's IPs × per-IP destination limit). */
  capacity: number;
  /** Analytic Erlang-B blocking ratio for the same offered load (per IP under hash, pooled under pooled). */
  erlangB: number;
  /**
   * Fewest IPs (of its family: IPv6 addresses for an IPv6 destination) with which this destination
   * predicts no port-allocation errors: the analytic figure,
   * kept on the side of the verdict (at most `ips` when ok, above it when exhausted). Always a
   * number; read it with `minIpsReason`: 1,001 is a marker, never an IP count to set — it means
   * more than the planners' 1,000-IP search (`beyond-search`) or that the gateway-wide connection
   * cap fails whatever the IPs (`gateway-cap`).
   */
  minIpsForZeroErrors: number;
  /** What `minIpsForZeroErrors` means: `fits` (a real count), `beyond-search` or `gateway-cap`. */
  minIpsReason?: MinIpsReason;
  /** This destination's verdict (from the one verdict function). */
  verdict: "ok" | "exhausted";
  /** Why it is exhausted (empty when ok). */
  reasons: ExhaustionReason[];
  /** Expected errors of a sustained peak over its duration, when one is given. */
  peakExpectedErrors?: number;
  /** Expected port-allocation errors from the analytic path, unrounded (`natcap simulate --method`). */
  analyticErrors?: number;
  /** Mean ports held from the analytic path (`natcap simulate --method`). */
  analyticMeanPortsHeld?: number;
  /** Peak ports held from the analytic path (`natcap simulate --method`). */
  analyticPeakPortsHeld?: number;
  /**
   * With `gateway.ipChanges`: connections still open on a removed IP when its drain ran out, cut
   * by the gateway (AWS). Absent without IP changes.
   */
  connectionsCutByDrain?: number;
  /**
   * With `gateway.ipChanges`: port-allocation errors in each of the result's `ipIntervals`, in
   * order (they add up to `portAllocationErrors`, up to rounding on the analytic path).
   */
  portAllocationErrorsByInterval?: number[];
  /**
   * Present when the window ends before this destination's ports reach the traffic's steady state
   * (and the workload does not say `startsEmpty: true`): the load once the traffic has run long
   * enough, as the verdict judged it (reason `steady-state-errors` when it expects errors).
   */
  steadyState?: SteadyStateResult;
}

/** The steady state a window ends before, and its verdict (./steady-state). */
export interface SteadyStateResult extends SteadyStateLoad {
  /** Expected port-allocation errors over a window of `durationSeconds` at that steady state. */
  expectedErrors: number;
  /** Fewest IPs (of the destination's family) with which the steady state expects no errors. */
  ipsNeeded: number;
}

/** Totals over all destinations. */
export interface Totals {
  attempts: number;
  portAllocationErrors: number;
  /** Connections closed by the idle timeout (AWS IdleTimeoutCount). */
  idleTimeouts: number;
  /** Most connections open at once across all destinations. */
  peakConnections: number;
  /** With `gateway.ipChanges`: connections cut at the end of drains, over all destinations. */
  connectionsCutByDrain?: number;
}

/** The whole result of one simulation. */
export interface SimulationResult {
  cloud: "aws" | "azure";
  /** IPv4 addresses of the gateway (the IPs of IPv4 destinations and DNS names). */
  ips: number;
  /** IPv6 addresses of the gateway (Azure StandardV2), when the workload has any or an IPv6 destination. */
  ipsV6?: number;
  ipSelection: "hash" | "pooled";
  seed: number;
  durationSeconds: number;
  destinations: DestinationResult[];
  totals: Totals;
  /**
   * `exhausted` when any destination is (simulated errors, a peak that does not fit) or a
   * gateway-wide limit is broken, else `ok`.
   */
  verdict: "ok" | "exhausted";
  /** Why the gateway is exhausted (empty when ok). */
  reasons: ExhaustionReason[];
  /** Fewest IPs with which every destination fits (1,001 is a marker: read it with `ipsNeededReason`). */
  ipsNeeded: number;
  /** What `ipsNeeded` means: `fits` (a real count), `beyond-search` or `gateway-cap`. */
  ipsNeededReason?: MinIpsReason;
  /**
   * Fewest IPv6 addresses with which every IPv6 destination fits, when there is one (`ipsNeeded`
   * then counts the IPv4 destinations only); read it with `ipsV6NeededReason`.
   */
  ipsV6Needed?: number;
  /** What `ipsV6Needed` means: `fits`, `beyond-search` or `gateway-cap`. */
  ipsV6NeededReason?: MinIpsReason;
  /** Connections across all destinations at their peaks, as the verdict counts them (simulated plus expected peaks). */
  gatewayConnections: number;
  /** False when a gateway-wide limit fails (Azure's 2,000,000 connections): more IPs do not help. */
  moreIpsHelp: boolean;
  /** Which method produced this result and its verdict (`natcap simulate --method`). */
  method?: "simulate" | "analytic";
  /** The analytic path's verdict for the same workload, reported beside a simulated one. */
  analyticVerdict?: "ok" | "exhausted";
  /** Warnings about the workload that did not stop the run (e.g. schedule steps after the end). */
  warnings?: string[];
  /** True when the workload says its window starts with no port held: the window was judged alone. */
  startsEmpty?: boolean;
  /**
   * With `gateway.ipChanges`: the run split at every change and every drain's end, each stretch
   * with the IPv4 addresses taking new flows (`ips`) and those draining (`drainingIps`). Per-IP
   * arrays (`peakPortsHeldPerIp`) then have one entry per IP the run used: the initial ones, then
   * each added one in order.
   */
  ipIntervals?: IpInterval[];
  /** With `gateway.ipChanges`: seconds a removed IP drains before its open connections are cut. */
  drainSeconds?: number;
}

/**
 * The result's IP-change fields, added to a result whose workload changes its IPs: the intervals
 * and drain at the top, each destination's cut connections and errors per interval (IPv6
 * destinations keep their own addresses: 0 cut, all errors in every interval's sum), and the total cut.
 */
export function addIpChangeFields(
  result: SimulationResult,
  timeline: IpTimeline,
  perDestination: readonly { connectionsCut: number; intervalErrors: readonly number[] }[],
): void {
  result.ipIntervals = timeline.intervals.map((iv) => ({ ...iv }));
  result.drainSeconds = timeline.drainSeconds;
  result.destinations.forEach((d, i) => {
    d.connectionsCutByDrain = perDestination[i].connectionsCut;
    d.portAllocationErrorsByInterval = [...perDestination[i].intervalErrors];
  });
  result.totals.connectionsCutByDrain = perDestination.reduce((s, d) => s + d.connectionsCut, 0);
}

/**
 * The gateway-level part of a result — totals summed over its destinations, and the verdict fields
 * from the one verdict function — shared by the simulator, the analytic path and replay.
 */
export function gatewayResultFields(
  destinations: readonly DestinationResult[],
  idleTimeouts: number,
  peakConnections: number,
  gv: GatewayVerdict,
): Pick<
  SimulationResult,
  | "totals"
  | "verdict"
  | "reasons"
  | "ipsNeeded"
  | "ipsNeededReason"
  | "ipsV6Needed"
  | "ipsV6NeededReason"
  | "moreIpsHelp"
  | "gatewayConnections"
> {
  return {
    totals: {
      attempts: destinations.reduce((s, d) => s + d.attempts, 0),
      portAllocationErrors: destinations.reduce((s, d) => s + d.portAllocationErrors, 0),
      idleTimeouts,
      peakConnections,
    },
    verdict: gv.ok ? "ok" : "exhausted",
    reasons: [...gv.reasons],
    ipsNeeded: gv.ipsNeeded,
    ipsNeededReason: gv.ipsNeededReason,
    ...(gv.ipsV6Needed !== undefined
      ? { ipsV6Needed: gv.ipsV6Needed, ipsV6NeededReason: gv.ipsV6NeededReason }
      : {}),
    moreIpsHelp: gv.moreIpsHelp,
    gatewayConnections: gv.totalConnections,
  };
}

/** A destination result's `steadyState`, when the window ends before the traffic's steady state. */
export function steadyStateField(
  w: Workload,
  d: Destination,
  v: DestinationVerdict,
): Pick<DestinationResult, "steadyState"> {
  const load = missedSteadyState(w, d);
  if (!load || v.steadyStateExpectedErrors === undefined) return {};
  return {
    steadyState: {
      ...load,
      expectedErrors: v.steadyStateExpectedErrors,
      ipsNeeded: v.steadyStateIpsNeeded ?? v.ipsNeeded,
    },
  };
}

/** The result's `startsEmpty`, present only when the workload says so. */
export function startsEmptyField(w: Workload): Pick<SimulationResult, "startsEmpty"> {
  return w.startsEmpty ? { startsEmpty: true } : {};
}

/** A destination result's `addressFamily` and `ips` (the IP count its ports come from). */
export function familyFields(
  d: Pick<Destination, "address">,
  ips: number,
): Pick<DestinationResult, "addressFamily" | "ips"> {
  return { addressFamily: addressFamily(d.address), ips };
}

/**
 * The result's `ipsV6`, when the workload has IPv6 addresses or an IPv6 destination (absent
 * otherwise, so IPv4-only results read as they always have).
 */
export function ipsV6Field(w: Workload): Pick<SimulationResult, "ipsV6"> {
  const any =
    w.gateway.ipsV6 !== undefined || w.destinations.some((d) => addressFamily(d.address) === "ipv6");
  return any ? { ipsV6: w.gateway.ipsV6 ?? 0 } : {};
}
