/**
 * What the zonal and regional planners of an {@link AwsNatGateway} share: the plan fields every kind
 * of gateway has, the capacity-check settings, and the part of the plan each kind decides.
 *
 * @module
 */
import type { CapacityCheckRequest } from "../common/capacity";
import type { Warn } from "../common/findings";
import type { AwsNatGatewayArgs } from "./args";
import type { AwsNatGatewayPlan } from "./planTypes";

/** Plan fields decided before the kind of gateway matters. */
export type PlanBase = Pick<
  AwsNatGatewayPlan,
  | "prefix"
  | "connectivityType"
  | "availabilityMode"
  | "routes"
  | "routeTableIds"
  | "alarm"
  | "alarmActions"
  | "tags"
  | "protectIps"
  | "eipQuota"
  | "privateIpQuota"
>;

/** The plan fields a kind of gateway decides (the rest is {@link PlanBase}, the checked expectation and the warnings). */
export type KindPlan = Omit<AwsNatGatewayPlan, keyof PlanBase | "expectedTraffic" | "warnings">;

/** Everything a kind planner needs. */
export interface PlanContext {
  /** The component's name (logical names derive from it). */
  readonly name: string;
  /** The arguments. */
  readonly args: AwsNatGatewayArgs;
  /** Message prefix, e.g. `AwsNatGateway "egress"`. */
  readonly prefix: string;
  /** Capacity-check settings every kind uses; each adds its gateway model and argument names. */
  readonly capacity: Pick<CapacityCheckRequest, "prefix" | "expected" | "mode" | "warn">;
  /** Gateway-endpoint services whose destinations the capacity check leaves out. */
  readonly gatewayEndpoints: CapacityCheckRequest["gateway"]["gatewayEndpoints"];
  /** How the capacity check predicts errors (the gateway model's `method`). */
  readonly method: CapacityCheckRequest["gateway"]["method"];
  /** Where warnings go (collected into the plan). */
  readonly warn: Warn;
}
