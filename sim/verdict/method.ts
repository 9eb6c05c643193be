/**
 * Which method answers. `natcap simulate` answers a workload by simulation (with the analytic
 * figures beside the simulated ones), by the time-varying analytic path alone, or `auto` —
 * simulation within the work budget and the analytic path past it instead of a refusal. The
 * capacity check (components at construction, the policy pack at preview) answers by the cheapest
 * method whose answer is trustworthy for the input: the analytic path where its verdict is
 * validated against the simulator ({@link analyticTrust}), a simulation only near the verdict's
 * threshold. The verdict comes from the result that answered, through the one verdict function.
 *
 * @module
 */

import { type AnalyticRun, analyzeWorkloadDetailed } from "../analytic/analyze";
import { gatewayBlocking } from "../analytic/closed-forms";
import { meanOpenAt, meanPortsHeldAt, transientModelOf } from "../analytic/transient";
import { estimatedAttempts, runSimulation, type SimulateOptions } from "../engine/simulate";
import { destinationIpCounts, endpointOf, multiplierAt, perIpLimit } from "../gateway/load";
import type { SimulationResult } from "../result/result";
import { SERIES_SAMPLES, type SimulationSeries } from "../result/series";
import { DEFAULT_MAX_ATTEMPTS } from "../workload/bounds";
import { workloadWarnings } from "../workload/rules";
import type { Workload } from "../workload/workload";

/**
 * `simulate`: run the engine (refused past the work budget) and report the analytic figures beside
 * it; `analytic`: the analytic path only (cost follows schedule steps, not attempts); `auto`:
 * simulate when the expected attempts fit the budget, else answer analytically.
 */
export type SimulateMethod = "analytic" | "simulate" | "auto";

/** The methods of {@link SimulateMethod}, for option parsing and help. */
export const SIMULATE_METHODS: readonly SimulateMethod[] = ["simulate", "analytic", "auto"];

/**
 * Expected port-allocation errors (per destination, over the run) below which the analytic "ok"
 * stands without a simulation. The differential test (test/sim/differential.test.ts) draws random
 * workloads of both clouds and finds the simulator's verdict equal to the analytic one wherever
 * every destination is below this or at or above {@link TRUSTED_EXHAUSTED_FROM}.
 */
export const TRUSTED_OK_BELOW = 0.05;

/** Expected port-allocation errors from which the analytic "exhausted" stands without a simulation. */
export const TRUSTED_EXHAUSTED_FROM = 100;

/** Whether the analytic answer of a workload is validated, and why in words. */
export interface AnalyticTrust {
  /** True when the analytic verdict stands without a simulation. */
  readonly trusted: boolean;
  /** Why, naming the destination that is not validated when one is not. */
  readonly reason: string;
}

/**
 * Whether the analytic verdict of a workload is in the validated region: for every destination
 * with traffic, the integration kept its precision and the expected errors are below
 * {@link TRUSTED_OK_BELOW} or at least {@link TRUSTED_EXHAUSTED_FROM}. Between the two a
 * simulation's single run could land on either side of the verdict's threshold, so it answers.
 */
export function analyticTrust(run: AnalyticRun): AnalyticTrust {
  for (const d of run.details) {
    if (d.expectedAttempts <= 0) continue;
    if (d.budgetExhausted)
      return { trusted: false, reason: `the analytic integration of ${d.name} hit its evaluation budget` };
    const e = d.expectedErrors;
    if (e >= TRUSTED_OK_BELOW && e < TRUSTED_EXHAUSTED_FROM)
      return {
        trusted: false,
        reason:
          `${d.name} expects ${e.toPrecision(2)} port-allocation errors, near the verdict's threshold ` +
          `(the analytic verdict is validated below ${TRUSTED_OK_BELOW} and from ${TRUSTED_EXHAUSTED_FROM})`,
      };
  }
  return {
    trusted: true,
    reason:
      `every destination's expected port-allocation errors are below ${TRUSTED_OK_BELOW} or at least ` +
      `${TRUSTED_EXHAUSTED_FROM}, where the analytic verdict is validated against the simulator`,
  };
}

