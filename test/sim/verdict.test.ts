import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZERO_ERRORS_THRESHOLD } from "../../sim/analytic/closed-forms";
import { simulate } from "../../sim/engine/simulate";
import { assessCapacity } from "../../sim/verdict/capacity";
import { destinationVerdict, gatewayVerdict, verdictFix } from "../../sim/verdict/verdict";
import { validateWorkload, type WorkloadInput } from "../../sim/workload/workload";
import { expectSurfacesAgree } from "./surfaces";

const holdArb = fc.oneof(
  fc.double({ min: 0.1, max: 20, noNaN: true }),
  fc.record({
    distribution: fc.constant("exponential" as const),
    mean: fc.double({ min: 0.1, max: 20, noNaN: true }),
  }),
);

/** Small random workloads whose limits are low enough that both verdicts occur. */
const workloadArb = fc
  .record({
    cloud: fc.constantFrom("aws" as const, "azure" as const),
    ips: fc.integer({ min: 1, max: 3 }),
    ipSelection: fc.constantFrom("hash" as const, "pooled" as const),
    limit: fc.integer({ min: 5, max: 400 }),
    durationSeconds: fc.integer({ min: 5, max: 120 }),
    seed: fc.integer({ min: 0, max: 1000 }),
    destinations: fc.array(
      fc.record({
        protocol: fc.constantFrom("tcp" as const, "udp" as const),
        peak: fc.option(fc.integer({ min: 0, max: 1500 }), { nil: undefined }),
        sustained: fc.option(
          fc.record({
            duration: fc.integer({ min: 1, max: 3600 }),
            hold: fc.double({ min: 0.5, max: 120, noNaN: true }),
          }),
          { nil: undefined },
        ),
        streams: fc.array(
          fc.record({
            rate: fc.double({ min: 0.1, max: 40, noNaN: true }),
            hold: holdArb,
            close: fc.constantFrom("fin" as const, "rst" as const, "idle" as const, undefined),
          }),
          { maxLength: 2 },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map((g): WorkloadInput => {
    const destinations = g.destinations.map((d, i) => ({
      name: `d${i}`,
      address: `203.0.113.${i + 1}`,
      port: 443,
      protocol: d.protocol,
      ...(d.peak !== undefined ? { peakConnections: d.peak } : {}),
      ...(d.peak !== undefined && d.sustained
        ? { peakDurationSeconds: d.sustained.duration, peakHoldSeconds: d.sustained.hold }
        : {}),
    }));
    const traffic = g.destinations.flatMap((d, i) =>
      d.streams.map((s) => ({
        to: `d${i}`,
        connectionsPerSecond: s.rate,
        holdSeconds: s.hold,
        ...(s.close && (d.protocol === "tcp" || s.close === "idle") ? { close: s.close } : {}),
      })),
    );
    return {
      cloud: g.cloud,
      gateway: { ips: g.ips, ipSelection: g.ipSelection, perIpDestinationLimit: g.limit },
      durationSeconds: g.durationSeconds,
      seed: g.seed,
      destinations,
      traffic,
    };
  });

describe("one verdict on every surface", () => {
  it("simulate, the CLI exit code, the table, Markdown, HTML and assessCapacity never disagree", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(workloadArb, async (input) => {
        const { result: r, printed } = await expectSurfacesAgree(input);
        for (const d of r.destinations) {
          expect(d.verdict === "ok").toBe(d.minIpsForZeroErrors <= r.ips);
          expect(d.verdict === "ok").toBe(d.reasons.length === 0);
        }
        expect(printed.method).toBe("simulate");
        seen.add(r.verdict);
      }),
      { numRuns: 80, seed: 20261122 },
    );
    // The generator reaches both verdicts, so the agreement is tested on each.
    expect([...seen].sort()).toEqual(["exhausted", "ok"]);
  }, 120_000);
});

describe("destinationVerdict", () => {
  const base = { ips: 2, perIpLimit: 100, ipSelection: "hash" as const };
  it("simulated errors decide, and the IP count stays on the verdict's side", () => {
    expect(
      destinationVerdict({ ...base, simulated: { portAllocationErrors: 1, analyticMinIps: 2 } }),
    ).toMatchObject({
      ok: false,
      ipsNeeded: 3,
      reasons: ["port-allocation-errors"],
    });
    expect(
      destinationVerdict({ ...base, simulated: { portAllocationErrors: 0, analyticMinIps: 5 } }),
    ).toMatchObject({
      ok: true,
      ipsNeeded: 2,
    });
  });
  it("keeps a peak expectation beside simulated traffic", () => {
    const v = destinationVerdict({
      ...base,
      simulated: { portAllocationErrors: 0, analyticMinIps: 1 },
      peak: { connections: 1000 },
    });
    expect(v.ok).toBe(false);
    expect(v.reasons).toEqual(["peak-does-not-fit"]);
    expect(v.ipsNeeded).toBeGreaterThanOrEqual(10);
  });
  it("a sustained peak fails at or above the zero-errors threshold", () => {
    const v = destinationVerdict({
      ...base,
      peak: { connections: 150, durationSeconds: 600, holdSeconds: 10 },
    });
    expect(v.peakExpectedErrors).toBeGreaterThanOrEqual(ZERO_ERRORS_THRESHOLD);
    expect(v.ok).toBe(false);
    const w = destinationVerdict({
      ...base,
      ips: v.ipsNeeded,
      peak: { connections: 150, durationSeconds: 600, holdSeconds: 10 },
    });
    expect(w.ok).toBe(true);
    expect(w.peakExpectedErrors).toBeLessThan(ZERO_ERRORS_THRESHOLD);
  });
  it("the gateway-wide cap fails the gateway and says more IPs do not help", () => {
    const g = gatewayVerdict([destinationVerdict({ ...base })], 2_000_001, 2_000_000);
    expect(g).toMatchObject({ ok: false, moreIpsHelp: false, reasons: ["gateway-connection-cap"] });
    const fix = verdictFix(g, 2, 16, "gateway.ips");
    expect(fix).toMatch(/more IPs do not help/);
    expect(fix).not.toMatch(/gateway\.ips|\d+ IPs/);
  });
});

describe("sustained peaks", () => {
  const ldap = { name: "ldap", address: "203.0.113.10", port: 636, peakConnections: 434_000 };
  it("434,000 on 8 hashed IPs fits as one instant but not held for an hour with 60 s connections", () => {
    const instant = assessCapacity({ destinations: [ldap] }, { cloud: "aws", ips: 8 });
    expect(instant.ok).toBe(true);
    expect(instant.notes.join("\n")).toMatch(
      /checked as one instant; give peakDurationSeconds and\s+peakHoldSeconds to check a sustained peak/,
    );
    const held = assessCapacity(
      { destinations: [{ ...ldap, peakDurationSeconds: 3600, peakHoldSeconds: 60 }] },
      { cloud: "aws", ips: 8 },
    );
    expect(held.ok).toBe(false);
    expect(held.reasons).toEqual(["sustained-peak-errors"]);
    expect(held.ipsNeeded).toBe(9);
    expect(held.destinations[0].message).toMatch(
      /held for 3,600 s with connections living 60 s \(about \d+ expected/,
    );
    const sim = simulate(
      validateWorkload({
        cloud: "aws",
        gateway: { ips: 8 },
        destinations: [{ ...ldap, peakDurationSeconds: 3600, peakHoldSeconds: 60 }],
      }),
    );
    expect(sim.verdict).toBe("exhausted");
    expect(sim.destinations[0].peakExpectedErrors).toBeGreaterThan(100);
  });
  it("needs both fields, and a peak", () => {
    expect(() =>
      validateWorkload({
        cloud: "aws",
        gateway: { ips: 1 },
        destinations: [{ ...ldap, peakDurationSeconds: 60 }],
      }),
    ).toThrow(/destinations\[0\]\.peakHoldSeconds: is required with peakDurationSeconds/);
    expect(() =>
      validateWorkload({
        cloud: "aws",
        gateway: { ips: 1 },
        destinations: [
          { name: "x", address: "203.0.113.9", port: 1, peakHoldSeconds: 5, peakDurationSeconds: 60 },
        ],
      }),
    ).toThrow(/destinations\[0\]\.peakConnections: is required with peakDurationSeconds/);
  });
});
