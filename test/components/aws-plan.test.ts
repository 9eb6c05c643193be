import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AvailabilityMode,
  type AwsNatGatewayArgs,
  CapacityCheckMode,
  ConnectivityType,
  GatewayEndpointService,
  HoldDistribution,
  planAwsEgressNat,
  planAwsNatGateway,
} from "../../components/aws";
import {
  applyFindings,
  formatFinding,
  resolveKeys,
  runCapacityCheck,
  toExpectedTraffic,
} from "../../components/common";
import { checkAwsZonalIps } from "../../core/checks";
import { CapacityError, LimitError, ValidationError, WorkloadError } from "../../core/errors";
import { AWS } from "../../core/limits";
import { parseExpectationTags } from "../../sim/workload/tags";

const zonal = (extra: Partial<AwsNatGatewayArgs> = {}): AwsNatGatewayArgs => ({
  subnetId: "subnet-1",
  ...extra,
});
const plan = (args: AwsNatGatewayArgs, warnings: string[] = []) =>
  planAwsNatGateway("egress", args, (m) => warnings.push(m));
const ldap = (peakConnections: number) => ({
  destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, peakConnections }],
});

describe("planAwsNatGateway: zonal public", () => {
  it("defaults to one new EIP as the primary, keyed 1", () => {
    const p = plan(zonal());
    expect(p.eips).toEqual([{ key: "1", logicalName: "egress-eip-1" }]);
    expect(p.primary).toEqual({ newKey: "1" });
    expect(p.secondaryNewKeys).toEqual([]);
    expect(p.totalIps).toBe(1);
  });

  it("keys new EIPs by the given keys; the first is the primary, the rest secondaries", () => {
    const p = plan(zonal({ ipKeys: ["blue", "green", "red"], eipQuota: 8 }));
    expect(p.eips.map((e) => e.logicalName)).toEqual([
      "egress-eip-blue",
      "egress-eip-green",
      "egress-eip-red",
    ]);
    expect(p.primary).toEqual({ newKey: "blue" });
    expect(p.secondaryNewKeys).toEqual(["green", "red"]);
  });

  it("uses the first existing IP as primary and attaches the rest and every new EIP as secondaries", () => {
    const p = plan(
      zonal({
        existingIps: [
          { key: "byoip-a", allocationId: "eipalloc-a" },
          { key: "byoip-b", allocationId: "eipalloc-b" },
        ],
        ipCount: 2,
        eipQuota: 8,
      }),
    );
    expect(p.primary).toEqual({ existingKey: "byoip-a" });
    expect(p.secondaryExistingKeys).toEqual(["byoip-b"]);
    expect(p.secondaryNewKeys).toEqual(["1", "2"]);
    expect(p.totalIps).toBe(4);
    expect(p.subnetAddressesNeeded).toBe(4);
  });

  it("warns above the default quota of 2 naming L-5F53652F, and not when eipQuota covers the count", () => {
    const w: string[] = [];
    plan(zonal({ ipCount: 3 }), w);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('AwsNatGateway "egress": ipCount 3');
    expect(w[0]).toContain("L-5F53652F");
    const quiet: string[] = [];
    plan(zonal({ ipCount: 3, eipQuota: 8 }), quiet);
    expect(quiet).toEqual([]);
  });

  it("routes: a default route per table plus each extra CIDR, named by table key and CIDR", () => {
    const p = plan(
      zonal({
        routeTables: [
          { key: "app", routeTableId: "rtb-1" },
          { key: "db", routeTableId: "rtb-2" },
        ],
        extraDestinationCidrBlocks: ["198.51.100.0/24"],
      }),
    );
    expect(p.routes).toEqual([
      { logicalName: "egress-route-app", routeTableKey: "app", cidr: "0.0.0.0/0" },
      { logicalName: "egress-route-app-198-51-100-0-24", routeTableKey: "app", cidr: "198.51.100.0/24" },
      { logicalName: "egress-route-db", routeTableKey: "db", cidr: "0.0.0.0/0" },
      { logicalName: "egress-route-db-198-51-100-0-24", routeTableKey: "db", cidr: "198.51.100.0/24" },
    ]);
    expect(
      plan(zonal({ routeTables: [{ key: "a", routeTableId: "r" }], defaultRoute: false })).routes,
    ).toEqual([]);
  });
});

