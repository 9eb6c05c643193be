import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WorkloadError } from "../../core/errors";
import { AZURE } from "../../core/limits";
import { analyzeWorkload } from "../../sim/analytic/analyze";
import { runSimulation, simulate } from "../../sim/engine/simulate";
import { assessCapacity } from "../../sim/verdict/capacity";
import { capacityFix } from "../../sim/verdict/capacity-message";
import { addressFamily, canonicalAddress, endpointKey } from "../../sim/workload/address";
import { expectationTags, parseExpectationTags } from "../../sim/workload/tags";
import { validateWorkload, type WorkloadInput } from "../../sim/workload/workload";
import { expectSurfacesAgree } from "./surfaces";

const LIMIT = AZURE.connectionsPerIpPerDestination.value;
const CAP = AZURE.totalConnections.value;

function caught(f: () => unknown): WorkloadError {
  try {
    f();
  } catch (e) {
    if (e instanceof WorkloadError) return e;
    throw e;
  }
  throw new Error("expected a WorkloadError");
}

/** A StandardV2 workload with one IPv4 and one IPv6 destination, each with a peak expectation. */
function peaks(ips: number, ipsV6: number, peak4: number, peak6: number): WorkloadInput {
  return {
    cloud: "azure",
    gateway: { ips, sku: "StandardV2", ipsV6 },
    destinations: [
      { name: "v4", address: "203.0.113.10", port: 443, peakConnections: peak4 },
      { name: "v6", address: "2001:db8::10", port: 443, peakConnections: peak6 },
    ],
  };
}

describe("addresses", () => {
  it("tells the families apart and compares IPv6 canonically", () => {
    expect(addressFamily("2001:db8::1")).toBe("ipv6");
    expect(addressFamily("203.0.113.1")).toBe("ipv4");
    expect(addressFamily("api.example.com")).toBe("ipv4");
    expect(canonicalAddress("2001:0DB8:0:0::1")).toBe("2001:db8::1");
    expect(canonicalAddress("2001:db8:0:0:0:0:0:1")).toBe("2001:db8::1");
    expect(endpointKey({ address: "2001:0db8::0001", port: 443, protocol: "tcp" })).toBe(
      endpointKey({ address: "2001:db8::1", port: 443, protocol: "tcp" }),
    );
    // Two different addresses stay apart.
    expect(canonicalAddress("2001:db8::1")).not.toBe(canonicalAddress("2001:db8::1:0"));
  });
  it("one IPv6 endpoint written two ways is refused as one port inventory", () => {
    const e = caught(() =>
      validateWorkload({
        cloud: "azure",
        gateway: { ips: 1, sku: "StandardV2", ipsV6: 1 },
        destinations: [
          { name: "a", address: "2001:db8::1", port: 443 },
          { name: "b", address: "2001:0DB8:0:0::1", port: 443 },
        ],
      }),
    );
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0].path).toBe("destinations[1].address");
    expect(e.message).toMatch(/\[2001:0DB8:0:0::1\]:443\/tcp, the endpoint of destinations\[0\] "a" too/);
  });
  it("refuses bracketed, zoned and IPv4-mapped IPv6 addresses with the form to give", () => {
    const w = (address: string) => ({
      cloud: "azure",
      gateway: { ips: 1, sku: "StandardV2", ipsV6: 1 },
      destinations: [{ name: "a", address, port: 443 }],
    });
    expect(() => validateWorkload(w("[2001:db8::1]"))).toThrow(
      /in brackets: give the address alone \(2001:db8::1\)/,
    );
    expect(() => validateWorkload(w("fe80::1%eth0"))).toThrow(/zone index/);
    expect(() => validateWorkload(w("::ffff:203.0.113.1"))).toThrow(/IPv4-mapped.*give the IPv4 address/);
  });
  it("expectation tags carry an IPv6 endpoint without brackets and read it back", () => {
    const tags = expectationTags([
      { name: "v6", address: "2001:db8::10", port: 443, protocol: "tcp", peakConnections: 1000 },
    ]);
    expect(tags).toEqual({ "natcap-peak-v6": "2001:db8::10:443/tcp=1000" });
    expect(parseExpectationTags(tags).destinations).toEqual([
      { name: "v6", address: "2001:db8::10", port: 443, protocol: "tcp", peakConnections: 1000 },
    ]);
    expect(parseExpectationTags({ "natcap-peak-x": "[2001:db8::2]:53/udp=3" }).destinations[0]).toMatchObject(
      {
        address: "2001:db8::2",
        port: 53,
      },
    );
  });
});

