import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WorkloadError } from "../../core/errors";
import { AWS, AZURE } from "../../core/limits";
import { hashOverflowProbability, hashUsableCapacity } from "../../sim/analytic/closed-forms";
import { assessCapacity } from "../../sim/verdict/capacity";

const ldap = { name: "ldap", address: "203.0.113.10", port: 636 };

describe("assessCapacity, peak-only", () => {
  it("finds the IPs a peak needs under per-flow hashing and says why IPs × limit is not reachable", () => {
    const r = assessCapacity(
      { destinations: [{ ...ldap, peakConnections: 120_000 }] },
      { cloud: "aws", ips: 2 },
    );
    const d = r.destinations[0];
    expect(r.ok).toBe(false);
    expect(d.ok).toBe(false);
    expect(d.endpoint).toBe("203.0.113.10:636/tcp");
    expect(d.predictedPeak).toBe(120_000);
    expect(d.capacity).toBe(hashUsableCapacity(2, AWS.connectionsPerIpPerDestination.value));
    expect(d.ipsNeeded).toBe(3);
    expect(r.ipsNeeded).toBe(3);
    expect(r.maxIps).toBe(AWS.maxIpsPerZonalGateway.value);
    expect(r.result).toBeUndefined();
    expect(d.message).toMatch(/ldap/);
    expect(d.message).toMatch(/120,000/);
    expect(d.message).toMatch(/needs 3 IPs/);
    expect(r.notes.join("\n")).toMatch(/8 × 55,000 = 440,000 is not reachable/);
  });
  it("fits when the overflow risk with the given IPs is under 1%", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 1, max: 8 }), (peak, ips) => {
        const r = assessCapacity(
          { destinations: [{ ...ldap, peakConnections: peak }] },
          { cloud: "aws", ips },
        );
        const risk = hashOverflowProbability(peak, ips, AWS.connectionsPerIpPerDestination.value);
        expect(r.ok).toBe(risk < 0.01);
        expect(r.destinations[0].ok).toBe(r.destinations[0].ipsNeeded <= ips);
      }),
      { numRuns: 30 },
    );
  });
  it("pooled IPs reach IPs × limit exactly (Azure default)", () => {
    const limit = AZURE.connectionsPerIpPerDestination.value;
    const ok = assessCapacity(
      { destinations: [{ ...ldap, peakConnections: 4 * limit }] },
      { cloud: "azure", ips: 4 },
    );
    expect(ok.ok).toBe(true);
    expect(ok.destinations[0].capacity).toBe(4 * limit);
    const over = assessCapacity(
      { destinations: [{ ...ldap, peakConnections: 4 * limit + 1 }] },
      { cloud: "azure", ips: 4 },
    );
    expect(over.ok).toBe(false);
    expect(over.ipsNeeded).toBe(5);
  });
  it("caps an Azure destination at one IP's SNAT ports and flags the 2,000,000 total", () => {
    const capped = assessCapacity(
      { destinations: [{ ...ldap, peakConnections: 2 * AZURE.snatPortsPerIp.value }] },
      { cloud: "azure", ips: 2, perIpDestinationLimit: AZURE.snatPortsPerIp.value },
    );
    expect(() =>
      assessCapacity({ destinations: [ldap] }, { cloud: "azure", ips: 2, perIpDestinationLimit: 100_000 }),
    ).toThrow(/^perIpDestinationLimit: 100,000 exceeds the 64,512 ports/);
    expect(capped.destinations[0].capacity).toBe(2 * AZURE.snatPortsPerIp.value);
    expect(capped.ok).toBe(true);
    const huge = Array.from({ length: 41 }, (_, i) => ({
      name: `h${i}`,
      address: `198.51.100.${i + 1}`,
      port: 443,
      peakConnections: 50_000,
    }));
    const t = assessCapacity({ destinations: huge }, { cloud: "azure", ips: 16 });
    expect(t.ok).toBe(false);
    expect(t.notes.join("\n")).toMatch(/2,000,000/);
  });
  it("leaves out destinations served by a gateway endpoint", () => {
    const r = assessCapacity(
      {
        destinations: [
          { name: "s3", address: "52.216.0.1", port: 443, service: "s3", peakConnections: 10_000_000 },
        ],
      },
      { cloud: "aws", ips: 1, gatewayEndpoints: ["s3"] },
    );
    expect(r.ok).toBe(true);
    expect(r.destinations).toEqual([]);
    expect(r.notes[0]).toMatch(/gateway endpoint/);
  });
});

describe("assessCapacity, rate-based", () => {
  it("predicts errors at 1,000/s with a 61 s port holding time on one IP, and none on two", () => {
    const expected = {
      destinations: [ldap],
      traffic: [{ to: "ldap", connectionsPerSecond: 1000, holdSeconds: 1 }],
      durationSeconds: 300,
    };
    const one = assessCapacity(expected, { cloud: "aws", ips: 1 });
    expect(one.ok).toBe(false);
    expect(one.result).toBeDefined();
    expect(one.destinations[0].portAllocationErrors).toBeGreaterThan(0);
    expect(one.destinations[0].ipsNeeded).toBeGreaterThanOrEqual(2);
    const two = assessCapacity(expected, { cloud: "aws", ips: 3 });
    expect(two.ok).toBe(true);
    expect(two.destinations[0].portAllocationErrors).toBe(0);
  });
  it("handles gateways beyond the zonal maximum (a private NAT gateway with 31 IPs)", () => {
    const r = assessCapacity(
      {
        destinations: [ldap],
        traffic: [{ to: "ldap", connectionsPerSecond: 2000, holdSeconds: 1 }],
        durationSeconds: 120,
      },
      { cloud: "aws", ips: 31, maxIps: 31 },
    );
    expect(r.maxIps).toBe(31);
    expect(r.result?.destinations[0].peakPortsHeldPerIp).toHaveLength(31);
    const perIp = r.result?.destinations[0].peakPortsHeldPerIp ?? [];
    expect(perIp.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(
      r.result?.destinations[0].peakPortsHeld ?? 0,
    );
    expect(r.ok).toBe(true);
  });
});

describe("assessCapacity input errors", () => {
  it("throws WorkloadError with paths under expectedTraffic", () => {
    let err: unknown;
    try {
      assessCapacity(
        {
          destinations: [{ ...ldap, port: 0 }],
          traffic: [{ to: "ldapp", connectionsPerSecond: 1, holdSeconds: 1 }],
        },
        { cloud: "aws", ips: 1 },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WorkloadError);
    expect((err as WorkloadError).issues.map((i) => i.path)).toContain(
      "expectedTraffic.destinations[0].port",
    );
  });
  it("names a bad IP count", () => {
    expect(() => assessCapacity({ destinations: [ldap] }, { cloud: "aws", ips: 0 })).toThrow(WorkloadError);
    expect(() => assessCapacity({ destinations: [ldap] }, { cloud: "aws", ips: 0 })).toThrow(/ips: 0/);
  });
  it("names an unknown traffic destination", () => {
    expect(() =>
      assessCapacity(
        { destinations: [ldap], traffic: [{ to: "ldapp", connectionsPerSecond: 1, holdSeconds: 1 }] },
        { cloud: "aws", ips: 1 },
      ),
    ).toThrow(/expectedTraffic\.traffic\[0\]\.to: unknown destination "ldapp"/);
  });
});