describe("planAwsNatGateway: private and regional", () => {
  it("private: secondary count within quota, with a replacement warning", () => {
    const w: string[] = [];
    const p = plan(
      zonal({ connectivityType: ConnectivityType.Private, secondaryPrivateIpAddressCount: 3 }),
      w,
    );
    expect(p.eips).toEqual([]);
    expect(p.secondaryPrivateIpAddressCount).toBe(3);
    expect(p.totalIps).toBe(4);
    expect(w.join("\n")).toContain("replaces the NAT gateway");
  });

  it("regional auto mode creates no EIPs and reports the IPs a zone needs", () => {
    const w: string[] = [];
    const p = plan(
      { availabilityMode: AvailabilityMode.Regional, vpcId: "vpc-1", expectedTraffic: ldap(10) },
      w,
    );
    expect(p.eips).toEqual([]);
    expect(p.regionalZones).toBeUndefined();
    expect(w.join()).toContain("auto mode");
  });

  it("regional manual mode keys EIPs by zone and key", () => {
    const p = plan({
      availabilityMode: AvailabilityMode.Regional,
      vpcId: "vpc-1",
      regionalZones: [
        { availabilityZone: "us-east-1a", ipCount: 2 },
        { availabilityZone: "us-east-1b", ipKeys: ["x"] },
      ],
    });
    expect(p.eips.map((e) => e.logicalName)).toEqual([
      "egress-eip-us-east-1a-1",
      "egress-eip-us-east-1a-2",
      "egress-eip-us-east-1b-x",
    ]);
    expect(p.totalIps).toBe(1);
  });
});

