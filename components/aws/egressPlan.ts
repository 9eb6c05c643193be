/**
 * The pure plan of an {@link AwsEgressNat}: one {@link AwsNatGateway} per Availability Zone, each
 * routed from its own zone's private route tables, plus optional S3 and DynamoDB gateway endpoints on
 * every private route table (their traffic then skips the NAT gateways and the capacity check).
 *
 * @module
 */
import type * as pulumi from "@pulumi/pulumi";
import type { FieldIssue } from "../../core/errors";
import { COMPONENT_CLASS } from "../../core/tokens";
import { enumIssues } from "../common/argChecks";
import { CapacityCheckMode, CapacityMethod } from "../common/capacity";
import { GatewayEndpointService } from "../common/expectation";
import { failOnIssues } from "../common/findings";
import { componentPrefix } from "../common/identity";
import { keyIssues } from "../common/keys";
import type { AwsEgressNatArgs, AwsNatGatewayArgs } from "./args";
import { type AwsNatGatewayPlan, planAwsNatGateway } from "./plan";

/** Class name of the component (messages; the type token is `natcap:index:AwsEgressNat`). */
export const AWS_EGRESS_NAT = COMPONENT_CLASS.awsEgressNat;

/** A gateway endpoint service natcap can add. */
export interface EndpointPlan {
  /** Service, as destinations name it in `service`. */
  readonly service: GatewayEndpointService;
  /** Logical name: `<name>-<service>`. */
  readonly logicalName: string;
  /** Tags of the endpoint: the component's, and `Name`. */
  readonly tags: Readonly<Record<string, string>>;
}

/** One zone's gateway: an {@link AwsNatGateway} child. */
export interface EgressGatewayPlan {
  /** Logical name of the child component: `<name>-<zone>`. */
  readonly logicalName: string;
  /** Availability Zone. */
  readonly availabilityZone: string;
  /** The child's arguments. */
  readonly args: AwsNatGatewayArgs;
  /** The child's plan: planned here so that a refused gateway stops the component before it registers. */
  readonly plan: AwsNatGatewayPlan;
}

/** The plan of an AwsEgressNat. */
export interface AwsEgressNatPlan {
  /** Message prefix, e.g. `AwsEgressNat "egress"`. */
  readonly prefix: string;
  /** One gateway per zone. */
  readonly gateways: readonly EgressGatewayPlan[];
  /** Gateway endpoints to add on every private route table. */
  readonly endpoints: readonly EndpointPlan[];
  /** The VPC the endpoints attach to. */
  readonly vpcId: pulumi.Input<string>;
  /** Region for the endpoint service names; undefined: the provider's. */
  readonly region?: pulumi.Input<string>;
  /** Every zone's private route tables, for the endpoints. */
  readonly privateRouteTableIds: readonly pulumi.Input<string>[];
}

/**
 * Plans an AwsEgressNat and each zone's gateway. Throws ValidationError, prefixed
 * `AwsEgressNat "<name>"`, for an empty or repeated zone list, a route table given to two zones, or an
 * unknown capacityCheck value; and any error of a zone's gateway plan, prefixed with that gateway
 * (`AwsNatGateway "<name>-<zone>"`).
 */
export function planAwsEgressNat(name: string, args: AwsEgressNatArgs): AwsEgressNatPlan {
  const prefix = componentPrefix(AWS_EGRESS_NAT, name);
  const zones = args.zones ?? [];
  const issues: FieldIssue[] = keyIssues(
    zones.map((z) => z.availabilityZone),
    "zones.availabilityZone",
  );
  if (zones.length === 0)
    issues.push({ path: "zones", message: "is empty; give one entry per Availability Zone" });
  if (args.vpcId === undefined)
    issues.push({ path: "vpcId", message: "is required (the gateway endpoints attach to the VPC)" });
  issues.push(...enumIssues("capacityCheck", args.capacityCheck, CapacityCheckMode));
  issues.push(...enumIssues("capacityMethod", args.capacityMethod, CapacityMethod));
  // A route table routed to two zones' gateways would get two default routes: AWS rejects the second.
  const owner = new Map<string, string>();
  zones.forEach((z, i) => {
    if (!z.privateRouteTables || z.privateRouteTables.length === 0)
      issues.push({
        path: `zones[${i}].privateRouteTables`,
        message: "is empty; give the zone's private route tables (each routed to this zone's gateway)",
      });
    (z.privateRouteTables ?? []).forEach((t, j) => {
      if (typeof t.routeTableId !== "string") return; // unknown now: AWS reports a duplicate route at deploy
      const first = owner.get(t.routeTableId);
      if (first !== undefined && first !== z.availabilityZone)
        issues.push({
          path: `zones[${i}].privateRouteTables[${j}].routeTableId`,
          value: t.routeTableId,
          message: `is also a route table of zone ${first}; each private route table routes to its own zone's gateway`,
        });
      owner.set(t.routeTableId, z.availabilityZone);
    });
  });
  failOnIssues(prefix, issues);

  const services = [
    ...(args.s3Endpoint ? [GatewayEndpointService.S3] : []),
    ...(args.dynamodbEndpoint ? [GatewayEndpointService.DynamoDb] : []),
  ];
  const endpoints = services.map((service) => {
    const logicalName = `${name}-${service}`;
    return { service, logicalName, tags: { ...(args.tags ?? {}), Name: logicalName } };
  });
  const excludedServices = endpoints.map((e) => e.service);

  const gateways = zones.map((z) => {
    const keyed = z.ipKeys !== undefined || (z.existingIps?.length ?? 0) > 0;
    const gw: AwsNatGatewayArgs = {
      subnetId: z.publicSubnetId,
      subnetCidrBlock: z.publicSubnetCidrBlock,
      ipCount: z.ipCount ?? (keyed ? undefined : args.ipCount),
      ipKeys: z.ipKeys,
      existingIps: z.existingIps,
      protectIps: args.protectIps,
      eipQuota: args.eipQuota,
      routeTables: z.privateRouteTables,
      extraDestinationCidrBlocks: args.extraDestinationCidrBlocks,
      portAllocationAlarm: args.portAllocationAlarm,
      alarmActions: args.alarmActions,
      expectedTraffic: z.expectedTraffic ?? args.expectedTraffic,
      capacityCheck: args.capacityCheck,
      capacityMethod: args.capacityMethod,
      autoSizeIps: args.autoSizeIps,
      excludedServices: excludedServices.length > 0 ? excludedServices : undefined,
      tags: args.tags,
    };
    // Drop undefined fields: the gateway's checks treat a present field as "given".
    for (const k of Object.keys(gw) as (keyof AwsNatGatewayArgs)[]) if (gw[k] === undefined) delete gw[k];
    const logicalName = `${name}-${z.availabilityZone}`;
    return {
      logicalName,
      availabilityZone: z.availabilityZone,
      args: gw,
      plan: planAwsNatGateway(logicalName, gw),
    };
  });
  return {
    prefix,
    gateways,
    endpoints,
    vpcId: args.vpcId,
    region: args.region,
    privateRouteTableIds: zones.flatMap((z) => z.privateRouteTables.map((t) => t.routeTableId)),
  };
}
