/**
 * nat-gateway-capacity on centralised egress built from plain resources, through the pack's gRPC
 * interface: a Transit Gateway route 0.0.0.0/0 to the egress VPC's attachment, whose zones route to
 * NAT gateways; the spokes' natcap-peak-* tags aggregated per zone and endpoint; spoke zones with no
 * NAT gateway behind them; and agreement with the AwsCentralEgress component on the same spokes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CapacityCheckMode, planCentralEgress } from "../../components/aws";
import { type Pack, res, startPack, T, type TestResource, UNKNOWN, violations } from "./harness";

let pack: Pack;
beforeAll(async () => {
  pack = await startPack();
});
afterAll(async () => {
  await pack?.process.close();
});

const CAP = "nat-gateway-capacity";
const TGW = {
  route: "aws:ec2transitgateway/route:Route",
  table: "aws:ec2transitgateway/routeTable:RouteTable",
  association: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  attachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
};
const VPC = {
  route: "aws:ec2/route:Route",
  table: "aws:ec2/routeTable:RouteTable",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
};

interface Design {
  /** Egress zones and whether each has a NAT gateway behind its attachment subnet. */
  egress: { zone: string; nat: boolean; ips?: number }[];
  /** Spokes: zones, peak to the partner API, optional zone shares. */
  spokes: { name: string; zones: string[]; peak?: number; shares?: number[] }[];
  appliance?: boolean;
}

/** The plain resources of a centralised egress design (IDs unknown, as in a first preview). */
function stack(d: Design): TestResource[] {
  const out: TestResource[] = [];
  const add = (r: TestResource) => {
    out.push(r);
    return r;
  };
  const egressSubnets = d.egress.map((e) => {
    const subnet = add(res(T.subnet, `tgw-${e.zone}`, { availabilityZone: e.zone, id: UNKNOWN }));
    const table = add(res(VPC.table, `rt-tgw-${e.zone}`, { vpcId: UNKNOWN }));
    add(
      res(
        VPC.association,
        `rt-tgw-${e.zone}`,
        { subnetId: UNKNOWN, routeTableId: UNKNOWN },
        { subnetId: [subnet], routeTableId: [table] },
      ),
    );
    if (e.nat) {
      const eips = Array.from({ length: (e.ips ?? 1) - 1 }, () => UNKNOWN);
      const nat = add(
        res(T.nat, `nat-${e.zone}`, {
          subnetId: UNKNOWN,
          allocationId: UNKNOWN,
          secondaryAllocationIds: eips,
          connectivityType: "public",
        }),
      );
      add(
        res(
          VPC.route,
          `rt-tgw-${e.zone}-default`,
          { routeTableId: UNKNOWN, destinationCidrBlock: "0.0.0.0/0", natGatewayId: UNKNOWN },
          { routeTableId: [table], natGatewayId: [nat] },
        ),
      );
    }
    return subnet;
  });
  const egress = add(
    res(
      TGW.attachment,
      "egress",
      {
        subnetIds: egressSubnets.map(() => UNKNOWN),
        vpcId: "vpc-egress",
        transitGatewayId: UNKNOWN,
        applianceModeSupport: d.appliance ? "enable" : "disable",
      },
      { subnetIds: egressSubnets },
    ),
  );
  const spokesTable = add(res(TGW.table, "spokes", { transitGatewayId: UNKNOWN }));
  add(
    res(
      TGW.route,
      "spokes-default",
      {
        destinationCidrBlock: "0.0.0.0/0",
        transitGatewayAttachmentId: UNKNOWN,
        transitGatewayRouteTableId: UNKNOWN,
      },
      { transitGatewayAttachmentId: [egress], transitGatewayRouteTableId: [spokesTable] },
    ),
  );
  add(
    res(
      TGW.route,
      "spokes-blackhole",
      { destinationCidrBlock: "10.0.0.0/8", blackhole: true, transitGatewayRouteTableId: UNKNOWN },
      { transitGatewayRouteTableId: [spokesTable] },
    ),
  );
  for (const s of d.spokes) {
    const subnets = s.zones.map((z) => add(res(T.subnet, `${s.name}-tgw-${z}`, { availabilityZone: z })));
    const tags: Record<string, string> = {};
    if (s.peak !== undefined) tags["natcap-peak-partner-api"] = `203.0.113.10:443/tcp=${s.peak}`;
    s.shares?.forEach((share, i) => {
      tags[`natcap-zone-share-${s.zones[i]}`] = String(share);
    });
    const a = add(
      res(
        TGW.attachment,
        s.name,
        { subnetIds: subnets.map(() => UNKNOWN), vpcId: `vpc-${s.name}`, transitGatewayId: UNKNOWN, tags },
        { subnetIds: subnets },
      ),
    );
    add(
      res(
        TGW.association,
        `${s.name}-assoc`,
        { transitGatewayAttachmentId: UNKNOWN, transitGatewayRouteTableId: UNKNOWN },
        { transitGatewayAttachmentId: [a], transitGatewayRouteTableId: [spokesTable] },
      ),
    );
  }
  return out;
}

const two = (nat = true) => [
  { zone: "us-east-1a", nat },
  { zone: "us-east-1b", nat },
];
const three = (peak: number, shares?: number[]) =>
  ["payments", "orders", "search"].map((name) => ({
    name,
    zones: ["us-east-1a", "us-east-1b"],
    peak,
    shares,
  }));

