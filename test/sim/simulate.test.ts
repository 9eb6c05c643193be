import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AWS, AZURE } from "../../core/limits";
import { erlangB } from "../../sim/analytic/closed-forms";
import { Fifo, Heap } from "../../sim/engine/queues";
import { runSimulation, simulate } from "../../sim/engine/simulate";
import { gatewayRules } from "../../sim/gateway/models";
import { validateWorkload, type WorkloadInput } from "../../sim/workload/workload";

const dest = (name: string, i = 1) => ({ name, address: `203.0.113.${i}`, port: 443 });

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
    destinations: [dest("a")],
    traffic: [{ to: "a", ...traffic }],
  });
}

describe("fidelity against Erlang-B (1 IP, 61 s per port, 55,000 ports)", () => {
  it.each([
    [900, 60_000, 0.00233],
    [1000, 3000, 0.0985],
  ])("%d/s over %d s blocks within 5% of Erlang-B (%d)", (rate, duration, anchor) => {
    const w = one("aws", { ips: 1 }, { connectionsPerSecond: rate, holdSeconds: 1 }, duration);
    const d = simulate(w).destinations[0];
    const b = erlangB(rate * (1 + AWS.portReuseSeconds.value), AWS.connectionsPerIpPerDestination.value);
    expect(Math.abs(b - anchor) / anchor).toBeLessThan(0.01);
    expect(d.erlangB).toBe(b);
    expect(Math.abs(d.blockingRatio - b) / b).toBeLessThan(0.05);
    expect(d.peakPortsHeld).toBe(AWS.connectionsPerIpPerDestination.value);
  });
  it("hash over 2 IPs blocks like Erlang-B on half the load per IP (small limit, several seeds)", () => {
    // 2 IPs × 500 ports, 1,000 Erlangs offered: Erlang-B(500, 500) per IP.
    const w = one(
      "aws",
      { ips: 2, perIpDestinationLimit: 500, portReuseSeconds: { fin: 9 } },
      { connectionsPerSecond: 100, holdSeconds: { distribution: "exponential", mean: 1 } },
      20_000,
    );
    let errors = 0;
    let attempts = 0;
    for (const seed of [1, 2, 3]) {
      const d = simulate(w, { seed }).destinations[0];
      errors += d.portAllocationErrors;
      attempts += d.attempts;
    }
    const b = erlangB(500, 500);
    expect(Math.abs(errors / attempts - b) / b).toBeLessThan(0.05);
  });
});

describe("Little's law far below capacity", () => {
  it.each([
    ["constant", 4],
    ["exponential", { distribution: "exponential", mean: 4 }],
    ["lognormal", { distribution: "lognormal", mean: 4, sigma: 1 }],
    ["uniform", { distribution: "uniform", min: 2, max: 6 }],
  ])("mean ports held within 1%% (%s hold)", (_name, holdSeconds) => {
    const rate = 200;
    const T = 4000;
    const w = one("azure", { ips: 1 }, { connectionsPerSecond: rate, holdSeconds, close: "rst" }, T);
    const d = simulate(w).destinations[0];
    const s = 4 + AZURE.portReuseRstSeconds.value;
    // Starting empty, the run averages λ(S − S²/2T) for a constant holding time S (≈ λS for T ≫ S).
    const expected = rate * (s - (s * s) / (2 * T));
    expect(d.portAllocationErrors).toBe(0);
    expect(Math.abs(d.meanPortsHeld - expected) / expected).toBeLessThan(0.01);
  });
});

describe("models", () => {
  it("close: idle keeps connections open for the 350 s AWS idle timeout and counts them", () => {
    const w = one("aws", { ips: 1 }, { connectionsPerSecond: 10, holdSeconds: 1, close: "idle" }, 2000);
    const r = simulate(w);
    const open = 10 * (1 + AWS.idleTimeoutSeconds.value);
    expect(Math.abs(r.destinations[0].peakConnections - open) / open).toBeLessThan(0.1);
    expect(Math.abs(r.totals.idleTimeouts - 10 * (2000 - 351)) / (10 * 1649)).toBeLessThan(0.05);
  });
  it("a schedule multiplies the rate from its step on", () => {
    const w = one(
      "aws",
      { ips: 1 },
      { connectionsPerSecond: 50, holdSeconds: 1, schedule: [{ atSeconds: 500, multiplier: 3 }] },
      1000,
    );
    const attempts = simulate(w).destinations[0].attempts;
    expect(Math.abs(attempts - (50 * 500 + 150 * 500)) / 100_000).toBeLessThan(0.02);
  });
  it("Azure caps a destination at one IP's 64,512 SNAT ports and the gateway at 2,000,000 connections", () => {
    const rules = gatewayRules(
      one("azure", { ips: 3, perIpDestinationLimit: 64_512 }, { connectionsPerSecond: 1, holdSeconds: 1 }, 1),
    );
    expect(rules.perIpLimit).toBe(AZURE.snatPortsPerIp.value);
    // A limit above the ports an IP has is refused rather than silently capped.
    expect(() =>
      one("azure", { ips: 3, perIpDestinationLimit: 99_999 }, { connectionsPerSecond: 1, holdSeconds: 1 }, 1),
    ).toThrow(/perIpDestinationLimit: 99,999 exceeds the 64,512 ports/);
    expect(rules.totalConnections).toBe(AZURE.totalConnections.value);
    expect(
      gatewayRules(one("aws", { ips: 1 }, { connectionsPerSecond: 1, holdSeconds: 1 }, 1)).totalConnections,
    ).toBe(Number.POSITIVE_INFINITY);
  });
  it("pooled IPs block less than hashed IPs for the same load", () => {
    const run = (ipSelection: "hash" | "pooled") =>
      simulate(
        one(
          "aws",
          { ips: 4, ipSelection, perIpDestinationLimit: 300 },
          { connectionsPerSecond: 18, holdSeconds: 1 },
          2000,
        ),
      ).destinations[0].portAllocationErrors;
    expect(run("pooled")).toBeLessThan(run("hash"));
  });
  it("same seed, same result; another seed, another result", () => {
    const w = one(
      "aws",
      { ips: 2, perIpDestinationLimit: 1000 },
      { connectionsPerSecond: 40, holdSeconds: { distribution: "exponential", mean: 2 } },
      500,
    );
    expect(JSON.stringify(runSimulation(w))).toBe(JSON.stringify(runSimulation(w)));
    expect(simulate(w, { seed: 7 })).not.toEqual(simulate(w));
    expect(simulate(w, { seed: 7 }).seed).toBe(7);
  });
  it("returns about 500 samples per destination, with errors summing to the total", () => {
    const w = one(
      "aws",
      { ips: 2, perIpDestinationLimit: 100 },
      { connectionsPerSecond: 100, holdSeconds: 1 },
      300,
    );
    const { result, series } = runSimulation(w);
    expect(series.times.length).toBe(500);
    expect(series.times.at(-1)).toBe(300);
    const s = series.destinations[0];
    expect(s.portsHeldPerIp.length).toBe(2);
    expect(s.portsHeld.length).toBe(500);
    expect(s.errors.reduce((a, b) => a + b, 0)).toBe(result.destinations[0].portAllocationErrors);
    expect(Math.max(...s.portsHeld)).toBeLessThanOrEqual(result.destinations[0].peakPortsHeld);
  });
});

