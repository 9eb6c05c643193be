import { describe, expect, it } from "vitest";
import * as sim from "../../sim";

/**
 * The runtime names `natcap/sim` exported before limits, errors, checks and formatting moved to
 * core/: the entry point keeps every one of them (it may add more).
 */
const EXPORTS_BEFORE_CORE = [
  "CapacityError",
  "LimitError",
  "NatcapError",
  "PEAK_TAG_PREFIX",
  "ValidationError",
  "WorkBudgetError",
  "WorkloadError",
  "assessCapacity",
  "bounds",
  "checkWorkBudget",
  "checks",
  "destinationVerdict",
  "estimatedAttempts",
  "expectationTags",
  "gatewayVerdict",
  "limits",
  "parseExpectationTags",
  "parseWorkload",
  "renderHtml",
  "renderJson",
  "renderMarkdown",
  "renderTable",
  "reportNotes",
  "runSimulation",
  "simulate",
  "validateWorkload",
  "verdictFix",
  "workloadWarnings",
];

describe("natcap/sim entry point", () => {
  it("exports every name it exported before the core/ split", () => {
    const missing = EXPORTS_BEFORE_CORE.filter((name) => !(name in sim));
    expect(missing).toEqual([]);
  });

  it("its limits, checks and errors are core's, not copies", async () => {
    const core = {
      limits: await import("../../core/limits"),
      checks: await import("../../core/checks"),
      errors: await import("../../core/errors"),
    };
    expect(sim.limits.AWS).toBe(core.limits.AWS);
    expect(sim.checks.checkAzureIps).toBe(core.checks.checkAzureIps);
    expect(sim.ValidationError).toBe(core.errors.ValidationError);
    expect(new sim.WorkloadError([{ path: "x", message: "y" }])).toBeInstanceOf(core.errors.NatcapError);
  });
});
