/**
 * The regional part of the AWS NAT gateway plan: auto mode (AWS manages the IPs) or manual mode
 * (per-zone Elastic IPs keyed by zone and key).
 *
 * @module
 */
import type { FieldIssue } from "../../sim/errors";
import { show } from "../../sim/errors";
import { AWS } from "../../sim/limits";
import { CapacityCheckMode, runCapacityCheck } from "../common/capacity";
import { failOnIssues, type Warn } from "../common/findings";
import { keyIssues, resolveKeys } from "../common/keys";
import type { AwsNatGatewayArgs } from "./args";
import type { AwsNatGatewayPlan, RegionalZonePlan } from "./plan";

/** Keys of existing IPs: valid, unique, and not also a key of a new EIP (both name `<name>-eip-<key>`). */
export function ipKeyIssues(existingKeys: string[], newKeys: string[], field: string): FieldIssue[] {
  const issues = keyIssues(existingKeys, `${field}.key`);
  existingKeys.forEach((k, i) => {
    if (newKeys.includes(k))
      issues.push({
        path: `${field}[${i}].key`,
        value: k,
        message: `key ${show(k)} is also a key of a new EIP (ipKeys or ipCount keys 1…n); keys name resources and must be unique`,
      });
  });
  return issues;
}

/** Plan fields shared by every kind of gateway. */
export type Base = Pick<
  AwsNatGatewayPlan,
  "prefix" | "connectivityType" | "availabilityMode" | "routes" | "alarm" | "tags"
>;
/** Capacity-check fields shared by every kind of gateway. */
export type CapacityBase = Pick<
  Parameters<typeof runCapacityCheck>[0],
  "prefix" | "expected" | "mode" | "excludeServices" | "warn"
>;

/** Plans a regional gateway (auto or manual mode). */
export function planRegional(
  name: string,
  args: AwsNatGatewayArgs,
  warn: Warn,
  base: Base,
  capacityBase: CapacityBase,
): AwsNatGatewayPlan {
  const prefix = base.prefix;
  const perAz = AWS.regionalIpsPerAz;
  const empty = { secondaryNewKeys: [], secondaryExistingKeys: [], subnetAddressesNeeded: 0 };
  if (args.regionalZones === undefined) {
    // Auto mode: AWS picks and scales the IPs per zone, so capacity cannot be predicted from arguments.
    if (args.expectedTraffic !== undefined && args.capacityCheck !== CapacityCheckMode.Off)
      warn(
        `${prefix}: expectedTraffic is not checked for a regional NAT gateway in auto mode (AWS manages its IPs); ` +
          "give regionalZones (manual mode) to check capacity, or set capacityCheck off",
      );
    return {
      ...base,
      ...empty,
      eips: [],
      totalIps: 0,
      gatewayTags: { ...base.tags },
      capacity: { ips: 0, tags: {} },
    };
  }
  const issues: FieldIssue[] = keyIssues(
    args.regionalZones.map((z) => z.availabilityZone),
    "regionalZones.availabilityZone",
  );
  const zones: RegionalZonePlan[] = args.regionalZones.map((z, i) => {
    const existingKeys = (z.existingIps ?? []).map((e) => e.key);
    const existingCount = existingKeys.length;
    const r = resolveKeys({
      keys: z.ipKeys,
      count: z.ipCount,
      keysField: `regionalZones[${i}].ipKeys`,
      countField: `regionalZones[${i}].ipCount`,
      defaultCount: existingCount > 0 ? 0 : 1,
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
    ...capacityBase,
    gateway: { cloud: "aws", ips: smallest, maxIps: perAz.value },
    ipsArgument: "the IPs of the smallest zone in regionalZones",
    autoSizeArgument: "per-zone ipCount",
  });
  return {
    ...base,
    ...empty,
    eips: zones.flatMap((z) =>
      z.newKeys.map((key) => ({
        key,
        zone: z.availabilityZone,
        name: `${name}-eip-${z.availabilityZone}-${key}`,
      })),
    ),
    regionalZones: zones,
    totalIps: smallest,
    gatewayTags: { ...base.tags, ...capacity.tags },
    capacity,
  };
}