describe("nat-gateway-capacity on centralised egress from plain resources", () => {
  it("passes spokes whose combined traffic fits each zone", async () => {
    const ds = await pack.check(stack({ egress: two(), spokes: three(10_000) }));
    expect(violations(ds, CAP)).toEqual([]);
  });

  it("checks each zone's NAT gateway against every spoke's share of one endpoint, naming the spokes", async () => {
    // Each spoke alone fits (60,000 split over two zones); their 90,000 per zone does not fit one IP.
    const alone = await pack.check(stack({ egress: two(), spokes: three(60_000).slice(0, 1) }));
    expect(violations(alone, CAP)).toEqual([]);
    const ds = violations(await pack.check(stack({ egress: two(), spokes: three(60_000) })), CAP);
    expect(ds).toHaveLength(2);
    expect(ds[0].message).toMatch(/NAT gateway "nat-us-east-1[ab]"/);
    expect(ds[0].message).toContain("203.0.113.10:443/tcp from payments, orders, search");
    expect(ds[0].message).toContain("expected peak 90,000 connections");
  });

  it("reads zone shares from natcap-zone-share-<zone> tags: only the busier zone fails", async () => {
    const ds = violations(
      await pack.check(stack({ egress: two(), spokes: three(40_000, [0.75, 0.25]) })),
      CAP,
    );
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain('NAT gateway "nat-us-east-1a"');
  });

  it("with appliance mode spreads a one-zone spoke over every egress zone", async () => {
    const heavy = [{ name: "batch", zones: ["us-east-1a"], peak: 80_000 }];
    expect(violations(await pack.check(stack({ egress: two(), spokes: heavy })), CAP)).toHaveLength(1);
    expect(
      violations(await pack.check(stack({ egress: two(), spokes: heavy, appliance: true })), CAP),
    ).toEqual([]);
  });

  it("reports a spoke zone with no NAT gateway behind it", async () => {
    const spokes = [{ name: "web", zones: ["us-east-1a", "us-east-1c"], peak: 100 }];
    const ds = violations(
      await pack.check(
        stack({
          egress: [
            { zone: "us-east-1a", nat: true },
            { zone: "us-east-1b", nat: false },
          ],
          spokes: [...spokes, { name: "app", zones: ["us-east-1b"], peak: 100 }],
        }),
      ),
      CAP,
    );
    const text = ds.map((d) => d.message).join("\n");
    expect(text).toContain(
      'Transit Gateway attachment "web": its traffic leaves for the internet through zone us-east-1c',
    );
    expect(text).toContain("the egress VPC has no attachment subnet there");
    expect(text).toContain(
      'Transit Gateway attachment "app": its traffic leaves for the internet through zone us-east-1b',
    );
    expect(text).toContain("sends 0.0.0.0/0 to no NAT gateway");
  });

  it("reports a malformed spoke tag", async () => {
    const s = stack({
      egress: two(),
      spokes: [{ name: "app", zones: ["us-east-1a"], peak: 10, shares: [2] }],
    });
    const ds = violations(await pack.check(s), CAP);
    expect(ds.map((d) => d.message).join("\n")).toMatch(
      /malformed spoke tag: tag natcap-zone-share-us-east-1a="2"/,
    );
  });

  it("agrees with the AwsCentralEgress component on the same spokes (one verdict per zone on both surfaces)", async () => {
    const cases: { peak: number; ips: number; shares?: number[] }[] = [
      { peak: 30_000, ips: 1 },
      { peak: 60_000, ips: 1 },
      { peak: 60_000, ips: 2 },
      { peak: 60_000, ips: 2, shares: [0.7, 0.3] },
      { peak: 90_000, ips: 3, shares: [0.9, 0.1] },
    ];
    for (const c of cases) {
      const plan = planCentralEgress("hub", {
        vpcId: "vpc-egress",
        ipCount: c.ips,
        eipQuota: 8,
        capacityCheck: CapacityCheckMode.Warn,
        zones: ["us-east-1a", "us-east-1b"].map((z) => ({
          availabilityZone: z,
          publicSubnetId: "p",
          publicRouteTableId: "r",
          attachmentSubnetId: "t",
          attachmentRouteTableId: "u",
        })),
        spokes: three(c.peak, c.shares).map((s) => ({
          key: s.name,
          vpcId: "v",
          cidrBlock: "10.1.0.0/16",
          zones: s.zones.map((z, i) => ({
            availabilityZone: z,
            subnetId: "s",
            ...(c.shares ? { trafficShare: c.shares[i] } : {}),
          })),
          expectedTraffic: {
            destinations: [
              { name: "partner-api", address: "203.0.113.10", port: 443, peakConnections: c.peak },
            ],
          },
        })),
      });
      const egress = ["us-east-1a", "us-east-1b"].map((zone) => ({ zone, nat: true, ips: c.ips }));
      const ds = violations(await pack.check(stack({ egress, spokes: three(c.peak, c.shares) })), CAP);
      const failing = plan.gateways
        .filter((g) => !g.plan.capacity.summary?.ok)
        .map((g) => `nat-${g.availabilityZone}`);
      expect(ds.map((d) => /NAT gateway "([^"]+)"/.exec(d.message)?.[1]).sort(), JSON.stringify(c)).toEqual(
        failing.sort(),
      );
    }
  });
});