describe("validation errors, by class", () => {
  const cases: [string, AwsNatGatewayArgs, new (...a: never[]) => Error, string][] = [
    [
      "9 IPs",
      zonal({ ipCount: 9 }),
      LimitError,
      'AwsNatGateway "egress": ipCount 9 exceeds the 8 IPv4 addresses',
    ],
    ["0 IPs", zonal({ ipCount: 0 }), ValidationError, "ipCount"],
    ["no subnet", {}, ValidationError, "subnetId"],
    ["vpcId on zonal", zonal({ vpcId: "vpc-1" }), ValidationError, "vpcId"],
    ["bad enum", zonal({ connectivityType: "nat" as ConnectivityType }), ValidationError, "connectivityType"],
    ["bad mode", zonal({ capacityCheck: "loud" as CapacityCheckMode }), ValidationError, "capacityCheck"],
    ["duplicate keys", zonal({ ipKeys: ["a", "a"] }), ValidationError, "appears twice"],
    ["bad key", zonal({ ipKeys: ["a b"] }), ValidationError, "not a valid key"],
    ["count vs keys", zonal({ ipKeys: ["a"], ipCount: 2 }), ValidationError, "does not match"],
    [
      "existing key clash",
      zonal({ existingIps: [{ key: "1", allocationId: "eipalloc-1" }], ipCount: 1 }),
      ValidationError,
      "also a key of a new EIP",
    ],
    [
      "private with EIPs",
      zonal({ connectivityType: ConnectivityType.Private, ipCount: 2 }),
      ValidationError,
      "private NAT gateway has no Elastic IPs",
    ],
    [
      "private count and list",
      zonal({
        connectivityType: ConnectivityType.Private,
        secondaryPrivateIpAddressCount: 1,
        secondaryPrivateIpAddresses: ["10.0.0.9"],
      }),
      ValidationError,
      "not both",
    ],
    [
      "private over quota",
      zonal({ connectivityType: ConnectivityType.Private, secondaryPrivateIpAddressCount: 8 }),
      LimitError,
      "L-DFA99DE7",
    ],
    [
      "private over API range",
      zonal({ connectivityType: ConnectivityType.Private, secondaryPrivateIpAddressCount: 32 }),
      LimitError,
      "1–31",
    ],
    [
      "public with private count",
      zonal({ secondaryPrivateIpAddressCount: 2 }),
      ValidationError,
      "private gateways",
    ],
    [
      "regional private",
      { availabilityMode: AvailabilityMode.Regional, vpcId: "v", connectivityType: ConnectivityType.Private },
      ValidationError,
      "public only",
    ],
    ["regional no vpc", { availabilityMode: AvailabilityMode.Regional }, ValidationError, "vpcId"],
    [
      "regional with subnet",
      { availabilityMode: AvailabilityMode.Regional, vpcId: "v", subnetId: "s" },
      ValidationError,
      "subnetId",
    ],
    [
      "regional duplicate zone",
      {
        availabilityMode: AvailabilityMode.Regional,
        vpcId: "v",
        regionalZones: [{ availabilityZone: "a" }, { availabilityZone: "a" }],
      },
      ValidationError,
      "appears twice",
    ],
    ["bad extra CIDR", zonal({ extraDestinationCidrBlocks: ["10.0.0.0"] }), ValidationError, "CIDR"],
    [
      "duplicate route table key",
      zonal({
        routeTables: [
          { key: "a", routeTableId: "r1" },
          { key: "a", routeTableId: "r2" },
        ],
      }),
      ValidationError,
      "appears twice",
    ],
    ["autoSize with keys", zonal({ ipKeys: ["a"], autoSizeIps: true }), ValidationError, "autoSizeIps"],
    [
      "invalid expectation",
      zonal({ expectedTraffic: { destinations: [{ name: "x", address: "a", port: 0 }] } }),
      WorkloadError,
      "expectedTraffic.destinations[0].port",
    ],
    ["capacity", zonal({ expectedTraffic: ldap(120_000) }), CapacityError, "ldap"],
  ];
  it.each(cases)("%s", (_label, args, cls, text) => {
    let thrown: unknown;
    try {
      plan(args);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(cls);
    expect((thrown as Error).message).toContain(text);
    expect((thrown as Error).message).toContain('"egress"');
  });
});

describe("capacity check at construction", () => {
  it("names destination, predicted peak, capacity and IPs needed, and the fix", () => {
    let message = "";
    try {
      plan(zonal({ expectedTraffic: ldap(120_000) }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/ldap \(203\.0\.113\.10:636\/tcp\)/);
    expect(message).toContain("120,000");
    expect(message).toMatch(/needs \d+ IPs/);
    expect(message).toContain("fix: set ipCount to");
  });

  it("warn mode logs instead of throwing; off mode skips the check", () => {
    const w: string[] = [];
    const p = plan(zonal({ expectedTraffic: ldap(120_000), capacityCheck: CapacityCheckMode.Warn }), w);
    expect(p.capacity.summary?.ok).toBe(false);
    expect(w.join()).toContain("ldap");
    const off = plan(zonal({ expectedTraffic: ldap(120_000), capacityCheck: CapacityCheckMode.Off }));
    expect(off.capacity.summary).toBeUndefined();
  });

  it("auto-sizing picks the fewest IPs the simulator says fit, and keys them 1..n", () => {
    const p = plan(zonal({ expectedTraffic: ldap(120_000), autoSizeIps: true, eipQuota: 8 }));
    const needed = p.capacity.report!.ipsNeeded;
    expect(p.eips.map((e) => e.key)).toEqual(Array.from({ length: needed }, (_, i) => String(i + 1)));
    expect(p.capacity.summary?.ok).toBe(true);
    expect(p.capacity.summary?.autoSized).toBe(true);
    // One fewer IP would not fit.
    expect(() => plan(zonal({ expectedTraffic: ldap(120_000), ipCount: needed - 1, eipQuota: 8 }))).toThrow(
      CapacityError,
    );
  });

  it("rate-based traffic is simulated: errors fail, auto-sizing adds IPs, the tag carries the simulated peak", () => {
    const expectedTraffic = {
      durationSeconds: 180,
      destinations: [{ name: "api", address: "203.0.113.5", port: 443 }],
      traffic: [{ to: "api", connectionsPerSecond: 600, holdSeconds: 60 }],
    };
    // Little's law: 600/s × (60 s hold + 60 s reuse hold-down) = 72,000 ports > 55,000 on one IP.
    expect(() => plan(zonal({ expectedTraffic }))).toThrow(/api \(203\.0\.113\.5:443\/tcp\) does not fit/);
    const p = plan(zonal({ expectedTraffic, autoSizeIps: true, eipQuota: 8 }));
    expect(p.eips.length).toBeGreaterThan(1);
    expect(p.capacity.report?.result?.destinations[0].portAllocationErrors).toBe(0);
    const peak = parseExpectationTags(p.gatewayTags).destinations[0].peakConnections!;
    expect(peak).toBeGreaterThan(55_000);
    expect(peak).toBeLessThanOrEqual(72_000 * 1.05);
  });

  it("hold distributions pass to the simulator's shape; holdSeconds and hold together are rejected", () => {
    const destinations = [{ name: "api", address: "203.0.113.5", port: 443 }];
    const hold = { distribution: HoldDistribution.Exponential, mean: 5 };
    const ok = plan(
      zonal({
        expectedTraffic: {
          durationSeconds: 60,
          destinations,
          traffic: [{ to: "api", connectionsPerSecond: 10, hold }],
        },
      }),
    );
    expect(ok.capacity.summary?.ok).toBe(true);
    expect(
      toExpectedTraffic({ destinations, traffic: [{ to: "api", connectionsPerSecond: 10, hold }] }).traffic,
    ).toEqual([{ to: "api", connectionsPerSecond: 10, hold: { distribution: "exponential", mean: 5 } }]);
    expect(() =>
      plan(
        zonal({
          expectedTraffic: {
            destinations,
            traffic: [{ to: "api", connectionsPerSecond: 10, hold, holdSeconds: 3 }],
          },
        }),
      ),
    ).toThrow(WorkloadError);
  });

  it("auto-sizing cannot go past 8 IPs: the check still fails", () => {
    expect(() => plan(zonal({ expectedTraffic: ldap(1_000_000), autoSizeIps: true, eipQuota: 8 }))).toThrow(
      CapacityError,
    );
  });

  it("puts the predicted peaks on the gateway tags in the expectation tag format", () => {
    const p = plan(zonal({ expectedTraffic: ldap(40_000), tags: { team: "net" } }));
    expect(p.gatewayTags.team).toBe("net");
    const parsed = parseExpectationTags(p.gatewayTags);
    expect(parsed.issues).toEqual([]);
    expect(parsed.destinations).toEqual([
      { name: "ldap", address: "203.0.113.10", port: 636, protocol: "tcp", peakConnections: 40_000 },
    ]);
  });

  it("leaves out destinations whose service has a gateway endpoint", () => {
    const expectedTraffic = {
      destinations: [
        {
          name: "s3",
          address: "52.216.0.1",
          port: 443,
          peakConnections: 900_000,
          service: GatewayEndpointService.S3,
        },
        { name: "api", address: "203.0.113.5", port: 443, peakConnections: 1_000 },
      ],
    };
    expect(() => plan(zonal({ expectedTraffic }))).toThrow(CapacityError);
    const p = plan(zonal({ expectedTraffic, excludedServices: [GatewayEndpointService.S3] }));
    expect(p.capacity.summary?.excluded).toEqual(["s3"]);
    expect(p.capacity.summary?.destinations.map((d) => d.name)).toEqual(["api"]);
    expect(Object.keys(p.gatewayTags)).toEqual(["natcap-peak-api"]);
  });

  it("property: a peak-only expectation passes exactly when the IP count reaches ipsNeeded", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500_000 }), fc.integer({ min: 1, max: 8 }), (peak, ips) => {
        const out = runCapacityCheck({
          prefix: "p",
          expected: ldap(peak),
          gateway: { cloud: "aws", ips },
          ipsSetting: { name: "ipCount", autoSize: "autoSizeIps" },
          mode: CapacityCheckMode.Warn,
          warn: () => {},
        });
        expect(out.summary!.ok).toBe(ips >= out.summary!.ipsNeeded);
      }),
      { numRuns: 60 },
    );
  });
});

