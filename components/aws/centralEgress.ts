/**
 * `AwsCentralEgress` (`natcap:index:AwsCentralEgress`): many spoke VPCs leave for the internet
 * through one egress VPC and a Transit Gateway, with one {@link AwsNatGateway} per zone sized from
 * every spoke's traffic in that zone. The rules live in ./centralPlan; this file only creates
 * resources. {@link describeSpoke} is what a spoke's own stack calls to hand its description over.
 *
 * @module
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WorkloadError } from "../../core/errors";
import { type CentralWhatIfPlan, type CentralZoneInput, planCentralWhatIf } from "../../sim/sizing/central";
import type { CapacitySummary } from "../common/capacity";
import { toExpectedTraffic } from "../common/expectation";
import { failOnIssues } from "../common/findings";
import { componentPrefix, typeToken } from "../common/identity";
import { childOptions } from "../common/options";
import { outputsOf } from "../common/outputs";
import type { AwsCentralEgressArgs, CentralEgressSpokeArgs, ZoneTraffic } from "./centralArgs";
import { AWS_CENTRAL_EGRESS, DEFAULT_ROUTE, planCentralEgress } from "./centralPlan";
import { centralEgressIssues, hasExpectationIssue } from "./centralRules";
import { AwsNatGateway } from "./natGateway";

/** Inputs of {@link AwsCentralEgress.whatIf}, kept outside the class's properties like the gateways. */
const whatIfInputsOf = new WeakMap<AwsCentralEgress, CentralZoneInput[]>();

/** The child gateways, kept outside the class's properties (schema inference reads every property as an output). */
const gatewaysOf = new WeakMap<AwsCentralEgress, Record<string, AwsNatGateway>>();

/** The properties AwsCentralEgress registers as outputs (the one list to extend with a new output). */
const AWS_CENTRAL_EGRESS_OUTPUTS = [
  "transitGatewayId",
  "egressAttachmentId",
  "spokeAttachmentIds",
  "natGatewayIds",
  "publicIps",
  "capacity",
  "zoneTraffic",
  "spokeCount",
] as const satisfies readonly (keyof AwsCentralEgress)[];

/** Centralised egress: an egress VPC with a NAT gateway per zone, spoke VPCs behind a Transit Gateway. */
export class AwsCentralEgress extends pulumi.ComponentResource {
  /** ID of the Transit Gateway (the new one, or the one given). */
  readonly transitGatewayId: pulumi.Output<string>;
  /** ID of the egress VPC's Transit Gateway attachment. */
  readonly egressAttachmentId: pulumi.Output<string>;
  /** IDs of the spokes' attachments, by spoke key. */
  readonly spokeAttachmentIds: pulumi.Output<Record<string, string>>;
  /** NAT gateway IDs, by Availability Zone. */
  readonly natGatewayIds: pulumi.Output<Record<string, string>>;
  /** Public IPs of each zone's NAT gateway, by Availability Zone. */
  readonly publicIps: pulumi.Output<Record<string, string[]>>;
  /** Capacity check of each zone's NAT gateway against the spokes' combined traffic, by zone. */
  readonly capacity: Record<string, CapacitySummary>;
  /** Each zone's combined expected traffic and the spokes that feed each endpoint there. */
  readonly zoneTraffic: ZoneTraffic[];
  /** Number of spoke VPCs attached. */
  readonly spokeCount: number;

