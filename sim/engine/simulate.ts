/**
 * Runs a workload through the engine and assembles the JSON result contract, with the analytic
 * Erlang-B and IPs-needed figures beside the simulated ones. The verdict comes from ./verdict.
 *
 * @module
 */

import { WorkBudgetError } from "../../core/errors";
import { gatewayBlocking } from "../analytic/closed-forms";
import { ipTimeline, rowWidth } from "../gateway/ip-changes";
import { destinationIpCounts, destinationLoads, perIpLimit } from "../gateway/load";
import { gatewayRules } from "../gateway/models";
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
import type { SimulationSeries } from "../result/series";
import { gatewayVerdict, workloadFamilies, workloadVerdicts } from "../verdict/verdict";
import { DEFAULT_MAX_ATTEMPTS } from "../workload/bounds";
import { workloadWarnings } from "../workload/rules";
import type { Workload } from "../workload/workload";
import { runEngine } from "./engine";

/** Options of {@link simulate} and {@link runSimulation}. */
export interface SimulateOptions {
  /** Overrides the workload's seed. @default workload.seed */
  seed?: number;
  /** Called now and then with the share of simulated time done (0 to 1). @default none */
  onProgress?: (done: number) => void;
  /**
   * Most simulated attempts to run; a workload expected to need more is refused with
   * {@link WorkBudgetError} before any work. @default DEFAULT_MAX_ATTEMPTS (2,000,000,000)
   */
  maxAttempts?: number;
  /** Samples per destination in the time series (1 when only the result is needed). @default 500 */
  samples?: number;
}

/** A result and its time series. */
export interface SimulationRun {
  /** The JSON result contract. */
  result: SimulationResult;
  /** Samples over time per destination, for charts. */
  series: SimulationSeries;
}

/** Attempts a workload is expected to simulate (Σ rate × multiplier × time over every stream). */
export function estimatedAttempts(w: Workload): number {
  return destinationLoads(w).reduce((n, d) => n + d.attempts, 0);
}

/**
 * Refuses a workload whose expected attempts exceed `maxAttempts`.
 *
 * @throws {WorkBudgetError} naming the estimate, the budget and the fix.
 */
export function checkWorkBudget(w: Workload, maxAttempts = DEFAULT_MAX_ATTEMPTS): void {
  const estimate = estimatedAttempts(w);
  if (!(estimate <= maxAttempts)) throw new WorkBudgetError(estimate, maxAttempts, w.durationSeconds);
}

/**
 * Simulates a workload and returns the result and its time series. Same seed, same output.
 * A destination's peak expectation (`peakConnections`, with or without traffic) is checked
 * analytically beside the simulation: as one instant, or as a sustained plateau when
 * `peakDurationSeconds` and `peakHoldSeconds` are given. Every verdict comes from
 * {@link destinationVerdict} and {@link gatewayVerdict}.
 *
 * @throws {WorkBudgetError} when the expected attempts exceed `options.maxAttempts`.
 */
export function runSimulation(workload: Workload, options: SimulateOptions = {}): SimulationRun {
  const w = workload;
  checkWorkBudget(w, options.maxAttempts);
  const seed = options.seed ?? w.seed;
  const { stats, series } = runEngine(w, { seed, onProgress: options.onProgress, samples: options.samples });
  const k = w.gateway.ips;
  const limit = perIpLimit(w);
  const sel = w.gateway.ipSelection;
  const loads = destinationLoads(w);
  const dv = workloadVerdicts(w, loads, stats.errors);
  const ipsOf = destinationIpCounts(w);
  let expectedOnTop = 0;
  const timeline = ipTimeline(w);
  let row = 0;
  const destinations = loads.map((load, d): DestinationResult => {
    const kd = ipsOf[d];
    const first = row;
    row += rowWidth(w, d, timeline);
    const attempts = stats.attempts[d];
    const errors = stats.errors[d];
    const spec = w.destinations[d];
    const peak = spec.peakConnections;
    if (peak !== undefined) expectedOnTop += Math.max(0, peak - stats.peakOpen[d]);
    const sustained = !load.hasTraffic && peak !== undefined && spec.peakDurationSeconds !== undefined;
    return {
      name: load.name,
      endpoint: load.endpoint,
      attempts,
      portAllocationErrors: errors,
      blockingRatio: attempts > 0 ? errors / attempts : 0,
      peakConnections: Math.max(peak ?? 0, stats.peakOpen[d]),
      meanPortsHeld: stats.heldArea[d] / w.durationSeconds,
      peakPortsHeld: stats.peakHeld[d],
      peakPortsHeldPerIp: Array.from(stats.peakHeldPerIp.subarray(first, row)),
      capacity: kd * limit,
      erlangB: gatewayBlocking(sustained ? (peak ?? 0) : load.peakOffered, kd, limit, sel),
      minIpsForZeroErrors: dv[d].ipsNeeded,
      minIpsReason: dv[d].ipsNeededReason,
      verdict: dv[d].ok ? "ok" : "exhausted",
      reasons: [...dv[d].reasons],
      ...familyFields(spec, kd),
      ...(dv[d].peakExpectedErrors !== undefined ? { peakExpectedErrors: dv[d].peakExpectedErrors } : {}),
      ...steadyStateField(w, spec, dv[d]),
    };
  });
  const gv = gatewayVerdict(
    dv,
    stats.peakOpenTotal + expectedOnTop,
    gatewayRules(w).totalConnections,
    workloadFamilies(w),
  );
  const warnings = workloadWarnings(w);
  const result: SimulationResult = {
    cloud: w.cloud,
    ips: k,
    ...ipsV6Field(w),
    ipSelection: sel,
    seed,
    durationSeconds: w.durationSeconds,
    ...startsEmptyField(w),
    destinations,
    ...gatewayResultFields(destinations, stats.idleTimeouts, stats.peakOpenTotal, gv),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  if (timeline !== undefined) {
    const perInterval = stats.intervalErrors ?? [];
    addIpChangeFields(
      result,
      timeline,
      destinations.map((_, d) => ({
        connectionsCut: stats.connectionsCut[d],
        intervalErrors: perInterval.map((iv) => iv[d]),
      })),
    );
  }
  return { result, series };
}

/** Simulates a workload and returns the result contract (the JSON result of `natcap simulate --json`). */
export function simulate(workload: Workload, options: SimulateOptions = {}): SimulationResult {
  return runSimulation(workload, options).result;
}
