/**
 * The simulator's result object: the JSON contract of `natcap simulate --json` (docs/architecture.md, "JSON
 * result"). Field names and meanings are stable; new fields may be added, none renamed.
 *
 * @module
 */
import type { ExhaustionReason, GatewayVerdict, MinIpsReason } from "./verdict";

/** Result for one destination (one destination IP, port and protocol). */
export interface DestinationResult {
  /** Destination name from the workload. */
  name: string;
  /** `address:port/protocol`, e.g. `203.0.113.10:636/tcp`. */
  endpoint: string;
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
  /** Ports available to this destination across all IPs (IPs × per-IP destination limit). */
  capacity: number;
  /** Analytic Erlang-B blocking ratio for the same offered load (per IP under hash, pooled under pooled). */
  erlangB: number;
  /**
   * Fewest IPs with which this destination predicts no port-allocation errors: the analytic figure,
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
}

/** Totals over all destinations. */
export interface Totals {
  attempts: number;
  portAllocationErrors: number;
  /** Connections closed by the idle timeout (AWS IdleTimeoutCount). */
  idleTimeouts: number;
  /** Most connections open at once across all destinations. */
  peakConnections: number;
}

/** The whole result of one simulation. */
export interface SimulationResult {
  cloud: "aws" | "azure";
  ips: number;
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
  "totals" | "verdict" | "reasons" | "ipsNeeded" | "ipsNeededReason" | "moreIpsHelp" | "gatewayConnections"
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
    moreIpsHelp: gv.moreIpsHelp,
    gatewayConnections: gv.totalConnections,
  };
}
