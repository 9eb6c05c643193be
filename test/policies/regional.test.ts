import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AWS } from "../../core/limits";
import { type Pack, res, startPack, T, UNKNOWN, violations } from "./harness";

let pack: Pack;
beforeAll(async () => {
  pack = await startPack();
});
afterAll(async () => {
  await pack?.process.close();
});

const CAP = "nat-gateway-capacity";
const LIMIT = "aws-nat-gateway-ip-limit";
const perIp = AWS.connectionsPerIpPerDestination.value;
const perAz = AWS.regionalIpsPerAz.value;

const ldap = (peakConnections: number) => ({
  destinations: [{ name: "ldap", address: "203.0.113.10", port: 636, protocol: "tcp", peakConnections }],
});
const zone = (availabilityZone: string, n: number) => ({
  availabilityZone,
  allocationIds: Array(n).fill(UNKNOWN),
});
const regional = (zones: unknown, parent?: ReturnType<typeof res>) =>
  res(
    T.nat,
    "regional",
    { availabilityMode: "regional", vpcId: "vpc-1", availabilityZoneAddresses: zones },
    {},
    parent,
  );

describe("nat-gateway-capacity on regional gateways, per zone", () => {
  // 1.5 × what two IPs hold to one destination: needs a third IP in a zone carrying it all.
  const peak = Math.round(1.5 * 2 * perIp);

  it("checks each zone's addresses against the gateway's expectation and names the zone", async () => {
    const cfg = { [CAP]: { properties: { expectations: { regional: ldap(peak) } } } };
    const ds = violations(
      await pack.check([regional([zone("us-east-1a", 4), zone("us-east-1b", 2)])], cfg),
      CAP,
    );
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain('NAT gateway "regional" in us-east-1b');
  });

  it("uses a zone's own expectation (config key <name>/<zone>) before the gateway's", async () => {
    const cfg = {
      [CAP]: {
        properties: {
          expectations: { regional: ldap(peak), "regional/us-east-1b": ldap(Math.round(peak / 2)) },
        },
      },
    };
    const ds = violations(
      await pack.check([regional([zone("us-east-1a", 4), zone("us-east-1b", 2)])], cfg),
      CAP,
    );
    expect(ds).toEqual([]);
  });

  it("reads a natcap component's zoneExpectedTraffic", async () => {
    const component = res("natcap:index:AwsNatGateway", "egress", {
      expectedTraffic: ldap(peak),
      zoneExpectedTraffic: [
        { availabilityZone: "us-east-1a", expectedTraffic: ldap(Math.round(peak / 2)) },
        { availabilityZone: "us-east-1b", expectedTraffic: ldap(peak) },
      ],
    });
    const ds = violations(
      await pack.check([component, regional([zone("us-east-1a", 2), zone("us-east-1b", 2)], component)]),
      CAP,
    );
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("in us-east-1b");
    expect(ds[0].message).toContain("zone us-east-1b");
  });

  it(`auto mode: flags an expectation needing more than ${perAz} IPs in a zone`, async () => {
    const fits = { [CAP]: { properties: { expectations: { regional: ldap(10 * perIp) } } } };
    expect(violations(await pack.check([regional(undefined)], fits), CAP)).toEqual([]);
    const tooMuch = { [CAP]: { properties: { expectations: { regional: ldap((perAz + 2) * perIp) } } } };
    const ds = violations(await pack.check([regional(undefined)], tooMuch), CAP);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain(`more than the ${perAz}`);
  });
});

describe("aws-nat-gateway-ip-limit names the regional per-zone limit", () => {
  it(`blocks ${perAz + 1} addresses in one zone with the regional message`, async () => {
    const ds = violations(await pack.check([regional([zone("us-east-1a", perAz + 1)])]), LIMIT);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain(`the ${perAz} a regional NAT gateway holds per Availability Zone`);
  });
});

describe("aws-nat-gateway-ip-limit: every routed zone lists addresses (manual mode)", () => {
  /** A private subnet in `az` whose route table sends 0.0.0.0/0 to `gw`. */
  const routedSubnet = (az: string, gw: ReturnType<typeof res>) => {
    const subnet = res(T.subnet, `private-${az}`, {
      availabilityZone: az,
      cidrBlock: "10.0.0.0/24",
      vpcId: UNKNOWN,
    });
    const table = res("aws:ec2/routeTable:RouteTable", `private-${az}`, { vpcId: UNKNOWN });
    const assoc = res(
      "aws:ec2/routeTableAssociation:RouteTableAssociation",
      `private-${az}`,
      { subnetId: UNKNOWN, routeTableId: UNKNOWN },
      { subnetId: [subnet], routeTableId: [table] },
    );
    const route = res(
      "aws:ec2/route:Route",
      `default-${az}`,
      { routeTableId: UNKNOWN, natGatewayId: UNKNOWN, destinationCidrBlock: "0.0.0.0/0" },
      { routeTableId: [table], natGatewayId: [gw] },
    );
    return [subnet, table, assoc, route];
  };

  it("passes when every routed zone is listed and blocks a routed zone without addresses", async () => {
    const gw = regional([zone("us-east-1a", 2), zone("us-east-1b", 2)]);
    const both = [...routedSubnet("us-east-1a", gw), ...routedSubnet("us-east-1b", gw)];
    expect(violations(await pack.check([gw, ...both]), LIMIT)).toEqual([]);
    const onlyA = regional([zone("us-east-1a", 2)]);
    const ds = violations(
      await pack.check([onlyA, ...routedSubnet("us-east-1a", onlyA), ...routedSubnet("us-east-1c", onlyA)]),
      LIMIT,
    );
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain("private subnets in us-east-1c route to this regional NAT gateway");
  });

  it("leaves auto mode alone: AWS expands to every zone that routes to it", async () => {
    const gw = regional(undefined);
    expect(violations(await pack.check([gw, ...routedSubnet("us-east-1c", gw)]), LIMIT)).toEqual([]);
  });
});
