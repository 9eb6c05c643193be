/**
 * assessCapacity's `method`: analytic, simulate and auto give one verdict on the time-varying
 * validation cases; auto answers analytically where that answer is validated (and past its attempts
 * threshold), by simulation near the verdict's threshold; and the 1,001 marker never
 * reads as an IP count in any surface.
 */
import { describe, expect, it } from "vitest";
import { WorkloadError } from "../../core/errors";
import { renderHtml } from "../../render/html";
import { renderMarkdown, renderTable, reportNotes } from "../../render/report";
import { analyzeWorkload, analyzeWorkloadDetailed } from "../../sim/analytic/analyze";
import { MIN_IPS_NOT_REACHABLE } from "../../sim/analytic/closed-forms";
import { estimatedAttempts, runSimulation } from "../../sim/engine/simulate";
import { AUTO_SIMULATE_MAX_ATTEMPTS, assessCapacity, type GatewayModel } from "../../sim/verdict/capacity";
import { analyticTrust } from "../../sim/verdict/method";
import { type ExpectedTraffic, validateWorkload, type WorkloadInput } from "../../sim/workload/workload";
import { CASES } from "./transient-cases";

function split(input: WorkloadInput): { expected: ExpectedTraffic; gateway: GatewayModel } {
  return {
    expected: {
      destinations: input.destinations,
      traffic: input.traffic,
      durationSeconds: input.durationSeconds,
      seed: input.seed,
    },
    gateway: { cloud: input.cloud, ...(input.gateway as Omit<GatewayModel, "cloud">) },
  };
}

describe("assessCapacity method", () => {
  it.each(CASES)("auto's verdict is simulate's, and so is the analytic one: %s", (_, input) => {
    const { expected, gateway } = split(input);
    const sim = assessCapacity(expected, { ...gateway, method: "simulate" });
    const auto = assessCapacity(expected, gateway);
    // Forced past its threshold, auto answers analytically: the verdict must still agree.
    const autoAnalytic = assessCapacity(expected, gateway, { autoSimulateMaxAttempts: 0 });
    expect(sim.method).toBe("simulate");
    expect(autoAnalytic.method).toBe("analytic");
    expect(auto.analytic).toBeDefined();
    expect(sim.analytic).toBeUndefined();
    for (const r of [auto, autoAnalytic]) {
      expect(r.ok).toBe(sim.ok);
      expect(r.moreIpsHelp).toBe(sim.moreIpsHelp);
      expect(r.destinations.map((d) => d.ok)).toEqual(sim.destinations.map((d) => d.ok));
    }
    // Auto simulates exactly where the analytic answer is not validated, and then answers as simulate.
    const trust = analyticTrust(analyzeWorkloadDetailed(validateWorkload(input)));
    expect(auto.method).toBe(trust.trusted ? "analytic" : "simulate");
    expect(auto.methodReason).toBe(trust.reason);
    if (!trust.trusted) expect(auto.result).toEqual(sim.result);
  });

  it("auto answers analytically where its verdict is validated, and says so", () => {
    const input: WorkloadInput = {
      cloud: "aws",
      gateway: { ips: 2 },
      durationSeconds: 3600,
      destinations: [{ name: "api", address: "198.51.100.7", port: 443 }],
      traffic: [
        { to: "api", connectionsPerSecond: 400, holdSeconds: { distribution: "exponential", mean: 30 } },
      ],
    };
    const { expected, gateway } = split(input);
    const r = assessCapacity(expected, gateway);
    expect(estimatedAttempts(validateWorkload(input))).toBeLessThan(AUTO_SIMULATE_MAX_ATTEMPTS);
    expect(r.method).toBe("analytic");
    expect(r.methodReason).toMatch(/validated against the simulator/);
    expect(r.destinations[0].message).toMatch(/analytic peak .* expected port-allocation errors/);
    expect(r.ok).toBe(assessCapacity(expected, { ...gateway, method: "simulate" }).ok);
  });

  it("auto answers analytically past its attempts threshold, with the analytic result", () => {
    const input: WorkloadInput = {
      cloud: "aws",
      gateway: { ips: 2 },
      durationSeconds: 86_400,
      destinations: [{ name: "api", address: "198.51.100.7", port: 443 }],
      traffic: [
        {
          to: "api",
          connectionsPerSecond: 5000,
          holdSeconds: { distribution: "lognormal", mean: 2, sigma: 1 },
        },
      ],
    };
    const w = validateWorkload(input);
    expect(estimatedAttempts(w)).toBeGreaterThan(AUTO_SIMULATE_MAX_ATTEMPTS);
    const { expected, gateway } = split(input);
    const r = assessCapacity(expected, gateway);
    expect(r.method).toBe("analytic");
    expect(r.result).toEqual(analyzeWorkload(w));
    expect(assessCapacity({ ...expected, method: "analytic" }, gateway).method).toBe("analytic");
  });

  it("gateway.method overrides expectedTraffic.method, and a wrong one names its field", () => {
    const { expected, gateway } = split(CASES[0][1]);
    expect(
      assessCapacity({ ...expected, method: "analytic" }, { ...gateway, method: "simulate" }).method,
    ).toBe("simulate");
    const bad = () => assessCapacity({ ...expected, method: "exact" as "auto" }, gateway);
    expect(bad).toThrow(WorkloadError);
    expect(bad).toThrow(/expectedTraffic\.method: "exact" is not a method: use analytic, simulate or auto/);
  });
});

