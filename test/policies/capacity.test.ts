import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AWS } from "../../core/limits";
import { hashUsableCapacity } from "../../sim/analytic/closed-forms";
import { assessCapacity } from "../../sim/verdict/capacity";
import { type Pack, res, startPack, T, UNKNOWN, unknowns, violations } from "./harness";

let pack: Pack;
beforeAll(async () => {
  pack = await startPack();
});
afterAll(async () => {
  await pack?.process.close();
});

const CAP = "nat-gateway-capacity";
const ldapTag = (peak: number) => ({ "natcap-peak-ldap": `203.0.113.10:636/tcp=${peak}`, Name: "egress" });
const awsGw = (secondaries: unknown, tags: unknown, name = "egress") =>
  res(T.nat, name, {
    allocationId: "eipalloc-1",
    subnetId: "subnet-1",
    secondaryAllocationIds: secondaries,
    tags,
  });

describe("nat-gateway-capacity from expectation tags on a plain gateway", () => {
  it("blocks a peak that 2 IPs cannot carry and passes it with 8", async () => {
    const ds = violations(await pack.check([awsGw(["eipalloc-2"], ldapTag(120_000))]), CAP);
    expect(ds).toHaveLength(1);
    expect(ds[0].enforcementLevel).toBe("mandatory");
    expect(ds[0].message).toContain("ldap (203.0.113.10:636/tcp) does not fit");
    expect(ds[0].message).toContain("natcap-peak-* tags");
    expect(violations(await pack.check([awsGw(Array(7).fill("x"), ldapTag(120_000))]), CAP)).toEqual([]);
  });

  it("includes hash imbalance: 8 × 55,000 = 440,000 is not reachable under per-flow hashing", async () => {
    // Between what hashing lets 8 IPs carry and the nominal 8 × 55,000.
    const peak = Math.ceil(
      (hashUsableCapacity(8, AWS.connectionsPerIpPerDestination.value) +
        8 * AWS.connectionsPerIpPerDestination.value) /
        2,
    );
    expect(peak).toBeLessThan(440_000);
    const model = assessCapacity(
      { destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: peak }] },
      { cloud: "aws", ips: 8 },
    );
    expect(model.ok).toBe(false);
    const ds = violations(await pack.check([awsGw(Array(7).fill("x"), ldapTag(peak))]), CAP);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("not reachable");
    expect(ds[0].message).toMatch(/split the traffic across gateways/);
  });

  it("agrees with the simulator's verdict for each IP count", async () => {
    const peak = 200_000;
    for (const ips of [1, 3, 5, 8]) {
      const expected = assessCapacity(
        { destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: peak }] },
        { cloud: "aws", ips },
      ).ok;
      const ds = violations(await pack.check([awsGw(Array(ips - 1).fill("x"), ldapTag(peak))]), CAP);
      expect(ds.length === 0, `${ips} IPs`).toBe(expected);
    }
  });

  it("reports a malformed tag instead of ignoring it", async () => {
    const ds = violations(
      await pack.check([awsGw([], { "natcap-peak-ldap": "ldap.example.com=lots" })]),
      CAP,
    );
    expect(ds[0].message).toContain("natcap-peak-ldap");
  });

  it("checks Azure gateways with prefixes counted whole", async () => {
    const prefix = res(T.azPrefix, "p", {
      resourceGroupName: "rg",
      prefixLength: 28,
      sku: { name: "Standard" },
    });
    const gw = (n: number) =>
      res(
        T.azNat,
        "az",
        {
          resourceGroupName: "rg",
          publicIpPrefixes: [{ id: UNKNOWN }],
          tags: { "natcap-peak-api": `198.51.100.7:443/tcp=${n}` },
        },
        { publicIpPrefixes: [prefix] },
      );
    expect(violations(await pack.check([prefix, gw(790_000)]), CAP)).toEqual([]);
    expect(violations(await pack.check([prefix, gw(810_000)]), CAP)).toHaveLength(1);
  });
});