describe("common helpers", () => {
  it("formatFinding puts field, value, rule and fix after the component prefix", () => {
    const [f] = checkAwsZonalIps(9);
    expect(formatFinding('AwsNatGateway "egress"', f)).toBe(
      `AwsNatGateway "egress": ipCount 9 exceeds the 8 IPv4 addresses a zonal NAT gateway can hold (AWS quota ${AWS.maxIpsPerZonalGateway.quotaCode}); fix: ${f.fix}`,
    );
  });

  it("applyFindings throws LimitError for limit findings and passes warnings on", () => {
    const w: string[] = [];
    applyFindings("p", checkAwsZonalIps(3), (m) => w.push(m));
    expect(w).toHaveLength(1);
    expect(() => applyFindings("p", checkAwsZonalIps(9), () => {})).toThrow(LimitError);
    expect(() => applyFindings("p", checkAwsZonalIps(0), () => {})).toThrow(ValidationError);
  });

  it("property: count keys only grow at the end, so existing keys keep their names", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (a, b) => {
        const ka = resolveKeys({ count: a, keysField: "k", countField: "c", defaultCount: 1 }).keys;
        const kb = resolveKeys({ count: b, keysField: "k", countField: "c", defaultCount: 1 }).keys;
        const [short, long] = a <= b ? [ka, kb] : [kb, ka];
        expect(long.slice(0, short.length)).toEqual(short);
      }),
    );
  });
});

