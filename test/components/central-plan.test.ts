/**
 * The pure plan of AwsCentralEgress: per-zone aggregation of the spokes' traffic (properties), the
 * per-zone capacity refusal naming the zone, the endpoint and the spokes, and the argument rules.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AwsCentralEgressArgs,
  aggregateZoneTraffic,
  CapacityCheckMode,
  type CentralEgressSpokeArgs,
  type ExpectedDestinationArgs,
  type ExpectedStreamArgs,
  planAwsNatGateway,
  planCentralEgress,
  type SpokeTraffic,
} from "../../components/aws";
import { CapacityError, ValidationError, WorkloadError } from "../../core/errors";

const API = { name: "api", address: "203.0.113.10", port: 443 };

/** A spoke attached in the given zones with a peak-only expectation to `API`. */
const spoke = (
  key: string,
  peak: number,
  zones = ["a", "b"],
  extra: Partial<CentralEgressSpokeArgs> = {},
) => ({
  key,
  vpcId: `vpc-${key}`,
  cidrBlock: "10.1.0.0/16",
  zones: zones.map((z) => ({ availabilityZone: z, subnetId: `subnet-${key}-${z}` })),
  routeTables: [{ key: "private", routeTableId: `rtb-${key}` }],
  expectedTraffic: { destinations: [{ ...API, peakConnections: peak }] },
  ...extra,
});

const egressZone = (z: string, ipCount?: number) => ({
  availabilityZone: z,
  publicSubnetId: `subnet-pub-${z}`,
  publicRouteTableId: `rtb-pub-${z}`,
  attachmentSubnetId: `subnet-tgw-${z}`,
  attachmentRouteTableId: `rtb-tgw-${z}`,
  ...(ipCount !== undefined ? { ipCount } : {}),
});

const args = (
  spokes: CentralEgressSpokeArgs[],
  extra: Partial<AwsCentralEgressArgs> = {},
): AwsCentralEgressArgs => ({
  vpcId: "vpc-egress",
  zones: [egressZone("a"), egressZone("b")],
  spokes,
  ...extra,
});

/** The total rate of a set of expectations' streams. */
const totalRate = (ex: readonly ({ traffic?: { connectionsPerSecond: number }[] } | undefined)[]) =>
  ex.reduce((a, e) => a + (e?.traffic ?? []).reduce((b, t) => b + t.connectionsPerSecond, 0), 0);