describe("nat-gateway-capacity expectation sources", () => {
  const dest = (peak: number) => ({
    destinations: [{ name: "db", address: "192.0.2.5", port: 5432, protocol: "tcp", peakConnections: peak }],
  });

  it("reads the pack config keyed by resource name, which takes precedence over tags", async () => {
    const gw = awsGw([], ldapTag(10));
    expect(violations(await pack.check([gw]), CAP)).toEqual([]);
    const cfg = { [CAP]: { properties: { expectations: { egress: dest(200_000) } } } };
    const ds = violations(await pack.check([gw], cfg), CAP);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("expectations config");
    expect(ds[0].message).toContain("db (192.0.2.5:5432/tcp)");
  });

  it("reads a natcap component's expectedTraffic output", async () => {
    const component = res("natcap:index:AwsNatGateway", "egress", { expectedTraffic: dest(300_000) });
    const gw = res(
      T.nat,
      "egress",
      { allocationId: UNKNOWN, subnetId: "subnet-1", secondaryAllocationIds: [UNKNOWN] },
      {},
      component,
    );
    const ds = violations(await pack.check([component, gw]), CAP);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain('expectedTraffic of AwsNatGateway "egress"');
  });

  it("reads rate-based traffic with a hold distribution from a component's expectedTraffic", async () => {
    // The components' union-free shape: `hold` (a distribution object) instead of `holdSeconds`.
    const expectedTraffic = (rate: number) => ({
      durationSeconds: 300,
      destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, protocol: "tcp" }],
      traffic: [{ to: "ldap", connectionsPerSecond: rate, hold: { distribution: "exponential", mean: 30 } }],
    });
    const check = async (rate: number) => {
      const component = res("natcap:index:AwsNatGateway", "egress", {
        expectedTraffic: expectedTraffic(rate),
      });
      const gw = res(
        T.nat,
        "egress",
        { allocationId: "eipalloc-1", subnetId: "subnet-1", secondaryAllocationIds: ["eipalloc-2"] },
        {},
        component,
      );
      return violations(await pack.check([component, gw]), CAP);
    };
    // 2 IPs × 55,000 ports; a port is held 30 s + 60 s hold-down on average.
    expect(await check(100)).toEqual([]);
    const ds = await check(2_000);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("ldap");
    expect(ds[0].message).not.toContain("unknown field");
  });

  it("skips gateways without any expectation", async () => {
    const ds = await pack.check([awsGw([], { Name: "x" })]);
    expect(ds.filter((d) => d.policyName === CAP)).toEqual([]);
  });

  it("evaluates what is known when the IP count is unknown", async () => {
    // Fits on one IP: passes whatever the unknown secondaries are.
    expect((await pack.check([awsGw(UNKNOWN, ldapTag(1_000))])).filter((d) => d.policyName === CAP)).toEqual(
      [],
    );
    // Needs more than one IP but fits at the maximum: cannot be evaluated yet.
    const some = await pack.check([awsGw(UNKNOWN, ldapTag(120_000))]);
    expect(violations(some, CAP)).toEqual([]);
    expect(unknowns(some, CAP)[0].enforcementLevel).toBe("advisory");
    // Does not fit even at 8 IPs: blocked now.
    expect(violations(await pack.check([awsGw(UNKNOWN, ldapTag(600_000))]), CAP)).toHaveLength(1);
  });

  it("cannot evaluate unknown tags", async () => {
    expect(unknowns(await pack.check([awsGw([], UNKNOWN)]), CAP)).toHaveLength(1);
  });
});

