// An organisation's gateway talks to thousands of endpoints, and an import of its flow logs says so:
// a workload is bounded by the work it costs (a unit per destination, stream and schedule step),
// not by a count of destinations. 10,000 destinations parse, are checked analytically and simulate
// within the work budget; past the work bound, one issue names the counts and the fix.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { WorkloadError } from "../../core/errors";
import { analyzeWorkload } from "../../sim/analytic/analyze";
import { simulate } from "../../sim/engine/simulate";
import { MAX_ANALYTIC_WORK } from "../../sim/workload/bounds";
import { parseWorkload, validateWorkload, type WorkloadInput } from "../../sim/workload/workload";

function organisation(n: number): WorkloadInput {
  const destinations = Array.from({ length: n }, (_, i) => ({
    name: `endpoint-${i}`,
    address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    port: 443,
  }));
  return {
    cloud: "aws",
    gateway: { ips: 2 },
    durationSeconds: 600,
    destinations,
    traffic: destinations.map((d, i) => ({
      to: d.name,
      connectionsPerSecond: 0.01 * (1 + (i % 5)),
      holdSeconds: 5,
    })),
  };
}

describe("thousands of destinations", () => {
  it("10,000 destinations: parse, analytic check and simulation within the work budget", () => {
    const w = parseWorkload(stringify(organisation(10_000)));
    expect(w.destinations).toHaveLength(10_000);
    const analytic = analyzeWorkload(w);
    expect(analytic.verdict).toBe("ok");
    expect(analytic.destinations).toHaveLength(10_000);
    const simulated = simulate(w, { samples: 1 });
    expect(simulated.verdict).toBe("ok");
    expect(simulated.totals.attempts).toBeGreaterThan(0);
  }, 300_000);

  it("past the work bound, one issue naming the counts, the bound and the fix", () => {
    const input = organisation(MAX_ANALYTIC_WORK / 2 + 1);
    let error: unknown;
    try {
      validateWorkload(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkloadError);
    const issues = (error as WorkloadError).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe("destinations");
    expect(issues[0].message).toMatch(
      /units of work .* more than natcap's bound of 250,000 .*split the workload by destination/,
    );
  }, 300_000);
});
