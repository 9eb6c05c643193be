/**
 * The pure plan of an {@link AwsEgressNat}: one {@link AwsNatGateway} per Availability Zone, each
 * routed from its own zone's private route tables, plus optional S3 and DynamoDB gateway endpoints on
 * every private route table (their traffic then skips the NAT gateways and the capacity check).
 *
 * @module
 */
import type { FieldIssue } from "../../sim/errors";
import { show } from "../../sim/errors";
import { CapacityCheckMode } from "../common/capacity";
import { GatewayEndpointService } from "../common/expectation";
import { componentPrefix, failOnIssues } from "../common/findings";
import { keyIssues } from "../common/keys";
import type { AwsEgressNatArgs, AwsNatGatewayArgs } from "./args";

/** Class name used in messages and the type token. */
export const AWS_EGRESS_NAT = "AwsEgressNat";

/** A gateway endpoint service natcap can add. */
export interface EndpointPlan {
  /** Service, as destinations name it in `service`. */
  service: GatewayEndpointService;
  /** Logical name: `<name>-<service>`. */
  name: string;
}

/** The plan of an AwsEgressNat. */
export interface AwsEgressNatPlan {
  /** Message prefix, e.g. `AwsEgressNat "egress"`. */
  prefix: string;
  /** One gateway per zone: its logical name (`<name>-<zone>`), zone and arguments. */
  gateways: { name: string; availabilityZone: string; args: AwsNatGatewayArgs }[];
  /** Gateway endpoints to add on every private route table. */
  endpoints: EndpointPlan[];
}

/**
 * Plans an AwsEgressNat. Throws ValidationError, prefixed `AwsEgressNat "<name>"`, for an empty or
 * repeated zone list, a route table given to two zones, or an unknown capacityCheck value.
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
  if (args.capacityCheck !== undefined && !Object.values(CapacityCheckMode).includes(args.capacityCheck))
    issues.push({
      path: "capacityCheck",
      value: args.capacityCheck,
      message: `${show(args.capacityCheck)} is not one of ${Object.values(CapacityCheckMode).join(", ")}`,
    });
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

  const endpoints: EndpointPlan[] = [];
  if (args.s3Endpoint) endpoints.push({ service: GatewayEndpointService.S3, name: `${name}-s3` });
  if (args.dynamodbEndpoint)
    endpoints.push({ service: GatewayEndpointService.DynamoDb, name: `${name}-dynamodb` });
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
      autoSizeIps: args.autoSizeIps,
      excludedServices: excludedServices.length > 0 ? excludedServices : undefined,
      tags: args.tags,
    };
    // Drop undefined fields: the gateway's checks treat a present field as "given".
    for (const k of Object.keys(gw) as (keyof AwsNatGatewayArgs)[]) if (gw[k] === undefined) delete gw[k];
    return { name: `${name}-${z.availabilityZone}`, availabilityZone: z.availabilityZone, args: gw };
  });
  return { prefix, gateways, endpoints };
}