const smallWorkload = fc.record({
  cloud: fc.constantFrom("aws" as const, "azure" as const),
  ips: fc.integer({ min: 1, max: 4 }),
  ipSelection: fc.constantFrom("hash" as const, "pooled" as const),
  limit: fc.integer({ min: 5, max: 200 }),
  streams: fc.array(
    fc.record({
      to: fc.integer({ min: 0, max: 2 }),
      rate: fc.double({ min: 0.5, max: 50, noNaN: true }),
      hold: fc.double({ min: 0, max: 5, noNaN: true }),
      exp: fc.boolean(),
      close: fc.constantFrom("fin" as const, "rst" as const),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

type Small = typeof smallWorkload extends fc.Arbitrary<infer X> ? X : never;

function build(p: Small, ips = p.ips) {
  return validateWorkload({
    cloud: p.cloud,
    gateway: {
      ips,
      ipSelection: p.ipSelection,
      perIpDestinationLimit: p.limit,
      portReuseSeconds: { fin: 3, rst: 1 },
    },
    durationSeconds: 200,
    destinations: [dest("a", 1), dest("b", 2), dest("c", 3)],
    traffic: p.streams.map((s) => ({
      to: ["a", "b", "c"][s.to],
      connectionsPerSecond: s.rate,
      holdSeconds: s.exp ? { distribution: "exponential", mean: s.hold + 0.01 } : s.hold,
      close: s.close,
    })),
  });
}

describe("properties", () => {
  it("never holds more than the limit per IP per destination", () => {
    fc.assert(
      fc.property(smallWorkload, (p) => {
        const r = simulate(build(p));
        for (const d of r.destinations)
          for (const h of d.peakPortsHeldPerIp) expect(h).toBeLessThanOrEqual(p.limit);
        expect(r.totals.portAllocationErrors).toBe(
          r.destinations.reduce((s, d) => s + d.portAllocationErrors, 0),
        );
      }),
      { numRuns: 40 },
    );
  });
  it("no errors far below capacity", () => {
    fc.assert(
      fc.property(smallWorkload, (p) => {
        const w = build({ ...p, limit: 10_000 });
        const r = simulate(w);
        expect(r.totals.portAllocationErrors).toBe(0);
        expect(r.verdict).toBe("ok");
      }),
      { numRuns: 30 },
    );
  });
  it("averaged over seeds, more IPs never mean more errors", () => {
    fc.assert(
      fc.property(smallWorkload, (p) => {
        const mean = (ips: number) => {
          let sum = 0;
          for (const seed of [1, 2, 3, 4, 5, 6])
            sum += simulate(build(p, ips), { seed }).totals.portAllocationErrors;
          return sum / 6;
        };
        const fewer = mean(p.ips);
        const more = mean(p.ips + 1);
        // Allow for sampling noise: a few errors, or 5% of the errors with fewer IPs.
        expect(more).toBeLessThanOrEqual(fewer + Math.max(3, 0.05 * fewer));
      }),
      { numRuns: 20 },
    );
  });
});

describe("event queues", () => {
  it("Fifo and Heap pop in time order", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 3000 }), (times) => {
        const heap = new Heap();
        const fifo = new Fifo(2);
        for (const [i, t] of times.entries()) heap.push(t, i);
        const sorted = [...times].sort((a, b) => a - b);
        for (const [i, t] of sorted.entries()) fifo.push(t, i);
        for (const t of sorted) {
          expect(heap.peekTime()).toBe(t);
          expect(fifo.peekTime()).toBe(t);
          heap.pop();
          fifo.pop();
        }
        expect(heap.size + fifo.size).toBe(0);
        expect(heap.peekTime()).toBe(Number.POSITIVE_INFINITY);
      }),
    );
  });
});