/** A result, its time series, and which method produced it. */
export interface MethodRun {
  /** The JSON result contract, with `method` and the analytic figures added. */
  readonly result: SimulationResult;
  /** Samples over time (simulated, or the analytic mean ports held). */
  readonly series: SimulationSeries;
  /** Which method produced the verdict. */
  readonly method: "analytic" | "simulate";
}

/** The result with each destination's analytic figures (expected errors, mean and peak ports held) beside it. */
export function withAnalyticFigures(result: SimulationResult, analytic: AnalyticRun): SimulationResult {
  return {
    ...result,
    destinations: result.destinations.map((d, i) => ({
      ...d,
      analyticErrors: analytic.details[i].expectedErrors,
      analyticMeanPortsHeld: analytic.result.destinations[i].meanPortsHeld,
      analyticPeakPortsHeld: analytic.result.destinations[i].peakPortsHeld,
    })),
    analyticVerdict: analytic.result.verdict,
  };
}

/**
 * Time series of the analytic path for charts: the infinite-server mean of ports held and of open
 * connections (capped at the capacity), and expected errors per sample interval (rate × Erlang-B at
 * the interval's midpoint; the gateway-wide cap is not charted).
 */
export function analyticSeries(w: Workload, samples = SERIES_SAMPLES): SimulationSeries {
  const model = transientModelOf(w);
  const ipsOf = destinationIpCounts(w);
  const limit = perIpLimit(w);
  const T = w.durationSeconds;
  const n = Math.max(1, samples);
  const times = Array.from({ length: n }, (_, i) => ((i + 1) * T) / n);
  return {
    times,
    destinations: w.destinations.map((dest, d) => {
      const k = ipsOf[d];
      const streams = w.traffic.filter((t) => t.to === dest.name);
      const held = times.map((t) => Math.min(k * limit, meanPortsHeldAt(model, d, t)));
      const errors = times.map((t) => {
        const mid = t - T / n / 2;
        const rate = streams.reduce((s, x) => s + x.connectionsPerSecond * multiplierAt(x, mid), 0);
        const m = meanPortsHeldAt(model, d, mid);
        return rate * (T / n) * gatewayBlocking(m, k, limit, w.gateway.ipSelection);
      });
      return {
        name: dest.name,
        endpoint: endpointOf(dest),
        portsHeldPerIp: Array.from({ length: k }, () => held.map((h) => h / k)),
        portsHeld: held,
        openConnections: times.map((t) => Math.min(k * limit, meanOpenAt(model, d, t))),
        errors,
      };
    }),
  };
}

function analytic(w: Workload, samples: number | undefined): MethodRun {
  const a = analyzeWorkloadDetailed(w);
  const warnings = workloadWarnings(w);
  const result: SimulationResult = {
    ...withAnalyticFigures(a.result, a),
    method: "analytic",
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  return { result, series: analyticSeries(w, samples), method: "analytic" };
}

/**
 * Answers a workload by `method`. `simulate` throws WorkBudgetError past `options.maxAttempts`
 * (its fixes include `--method analytic`); `auto` answers analytically there instead.
 *
 * @param method @default "simulate"
 */
export function runWithMethod(
  w: Workload,
  method: SimulateMethod = "simulate",
  options: SimulateOptions = {},
): MethodRun {
  const fits = estimatedAttempts(w) <= (options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  if (method === "analytic" || (method === "auto" && !fits)) return analytic(w, options.samples);
  const run = runSimulation(w, options);
  const result = {
    ...withAnalyticFigures(run.result, analyzeWorkloadDetailed(w)),
    method: "simulate" as const,
  };
  return { result, series: run.series, method: "simulate" };
}