describe("planAwsEgressNat", () => {
  const zone = (az: string, rtb: string) => ({
    availabilityZone: az,
    publicSubnetId: `subnet-${az}`,
    privateRouteTables: [{ key: "private", routeTableId: rtb }],
  });

  it("one gateway per zone, named by zone, with the zone's own route tables", () => {
    const p = planAwsEgressNat("egress", { vpcId: "vpc-1", zones: [zone("a", "rtb-a"), zone("b", "rtb-b")] });
    expect(p.gateways.map((g) => g.logicalName)).toEqual(["egress-a", "egress-b"]);
    expect(p.gateways[1].args.routeTables).toEqual([{ key: "private", routeTableId: "rtb-b" }]);
    expect(p.gateways[1].args.subnetId).toBe("subnet-b");
    expect(p.endpoints).toEqual([]);
  });

  it("endpoints exclude their services from each gateway's capacity check", () => {
    const p = planAwsEgressNat("egress", {
      vpcId: "vpc-1",
      zones: [zone("a", "rtb-a")],
      s3Endpoint: true,
      dynamodbEndpoint: true,
    });
    expect(p.endpoints.map((e) => e.logicalName)).toEqual(["egress-s3", "egress-dynamodb"]);
    expect(p.gateways[0].args.excludedServices).toEqual(["s3", "dynamodb"]);
  });

  it.each([
    ["no zones", { vpcId: "v", zones: [] }, "zones"],
    ["duplicate zone", { vpcId: "v", zones: [zone("a", "r1"), zone("a", "r2")] }, "appears twice"],
    [
      "shared route table",
      { vpcId: "v", zones: [zone("a", "r1"), zone("b", "r1")] },
      "also a route table of zone a",
    ],
    [
      "no route tables",
      { vpcId: "v", zones: [{ ...zone("a", "r"), privateRouteTables: [] }] },
      "privateRouteTables",
    ],
  ])("%s → ValidationError", (_l, args, text) => {
    expect(() => planAwsEgressNat("egress", args)).toThrow(ValidationError);
    expect(() => planAwsEgressNat("egress", args)).toThrow(text);
  });
});
