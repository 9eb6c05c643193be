/**
 * `AwsEgressNat` (`natcap:index:AwsEgressNat`): one NAT gateway per Availability Zone, each zone's
 * private route tables routed to its own zone's gateway (no cross-zone dependency, no cross-zone data
 * charge), and optional S3 and DynamoDB gateway endpoints on the same route tables so that traffic
 * skips NAT processing. Rules live in ./egressPlan; this file only creates resources.
 *
 * @module
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "../common/options";
import type { AwsEgressNatArgs } from "./args";
import { AWS_EGRESS_NAT, planAwsEgressNat } from "./egressPlan";
import { AwsNatGateway } from "./natGateway";

/** One NAT gateway per Availability Zone with per-zone routing and optional gateway endpoints. */
export class AwsEgressNat extends pulumi.ComponentResource {
  /** The gateways, by Availability Zone. */
  readonly gateways: Record<string, AwsNatGateway>;
  /** NAT gateway IDs, by Availability Zone. */
  readonly natGatewayIds: pulumi.Output<Record<string, string>>;
  /** Public IPs of every gateway, by Availability Zone. */
  readonly publicIps: pulumi.Output<Record<string, string[]>>;
  /** The gateway endpoints, by service (`s3`, `dynamodb`). */
  readonly endpoints: Record<string, aws.ec2.VpcEndpoint>;

  /** Creates the gateways and endpoints. Throws ValidationError and the gateways' errors before any child is registered. */
  constructor(name: string, args: AwsEgressNatArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planAwsEgressNat(name, args);
    super(`natcap:index:${AWS_EGRESS_NAT}`, name, {}, opts);

    this.gateways = {};
    for (const g of plan.gateways) {
      this.gateways[g.availabilityZone] = new AwsNatGateway(g.name, g.args, { parent: this });
    }

    this.endpoints = {};
    if (plan.endpoints.length > 0) {
      const region = args.region ?? aws.getRegionOutput({}, { parent: this }).region;
      const routeTableIds = args.zones.flatMap((z) => z.privateRouteTables.map((t) => t.routeTableId));
      for (const e of plan.endpoints) {
        this.endpoints[e.service] = new aws.ec2.VpcEndpoint(
          e.name,
          {
            vpcId: args.vpcId,
            serviceName: pulumi.interpolate`com.amazonaws.${region}.${e.service}`,
            vpcEndpointType: "Gateway",
            routeTableIds,
            tags: { ...(args.tags ?? {}), Name: e.name },
          },
          childOptions(this),
        );
      }
    }

    const zones = Object.keys(this.gateways);
    this.natGatewayIds = pulumi
      .all(zones.map((z) => this.gateways[z].natGatewayId))
      .apply((ids) => Object.fromEntries(zones.map((z, i) => [z, ids[i]])));
    this.publicIps = pulumi
      .all(zones.map((z) => this.gateways[z].publicIps))
      .apply((ips) => Object.fromEntries(zones.map((z, i) => [z, ips[i]])));
    this.registerOutputs({
      natGatewayIds: this.natGatewayIds,
      publicIps: this.publicIps,
      capacity: Object.fromEntries(zones.map((z) => [z, this.gateways[z].capacity])),
    });
  }
}