/** Random spokes: zones drawn from a..c, rate-based streams to a few shared endpoints. */
const spokesArb = fc
  .array(
    fc.record({
      zones: fc.subarray(["a", "b", "c"], { minLength: 1 }),
      rates: fc.array(
        fc.record({
          endpoint: fc.integer({ min: 0, max: 3 }),
          rate: fc.double({ min: 0.1, max: 500, noNaN: true }),
        }),
        {
          minLength: 1,
          maxLength: 4,
        },
      ),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((drawn) =>
    drawn.map(
      (d, i): SpokeTraffic<ExpectedDestinationArgs, ExpectedStreamArgs> => ({
        key: `s${i}`,
        zones: d.zones.map((z) => ({ availabilityZone: z })),
        expectedTraffic: {
          destinations: [...new Set(d.rates.map((r) => r.endpoint))].map((e) => ({
            name: `d${e}`,
            address: `198.51.100.${e + 1}`,
            port: 443,
          })),
          traffic: d.rates.map((r) => ({
            to: `d${r.endpoint}`,
            connectionsPerSecond: r.rate,
            holdSeconds: 5,
          })),
        },
      }),
    ),
  );

describe("aggregateZoneTraffic", () => {
  it("conserves the total rate across zones, with and without appliance mode", () => {
    fc.assert(
      fc.property(spokesArb, fc.boolean(), (spokes, appliance) => {
        const zones = aggregateZoneTraffic(spokes, ["a", "b", "c"], appliance);
        const total = totalRate(spokes.map((s) => s.expectedTraffic));
        expect(totalRate(zones.map((z) => z.expectedTraffic))).toBeCloseTo(total, 6);
      }),
    );
  });

  it("adding a spoke never lowers a zone's load", () => {
    fc.assert(
      fc.property(spokesArb, spokesArb, fc.boolean(), (spokes, more, appliance) => {
        const before = aggregateZoneTraffic(spokes, ["a", "b", "c"], appliance);
        const extra = more.map((s, i) => ({ ...s, key: `extra${i}` }));
        const after = aggregateZoneTraffic([...spokes, extra[0]], ["a", "b", "c"], appliance);
        before.forEach((z, i) => {
          expect(totalRate([after[i].expectedTraffic])).toBeGreaterThanOrEqual(
            totalRate([z.expectedTraffic]) - 1e-9,
          );
        });
      }),
    );
  });

  it("merges one endpoint reached from several spokes into one destination per zone", () => {
    fc.assert(
      fc.property(spokesArb, fc.boolean(), (spokes, appliance) => {
        for (const z of aggregateZoneTraffic(spokes, ["a", "b", "c"], appliance)) {
          const endpoints = (z.expectedTraffic?.destinations ?? []).map((d) => `${d.address}:${d.port}`);
          expect(new Set(endpoints).size).toBe(endpoints.length);
          const names = new Set(z.expectedTraffic?.destinations.map((d) => d.name));
          for (const t of z.expectedTraffic?.traffic ?? []) expect(names.has(t.to)).toBe(true);
        }
      }),
    );
  });

  it("sends a spoke's traffic only to its attachment zones without appliance mode, to every zone with it", () => {
    const s = spoke("app", 1000, ["a"]);
    const [a, b] = aggregateZoneTraffic([s], ["a", "b"], false);
    expect(a.expectedTraffic?.destinations[0].peakConnections).toBe(1000);
    expect(b.expectedTraffic).toBeUndefined();
    const hashed = aggregateZoneTraffic([s], ["a", "b"], true);
    expect(hashed.map((z) => z.expectedTraffic?.destinations[0].peakConnections)).toEqual([500, 500]);
  });

  it("sums peaks of one endpoint over spokes, by zone share, and names the spokes", () => {
    const zones = aggregateZoneTraffic(
      [
        spoke("app", 1000),
        spoke("batch", 3000, ["a", "b"], {
          zones: [
            { availabilityZone: "a", subnetId: "s1", trafficShare: 0.75 },
            { availabilityZone: "b", subnetId: "s2", trafficShare: 0.25 },
          ],
        }),
      ],
      ["a", "b"],
      false,
    );
    expect(zones[0].expectedTraffic?.destinations).toEqual([{ ...API, peakConnections: 500 + 2250 }]);
    expect(zones[1].expectedTraffic?.destinations).toEqual([{ ...API, peakConnections: 500 + 750 }]);
    expect(zones[0].endpoints).toEqual([
      { name: "api", endpoint: "203.0.113.10:443/tcp", spokes: ["app", "batch"] },
    ]);
  });

  it("keeps two different endpoints that share a name apart", () => {
    const other = spoke("web", 100, ["a"], {
      expectedTraffic: {
        destinations: [{ name: "api", address: "203.0.113.99", port: 443, peakConnections: 100 }],
      },
    });
    const [a] = aggregateZoneTraffic([spoke("app", 100, ["a"]), other], ["a"], false);
    expect(a.expectedTraffic?.destinations.map((d) => d.name)).toEqual(["api", "web-api"]);
  });
});

describe("planCentralEgress capacity", () => {
  // Three spokes of 60,000 connections to one endpoint, split over two zones: 30,000 each per zone.
  const three = [spoke("app", 60_000), spoke("batch", 60_000), spoke("web", 60_000)];

  it("each spoke fits alone, their sum to one endpoint does not fit one zone's NAT gateway", () => {
    expect(() => planCentralEgress("hub", args([three[0]]))).not.toThrow();
    const refuse = () => planCentralEgress("hub", args(three));
    expect(refuse).toThrow(CapacityError);
    expect(refuse).toThrow(/AwsCentralEgress "hub": zone a: /);
    expect(refuse).toThrow(/endpoint 203\.0\.113\.10:443\/tcp from 3 spokes \(app, batch, web\)/);
    expect(refuse).toThrow(
      /fix: in zone a, set zones\[0\]\.ipCount to \d+.*; or move some of these spokes to another egress VPC/,
    );
  });

  it("agrees with a single AwsNatGateway given the zone's merged expectation", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 120_000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 4 }),
        (peaks, ips) => {
          const spokes = peaks.map((p, i) => spoke(`s${i}`, p, ["a"]));
          const zoneArgs = args(spokes, {
            zones: [egressZone("a", ips)],
            capacityCheck: CapacityCheckMode.Warn,
          });
          const central = planCentralEgress("hub", zoneArgs);
          const single = planAwsNatGateway("single", {
            subnetId: "subnet-1",
            ipCount: ips,
            capacityCheck: CapacityCheckMode.Warn,
            expectedTraffic: {
              destinations: [{ ...API, peakConnections: peaks.reduce((a, b) => a + b, 0) }],
            },
          });
          expect(central.gateways[0].plan.capacity.summary?.ok).toBe(single.capacity.summary?.ok);
          expect(central.warnings.length > 0).toBe(!single.capacity.summary?.ok);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("warns instead with capacityCheck warn, and plans every zone", () => {
    const p = planCentralEgress("hub", args(three, { capacityCheck: CapacityCheckMode.Warn }));
    expect(p.warnings).toHaveLength(2);
    expect(p.warnings[1]).toMatch(/zone b: .*\n.*spokes \(app, batch, web\)/);
    expect(p.gateways.map((g) => g.logicalName)).toEqual(["hub-a", "hub-b"]);
  });

  it("fits with more IPs in each zone, or with auto-sizing", () => {
    expect(() => planCentralEgress("hub", args(three, { ipCount: 3 }))).not.toThrow();
    const auto = planCentralEgress("hub", args(three, { autoSizeIps: true }));
    expect(auto.gateways.every((g) => g.plan.totalIps >= 2)).toBe(true);
  });

  it("appliance mode spreads a one-zone spoke over every egress zone", () => {
    const heavy = [spoke("app", 80_000, ["a"])];
    expect(() => planCentralEgress("hub", args(heavy))).toThrow(/zone a: /);
    const p = planCentralEgress("hub", args(heavy, { applianceModeSupport: true }));
    expect(p.zoneTraffic.map((z) => z.expectedTraffic?.destinations[0].peakConnections)).toEqual([
      40_000, 40_000,
    ]);
  });
});

describe("planCentralEgress resources", () => {
  it("names every resource from keys: adding a spoke adds names and keeps the others", () => {
    const names = (p: ReturnType<typeof planCentralEgress>) => [
      p.newTransitGateway?.logicalName,
      p.egressAttachment.logicalName,
      ...p.spokes.flatMap((s) => [s.logicalName, ...s.routes.map((r) => r.logicalName)]),
      ...p.zones.flatMap((z) => z.spokeRoutes.map((r) => r.logicalName)),
      ...p.blackholes.map((b) => b.logicalName),
      ...p.gateways.map((g) => g.logicalName),
    ];
    const before = names(planCentralEgress("hub", args([spoke("app", 10)])));
    const after = names(planCentralEgress("hub", args([spoke("new", 10), spoke("app", 10)])));
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.filter((n) => !before.includes(n))).toEqual([
      "hub-spoke-new",
      "hub-spoke-new-route-private",
      "hub-a-to-new",
      "hub-b-to-new",
    ]);
  });

  it("routes the attachment subnets to their zone's NAT gateway and blackholes private ranges", () => {
    const p = planCentralEgress("hub", args([spoke("app", 10)], { internetGatewayId: "igw-1" }));
    expect(p.gateways[0].args.routeTables).toEqual([{ key: "attachment", routeTableId: "rtb-tgw-a" }]);
    expect(p.blackholes.map((b) => b.cidr)).toEqual(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
    expect(p.zones[1].internetRoute).toEqual({
      logicalName: "hub-b-internet",
      routeTableId: "rtb-pub-b",
      cidr: "0.0.0.0/0",
    });
    expect(p.spokes[0].tags["natcap-peak-api"]).toBe("203.0.113.10:443/tcp=10");
  });

  it("uses an existing Transit Gateway", () => {
    const p = planCentralEgress("hub", args([], { transitGatewayId: "tgw-1" }));
    expect(p.transitGatewayId).toBe("tgw-1");
    expect(p.newTransitGateway).toBeUndefined();
  });
});

describe("planCentralEgress argument rules", () => {
  const cases: [string, AwsCentralEgressArgs, RegExp][] = [
    [
      "a spoke zone the egress VPC lacks",
      args([spoke("app", 1, ["a", "c"])]),
      /spokes\[0\]\.zones\[1\]\.availabilityZone: the egress VPC has no zone "c"/,
    ],
    [
      "shares given for some zones",
      args([
        spoke("app", 1, [], {
          zones: [
            { availabilityZone: "a", subnetId: "s", trafficShare: 0.5 },
            { availabilityZone: "b", subnetId: "t" },
          ],
        }),
      ]),
      /gives trafficShare for 1 of its 2 zones/,
    ],
    [
      "shares not adding up to 1",
      args([
        spoke("app", 1, [], {
          zones: [
            { availabilityZone: "a", subnetId: "s", trafficShare: 0.5 },
            { availabilityZone: "b", subnetId: "t", trafficShare: 0.6 },
          ],
        }),
      ]),
      /add up to 1\.1, not 1/,
    ],
    [
      "a share of 0",
      args([spoke("app", 1, [], { zones: [{ availabilityZone: "a", subnetId: "s", trafficShare: 0 }] })]),
      /trafficShare: must be a number above 0/,
    ],
    ["two spokes with one key", args([spoke("app", 1), spoke("app", 2)]), /key "app" appears twice/],
    [
      "a bad CIDR",
      args([spoke("app", 1, ["a"], { cidrBlock: "10.1.0.0/33" })]),
      /spokes\[0\]\.cidrBlock: "10\.1\.0\.0\/33" is not an IPv4 CIDR block/,
    ],
    ["no zones", args([], { zones: [] }), /zones: is empty/],
    ["a spoke without zones", args([spoke("app", 1, [])]), /spokes\[0\]\.zones: is empty/],
    [
      "an ASN with an existing gateway",
      args([], { transitGatewayId: "tgw-1", amazonSideAsn: 64512 }),
      /amazonSideAsn/,
    ],
    [
      "an unknown capacityCheck",
      args([], { capacityCheck: "loud" as CapacityCheckMode }),
      /capacityCheck: "loud" is not one of/,
    ],
  ];
  for (const [what, a, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(() => planCentralEgress("hub", a)).toThrow(ValidationError);
      expect(() => planCentralEgress("hub", a)).toThrow(message);
    });
  }

  it("survives hostile shapes with an error naming the field", () => {
    const hostile: [unknown, RegExp][] = [
      [{ ...args([]), spokes: "many" }, /spokes: "many" is not a list of spoke VPCs/],
      [args([{ ...spoke("app", 1), zones: "a" as never }]), /spokes\[0\]\.zones: is empty/],
      [args([{ ...spoke("app", 1), key: "../x" }]), /not a valid key/],
      [args([spoke("app", 1, ["a"], { cidrBlock: "not a cidr" })]), /is not an IPv4 CIDR block/],
      [args([null as never]), /spokes\[0\]: null is not a spoke description/],
      [args([{ ...spoke("app", 1), zones: [null as never] }]), /not a valid key/],
      [{ ...args([]), zones: "a" }, /zones: is empty/],
      [
        { ...args([]), blackholeCidrBlocks: "10.0.0.0/8" },
        /blackholeCidrBlocks: "10.0.0.0\/8" is not a list of CIDR blocks/,
      ],
    ];
    for (const [a, message] of hostile) {
      expect(() => planCentralEgress("hub", a as AwsCentralEgressArgs)).toThrow(ValidationError);
      expect(() => planCentralEgress("hub", a as AwsCentralEgressArgs)).toThrow(message);
    }
    const { spokes: _none, ...noSpokes } = args([]);
    expect(planCentralEgress("hub", noSpokes as AwsCentralEgressArgs).spokes).toEqual([]);
    const bad = spoke("app", 1, ["a"], { expectedTraffic: { destinations: "x" as never } });
    expect(() => planCentralEgress("hub", args([bad]))).toThrow(WorkloadError);
  });

  it("names a bad field of a spoke's expectation in that spoke (WorkloadError)", () => {
    const bad = spoke("app", 1, ["a"], { expectedTraffic: { destinations: [{ ...API, port: 70_000 }] } });
    const plan = () => planCentralEgress("hub", args([spoke("ok", 1), bad]));
    expect(plan).toThrow(WorkloadError);
    expect(plan).toThrow(/spokes\[1\]\.expectedTraffic\.destinations\[0\]\.port/);
  });
});
