/**
 * The pure plan of an {@link AwsNatGateway}: arguments in, a read-only plan out (which EIPs to
 * allocate under which stable names, how they attach, which routes, which tags, the capacity result
 * after any auto-sizing, the warnings), with every rule that can be checked before any cloud call.
 * No resources here. The kinds of gateway are planned in ./zonalPlan and ./regionalPlan.
 *
 * @module
 */

import { COMPONENT_CLASS } from "../../core/tokens";
import { CapacityCheckMode, CapacityMethod, type CapacitySummary } from "../common/capacity";
import { type ExpectedTrafficArgs, plainExpectation } from "../common/expectation";
import { failOnIssues, type Warn } from "../common/findings";
import { componentPrefix } from "../common/identity";
import { DEFAULT_PROTECT_IPS } from "../common/options";
import { AvailabilityMode, type AwsNatGatewayArgs, ConnectivityType } from "./args";
import type { PlanBase, PlanContext } from "./context";
import type { AwsNatGatewayPlan } from "./planTypes";
import { planRegional } from "./regionalPlan";
import { argumentIssues, enumArgumentIssues, planRoutes, quotaArgumentIssues, routeIssues } from "./rules";
import { planZonalPrivate, planZonalPublic } from "./zonalPlan";

export * from "./planTypes";
export { cidrKey } from "./rules";

/** Class name of the component (messages; the type token is `natcap:index:AwsNatGateway`). */
export const AWS_NAT_GATEWAY = COMPONENT_CLASS.awsNatGateway;

/** The expectation argument without the destinations the capacity check left out (and their traffic). */
function checkedExpectation(
  expected: ExpectedTrafficArgs | undefined,
  summary: CapacitySummary | undefined,
): ExpectedTrafficArgs | undefined {
  if (expected === undefined) return undefined;
  const excluded = new Set(summary?.excluded ?? []);
  return {
    ...expected,
    destinations: expected.destinations.filter((d) => !excluded.has(d.name)),
    ...(expected.traffic ? { traffic: expected.traffic.filter((t) => !excluded.has(t.to)) } : {}),
  };
}

/**
 * Plans an AWS NAT gateway. Throws ValidationError (argument problems), LimitError (cloud limits),
 * CapacityError (predicted port-allocation errors in error mode) or WorkloadError (invalid
 * expectedTraffic), each prefixed with `AwsNatGateway "<name>"`. Warnings are in the plan's
 * `warnings`; `warn`, when given, also receives each as it is found (so a caller sees those issued
 * before an error).
 */
export function planAwsNatGateway(name: string, args: AwsNatGatewayArgs, warn?: Warn): AwsNatGatewayPlan {
  const prefix = componentPrefix(AWS_NAT_GATEWAY, name);
  const warnings: string[] = [];
  const collect: Warn = (m) => {
    warnings.push(m);
    warn?.(m);
  };
  const conn = args.connectivityType ?? ConnectivityType.Public;
  const mode = args.availabilityMode ?? AvailabilityMode.Zonal;
  const enums = [...enumArgumentIssues(args), ...quotaArgumentIssues(args)];
  failOnIssues(prefix, [
    ...(enums.length > 0 ? enums : argumentIssues(args, conn, mode)),
    ...routeIssues(args),
  ]);
  const base: PlanBase = {
    prefix,
    connectivityType: conn,
    availabilityMode: mode,
    routes: planRoutes(name, args),
    routeTableIds: Object.fromEntries((args.routeTables ?? []).map((t) => [t.key, t.routeTableId])),
    alarm: args.portAllocationAlarm ?? true,
    alarmActions: args.alarmActions ?? [],
    tags: { ...(args.tags ?? {}) },
    protectIps: args.protectIps ?? DEFAULT_PROTECT_IPS,
    ...(args.eipQuota !== undefined ? { eipQuota: args.eipQuota } : {}),
    ...(args.privateIpQuota !== undefined ? { privateIpQuota: args.privateIpQuota } : {}),
  };
  const ctx: PlanContext = {
    name,
    args,
    prefix,
    capacity: {
      prefix,
      expected:
        args.expectedTraffic === undefined ? undefined : plainExpectation(prefix, args.expectedTraffic),
      mode: args.capacityCheck ?? CapacityCheckMode.Error,
      warn: collect,
    },
    gatewayEndpoints: args.excludedServices,
    method: args.capacityMethod ?? CapacityMethod.Auto,
    warn: collect,
  };
  const kind =
    mode === AvailabilityMode.Regional
      ? planRegional(ctx)
      : conn === ConnectivityType.Private
        ? planZonalPrivate(ctx)
        : planZonalPublic(ctx);
  return {
    ...base,
    ...kind,
    gatewayTags: { ...base.tags, ...kind.gatewayTags },
    expectedTraffic: checkedExpectation(args.expectedTraffic, kind.capacity.summary),
    warnings,
  };
}
