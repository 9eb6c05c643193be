/**
 * Runs a workload and returns the JSON result contract.
 *
 * @module
 */
import { expectedErrors, gatewayBlocking } from "./analytic";
import { destinationLoads, destinationMinIps, perIpLimit } from "./load";
import type { DestinationResult, SimulationResult } from "./result";
import type { Workload } from "./workload";

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** Overrides the workload's seed. @default workload.seed */
  seed?: number;
}

/** Simulates a workload and returns the result contract (DESIGN.md "JSON result"). */
export function simulate(workload: Workload, options: SimulateOptions = {}): SimulationResult {
  const w = workload;
  const k = w.gateway.ips;
  const limit = perIpLimit(w);
  const sel = w.gateway.ipSelection;
  const destinations = destinationLoads(w).map((load): DestinationResult => {
    const errors = Math.round(expectedErrors(load.segments, k, limit, sel));
    const held = Math.min(load.peakOffered, k * limit);
    return {
      name: load.name,
      endpoint: load.endpoint,
      attempts: Math.round(load.attempts),
      portAllocationErrors: errors,
      blockingRatio: load.attempts > 0 ? errors / Math.round(load.attempts) : 0,
      peakConnections: 0,
      meanPortsHeld: held,
      peakPortsHeld: Math.ceil(held),
      peakPortsHeldPerIp: Array.from({ length: k }, () => Math.ceil(held / k)),
      capacity: k * limit,
      erlangB: gatewayBlocking(load.peakOffered, k, limit, sel),
      minIpsForZeroErrors: destinationMinIps(w, load),
    };
  });
  const totals = {
    attempts: destinations.reduce((s, d) => s + d.attempts, 0),
    portAllocationErrors: destinations.reduce((s, d) => s + d.portAllocationErrors, 0),
    idleTimeouts: 0,
    peakConnections: 0,
  };
  return {
    cloud: w.cloud,
    ips: k,
    ipSelection: sel,
    seed: options.seed ?? w.seed,
    durationSeconds: w.durationSeconds,
    destinations,
    totals,
    verdict: totals.portAllocationErrors > 0 ? "exhausted" : "ok",
  };
}