  /**
   * Creates the Transit Gateway plumbing and the NAT gateways. Throws ValidationError, WorkloadError,
   * CapacityError (a zone that cannot carry the spokes' traffic) or a gateway's error, before
   * anything is registered.
   */
  constructor(name: string, args: AwsCentralEgressArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planCentralEgress(name, args);
    super(typeToken(AWS_CENTRAL_EGRESS), name, {}, opts);
    for (const m of plan.warnings) pulumi.log.warn(m, this);
    const child = childOptions(this);
    const tagged = (n: string) => ({ ...plan.tags, Name: n });

    const tgwId: pulumi.Input<string> =
      plan.transitGatewayId ??
      new aws.ec2transitgateway.TransitGateway(
        plan.newTransitGateway!.logicalName,
        {
          ...(plan.newTransitGateway?.amazonSideAsn !== undefined
            ? { amazonSideAsn: plan.newTransitGateway.amazonSideAsn }
            : {}),
          // Every attachment is associated and propagated explicitly, to the two route tables below.
          defaultRouteTableAssociation: "disable",
          defaultRouteTablePropagation: "disable",
          description: `${name}: centralised egress`,
          tags: tagged(plan.newTransitGateway!.logicalName),
        },
        child,
      ).id;
    const routeTable = (n: string) =>
      new aws.ec2transitgateway.RouteTable(n, { transitGatewayId: tgwId, tags: tagged(n) }, child);
    const spokesTable = routeTable(plan.routeTables.spokes);
    const egressTable = routeTable(plan.routeTables.egress);
    const attach = (
      n: string,
      vpcId: pulumi.Input<string>,
      subnetIds: readonly pulumi.Input<string>[],
      more = {},
    ) =>
      new aws.ec2transitgateway.VpcAttachment(
        n,
        {
          transitGatewayId: tgwId,
          vpcId,
          subnetIds: [...subnetIds],
          transitGatewayDefaultRouteTableAssociation: false,
          transitGatewayDefaultRouteTablePropagation: false,
          ...more,
        },
        child,
      );
    const e = plan.egressAttachment;
    const egress = attach(e.logicalName, e.vpcId, e.subnetIds, {
      applianceModeSupport: e.applianceModeSupport ? "enable" : "disable",
      tags: tagged(e.logicalName),
    });
    new aws.ec2transitgateway.RouteTableAssociation(
      `${e.logicalName}-assoc`,
      { transitGatewayAttachmentId: egress.id, transitGatewayRouteTableId: egressTable.id },
      child,
    );
    new aws.ec2transitgateway.Route(
      plan.spokesDefaultRoute,
      {
        destinationCidrBlock: DEFAULT_ROUTE,
        transitGatewayAttachmentId: egress.id,
        transitGatewayRouteTableId: spokesTable.id,
      },
      child,
    );
    for (const b of plan.blackholes)
      new aws.ec2transitgateway.Route(
        b.logicalName,
        { destinationCidrBlock: b.cidr, blackhole: true, transitGatewayRouteTableId: spokesTable.id },
        child,
      );

    const spokeIds: Record<string, pulumi.Output<string>> = {};
    for (const s of plan.spokes) {
      const a = attach(s.logicalName, s.vpcId, s.subnetIds, { tags: s.tags });
      spokeIds[s.key] = a.id;
      // Spokes send to the spokes' table (default route to the egress VPC); the egress table learns their CIDRs.
      new aws.ec2transitgateway.RouteTableAssociation(
        `${s.logicalName}-assoc`,
        { transitGatewayAttachmentId: a.id, transitGatewayRouteTableId: spokesTable.id },
        child,
      );
      new aws.ec2transitgateway.RouteTablePropagation(
        `${s.logicalName}-prop`,
        { transitGatewayAttachmentId: a.id, transitGatewayRouteTableId: egressTable.id },
        child,
      );
      // A VPC route to a Transit Gateway needs the VPC's attachment first.
      for (const r of s.routes)
        new aws.ec2.Route(
          r.logicalName,
          { routeTableId: r.routeTableId, destinationCidrBlock: r.cidr, transitGatewayId: tgwId },
          { parent: this, dependsOn: [a] },
        );
    }
    for (const z of plan.zones) {
      for (const r of z.spokeRoutes)
        new aws.ec2.Route(
          r.logicalName,
          { routeTableId: r.routeTableId, destinationCidrBlock: r.cidr, transitGatewayId: tgwId },
          { parent: this, dependsOn: [egress] },
        );
      if (z.internetRoute)
        new aws.ec2.Route(
          z.internetRoute.logicalName,
          {
            routeTableId: z.internetRoute.routeTableId,
            destinationCidrBlock: z.internetRoute.cidr,
            gatewayId: args.internetGatewayId,
          },
          child,
        );
    }

    const gateways: Record<string, AwsNatGateway> = {};
    for (const g of plan.gateways)
      gateways[g.availabilityZone] = new AwsNatGateway(g.logicalName, g.args, { parent: this });
    gatewaysOf.set(this, gateways);
    whatIfInputsOf.set(
      this,
      plan.gateways.map((g, i) => ({
        availabilityZone: g.availabilityZone,
        ips: g.plan.totalIps,
        endpoints: plan.zoneTraffic[i].endpoints,
        ...(g.plan.expectedTraffic ? { expected: toExpectedTraffic(g.plan.expectedTraffic) } : {}),
      })),
    );
    this.spokeCount = plan.spokes.length;

    const zones = Object.keys(gateways);
    this.capacity = {};
    for (const z of zones) {
      const summary = gateways[z].capacity;
      if (summary) this.capacity[z] = summary;
    }
    this.zoneTraffic = plan.zoneTraffic.map((z) => ({ ...z }));
    this.transitGatewayId = pulumi.output(tgwId);
    this.egressAttachmentId = egress.id;
    const keys = Object.keys(spokeIds);
    this.spokeAttachmentIds = pulumi
      .all(keys.map((k) => spokeIds[k]))
      .apply((ids) => Object.fromEntries(keys.map((k, i) => [k, ids[i]])));
    this.natGatewayIds = pulumi
      .all(zones.map((z) => gateways[z].natGatewayId))
      .apply((ids) => Object.fromEntries(zones.map((z, i) => [z, ids[i]])));
    this.publicIps = pulumi
      .all(zones.map((z) => gateways[z].publicIps))
      .apply((ips) => Object.fromEntries(zones.map((z, i) => [z, ips[i]])));
    this.registerOutputs(outputsOf(this, AWS_CENTRAL_EGRESS_OUTPUTS));
  }

