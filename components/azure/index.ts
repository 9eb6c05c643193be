/**
 * The Azure NAT gateway component and its pure parts (plan, subnet rules, alerts).
 *
 * @module
 */
export { CapacityCheckMode, type CapacitySummary } from "../common/capacity";
export * from "./alerts";
export * from "./args";
export { AzureNatGateway, AzureNatGateway as NatGateway } from "./natGateway";
export * from "./plan";
export * from "./subnets";
