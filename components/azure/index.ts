/**
 * The Azure NAT gateway component and its pure parts (plan, subnet rules, alerts).
 *
 * @module
 */
export {
  CapacityCheckMode,
  CapacityMethod,
  type CapacitySummary,
  type DestinationSummary,
} from "../common/capacity";
export {
  CloseKind,
  type ExpectedDestinationArgs,
  type ExpectedStreamArgs,
  type ExpectedTrafficArgs,
  type HoldArgs,
  HoldDistribution,
  Protocol,
  type ScheduleStepArgs,
} from "../common/expectation";
export * from "./alerts";
export * from "./args";
export { aggregateHubTraffic, type HubSpokeArgs, type HubTraffic } from "./hub";
export { AzureNatGateway, AzureNatGateway as NatGateway } from "./natGateway";
export * from "./plan";
export * from "./registry";
export * from "./subnets";
