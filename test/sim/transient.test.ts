import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeWorkload, analyzeWorkloadDetailed } from "../../sim/analytic/analyze";
import { erlangB, MIN_IPS_NOT_REACHABLE, minIpsForZeroErrors } from "../../sim/analytic/closed-forms";
import {
  erfc,
  type Lifetime,
  lifetimeExcess,
  lifetimeMean,
  lifetimeOf,
  lifetimeSurvival,
  lifetimeUsed,
} from "../../sim/analytic/survival";
import { erlangBFast, meanPortsHeldAt, transientModel } from "../../sim/analytic/transient";
import { analyzeDestination } from "../../sim/analytic/transient-analysis";
import { destinationMinIps, fillAwareMinIps } from "../../sim/analytic/transient-plan";
import { simulate } from "../../sim/engine/simulate";
import { destinationLoads, perIpLimit } from "../../sim/gateway/load";
import { validateWorkload, type WorkloadInput } from "../../sim/workload/workload";

const dest = { name: "a", address: "203.0.113.1", port: 443 };

function one(
  cloud: "aws" | "azure",
  gateway: WorkloadInput["gateway"],
  traffic: object,
  durationSeconds: number,
) {
  return validateWorkload({
    cloud,
    gateway,
    durationSeconds,
    destinations: [dest],
    traffic: [{ to: "a", ...traffic }],
  });
}

/** ∫₀ˣ P(S > v) dv by the trapezoid rule on a fine grid (independent of the closed forms). */
function usedNumeric(l: Lifetime, x: number, steps = 20_000): number {
  const h = x / steps;
  let sum = 0.5 * (lifetimeSurvival(l, 0) + lifetimeSurvival(l, x));
  for (let i = 1; i < steps; i++) sum += lifetimeSurvival(l, i * h);
  return sum * h;
}

describe("erfc", () => {
  it.each([
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-5],
    [5, 1.5374597944280349e-12],
    [10, 2.088487583762545e-45],
    [-1, 1.8427007929497148],
  ])("erfc(%d) = %d to 1e-13 relative", (x, want) => {
    expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1e-13);
  });
});

describe("lifetime partial expectations", () => {
  const holds = fc.oneof(
    fc.double({ min: 0, max: 100, noNaN: true }),
    fc.record({
      distribution: fc.constant("exponential" as const),
      mean: fc.double({ min: 0.1, max: 50, noNaN: true }),
    }),
    fc
      .tuple(fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0.1, max: 50, noNaN: true }))
      .map(([min, w]) => ({ distribution: "uniform" as const, min, max: min + w })),
    fc.record({
      distribution: fc.constant("lognormal" as const),
      mean: fc.double({ min: 0.1, max: 50, noNaN: true }),
      sigma: fc.double({ min: 0.05, max: 2, noNaN: true }),
    }),
  );
  it("E[min(S, x)] equals the integral of the survival function, for every distribution", () => {
    fc.assert(
      fc.property(
        holds,
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0.01, max: 200, noNaN: true }),
        (hold, extra, x) => {
          const l = lifetimeOf(hold, extra);
          const want = usedNumeric(l, x);
          expect(Math.abs(lifetimeUsed(l, x) - want)).toBeLessThan(x / 20_000 + 1e-4 * Math.max(1, want));
          expect(lifetimeUsed(l, x) + lifetimeExcess(l, x)).toBeCloseTo(lifetimeMean(l), 8);
        },
      ),
      { numRuns: 60 },
    );
  });
  it("the excess of a lognormal stays accurate far in the tail", () => {
    const l = lifetimeOf({ distribution: "lognormal", mean: 10, sigma: 1 }, 0);
    // ∫ from 5,000 to 10⁷ of P(S > v) dv on a geometric grid (the rest is below 1e-30).
    let want = 0;
    const steps = 20_000;
    const r = (1e7 / 5000) ** (1 / steps);
    for (let i = 0, v = 5000; i < steps; i++, v *= r) {
      want += 0.5 * (lifetimeSurvival(l, v) + lifetimeSurvival(l, v * r)) * (v * r - v);
    }
    const far = lifetimeExcess(l, 5000);
    expect(want).toBeGreaterThan(1e-9);
    expect(Math.abs(far - want) / want).toBeLessThan(1e-4);
  });
});

