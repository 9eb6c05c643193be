/**
 * The simulator's result object: the JSON contract of `natcap simulate --json` (DESIGN.md "JSON
 * result"). Field names and meanings are stable; new fields may be added, none renamed.
 *
 * @module
 */

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
  /** Fewest IPs with which the analysis predicts no port-allocation errors for this destination. */
  minIpsForZeroErrors: number;
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
  /** `exhausted` when any port-allocation error is predicted, else `ok`. */
  verdict: "ok" | "exhausted";
}
