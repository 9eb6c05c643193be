/**
 * The regional part of the AWS NAT gateway plan: auto mode (AWS manages the IPs, up to 32 per zone;
 * the expectation is one zone's traffic) or manual mode (per-zone Elastic IPs keyed by zone and key,
 * at most 32 per zone, each zone checked against its own traffic: see ./regionalZones.ts).
 *
 * @module
 */
import { checkAwsRegionalZoneIps } from "../../core/checks-aws";
import type { FieldIssue } from "../../core/errors";
import { AWS } from "../../core/limits";
import { CapacityCheckMode, runCapacityCheck } from "../common/capacity";
import { applyFindings, failOnIssues } from "../common/findings";
import { keyIssues, resolveKeys } from "../common/keys";
import type { KindPlan, PlanContext } from "./context";
import type { ExistingAllocationPlan, RegionalZonePlan } from "./planTypes";
import {
  hasZoneExpectations,
  type ZoneExpectedTraffic,
  zoneExpectation,
  zoneExpectationArgs,
  zoneExpectationIssues,
} from "./regionalZones";
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
    // Auto mode: AWS adds IPs per zone (autoScalingIps) as one destination needs more ports, up to
    // 32 per zone. The expectation is one zone's traffic: report the IPs it needs, and fail when it
    // needs more than a zone can hold.
    const capacity = runCapacityCheck({
      ...ctx.capacity,
      prefix: `${prefix} (auto mode, per zone)`,
      gateway: {
        cloud: "aws",
        ips: perAz.value,
        maxIps: perAz.value,
        gatewayEndpoints: ctx.gatewayEndpoints,
        method: ctx.method,
      },
      autoSize: { min: 1, max: perAz.value },
      ipsSetting: { name: "the IPs AWS adds per zone", autoSize: "regionalZones (manual mode)" },
    });
    const needed = capacity.report?.ipsNeeded;
    if (needed !== undefined && ctx.capacity.mode !== CapacityCheckMode.Off) {
      // Above 32 the capacity check itself has already failed (or warned, in warn mode).
      warn(
        `${prefix}: in auto mode AWS adds IPs per zone as connections grow; the expected traffic of one zone needs ` +
          `${needed} IP${needed === 1 ? "" : "s"} per zone` +
          (needed > perAz.value
            ? `, more than the ${perAz.value} a regional NAT gateway holds per zone`
            : ""),
      );
    }
    return {
      ...noZonalIps,
      eips: [],
      existingAllocations: [],
      vpcId: args.vpcId,
      totalIps: 0,
      gatewayTags: capacity.tags,
      capacity: { ...capacity, ips: 0 },
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
    issues.push(
      ...r.issues,
      ...ipKeyIssues(existingKeys, r.keys, `regionalZones[${i}].existingIps`),
      ...zoneExpectationIssues(z, `regionalZones[${i}]`),
    );
    return { availabilityZone: z.availabilityZone, newKeys: r.keys, existingKeys };
  });
  if (zones.length === 0)
    issues.push({ path: "regionalZones", message: "is empty; omit it for auto mode or list the zones" });
  failOnIssues(prefix, issues);
  zones.forEach((z, i) => {
    const total = z.newKeys.length + z.existingKeys.length;
    applyFindings(
      prefix,
      checkAwsRegionalZoneIps(total, z.availabilityZone, `regionalZones[${i}].ipCount`),
      warn,
    );
  });
  const ipsOf = (z: RegionalZonePlan) => z.newKeys.length + z.existingKeys.length;
  const smallest = Math.min(...zones.map(ipsOf));
  const zoneArgs = args.regionalZones;
  // Without per-zone traffic every zone carries the whole expectation: checking the smallest zone
  // checks them all. With per-zone traffic each zone is checked against its own IPs.
  const checks = hasZoneExpectations(zoneArgs)
    ? zones.map((z, i) =>
        runCapacityCheck({
          ...ctx.capacity,
          prefix: `${prefix} zone ${z.availabilityZone}`,
          expected: zoneExpectation(args.expectedTraffic, zoneArgs[i]),
          gateway: {
            cloud: "aws",
            ips: ipsOf(z),
            maxIps: perAz.value,
            gatewayEndpoints: ctx.gatewayEndpoints,
            method: ctx.method,
          },
          // Manual mode does not auto-size; existing allocations are not counted by ipCount (or ipKeys).
          ipsSetting: {
            name:
              zoneArgs[i].ipKeys !== undefined
                ? `the number of regionalZones[${i}].ipKeys`
                : `regionalZones[${i}].ipCount`,
            notCounted: z.existingKeys.length,
          },
        }),
      )
    : [
        runCapacityCheck({
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
        }),
      ];
  const capacity = checks.find((c) => c.report && !c.report.ok) ?? checks[0];
  const zoneExpectedTraffic: ZoneExpectedTraffic[] = [];
  if (hasZoneExpectations(zoneArgs)) {
    zones.forEach((z, i) => {
      const expectedTraffic = zoneExpectationArgs(args.expectedTraffic, zoneArgs[i]);
      if (expectedTraffic)
        zoneExpectedTraffic.push({ availabilityZone: z.availabilityZone, expectedTraffic });
    });
  }
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
    ...(zoneExpectedTraffic.length > 0 ? { zoneExpectedTraffic } : {}),
    vpcId: args.vpcId,
    totalIps: smallest,
    gatewayTags: capacity.tags,
    capacity,
  };
}