describe("erlangBFast", () => {
  it("equals the full Erlang-B recurrence", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 200_000, noNaN: true }),
        fc.integer({ min: 0, max: 200_000 }),
        (e, n) => {
          const want = erlangB(e, n);
          const got = erlangBFast(e, n);
          if (want > 1e-25) expect(Math.abs(got - want) / want).toBeLessThan(1e-9);
          else expect(got).toBeLessThan(1e-25);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("infinite-server mean of ports held, m(t)", () => {
  const w = (hold: number | object, schedule?: object[], durationSeconds = 2000) =>
    one(
      "aws",
      { ips: 1, perIpDestinationLimit: 64_512, portReuseSeconds: { fin: 7 } },
      { connectionsPerSecond: 40, holdSeconds: hold, schedule },
      durationSeconds,
    );
  const holds = [
    12,
    { distribution: "exponential", mean: 12 },
    { distribution: "uniform", min: 2, max: 22 },
    { distribution: "lognormal", mean: 12, sigma: 0.8 },
  ];
  it.each(holds)("reaches λ·E[S] in steady state (%j)", (hold) => {
    const model = transientModel(w(hold));
    expect(meanPortsHeldAt(model, 0, 1900)).toBeCloseTo(40 * (12 + 7), 4);
  });
  it.each(holds)("never falls while a constant rate fills from empty (%j)", (hold) => {
    const model = transientModel(w(hold));
    let last = 0;
    for (let t = 0; t <= 200; t += 0.37) {
      const m = meanPortsHeldAt(model, 0, t);
      expect(m).toBeGreaterThanOrEqual(last - 1e-9);
      last = m;
    }
  });
  it.each([
    [12, 1e-9],
    [{ distribution: "uniform", min: 2, max: 22 }, 1e-9],
    [{ distribution: "exponential", mean: 12 }, 2e-3],
  ])("Little's law: ∫ m dt = arrivals × E[S] once every port is back (%j)", (hold, tol) => {
    // A 100 s burst at 3× then silence: the run outlasts every lifetime.
    const work = w(hold, [
      { atSeconds: 0, multiplier: 3 },
      { atSeconds: 100, multiplier: 0 },
    ]);
    const model = transientModel(work);
    const a = analyzeDestination(model, 0, 1);
    const area = a.meanPortsHeld * work.durationSeconds;
    expect(a.expectedErrors).toBe(0);
    expect(Math.abs(area - a.attempts * 19) / (a.attempts * 19)).toBeLessThan(tol);
  });
  it("a rate step is felt only after the hold-down has started (constant lifetime = ramp)", () => {
    const model = transientModel(w(12, [{ atSeconds: 1000, multiplier: 2 }]));
    // Constant lifetime 19 s: m rises linearly by 40 per second of age for 19 s, then flat.
    expect(meanPortsHeldAt(model, 0, 1009.5)).toBeCloseTo(760 + 40 * 9.5, 6);
    expect(meanPortsHeldAt(model, 0, 1019)).toBeCloseTo(1520, 6);
    expect(meanPortsHeldAt(model, 0, 1500)).toBeCloseTo(1520, 6);
  });
});

describe("fill-aware minIpsForZeroErrors", () => {
  it("a 50 s run that starts empty is sized for what it fills, not the steady state (2 IPs, not 3)", () => {
    // 2,000/s × (5 s hold + 60 s hold-down) = 130,000 ports at steady state; 50 s fill only 100,000.
    const work = {
      ...one("aws", { ips: 2 }, { connectionsPerSecond: 2000, holdSeconds: 5 }, 50),
      startsEmpty: true,
    };
    const load = destinationLoads(work)[0];
    expect(minIpsForZeroErrors(load.segments, perIpLimit(work), "hash")).toBe(3);
    expect(destinationMinIps(work, load)).toBe(2);
    const sim = simulate(work).destinations[0];
    expect(sim.portAllocationErrors).toBe(0);
    expect(sim.minIpsForZeroErrors).toBe(2);
    // One IP is not enough: the run does fill past 55,000.
    expect(
      simulate(validateWorkload({ ...work, gateway: { ips: 1 } })).destinations[0].portAllocationErrors,
    ).toBeGreaterThan(0);
    // Unless it says so, the traffic runs on past the window: its steady state needs the 3 IPs.
    const warm = simulate({ ...work, startsEmpty: undefined }).destinations[0];
    expect(warm.reasons).toEqual(["steady-state-errors"]);
    expect(warm.minIpsForZeroErrors).toBe(3);
  });
  it("a 1 ms run needs 1 IP (the steady-state planner gives up)", () => {
    const work = one("aws", { ips: 1 }, { connectionsPerSecond: 1_000_000, holdSeconds: 5 }, 0.001);
    const load = destinationLoads(work)[0];
    expect(minIpsForZeroErrors(load.segments, perIpLimit(work), "hash")).toBe(MIN_IPS_NOT_REACHABLE);
    expect(destinationMinIps(work, load)).toBe(1);
    expect(simulate(work).destinations[0].portAllocationErrors).toBe(0);
  });
  it("past 1,000 IPs the search stops with a marker", () => {
    const work = one("aws", { ips: 8 }, { connectionsPerSecond: 1_000_000, holdSeconds: 5 }, 600);
    expect(fillAwareMinIps(transientModel(work), 0)).toEqual({
      ips: MIN_IPS_NOT_REACHABLE,
      reason: "beyond-search",
    });
  });
  it("where the Azure 2,000,000 cap fails, more IPs do not help", () => {
    const work = one("azure", { ips: 16 }, { connectionsPerSecond: 30_000, holdSeconds: 100 }, 300);
    const plan = fillAwareMinIps(transientModel(work), 0);
    expect(plan).toEqual({ ips: MIN_IPS_NOT_REACHABLE, reason: "gateway-cap" });
    const detail = analyzeWorkloadDetailed(work).details[0];
    expect(detail.capLimited).toBe(true);
    expect(detail.capErrors).toBeGreaterThan(0.5);
  });
  it("is never more than the steady-state planner and its answer has zero expected errors", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 3000 }),
        fc.double({ min: 0.5, max: 30, noNaN: true }),
        fc.double({ min: 1, max: 400, noNaN: true }),
        fc.constantFrom("hash" as const, "pooled" as const),
        (rate, hold, duration, ipSelection) => {
          const work = one(
            "aws",
            { ips: 1, ipSelection, perIpDestinationLimit: 5000 },
            { connectionsPerSecond: rate, holdSeconds: { distribution: "exponential", mean: hold } },
            duration,
          );
          const load = destinationLoads(work)[0];
          const steady = minIpsForZeroErrors(load.segments, 5000, ipSelection);
          const model = transientModel(work);
          const plan = fillAwareMinIps(model, 0);
          expect(plan.ips).toBeLessThanOrEqual(steady);
          expect(analyzeDestination(model, 0, plan.ips).expectedErrors).toBeLessThan(0.5);
          if (plan.ips > 1)
            expect(analyzeDestination(model, 0, plan.ips - 1).expectedErrors).toBeGreaterThanOrEqual(0.5);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("long schedules", () => {
  it("a schedule of 2,000 steps is coarsened conservatively and keeps its attempts exact", () => {
    const schedule = Array.from({ length: 2000 }, (_, j) => ({
      atSeconds: j * 2,
      multiplier: 1 + (j % 7) / 7,
    }));
    const work = one(
      "aws",
      { ips: 1, perIpDestinationLimit: 64_512, portReuseSeconds: { fin: 3 } },
      { connectionsPerSecond: 100, holdSeconds: 2, schedule },
      4000,
    );
    let attempts = 0;
    schedule.forEach((s) => {
      attempts += 100 * s.multiplier * 2;
    });
    const a = analyzeWorkloadDetailed(work).details[0];
    expect(a.expectedAttempts).toBeCloseTo(attempts, 6);
    // Never below the exact mean: windows take their highest rate.
    expect(a.peakMeanHeld).toBeGreaterThanOrEqual(100 * (13 / 7) * 5 - 1e-6);
  });
});

describe("analyzeWorkload", () => {
  it("fills the result contract with the same keys as simulate", () => {
    const work = one("azure", { ips: 2 }, { connectionsPerSecond: 50, holdSeconds: 3 }, 300);
    const a = analyzeWorkload(work);
    const s = simulate(work);
    expect(Object.keys(a).sort()).toEqual(Object.keys(s).sort());
    expect(Object.keys(a.destinations[0]).sort()).toEqual(Object.keys(s.destinations[0]).sort());
    expect(Object.keys(a.totals).sort()).toEqual(Object.keys(s.totals).sort());
    expect(a.destinations[0].peakPortsHeldPerIp).toHaveLength(2);
    expect(a.verdict).toBe("ok");
  });
  it("keeps a peak-only expectation's verdict", () => {
    const work = validateWorkload({
      cloud: "aws",
      gateway: { ips: 2 },
      destinations: [{ ...dest, peakConnections: 200_000 }],
    });
    const a = analyzeWorkload(work);
    expect(a.verdict).toBe(simulate(work).verdict);
    expect(a.verdict).toBe("exhausted");
    expect(a.destinations[0].peakConnections).toBe(200_000);
  });
  it("counts idle timeouts of close: idle streams that end within the run", () => {
    const work = one("aws", { ips: 1 }, { connectionsPerSecond: 10, holdSeconds: 1, close: "idle" }, 1000);
    // Connections started before 1000 − 351 s end by the idle timeout within the run.
    expect(analyzeWorkload(work).totals.idleTimeouts).toBe(Math.round(10 * (1000 - 351)));
  });
});
