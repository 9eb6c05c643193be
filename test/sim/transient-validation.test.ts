/**
 * The analytic path against the simulator on time-varying workloads: same verdict, expected errors
 * within 10% where the simulation has enough errors to measure (≥ 200), mean ports held within 3%.
 */
import { describe, expect, it } from "vitest";
import { analyzeWorkloadDetailed } from "../../sim/analytic/analyze";
import { simulate } from "../../sim/engine/simulate";
import { validateWorkload, type WorkloadInput } from "../../sim/workload/workload";

import { CASES } from "./transient-cases";

/** Simulated errors, mean ports held and attempts per destination, averaged over `seeds` seeds. */
function simulated(input: WorkloadInput, seeds: number) {
  const w = validateWorkload(input);
  const runs = Array.from({ length: seeds }, (_, i) => simulate(w, { seed: i + 1 }));
  const avg = (f: (r: (typeof runs)[0], d: number) => number) =>
    runs[0].destinations.map((_, d) => runs.reduce((s, r) => s + f(r, d), 0) / seeds);
  return {
    verdicts: runs.map((r) => r.verdict),
    errors: avg((r, d) => r.destinations[d].portAllocationErrors),
    meanPortsHeld: avg((r, d) => r.destinations[d].meanPortsHeld),
    attempts: avg((r, d) => r.destinations[d].attempts),
  };
}

describe("analytic path against the simulator", () => {
  // A transient's errors vary from seed to seed by several percent (one burst, correlated
  // blocking), so each small case is averaged over 4 seeds; the cap case is large enough for one.
  it.each(CASES)("%s", (_, input) => {
    const w = validateWorkload(input);
    const analytic = analyzeWorkloadDetailed(w);
    const sim = simulated(input, w.destinations.length > 1 ? 1 : 4);
    for (const v of sim.verdicts) expect(analytic.result.verdict).toBe(v);
    sim.errors.forEach((errors, d) => {
      const expected = analytic.details[d].expectedErrors;
      if (errors >= 200) expect(Math.abs(expected - errors) / errors).toBeLessThan(0.1);
      if (errors === 0) expect(expected).toBeLessThan(0.5);
      const mean = analytic.result.destinations[d].meanPortsHeld;
      expect(Math.abs(mean - sim.meanPortsHeld[d]) / sim.meanPortsHeld[d]).toBeLessThan(0.03);
      expect(Math.abs(analytic.details[d].expectedAttempts - sim.attempts[d]) / sim.attempts[d]).toBeLessThan(
        0.01,
      );
    });
    if (input.cloud === "azure" && input.gateway.ips === 16) {
      expect(analytic.details.every((x) => x.capLimited)).toBe(true);
    }
  });
});
