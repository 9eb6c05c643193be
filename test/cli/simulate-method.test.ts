/** `natcap simulate --method simulate|analytic|auto`. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeWorkload } from "../../sim/analytic/analyze";
import { parseWorkload } from "../../sim/workload/workload";
import { natcapInProcess, tempFile } from "../adversarial/cli-harness";

const smallText = `cloud: aws
gateway: { ips: 1 }
durationSeconds: 300
destinations:
  - { name: api, address: 198.51.100.7, port: 443 }
traffic:
  - { to: api, connectionsPerSecond: 1000, holdSeconds: 2 }
`;
const small = tempFile(smallText);
/** A day at 5,000/s: 432 M attempts, far past a budget of 1,000,000. */
const dayText = `cloud: aws
gateway: { ips: 2 }
durationSeconds: 86400
destinations:
  - { name: api, address: 198.51.100.7, port: 443 }
traffic:
  - { to: api, connectionsPerSecond: 5000, holdSeconds: { distribution: lognormal, mean: 2, sigma: 1 } }
`;
const day = tempFile(dayText);

describe("natcap simulate --method", () => {
  it("simulate (the default) reports the analytic figures beside the simulated ones", async () => {
    const r = await natcapInProcess("simulate", small, "--json");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.method).toBe("simulate");
    expect(json.analyticVerdict).toBe("exhausted");
    const d = json.destinations[0];
    expect(d.analyticErrors).toBeGreaterThan(0);
    expect(Math.abs(d.analyticErrors - d.portAllocationErrors) / d.portAllocationErrors).toBeLessThan(0.1);
    expect(d.analyticMeanPortsHeld).toBeGreaterThan(0);
    expect(d.analyticPeakPortsHeld).toBeGreaterThan(0);
    const table = await natcapInProcess("simulate", small);
    expect(table.stdout).toMatch(/ErrorPortAllocation\s+analytic errors/);
    expect(table.stdout).toMatch(/seed 1/);
  });

  it("analytic fills the JSON result contract from analyzeWorkload, without simulating", async () => {
    const r = await natcapInProcess("simulate", small, "--json", "--method", "analytic");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    const expected = analyzeWorkload(parseWorkload(readFileSync(small, "utf8")));
    expect(json.method).toBe("analytic");
    expect(json.destinations[0].attempts).toBe(expected.destinations[0].attempts);
    expect(json.destinations[0].portAllocationErrors).toBe(expected.destinations[0].portAllocationErrors);
    expect(json.verdict).toBe(expected.verdict);
    expect(json.totals).toEqual(expected.totals);
    const table = await natcapInProcess("simulate", small, "--method", "analytic");
    expect(table.stdout).toMatch(/analyzed \(analytic path, no simulation\)/);
    expect(table.stdout).toMatch(/ErrorPortAllocation \(expected\)/);
  });

  it("past the budget, simulate refuses with --method analytic among the fixes; auto answers analytically", async () => {
    const refused = await natcapInProcess("simulate", day, "--max-attempts", "1000000");
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/or answer it analytically with --method analytic/);
    const auto = await natcapInProcess(
      "simulate",
      day,
      "--max-attempts",
      "1000000",
      "--method",
      "auto",
      "--json",
    );
    expect(auto.code).toBe(1);
    const json = JSON.parse(auto.stdout);
    expect(json.method).toBe("analytic");
    expect(json.totals.attempts).toBe(432_000_000);
    const analytic = await natcapInProcess("simulate", day, "--method", "analytic", "--json");
    expect(JSON.parse(analytic.stdout)).toEqual(json);
    // Within the budget, auto simulates.
    const cheap = await natcapInProcess("simulate", small, "--method", "auto", "--json");
    expect(JSON.parse(cheap.stdout).method).toBe("simulate");
  });

  it("analytic writes an HTML report with the analytic series", async () => {
    const out = tempFile("", "html");
    const r = await natcapInProcess("simulate", small, "--method", "analytic", "--report", out);
    expect(r.code).toBe(1);
    expect(readFileSync(out, "utf8")).toMatch(/<strong>2 IPs<\/strong>/);
  });

  it("a method that does not exist is a usage error", async () => {
    const r = await natcapInProcess("simulate", small, "--method", "exact");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--method/);
  });
});
