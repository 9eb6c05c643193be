/**
 * The regional part of the AWS NAT gateway plan: auto mode (AWS manages the IPs) or manual mode
 * (per-zone Elastic IPs keyed by zone and key).
 *
 * @module
 */
import type { FieldIssue } from "../../core/errors";
import { AWS } from "../../core/limits";
import { CapacityCheckMode, runCapacityCheck } from "../common/capacity";
import { failOnIssues } from "../common/findings";
import { keyIssues, resolveKeys } from "../common/keys";
import type { KindPlan, PlanContext } from "./context";
import type { ExistingAllocationPlan, RegionalZonePlan } from "./planTypes";
import { ipKeyIssues } from "./rules";

const noZonalIps = {
  secondaryNewKeys: [],
  secondaryExistingKeys: [],
  associations: [],
  subnetAddressesNeeded: 0,
} as const;

/** Plans a regional gateway (auto or manual mode). */
export function planRegional(ctx: PlanContext): KindPlan {
  const { name, args, prefix, warn } = ctx;
  const perAz = AWS.regionalIpsPerAz;
  if (args.regionalZones === undefined) {
    // Auto mode: AWS picks and scales the IPs per zone, so capacity cannot be predicted from arguments.
    if (args.expectedTraffic !== undefined && args.capacityCheck !== CapacityCheckMode.Off)
      warn(
        `${prefix}: expectedTraffic is not checked for a regional NAT gateway in auto mode (AWS manages its IPs); ` +
          "give regionalZones (manual mode) to check capacity, or set capacityCheck off",
      );
    return {
      ...noZonalIps,
      eips: [],
      existingAllocations: [],
      vpcId: args.vpcId,
      totalIps: 0,
      gatewayTags: {},
      capacity: { ips: 0, tags: {} },
    };
  }
  const issues: FieldIssue[] = keyIssues(
    args.regionalZones.map((z) => z.availabilityZone),
    "regionalZones.availabilityZone",
  );
  const existingAllocations: ExistingAllocationPlan[] = [];
  const zones: RegionalZonePlan[] = args.regionalZones.map((z, i) => {
    const existingKeys = (z.existingIps ?? []).map((e) => e.key);
    for (const e of z.existingIps ?? [])
      existingAllocations.push({ key: e.key, zone: z.availabilityZone, allocationId: e.allocationId });
    const r = resolveKeys({
      keys: z.ipKeys,
      count: z.ipCount,
      keysField: `regionalZones[${i}].ipKeys`,
      countField: `regionalZones[${i}].ipCount`,
      defaultCount: existingKeys.length > 0 ? 0 : 1,
    });
    issues.push(...r.issues, ...ipKeyIssues(existingKeys, r.keys, `regionalZones[${i}].existingIps`));
    return { availabilityZone: z.availabilityZone, newKeys: r.keys, existingKeys };
  });
  if (zones.length === 0)
    issues.push({ path: "regionalZones", message: "is empty; omit it for auto mode or list the zones" });
  failOnIssues(prefix, issues);
  zones.forEach((z, i) => {
    const total = z.newKeys.length + z.existingKeys.length;
    if (total < 1)
      failOnIssues(prefix, [
        {
          path: `regionalZones[${i}]`,
          value: total,
          message: "has no IPs; give ipCount, ipKeys or existingIps",
        },
      ]);
    if (total > perAz.value)
      warn(
        `${prefix}: regionalZones[${i}] (${z.availabilityZone}) has ${total} IPs, above the ${perAz.value} per zone ` +
          `third-party write-ups report for regional NAT gateways (not confirmed on an AWS page); creation may fail`,
      );
  });
  const smallest = Math.min(...zones.map((z) => z.newKeys.length + z.existingKeys.length));
  const capacity = runCapacityCheck({
    ...ctx.capacity,
    gateway: {
      cloud: "aws",
      ips: smallest,
      maxIps: perAz.value,
      gatewayEndpoints: ctx.gatewayEndpoints,
      method: ctx.method,
    },
    // Capacity is per (zone, destination): every zone needs the count; no auto-sizing in manual mode.
    ipsSetting: {
      name: "the IPs of every zone in regionalZones (ipCount, ipKeys or existingIps)",
      current: `${smallest} in the smallest zone`,
    },
  });
  return {
    ...noZonalIps,
    eips: zones.flatMap((z) =>
      z.newKeys.map((key) => ({
        key,
        zone: z.availabilityZone,
        logicalName: `${name}-eip-${z.availabilityZone}-${key}`,
      })),
    ),
    existingAllocations,
    regionalZones: zones,
    vpcId: args.vpcId,
    totalIps: smallest,
    gatewayTags: capacity.tags,
    capacity,
  };
}
