/**
 * Differential test of the analytic path against the simulator on random workloads (both clouds,
 * 1–4 IPs, schedules, every hold distribution, loads 0.3×–1.6× capacity): it defines where the
 * analytic verdict is trusted. Outside the band of expected errors near the verdict's threshold
 * (sim/verdict/method.ts TRUSTED_OK_BELOW to TRUSTED_EXHAUSTED_FROM) every destination's analytic verdict is
 * the simulator's; inside it `auto` simulates, so the capacity check's verdict is the simulator's on
 * every workload; where the simulation counts enough errors to measure, the expected errors follow.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeWorkloadDetailed } from "../../sim/analytic/analyze";
import { simulate } from "../../sim/engine/simulate";
import { assessCapacity } from "../../sim/verdict/capacity";
import { analyticTrust, TRUSTED_EXHAUSTED_FROM, TRUSTED_OK_BELOW } from "../../sim/verdict/method";
import { validateWorkload } from "../../sim/workload/workload";
import { workloadArb } from "./differential";

/** Workloads drawn (fixed seed: the same workloads on every run). */
const RUNS = 50;
const SEED = 20_2612;

describe("analytic path against the simulator on random workloads", () => {
  it("agree on every verdict outside the band near the threshold, and auto always agrees", () => {
    let outside = 0;
    let band = 0;
    let simulatedErrors = 0;
    let expectedErrors = 0;
    for (const { input } of fc.sample(workloadArb, { seed: SEED, numRuns: RUNS })) {
      const w = validateWorkload(input);
      const analytic = analyzeWorkloadDetailed(w);
      const sim = simulate(w, { samples: 1 });
      analytic.details.forEach((d, i) => {
        const simulated = sim.destinations[i];
        if (d.expectedErrors < TRUSTED_OK_BELOW || d.expectedErrors >= TRUSTED_EXHAUSTED_FROM) {
          outside++;
          expect(analytic.result.destinations[i].verdict, `${d.name} of ${JSON.stringify(input)}`).toBe(
            simulated.verdict,
          );
        } else band++;
        // Error totals where the simulation counts enough to measure (a burst's count varies by tens
        // of percent from seed to seed; the sum over workloads is compared more tightly below).
        if (simulated.portAllocationErrors >= 200) {
          simulatedErrors += simulated.portAllocationErrors;
          expectedErrors += d.expectedErrors;
          expect(d.expectedErrors / simulated.portAllocationErrors).toBeGreaterThan(0.6);
          expect(d.expectedErrors / simulated.portAllocationErrors).toBeLessThan(1.5);
        }
      });
      if (analyticTrust(analytic).trusted) expect(analytic.result.verdict).toBe(sim.verdict);
      const report = assessCapacity(
        {
          destinations: input.destinations,
          traffic: input.traffic,
          durationSeconds: input.durationSeconds,
          seed: input.seed,
        },
        { cloud: input.cloud, ...input.gateway },
      );
      expect(report.ok).toBe(sim.verdict === "ok");
      expect(report.destinations.map((d) => d.ok)).toEqual(sim.destinations.map((d) => d.verdict === "ok"));
    }
    // The draw covers both sides: most destinations outside the band, a few inside it.
    expect(outside).toBeGreaterThan(band * 5);
    expect(Math.abs(expectedErrors - simulatedErrors) / simulatedErrors).toBeLessThan(0.1);
  });
});
