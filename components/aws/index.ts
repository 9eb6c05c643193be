/**
 * AWS NAT gateway components: {@link AwsNatGateway} (zonal public with up to 8 IPs, zonal private,
 * regional) and {@link AwsEgressNat} (one gateway per Availability Zone with gateway endpoints).
 * `NatGateway` and `EgressNat` are aliases for `aws.NatGateway` / `aws.EgressNat` style use.
 *
 * @module
 */
import { AwsEgressNat } from "./egressNat";
import { AwsNatGateway } from "./natGateway";

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
export { AWS_EGRESS_NAT, type AwsEgressNatPlan, planAwsEgressNat } from "./egressPlan";
export { PORT_ALLOCATION_METRIC } from "./natGateway";
export { AWS_NAT_GATEWAY, type AwsNatGatewayPlan, planAwsNatGateway } from "./plan";
export type { ZoneExpectedTraffic } from "./regionalZones";
export { AwsEgressNat, AwsNatGateway };

/** Alias of {@link AwsNatGateway}. */
export const NatGateway = AwsNatGateway;
/** Alias of {@link AwsNatGateway}. */
export type NatGateway = AwsNatGateway;
/** Alias of {@link AwsEgressNat}. */
export const EgressNat = AwsEgressNat;
/** Alias of {@link AwsEgressNat}. */
export type EgressNat = AwsEgressNat;
