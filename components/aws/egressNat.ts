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
import type { CapacitySummary } from "../common/capacity";
import { typeToken } from "../common/identity";
import { childOptions } from "../common/options";
import { outputsOf } from "../common/outputs";
import type { AwsEgressNatArgs } from "./args";
import { AWS_EGRESS_NAT, planAwsEgressNat } from "./egressPlan";
import { AwsNatGateway } from "./natGateway";

/**
 * The child gateways, kept outside the class's properties: Pulumi's schema inference reads every
 * property as an output, and a component instance is not a type other languages can receive.
 */
const gatewaysOf = new WeakMap<AwsEgressNat, Record<string, AwsNatGateway>>();

/** The properties AwsEgressNat registers as outputs (the one list to extend with a new output). */
const AWS_EGRESS_NAT_OUTPUTS = [
  "natGatewayIds",
  "publicIps",
  "capacity",
] as const satisfies readonly (keyof AwsEgressNat)[];

/** One NAT gateway per Availability Zone with per-zone routing and optional gateway endpoints. */
export class AwsEgressNat extends pulumi.ComponentResource {
  /** NAT gateway IDs, by Availability Zone. */
  readonly natGatewayIds: pulumi.Output<Record<string, string>>;
  /** Public IPs of every gateway, by Availability Zone. */
  readonly publicIps: pulumi.Output<Record<string, string[]>>;
  /** The gateway endpoints, by service (`s3`, `dynamodb`). */
  readonly endpoints: Record<string, aws.ec2.VpcEndpoint>;
  /** Capacity check result of each zone's gateway, by Availability Zone (zones without a check are absent). */
  readonly capacity: Record<string, CapacitySummary>;

  /**
   * Creates the gateways and endpoints. Throws ValidationError and the gateways' errors (every zone's
   * gateway is planned first) before anything is registered.
   */
  constructor(name: string, args: AwsEgressNatArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planAwsEgressNat(name, args);
    super(typeToken(AWS_EGRESS_NAT), name, {}, opts);

    const gateways: Record<string, AwsNatGateway> = {};
    for (const g of plan.gateways) {
      gateways[g.availabilityZone] = new AwsNatGateway(g.logicalName, g.args, { parent: this });
    }
    gatewaysOf.set(this, gateways);

    this.endpoints = {};
    if (plan.endpoints.length > 0) {
      const region = plan.region ?? aws.getRegionOutput({}, { parent: this }).region;
      for (const e of plan.endpoints) {
        this.endpoints[e.service] = new aws.ec2.VpcEndpoint(
          e.logicalName,
          {
            vpcId: plan.vpcId,
            serviceName: pulumi.interpolate`com.amazonaws.${region}.${e.service}`,
            vpcEndpointType: "Gateway",
            routeTableIds: [...plan.privateRouteTableIds],
            tags: e.tags,
          },
          childOptions(this),
        );
      }
    }

    const zones = Object.keys(gateways);
    this.capacity = {};
    for (const z of zones) {
      const summary = gateways[z].capacity;
      if (summary) this.capacity[z] = summary;
    }
    this.natGatewayIds = pulumi
      .all(zones.map((z) => gateways[z].natGatewayId))
      .apply((ids) => Object.fromEntries(zones.map((z, i) => [z, ids[i]])));
    this.publicIps = pulumi
      .all(zones.map((z) => gateways[z].publicIps))
      .apply((ips) => Object.fromEntries(zones.map((z, i) => [z, ips[i]])));
    this.registerOutputs(outputsOf(this, AWS_EGRESS_NAT_OUTPUTS));
  }

  /** The NAT gateway components, by Availability Zone. */
  gateways(): Record<string, AwsNatGateway> {
    return { ...gatewaysOf.get(this) };
  }
}
