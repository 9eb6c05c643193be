/**
 * AWS NAT gateway components: {@link AwsNatGateway} (zonal public with up to 8 IPs, zonal private,
 * regional), {@link AwsEgressNat} (one gateway per Availability Zone with gateway endpoints) and
 * {@link AwsCentralEgress} (spoke VPCs behind a Transit Gateway and one egress VPC). `NatGateway`,
 * `EgressNat` and `CentralEgress` are aliases for `aws.NatGateway` style use.
 *
 * @module
 */
import { AwsCentralEgress, describeSpoke } from "./centralEgress";
import { AwsEgressNat } from "./egressNat";
import { AwsNatGateway } from "./natGateway";

export { aggregateZoneTraffic, type SpokeTraffic, spokeZoneShares } from "../../sim/workload/central-traffic";
export { CapacityCheckMode, CapacityMethod } from "../common/capacity";
export {
  CloseKind,
  type ExpectedDestinationArgs,
  type ExpectedStreamArgs,
  type ExpectedTrafficArgs,
  GatewayEndpointService,
  type HoldArgs,
  HoldDistribution,
  Protocol,
  type ScheduleStepArgs,
} from "../common/expectation";
export * from "./args";
export * from "./centralArgs";
export {
  AWS_CENTRAL_EGRESS,
  type AwsCentralEgressPlan,
  planCentralEgress,
  zoneCapacityMessage,
} from "./centralPlan";
export { DEFAULT_BLACKHOLE_CIDRS } from "./centralRules";
export { AWS_EGRESS_NAT, type AwsEgressNatPlan, planAwsEgressNat } from "./egressPlan";
export { PORT_ALLOCATION_METRIC } from "./natGateway";
export { AWS_NAT_GATEWAY, type AwsNatGatewayPlan, planAwsNatGateway } from "./plan";
export type { ZoneExpectedTraffic } from "./regionalZones";
export { AwsCentralEgress, AwsEgressNat, AwsNatGateway, describeSpoke };

/** Alias of {@link AwsNatGateway}. */
export const NatGateway = AwsNatGateway;
/** Alias of {@link AwsNatGateway}. */
export type NatGateway = AwsNatGateway;
/** Alias of {@link AwsEgressNat}. */
export const EgressNat = AwsEgressNat;
/** Alias of {@link AwsEgressNat}. */
export type EgressNat = AwsEgressNat;
/** Alias of {@link AwsCentralEgress}. */
export const CentralEgress = AwsCentralEgress;
/** Alias of {@link AwsCentralEgress}. */
export type CentralEgress = AwsCentralEgress;