/** 1,000,000/s to one endpoint for 10 minutes: more than 1,000 IPs would be needed. */
const beyond: WorkloadInput = {
  cloud: "aws",
  gateway: { ips: 8 },
  durationSeconds: 600,
  destinations: [{ name: "flood", address: "198.51.100.7", port: 443 }],
  traffic: [{ to: "flood", connectionsPerSecond: 1_000_000, holdSeconds: 5 }],
};
/** Four destinations that together reach the Azure gateway-wide cap of 2,000,000 connections. */
const capped = CASES.find(([name]) => name.includes("2,000,000"))?.[1] as WorkloadInput;

function noCount(text: string) {
  expect(text).not.toMatch(/1,?001/);
}

describe("the 1,001 marker", () => {
  it("past the 1,000-IP search: 'more than 1,000 IPs', never 1,001 (table, Markdown, HTML, capacity)", () => {
    const w = validateWorkload(beyond);
    const r = analyzeWorkload(w);
    expect(r.destinations[0].minIpsForZeroErrors).toBe(MIN_IPS_NOT_REACHABLE);
    expect(r.destinations[0].minIpsReason).toBe("beyond-search");
    expect(r.ipsNeededReason).toBe("beyond-search");
    const notes = reportNotes(w, r);
    const table = renderTable(r, notes);
    expect(table).toMatch(/>1,000\s+exhausted/);
    expect(table).toMatch(/flood needs more than 1,000 IPs \(beyond any NAT gateway\)/);
    noCount(table);
    const md = renderMarkdown(r, notes);
    expect(md).toMatch(/\| >1,000 \| exhausted \|/);
    expect(md).toMatch(/flood needs more than 1,000 IPs \(beyond any NAT gateway\)/);
    noCount(md);
    const series = { times: [], destinations: [] };
    const html = renderHtml({ result: r, series, notes });
    expect(html).toMatch(/IPs needed:\s*<strong>more than 1,000 IPs \(beyond any NAT gateway\)<\/strong>/);
    const { expected, gateway } = split(beyond);
    const cap = assessCapacity(expected, gateway);
    expect(cap.method).toBe("analytic");
    expect(cap.destinations[0].message).toMatch(
      /needs more than 1,000 IPs \(beyond any NAT gateway\), more than the 8 one gateway can hold: split the traffic across gateways/,
    );
    expect(cap.fix).toMatch(
      /^the traffic needs more than 1,000 IPs \(beyond any NAT gateway\), far more than the 8/,
    );
    expect(cap.moreIpsHelp).toBe(true);
    noCount(cap.destinations[0].message + cap.fix);
  });

  it("the gateway-wide cap: 'more IPs do not help', never an IP count (table, Markdown, HTML, capacity)", () => {
    const w = validateWorkload(capped);
    const run = runSimulation(w, { samples: 10 });
    const r = run.result;
    expect(r.verdict).toBe("exhausted");
    expect(r.moreIpsHelp).toBe(false);
    expect(r.reasons).toContain("gateway-connection-cap");
    expect(r.destinations.every((d) => d.minIpsReason === "gateway-cap")).toBe(true);
    const notes = reportNotes(w, r);
    const table = renderTable(r, notes);
    expect(table).toMatch(/none \(cap\)\s+exhausted/);
    expect(table).toMatch(/d0: more IPs do not help \(gateway-wide connection cap\)/);
    expect(table).toMatch(
      /connections across all destinations reach the gateway-wide cap of 2,000,000; more IPs do not help/,
    );
    noCount(table);
    const md = renderMarkdown(r, notes);
    expect(md).toMatch(/\| none \(cap\) \| exhausted \|/);
    noCount(md);
    const html = renderHtml({ ...run, notes });
    expect(html).toMatch(
      /IPs needed: <strong>no number of IPs \(the gateway-wide connection cap is what fails; more IPs do not help\)<\/strong>/,
    );
    for (const method of ["simulate", "analytic"] as const) {
      const { expected, gateway } = split(capped);
      const cap = assessCapacity(expected, { ...gateway, method });
      expect(cap.ok).toBe(false);
      expect(cap.moreIpsHelp).toBe(false);
      expect(cap.fix).toMatch(
        /^connections across all destinations reach the 2,000,000 one NAT gateway supports in total; more IPs do not help/,
      );
      expect(cap.destinations[0].message).toMatch(
        /needs no number of IPs \(the gateway-wide connection cap is what fails; more IPs do not help\): the gateway-wide connection cap is what fails/,
      );
      noCount(cap.fix + cap.destinations.map((d) => d.message).join(" ") + cap.notes.join(" "));
    }
  });
});
