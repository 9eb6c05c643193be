import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AvailabilityMode, type AwsNatGatewayArgs, planAwsNatGateway } from "../../components/aws";
import { scaleExpectation } from "../../components/aws/regionalZones";
import { checkAwsRegionalZoneIps, checkRegionalZonesRouted } from "../../core/checks-aws";
import { CapacityError, LimitError, ValidationError } from "../../core/errors";
import { AWS } from "../../core/limits";

const perAz = AWS.regionalIpsPerAz.value;
const perIp = AWS.connectionsPerIpPerDestination.value;
const regional = (extra: Partial<AwsNatGatewayArgs> = {}): AwsNatGatewayArgs => ({
  availabilityMode: AvailabilityMode.Regional,
  vpcId: "vpc-1",
  ...extra,
});
const plan = (args: AwsNatGatewayArgs, warnings: string[] = []) =>
  planAwsNatGateway("egress", args, (m) => warnings.push(m));
const ldap = (peakConnections: number) => ({
  destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections }],
});

describe("regional NAT gateway: IPs per zone", () => {
  it(`accepts ${perAz} IPs in a zone`, () => {
    const p = plan(regional({ regionalZones: [{ availabilityZone: "us-east-1a", ipCount: perAz }] }));
    expect(p.eips).toHaveLength(perAz);
  });

  it(`refuses ${perAz + 1} IPs in a zone with a LimitError about regional gateways, not the zonal 8`, () => {
    const args = regional({
      regionalZones: [
        { availabilityZone: "us-east-1a", ipCount: 2 },
        { availabilityZone: "us-east-1b", ipCount: perAz + 1 },
      ],
    });
    expect(() => plan(args)).toThrow(LimitError);
    try {
      plan(args);
    } catch (e) {
      expect((e as LimitError).field).toBe("regionalZones[1].ipCount");
      expect((e as Error).message).toContain(
        `exceed the ${perAz} a regional NAT gateway holds per Availability Zone`,
      );
      expect((e as Error).message).toContain("us-east-1b");
      expect((e as Error).message).not.toContain(`${AWS.maxIpsPerZonalGateway.value} IPv4 addresses a zonal`);
    }
  });

  it("the pure check agrees at every count from 1 to twice the limit", () => {
    for (let n = 1; n <= 2 * perAz; n++) {
      const errors = checkAwsRegionalZoneIps(n, "z", "f").filter((f) => f.severity === "error");
      expect(errors.length > 0, String(n)).toBe(n > perAz);
    }
  });
});

describe("regional NAT gateway: capacity per zone", () => {
  // Two IPs hold 2 × 55,000 to one destination; 1.5 × that needs a third IP in any zone carrying it all.
  const peak = Math.round(1.5 * 2 * perIp);

  it("without per-zone traffic, every zone must carry the whole expectation", () => {
    const args = regional({
      expectedTraffic: ldap(peak),
      regionalZones: [
        { availabilityZone: "a", ipCount: 2 },
        { availabilityZone: "b", ipCount: 2 },
      ],
    });
    expect(() => plan(args)).toThrow(CapacityError);
  });

  it("with trafficShare, each zone is checked against its share on its own IPs", () => {
    const p = plan(
      regional({
        expectedTraffic: ldap(peak),
        regionalZones: [
          { availabilityZone: "a", ipCount: 2, trafficShare: 0.5 },
          { availabilityZone: "b", ipCount: 2, trafficShare: 0.5 },
        ],
      }),
    );
    expect(p.capacity.report?.ok).toBe(true);
  });

  it("a zone's own expectation is checked against that zone's IPs, and the error names the zone", () => {
    const args = regional({
      regionalZones: [
        { availabilityZone: "us-east-1a", ipCount: 4, expectedTraffic: ldap(peak) },
        { availabilityZone: "us-east-1b", ipCount: 1, expectedTraffic: ldap(peak) },
      ],
    });
    expect(() => plan(args)).toThrow(CapacityError);
    expect(() => plan(args)).toThrow(/zone us-east-1b/);
  });

  it("refuses a share outside (0, 1], naming the field", () => {
    for (const share of [0, -0.5, 1.5, Number.NaN]) {
      const args = regional({
        expectedTraffic: ldap(10),
        regionalZones: [{ availabilityZone: "a", trafficShare: share }],
      });
      expect(() => plan(args)).toThrow(ValidationError);
      expect(() => plan(args)).toThrow(/regionalZones\[0\]\.trafficShare/);
    }
  });

  it("scaling keeps every connection: peaks round up, rates scale exactly", () => {
    const scaled = scaleExpectation(
      {
        destinations: [{ name: "d", address: "203.0.113.1", port: 443, peakConnections: 3 }],
        traffic: [{ to: "d", connectionsPerSecond: 10, holdSeconds: 1 }],
      },
      0.5,
    );
    expect(scaled.destinations[0].peakConnections).toBe(2);
    expect(scaled.traffic?.[0].connectionsPerSecond).toBe(5);
  });
});

describe("regional NAT gateway: auto mode", () => {
  it("reports the IPs each zone needs", () => {
    const w: string[] = [];
    plan(regional({ expectedTraffic: ldap(10 * perIp) }), w);
    const line = w.find((m) => m.includes("per zone"));
    expect(line).toBeDefined();
    const needed = Number(/needs (\d+) IPs? per zone/.exec(line ?? "")?.[1]);
    expect(needed).toBeGreaterThanOrEqual(10);
    expect(needed).toBeLessThanOrEqual(perAz);
  });

  it(`fails when one zone would need more than ${perAz} IPs`, () => {
    expect(() => plan(regional({ expectedTraffic: ldap((perAz + 2) * perIp) }))).toThrow(CapacityError);
  });
});

describe("checkRegionalZonesRouted", () => {
  it("finds exactly the routed zones that list no addresses", () => {
    const zoneName = fc.constantFrom("a", "b", "c", "d");
    fc.assert(
      fc.property(fc.array(zoneName), fc.array(zoneName), (routed, listed) => {
        const findings = checkRegionalZonesRouted(routed, listed);
        const missing = [...new Set(routed)].filter((z) => !listed.includes(z));
        if (missing.length === 0) return findings.length === 0;
        return findings.length === 1 && missing.every((z) => findings[0].message.includes(z));
      }),
    );
  });
});