describe("separate port inventories per address family", () => {
  it("an IPv6 destination's capacity follows ipsV6 and ignores ips, and the reverse (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 0, max: 900_000 }),
        fc.integer({ min: 0, max: 900_000 }),
        (ips, ipsV6, other, peak4, peak6) => {
          const r = simulate(validateWorkload(peaks(ips, ipsV6, peak4, peak6)));
          const [v4, v6] = r.destinations;
          expect(v4).toMatchObject({ addressFamily: "ipv4", ips, capacity: ips * LIMIT });
          expect(v6).toMatchObject({ addressFamily: "ipv6", ips: ipsV6, capacity: ipsV6 * LIMIT });
          expect(v6.verdict).toBe(peak6 <= ipsV6 * LIMIT ? "ok" : "exhausted");
          expect(v4.verdict).toBe(peak4 <= ips * LIMIT ? "ok" : "exhausted");
          // The IPv6 destination is sized in IPv6 addresses, the IPv4 one in IPv4 addresses.
          expect(r.ipsV6Needed).toBe(Math.max(1, Math.ceil(peak6 / LIMIT)));
          expect(r.ipsNeeded).toBe(Math.max(1, Math.ceil(peak4 / LIMIT)));
          // Changing the other family's count changes nothing for this one.
          const moreV4 = simulate(validateWorkload(peaks(other, ipsV6, peak4, peak6)));
          expect(moreV4.destinations[1]).toEqual(v6);
          expect(moreV4.ipsV6Needed).toBe(r.ipsV6Needed);
          const moreV6 = simulate(validateWorkload(peaks(ips, other, peak4, peak6)));
          expect(moreV6.destinations[0]).toEqual(v4);
          expect(moreV6.ipsNeeded).toBe(r.ipsNeeded);
        },
      ),
      { numRuns: 60, seed: 6 },
    );
  });
  it("simulated traffic to an IPv6 destination fills the IPv6 addresses only", () => {
    const w = validateWorkload({
      cloud: "azure",
      gateway: { ips: 4, sku: "StandardV2", ipsV6: 2, perIpDestinationLimit: 100 },
      durationSeconds: 300,
      destinations: [
        { name: "v4", address: "203.0.113.10", port: 443 },
        { name: "v6", address: "2001:db8::10", port: 443 },
      ],
      traffic: [
        { to: "v4", connectionsPerSecond: 5, holdSeconds: 10, close: "rst" },
        { to: "v6", connectionsPerSecond: 5, holdSeconds: 10, close: "rst" },
      ],
    });
    const run = runSimulation(w, { samples: 10 });
    const [v4, v6] = run.result.destinations;
    expect(v4.peakPortsHeldPerIp).toHaveLength(4);
    expect(v6.peakPortsHeldPerIp).toHaveLength(2);
    expect(run.series.destinations[1].portsHeldPerIp).toHaveLength(2);
    // Offered ~130 ports: 400 IPv4 ports carry it, 200 IPv6 ports do too.
    expect(v4.portAllocationErrors).toBe(0);
    expect(v6.portAllocationErrors).toBe(0);
    expect(v6.endpoint).toBe("[2001:db8::10]:443/tcp");
  });
});

