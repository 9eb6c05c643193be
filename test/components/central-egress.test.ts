/**
 * AwsCentralEgress under Pulumi's mocks: the Transit Gateway, its route tables, attachments,
 * associations and propagations, the VPC routes, one NAT gateway per zone; stable URNs when a spoke
 * or an IP is added; a refused component registers nothing; describeSpoke's checks.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AwsCentralEgress,
  type AwsCentralEgressArgs,
  type CentralEgressSpokeArgs,
  describeSpoke,
} from "../../components/aws";
import { CapacityError, ValidationError } from "../../core/errors";
import * as natcap from "../../index";
import { ofType, registered, T, useMocks, value } from "./aws-mocks";

const TGW = {
  gateway: "aws:ec2transitgateway/transitGateway:TransitGateway",
  table: "aws:ec2transitgateway/routeTable:RouteTable",
  attachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  association: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  propagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
  route: "aws:ec2transitgateway/route:Route",
} as const;

let warnings: string[] = [];
beforeEach(async () => {
  warnings = [];
  vi.spyOn(pulumi.log, "warn").mockImplementation(async (m: string) => {
    warnings.push(m);
  });
  await useMocks();
});
afterEach(() => vi.restoreAllMocks());

/** Registrations of one type, sorted by name (registration order is asynchronous). */
const sorted = (type: string) =>
  [...ofType(type)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** Every resource of the tree below `root` (the SDK keeps children on an internal field). */
function tree(root: pulumi.Resource): pulumi.Resource[] {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's internal child set
  const children: Set<pulumi.Resource> = (root as any).__childResources ?? new Set();
  return [root, ...[...children].flatMap(tree)];
}

/** Waits until the tree stops growing; returns its sorted URNs. */
async function settle(root: pulumi.Resource): Promise<string[]> {
  let count = -1;
  let urns: string[] = [];
  while (count !== tree(root).length) {
    count = tree(root).length;
    urns = (await Promise.all(tree(root).map((r) => value(r.urn)))) as string[];
    await new Promise((r) => setTimeout(r, 5));
  }
  return urns.sort();
}

const spoke = (key: string, peak: number): CentralEgressSpokeArgs => ({
  key,
  vpcId: `vpc-${key}`,
  cidrBlock: `10.${key.length}.0.0/16`,
  zones: ["a", "b"].map((z) => ({ availabilityZone: `us-east-1${z}`, subnetId: `subnet-${key}-${z}` })),
  routeTables: [{ key: "private", routeTableId: `rtb-${key}` }],
  expectedTraffic: {
    destinations: [{ name: "api", address: "203.0.113.10", port: 443, peakConnections: peak }],
  },
});

const args = (
  spokes: CentralEgressSpokeArgs[],
  extra: Partial<AwsCentralEgressArgs> = {},
): AwsCentralEgressArgs => ({
  vpcId: "vpc-egress",
  internetGatewayId: "igw-1",
  zones: ["a", "b"].map((z) => ({
    availabilityZone: `us-east-1${z}`,
    publicSubnetId: `subnet-pub-${z}`,
    publicRouteTableId: `rtb-pub-${z}`,
    attachmentSubnetId: `subnet-tgw-${z}`,
    attachmentRouteTableId: `rtb-tgw-${z}`,
  })),
  spokes,
  ...extra,
});

describe("AwsCentralEgress", () => {
  it("is natcap.aws.CentralEgress, with its own type token", async () => {
    expect(natcap.aws.CentralEgress).toBe(AwsCentralEgress);
    expect(natcap.AwsCentralEgress).toBe(AwsCentralEgress);
    const hub = new AwsCentralEgress("tok", args([spoke("app", 10)]));
    const urns = await settle(hub);
    expect(urns).toContain("urn:pulumi:dev::proj::natcap:index:AwsCentralEgress::tok");
  });

  it("builds the Transit Gateway plumbing and one NAT gateway per zone", async () => {
    const hub = new AwsCentralEgress("hub", args([spoke("app", 10), spoke("batch", 10)]));
    await settle(hub);
    const [tgw] = ofType(TGW.gateway);
    expect(tgw.inputs).toMatchObject({
      defaultRouteTableAssociation: "disable",
      defaultRouteTablePropagation: "disable",
    });
    expect(sorted(TGW.table).map((t) => t.name)).toEqual(["hub-egress", "hub-spokes"]);
    const attachments = sorted(TGW.attachment).map((a) => [
      a.name,
      a.inputs.vpcId,
      a.inputs.subnetIds,
      a.inputs.applianceModeSupport,
    ]);
    expect(attachments).toEqual([
      ["hub-egress", "vpc-egress", ["subnet-tgw-a", "subnet-tgw-b"], "disable"],
      ["hub-spoke-app", "vpc-app", ["subnet-app-a", "subnet-app-b"], undefined],
      ["hub-spoke-batch", "vpc-batch", ["subnet-batch-a", "subnet-batch-b"], undefined],
    ]);
    // Spokes are associated with the spokes' table and propagate into the egress table; the egress attachment is associated with the egress table.
    expect(
      sorted(TGW.association).map((a) => [
        a.inputs.transitGatewayAttachmentId,
        a.inputs.transitGatewayRouteTableId,
      ]),
    ).toEqual([
      ["hub-egress-id", "hub-egress-id"],
      ["hub-spoke-app-id", "hub-spokes-id"],
      ["hub-spoke-batch-id", "hub-spokes-id"],
    ]);
    expect(
      sorted(TGW.propagation).map((p) => [
        p.inputs.transitGatewayAttachmentId,
        p.inputs.transitGatewayRouteTableId,
      ]),
    ).toEqual([
      ["hub-spoke-app-id", "hub-egress-id"],
      ["hub-spoke-batch-id", "hub-egress-id"],
    ]);
    expect(
      sorted(TGW.route).map((r) => [
        r.inputs.destinationCidrBlock,
        r.inputs.transitGatewayAttachmentId ?? "blackhole",
      ]),
    ).toEqual([
      ["10.0.0.0/8", "blackhole"],
      ["172.16.0.0/12", "blackhole"],
      ["192.168.0.0/16", "blackhole"],
      ["0.0.0.0/0", "hub-egress-id"],
    ]);
    const vpcRoutes = ofType(T.route).map((r) => [
      r.inputs.routeTableId,
      r.inputs.destinationCidrBlock,
      r.inputs.transitGatewayId ?? r.inputs.natGatewayId ?? r.inputs.gatewayId,
    ]);
    expect(vpcRoutes).toEqual(
      expect.arrayContaining([
        ["rtb-app", "0.0.0.0/0", "hub-tgw-id"],
        ["rtb-pub-a", "10.3.0.0/16", "hub-tgw-id"],
        ["rtb-pub-b", "10.5.0.0/16", "hub-tgw-id"],
        ["rtb-pub-a", "0.0.0.0/0", "igw-1"],
        ["rtb-tgw-a", "0.0.0.0/0", "hub-us-east-1a-id"],
        ["rtb-tgw-b", "0.0.0.0/0", "hub-us-east-1b-id"],
      ]),
    );
    expect(vpcRoutes).toHaveLength(2 + 4 + 2 + 2);
    expect(sorted(T.nat).map((n) => [n.name, n.inputs.subnetId])).toEqual([
      ["hub-us-east-1a", "subnet-pub-a"],
      ["hub-us-east-1b", "subnet-pub-b"],
    ]);
    expect(await value(hub.natGatewayIds)).toEqual({
      "us-east-1a": "hub-us-east-1a-id",
      "us-east-1b": "hub-us-east-1b-id",
    });
    expect(await value(hub.spokeAttachmentIds)).toEqual({
      app: "hub-spoke-app-id",
      batch: "hub-spoke-batch-id",
    });
    expect(hub.capacity["us-east-1a"].destinations[0].predictedPeak).toBe(10);
    expect(hub.zoneTraffic[0].endpoints[0].spokes).toEqual(["app", "batch"]);
  });

  it("uses an existing Transit Gateway and turns appliance mode on", async () => {
    const hub = new AwsCentralEgress(
      "ex",
      args([spoke("app", 10)], { transitGatewayId: "tgw-0abc", applianceModeSupport: true }),
    );
    await settle(hub);
    expect(ofType(TGW.gateway)).toHaveLength(0);
    expect(ofType(TGW.table).map((t) => t.inputs.transitGatewayId)).toEqual(["tgw-0abc", "tgw-0abc"]);
    expect(ofType(TGW.attachment).find((a) => a.name === "ex-egress")?.inputs.applianceModeSupport).toBe(
      "enable",
    );
    expect(await value(hub.transitGatewayId)).toBe("tgw-0abc");
  });

  it("keeps every URN when a spoke or an IP is added", async () => {
    const before = await settle(new AwsCentralEgress("grow", args([spoke("app", 10)])));
    registered.length = 0;
    const grown = args([spoke("new", 10), spoke("app", 10)]);
    grown.zones[0].ipCount = 2;
    const after = await settle(new AwsCentralEgress("grow", grown));
    expect(after).toEqual(expect.arrayContaining(before));
    const added = after.filter((u) => !before.includes(u)).map((u) => u.split("::").pop());
    expect(added.sort()).toEqual(
      [
        "grow-spoke-new",
        "grow-spoke-new-assoc",
        "grow-spoke-new-prop",
        "grow-spoke-new-route-private",
        "grow-us-east-1a-to-new",
        "grow-us-east-1b-to-new",
        "grow-us-east-1a-eip-2",
        "grow-us-east-1a-eip-2",
      ].sort(),
    );
  });

  it("refuses a zone that cannot carry the spokes' combined traffic and registers nothing", async () => {
    const build = () =>
      new AwsCentralEgress(
        "full",
        args([spoke("app", 60_000), spoke("batch", 60_000), spoke("web", 60_000)]),
      );
    expect(build).toThrow(CapacityError);
    expect(build).toThrow(
      /zone us-east-1a: .*\n {2}endpoint 203\.0\.113\.10:443\/tcp from 3 spokes \(app, batch, web\)/,
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(registered).toEqual([]);
  });

  it("warns with capacityCheck warn, naming the spokes", async () => {
    const hub = new AwsCentralEgress(
      "warn",
      args([spoke("app", 60_000), spoke("batch", 60_000), spoke("web", 60_000)], { capacityCheck: "warn" }),
    );
    await settle(hub);
    expect(warnings.filter((w) => w.startsWith('AwsCentralEgress "warn"'))).toHaveLength(2);
    expect(hub.capacity["us-east-1b"].ok).toBe(false);
  });
});

describe("describeSpoke", () => {
  it("resolves a spoke's description to plain data for a stack output", async () => {
    const out = describeSpoke({ ...spoke("app", 10), vpcId: pulumi.output("vpc-app") });
    expect(await value(out)).toEqual(spoke("app", 10));
  });

  it("refuses a spoke whose shares do not add up, naming the field", () => {
    const bad = spoke("app", 10);
    bad.zones[0].trafficShare = 0.5;
    bad.zones[1].trafficShare = 0.2;
    expect(() => describeSpoke(bad)).toThrow(ValidationError);
    expect(() => describeSpoke(bad)).toThrow(
      /describeSpoke "app": zones\.trafficShare: the spoke's zone shares add up to 0\.7/,
    );
  });
});