describe("nat-gateway-capacity fix, per kind of failure (the components word the same fix)", () => {
  const fixOf = (message: string) => message.slice(message.lastIndexOf("Fix: ") + "Fix: ".length);
  const secondaries = (n: number) => Array.from({ length: n }, (_, i) => `eipalloc-s${i}`);
  const SECONDARY =
    /^set the number of secondaryAllocationIds \(or NatGatewayEipAssociations\) to (\d+) \((\d+) IPs in all; it is (\d+)\)/;
  const ldap = (peak: number, extra: object = {}) => ({
    destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections: peak, ...extra }],
  });
  const configured = (expectation: object) => ({
    [CAP]: { properties: { expectations: { egress: expectation } } },
  });

  it("simulated port-allocation errors: names the secondary count that works, and it does", async () => {
    const expectedTraffic = {
      durationSeconds: 300,
      destinations: [{ name: "ldap", address: "203.0.113.10", port: 636 }],
      traffic: [{ to: "ldap", connectionsPerSecond: 2_000, hold: { distribution: "exponential", mean: 30 } }],
    };
    const ds = violations(await pack.check([awsGw(secondaries(1), {})], configured(expectedTraffic)), CAP);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toMatch(/predicts port-allocation errors with 2 IPs:/);
    const m = SECONDARY.exec(fixOf(ds[0].message));
    expect(m?.[3]).toBe("1");
    const n = Number(m?.[1]);
    expect(Number(m?.[2])).toBe(n + 1);
    expect(
      violations(await pack.check([awsGw(secondaries(n), {})], configured(expectedTraffic)), CAP),
    ).toEqual([]);
  });

  it("an instant peak that does not fit", async () => {
    const ds = violations(await pack.check([awsGw(secondaries(1), ldapTag(120_000))]), CAP);
    expect(fixOf(ds[0].message)).toBe(
      "set the number of secondaryAllocationIds (or NatGatewayEipAssociations) to 2 (3 IPs in all; it is 1), or lower the expected connections",
    );
    expect(violations(await pack.check([awsGw(secondaries(2), ldapTag(120_000))]), CAP)).toEqual([]);
  });

  it("a sustained peak that fits as an instant but not when held", async () => {
    const held = ldap(108_000, { peakDurationSeconds: 3600, peakHoldSeconds: 60 });
    expect(violations(await pack.check([awsGw(secondaries(1), {})], configured(ldap(108_000))), CAP)).toEqual(
      [],
    );
    const ds = violations(await pack.check([awsGw(secondaries(1), {})], configured(held)), CAP);
    expect(ds[0].message).toContain("held for 3,600 s with connections living 60 s");
    expect(SECONDARY.exec(fixOf(ds[0].message))?.[1]).toBe("2");
    expect(violations(await pack.check([awsGw(secondaries(2), {})], configured(held)), CAP)).toEqual([]);
  });

  it("beyond one gateway's maximum: no count to set, only how to split", async () => {
    const ds = violations(await pack.check([awsGw(secondaries(1), ldapTag(600_000))]), CAP);
    const fix = fixOf(ds[0].message);
    expect(fix).toMatch(/^the traffic needs 12 IPs, more than the 8 one gateway can hold: split the traffic/);
    expect(fix).not.toMatch(/^set /);
  });

  it("Azure's gateway-wide cap: says more IPs do not help and names no IP count", async () => {
    const many = {
      destinations: Array.from({ length: 50 }, (_, i) => ({
        name: `d${i}`,
        address: `198.51.100.${i + 1}`,
        port: 443,
        peakConnections: 45_000,
      })),
    };
    const ip = res(T.azIp, "ip1", { resourceGroupName: "rg", sku: { name: "Standard" } });
    const gw = res(
      T.azNat,
      "az",
      { resourceGroupName: "rg", publicIpAddresses: [{ id: UNKNOWN }] },
      { publicIpAddresses: [ip] },
    );
    const cfg = { [CAP]: { properties: { expectations: { az: many } } } };
    const ds = violations(await pack.check([ip, gw], cfg), CAP);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toMatch(/predicts port-allocation errors with 1 IP:/);
    expect(ds[0].message).toContain("peak at 2,250,000, more than the 2,000,000");
    const fix = fixOf(ds[0].message);
    expect(fix).toMatch(
      /^connections across all destinations exceed the 2,000,000 .*more IPs do not help: split/,
    );
    expect(fix).not.toMatch(/^set |\d+ IPs/);
  });
});