describe("the gateway-wide cap is shared by both families", () => {
  it("IPv4 and IPv6 peaks each under 2,000,000 but together past it exhaust the gateway, and more IPs do not help", () => {
    const half = 600_000;
    const input: WorkloadInput = {
      cloud: "azure",
      gateway: { ips: 16, sku: "StandardV2", ipsV6: 16 },
      destinations: [
        { name: "a4", address: "203.0.113.1", port: 443, peakConnections: half },
        { name: "b4", address: "203.0.113.2", port: 443, peakConnections: half },
        { name: "a6", address: "2001:db8::1", port: 443, peakConnections: half },
        { name: "b6", address: "2001:db8::2", port: 443, peakConnections: half },
      ],
    };
    const r = simulate(validateWorkload(input));
    expect(4 * half).toBeGreaterThan(CAP);
    expect(r.destinations.every((d) => d.verdict === "ok")).toBe(true);
    expect(r.verdict).toBe("exhausted");
    expect(r.reasons).toEqual(["gateway-connection-cap"]);
    expect(r.moreIpsHelp).toBe(false);
    expect(r.gatewayConnections).toBe(4 * half);
    // Either family alone fits under the cap.
    const v4Only = { ...input, destinations: input.destinations.slice(0, 2) };
    const v6Only = { ...input, destinations: input.destinations.slice(2) };
    expect(simulate(validateWorkload(v4Only)).verdict).toBe("ok");
    expect(simulate(validateWorkload(v6Only)).verdict).toBe("ok");
    const report = assessCapacity(
      { destinations: input.destinations },
      { cloud: "azure", ips: 16, sku: "StandardV2", ipsV6: 16 },
    );
    expect(report.ok).toBe(false);
    expect(report.moreIpsHelp).toBe(false);
    expect(report.fix).toMatch(/more IPs do not help/);
  });
  it("rate-based traffic across both families hits the cap in the analytic path and the simulator alike", () => {
    // Each family holds about 1,100,000 open connections (1,100/s × 1,000 s): 2,200,000 in all.
    const input: WorkloadInput = {
      cloud: "azure",
      gateway: { ips: 16, sku: "StandardV2", ipsV6: 16 },
      durationSeconds: 1_500,
      destinations: [
        { name: "v4", address: "203.0.113.1", port: 443 },
        { name: "v4b", address: "203.0.113.2", port: 443 },
        { name: "v6", address: "2001:db8::1", port: 443 },
        { name: "v6b", address: "2001:db8::2", port: 443 },
      ],
      traffic: ["v4", "v4b", "v6", "v6b"].map((to) => ({
        to,
        connectionsPerSecond: 550,
        holdSeconds: 1_000,
        close: "rst" as const,
      })),
    };
    const w = validateWorkload(input);
    const analytic = analyzeWorkload(w);
    expect(analytic.verdict).toBe("exhausted");
    expect(analytic.moreIpsHelp).toBe(false);
    expect(analytic.reasons).toContain("gateway-connection-cap");
    const simulated = simulate(w);
    expect(simulated.verdict).toBe("exhausted");
    expect(simulated.moreIpsHelp).toBe(false);
    expect(simulated.totals.peakConnections).toBe(CAP);
    // Without the IPv6 half the same IPv4 traffic fits.
    const v4Only = validateWorkload({
      ...input,
      destinations: input.destinations.slice(0, 2),
      traffic: input.traffic?.slice(0, 2),
    });
    expect(analyzeWorkload(v4Only).verdict).toBe("ok");
  }, 60_000);
});

