/**
 * Runs a workload through the engine and assembles the JSON result contract, with the analytic
 * Erlang-B and IPs-needed figures beside the simulated ones.
 *
 * @module
 */
import { gatewayBlocking, ipsNeededForPeak } from "./analytic";
import { runEngine } from "./engine";
import { destinationLoads, destinationMinIps, perIpLimit } from "./load";
import type { DestinationResult, SimulationResult } from "./result";
import type { SimulationSeries } from "./series";
import type { Workload } from "./workload";

/** Options of {@link simulate} and {@link runSimulation}. */
export interface SimulateOptions {
  /** Overrides the workload's seed. @default workload.seed */
  seed?: number;
  /** Called now and then with the share of simulated time done (0 to 1). @default none */
  onProgress?: (done: number) => void;
}

/** A result and its time series. */
export interface SimulationRun {
  /** The JSON result contract. */
  result: SimulationResult;
  /** Samples over time per destination, for charts. */
  series: SimulationSeries;
}

/**
 * Simulates a workload and returns the result and its time series. Same seed, same output.
 * Destinations with a peak-only expectation (`peakConnections`, no traffic) report that peak as
 * `peakConnections` and the analytic IPs needed under the gateway's IP selection as
 * `minIpsForZeroErrors`; the verdict is `exhausted` when errors are simulated or a peak-only
 * destination needs more IPs than the gateway has.
 */
export function runSimulation(workload: Workload, options: SimulateOptions = {}): SimulationRun {
  const w = workload;
  const seed = options.seed ?? w.seed;
  const { stats, series } = runEngine(w, { seed, onProgress: options.onProgress });
  const k = w.gateway.ips;
  const limit = perIpLimit(w);
  const sel = w.gateway.ipSelection;
  const loads = destinationLoads(w);
  let peakShort = false;
  const destinations = loads.map((load, d): DestinationResult => {
    const attempts = stats.attempts[d];
    const errors = stats.errors[d];
    // A peak-only expectation (peakConnections, no traffic) is checked analytically.
    const peak = load.hasTraffic ? undefined : w.destinations[d].peakConnections;
    const peakIps = peak === undefined ? 0 : ipsNeededForPeak(peak, limit, sel);
    if (peakIps > k) peakShort = true;
    return {
      name: load.name,
      endpoint: load.endpoint,
      attempts,
      portAllocationErrors: errors,
      blockingRatio: attempts > 0 ? errors / attempts : 0,
      peakConnections: peak ?? stats.peakOpen[d],
      meanPortsHeld: stats.heldArea[d] / w.durationSeconds,
      peakPortsHeld: stats.peakHeld[d],
      peakPortsHeldPerIp: Array.from(stats.peakHeldPerIp.subarray(d * k, d * k + k)),
      capacity: k * limit,
      erlangB: gatewayBlocking(load.peakOffered, k, limit, sel),
      minIpsForZeroErrors: peak === undefined ? destinationMinIps(w, load) : peakIps,
    };
  });
  const totals = {
    attempts: destinations.reduce((s, d) => s + d.attempts, 0),
    portAllocationErrors: destinations.reduce((s, d) => s + d.portAllocationErrors, 0),
    idleTimeouts: stats.idleTimeouts,
    peakConnections: stats.peakOpenTotal,
  };
  const result: SimulationResult = {
    cloud: w.cloud,
    ips: k,
    ipSelection: sel,
    seed,
    durationSeconds: w.durationSeconds,
    destinations,
    totals,
    verdict: totals.portAllocationErrors > 0 || peakShort ? "exhausted" : "ok",
  };
  return { result, series };
}

/** Simulates a workload and returns the result contract (DESIGN.md "JSON result"). */
export function simulate(workload: Workload, options: SimulateOptions = {}): SimulationResult {
  return runSimulation(workload, options).result;
}
