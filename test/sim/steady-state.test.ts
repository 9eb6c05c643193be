// A window that ends before its ports fill. 50 new connections/s held for an hour on 1 IP over 600 s
// holds about 30,000 ports when the window ends, though the same traffic holds about 183,000 once it
// has run long enough (3.3 × one IP's 55,000): every surface must say so and name 4–5 IPs, unless the
// workload says the traffic really starts from nothing (`startsEmpty: true`), which is then labelled.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderHtml } from "../../render/html";
import { renderMarkdown, renderTable, reportNotes } from "../../render/report";
import { analyzeWorkload } from "../../sim/analytic/analyze";
import { gatewayBlocking, ZERO_ERRORS_THRESHOLD } from "../../sim/analytic/closed-forms";
import { runSimulation } from "../../sim/engine/simulate";
import { assessCapacity } from "../../sim/verdict/capacity";
import {
  missedSteadyState,
  STEADY_STATE_LIFETIMES,
  steadyStateWindowSeconds,
} from "../../sim/verdict/steady-state";
import { validateWorkload, type WorkloadInput } from "../../sim/workload/workload";
import { expectSurfacesAgree } from "./surfaces";

const hour: WorkloadInput = {
  cloud: "aws",
  gateway: { ips: 1 },
  durationSeconds: 600,
  destinations: [{ name: "api", address: "203.0.113.10", port: 443 }],
  traffic: [
    { to: "api", connectionsPerSecond: 50, holdSeconds: { distribution: "exponential", mean: 3600 } },
  ],
};

/** Every rendered surface of a simulated workload: table, Markdown, HTML (with their notes). */
function rendered(input: WorkloadInput): string[] {
  const w = validateWorkload(input);
  const run = runSimulation(w);
  const notes = reportNotes(w, run.result);
  return [renderTable(run.result, notes), renderMarkdown(run.result, notes), renderHtml({ ...run, notes })];
}

describe("a window that ends before its ports fill", () => {
  it("is exhausted on every surface, with the steady state's IP count (4–5)", async () => {
    const { result, printed } = await expectSurfacesAgree(hour);
    expect(result.verdict).toBe("exhausted");
    expect(result.reasons).toContain("steady-state-errors");
    // The window itself sees no error: the steady state is what decides.
    expect(result.destinations[0].portAllocationErrors).toBe(0);
    expect(result.ipsNeeded).toBeGreaterThanOrEqual(4);
    expect(result.ipsNeeded).toBeLessThanOrEqual(5);
    const steady = result.destinations[0].steadyState;
    expect(steady?.offered).toBeCloseTo(50 * (3600 + 60), 0);
    expect((printed.destinations as { steadyState?: unknown }[])[0].steadyState).toEqual(steady);
    for (const text of rendered(hour)) expect(text).toMatch(/window ends before its ports fill/);
    const report = assessCapacity(
      { destinations: hour.destinations, traffic: hour.traffic, durationSeconds: 600 },
      { cloud: "aws", ips: 1 },
    );
    expect(report.destinations[0].message).toMatch(/window ends before its ports fill.*183,000 ports held/);
    expect(report.fix).toMatch(/ips to [45]/);
  });

  it("the same analytically (the components' and the policy's path)", () => {
    const r = analyzeWorkload(validateWorkload(hour));
    expect(r.verdict).toBe("exhausted");
    expect(r.reasons).toContain("steady-state-errors");
    expect(r.ipsNeeded).toBeGreaterThanOrEqual(4);
  });

  it("with startsEmpty: true the window is judged alone, and says so", async () => {
    const alone = { ...hour, startsEmpty: true };
    const { result, printed } = await expectSurfacesAgree(alone);
    expect(result.verdict).toBe("ok");
    expect(result.startsEmpty).toBe(true);
    expect(printed.startsEmpty).toBe(true);
    expect(result.destinations[0].steadyState).toBeUndefined();
    for (const text of rendered(alone)) expect(text).toMatch(/starts empty|startsEmpty: true/);
  });

  it("without a window of its own, the capacity check runs long enough for the ports to fill", () => {
    const w = validateWorkload(hour);
    const window = steadyStateWindowSeconds(w);
    expect(window).toBeGreaterThanOrEqual(STEADY_STATE_LIFETIMES * 3660);
    expect(missedSteadyState({ ...w, durationSeconds: window }, w.destinations[0])).toBeUndefined();
    const report = assessCapacity(
      { destinations: hour.destinations, traffic: hour.traffic },
      { cloud: "aws", ips: 1 },
    );
    expect(report.ok).toBe(false);
    expect(report.ipsNeeded).toBeGreaterThanOrEqual(4);
    expect(report.ipsNeeded).toBeLessThanOrEqual(5);
    expect(report.result?.durationSeconds).toBe(window);
  });

  it("a window that reaches its steady state is judged by itself, as before", () => {
    const w = validateWorkload({
      ...hour,
      durationSeconds: 3600,
      traffic: [{ ...hour.traffic![0], holdSeconds: 5 }],
    });
    expect(missedSteadyState(w, w.destinations[0])).toBeUndefined();
  });

  it("the last schedule level counts too: a ramp at the window's end goes on after it", () => {
    const w = validateWorkload({
      ...hour,
      durationSeconds: 3600,
      traffic: [
        {
          to: "api",
          connectionsPerSecond: 1,
          holdSeconds: 600,
          schedule: [{ atSeconds: 3000, multiplier: 400 }],
        },
      ],
    });
    const s = missedSteadyState(w, w.destinations[0]);
    expect(s?.level).toBe("last");
    expect(s?.ratePerSecond).toBe(400);
    expect(analyzeWorkload(w).reasons).toContain("steady-state-errors");
  });

  it("never more lenient than the window alone, and never ok when the steady state expects errors (property)", () => {
    fc.assert(
      fc.property(
        fc.record({
          rate: fc.double({ min: 0.5, max: 200, noNaN: true }),
          hold: fc.double({ min: 1, max: 20_000, noNaN: true }),
          duration: fc.integer({ min: 60, max: 7200 }),
          ips: fc.integer({ min: 1, max: 8 }),
          limit: fc.integer({ min: 100, max: 55_000 }),
        }),
        ({ rate, hold, duration, ips, limit }) => {
          const input: WorkloadInput = {
            ...hour,
            gateway: { ips, perIpDestinationLimit: limit },
            durationSeconds: duration,
            traffic: [{ to: "api", connectionsPerSecond: rate, holdSeconds: hold }],
          };
          const warm = analyzeWorkload(validateWorkload(input));
          const cold = analyzeWorkload(validateWorkload({ ...input, startsEmpty: true }));
          if (cold.verdict === "exhausted") expect(warm.verdict).toBe("exhausted");
          expect(warm.ipsNeeded).toBeGreaterThanOrEqual(Math.min(cold.ipsNeeded, ips + 1));
          const life = hold + 60;
          const steadyErrors = rate * duration * gatewayBlocking(rate * life, ips, limit, "hash");
          if (duration < STEADY_STATE_LIFETIMES * life && steadyErrors >= ZERO_ERRORS_THRESHOLD)
            expect(warm.verdict).toBe("exhausted");
        },
      ),
      { numRuns: 150 },
    );
  });
});