describe("one verdict for an IPv6 workload on every surface", () => {
  const arb = fc
    .record({
      ips: fc.integer({ min: 1, max: 3 }),
      ipsV6: fc.integer({ min: 1, max: 3 }),
      limit: fc.integer({ min: 20, max: 300 }),
      seed: fc.integer({ min: 0, max: 1000 }),
      destinations: fc.array(
        fc.record({
          v6: fc.boolean(),
          peak: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
          rate: fc.option(fc.double({ min: 0.2, max: 30, noNaN: true }), { nil: undefined }),
          hold: fc.double({ min: 0.5, max: 15, noNaN: true }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    })
    .map(
      (g): WorkloadInput => ({
        cloud: "azure",
        gateway: { ips: g.ips, sku: "StandardV2", ipsV6: g.ipsV6, perIpDestinationLimit: g.limit },
        durationSeconds: 60,
        seed: g.seed,
        destinations: g.destinations.map((d, i) => ({
          name: `d${i}`,
          address: d.v6 ? `2001:db8::${i + 1}` : `203.0.113.${i + 1}`,
          port: 443,
          ...(d.peak !== undefined ? { peakConnections: d.peak } : {}),
        })),
        traffic: g.destinations.flatMap((d, i) =>
          d.rate === undefined
            ? []
            : [{ to: `d${i}`, connectionsPerSecond: d.rate, holdSeconds: d.hold, close: "rst" as const }],
        ),
      }),
    );
  it("simulate, analyzeWorkload on clear cases, the reports, assessCapacity and the CLI agree (property)", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(arb, async (input) => {
        const { result: r } = await expectSurfacesAgree(input, "simulate");
        for (const d of r.destinations) {
          expect(d.verdict === "ok").toBe(d.minIpsForZeroErrors <= (d.ips ?? 0));
          expect(d.ips).toBe(d.addressFamily === "ipv6" ? input.gateway.ipsV6 : input.gateway.ips);
        }
        seen.add(r.verdict);
      }),
      { numRuns: 40, seed: 20260601 },
    );
    expect([...seen].sort()).toEqual(["exhausted", "ok"]);
  }, 120_000);
  it("the simulation and the analytic path agree on a clearly fitting and a clearly exhausted IPv6 case", () => {
    const make = (ipsV6: number): WorkloadInput => ({
      cloud: "azure",
      gateway: { ips: 1, sku: "StandardV2", ipsV6, perIpDestinationLimit: 200 },
      durationSeconds: 600,
      destinations: [
        { name: "v4", address: "203.0.113.1", port: 443 },
        { name: "v6", address: "2001:db8::1", port: 443 },
      ],
      traffic: [
        { to: "v4", connectionsPerSecond: 2, holdSeconds: 10, close: "rst" },
        // About 20 × (10 + 16) = 520 ports held: 2 IPv6 addresses (400 ports) overflow, 4 (800) carry it.
        { to: "v6", connectionsPerSecond: 20, holdSeconds: 10, close: "rst" },
      ],
    });
    for (const [ipsV6, verdict] of [
      [2, "exhausted"],
      [4, "ok"],
    ] as const) {
      const w = validateWorkload(make(ipsV6));
      const sim = simulate(w);
      const ana = analyzeWorkload(w);
      expect(sim.verdict).toBe(verdict);
      expect(ana.verdict).toBe(verdict);
      expect(sim.destinations[0].verdict).toBe("ok");
      expect(ana.destinations[1].verdict).toBe(verdict);
      expect(sim.ipsV6Needed).toBe(ana.ipsV6Needed);
      // Erlang-B on 520 offered ports: 3 addresses (600 ports) still block now and then, 4 do not.
      expect(sim.ipsV6Needed).toBe(4);
      expect(sim.ipsNeeded).toBe(1);
    }
  });
});

describe("the fix names the IPv6 setting", () => {
  it("an IPv6 destination that needs more IPv6 addresses asks for them, not for IPv4", () => {
    const report = assessCapacity(
      { destinations: [{ name: "v6", address: "2001:db8::1", port: 443, peakConnections: 120_000 }] },
      { cloud: "azure", ips: 1, sku: "StandardV2", ipsV6: 2, settingNames: { ipsV6: "publicIpV6Count" } },
    );
    expect(report.ok).toBe(false);
    expect(report.ipsNeeded).toBe(1);
    expect(report.ipsV6Needed).toBe(3);
    expect(report.fix).toBe("set publicIpV6Count to 3 (it is 2), or lower the expected connections");
    expect(report.destinations[0].message).toMatch(
      /2 IPv6 addresses hold 100,000 ports.*needs 3 IPv6 addresses/,
    );
    // Both families short: both settings named.
    const both = capacityFix(
      {
        ok: false,
        moreIpsHelp: true,
        ips: 1,
        ipsNeeded: 2,
        maxIps: 16,
        ipsV6: 1,
        ipsV6Needed: 20,
        maxIpsV6: 16,
      },
      { name: "publicIpCount", v6: { name: "publicIpV6Count" } },
    );
    expect(both).toMatch(
      /^set publicIpCount to 2 \(it is 1\).*; and the IPv6 traffic needs 20 IPv6 addresses, more than the 16 IPv6 addresses one gateway can hold/,
    );
  });
  it("assessCapacity refuses an IPv6 destination on Standard, naming the caller's settings", () => {
    const e = caught(() =>
      assessCapacity(
        { destinations: [{ name: "v6", address: "2001:db8::1", port: 443, peakConnections: 1 }] },
        { cloud: "azure", ips: 1, settingNames: { sku: "sku", ipsV6: "publicIpV6Count" } },
      ),
    );
    expect(e.issues[0].path).toBe("expectedTraffic.destinations[0].address");
    expect(e.message).toMatch(/set sku: StandardV2 and publicIpV6Count \(1 to 16\)/);
  });
});