  /** The NAT gateway components, by Availability Zone. */
  gateways(): Record<string, AwsNatGateway> {
    return { ...gatewaysOf.get(this) };
  }

  /**
   * The what-if of this design: each zone's IPs → expected errors, headroom and cost over the
   * spokes' combined traffic there, and the monthly cost with the Transit Gateway's attachments and
   * processing (sim/sizing/central.ts; render it with `renderCentralWhatIfTable` or `renderCentralHtml` of `natcap/sim`).
   */
  whatIf(gbPerMonth = 0, prices: Readonly<Record<string, number>> = {}): CentralWhatIfPlan {
    return planCentralWhatIf({
      zones: whatIfInputsOf.get(this) ?? [],
      spokes: this.spokeCount,
      gbPerMonth,
      prices,
    });
  }
}

/**
 * A spoke's description for the egress stack, checked now (keys, zones, shares, CIDR, expectation)
 * and resolved to plain data: export it from the spoke's stack, read it in the egress stack (e.g.
 * `(await stackRef.getOutputDetails("spoke")).value`) and pass it in `spokes`. The zones are checked
 * against the egress VPC's zones when the egress stack plans.
 */
export function describeSpoke(spoke: CentralEgressSpokeArgs): pulumi.Output<CentralEgressSpokeArgs> {
  // Appliance mode here: the egress VPC's zones are not known to the spoke's stack.
  const all = centralEgressIssues({
    vpcId: "egress",
    zones: [],
    spokes: [spoke],
    applianceModeSupport: true,
  });
  const issues = all
    .filter((i) => i.path.startsWith("spokes"))
    .map((i) => ({ ...i, path: i.path.replace(/^spokes\[0\]\./, "").replace(/^spokes\./, "") }));
  const prefix = componentPrefix("describeSpoke", String(spoke.key));
  if (hasExpectationIssue(all)) throw new WorkloadError(issues, prefix);
  failOnIssues(prefix, issues);
  return pulumi.output(spoke) as pulumi.Output<CentralEgressSpokeArgs>;
}
