/**
 * The zonal part of the AWS NAT gateway plan: a private gateway (secondary private IPs in its
 * subnet) or a public one (new Elastic IPs keyed by stable keys, plus existing allocations), each
 * sized from the expectation when asked.
 *
 * @module
 */
import { checkAwsPrivateIps, checkAwsZonalIps, type Finding } from "../../core/checks";
import { AWS } from "../../core/limits";
import { runCapacityCheck } from "../common/capacity";
import { applyFindings, failOnIssues } from "../common/findings";
import { countKeys, resolveKeys } from "../common/keys";
import type { KindPlan, PlanContext } from "./context";
import type { PrimaryPlan, SubnetPlan } from "./planTypes";
import { ipKeyIssues } from "./rules";

/** Only the error findings (the warnings are reported once, on the final count). */
const errorsOnly = (findings: Finding[]) => findings.filter((f) => f.severity === "error");

function subnetOf(ctx: PlanContext): SubnetPlan | undefined {
  const { subnetId, subnetCidrBlock, subnetAddressesInUse } = ctx.args;
  if (subnetId === undefined) return undefined;
  return { id: subnetId, cidrBlock: subnetCidrBlock, addressesInUse: subnetAddressesInUse ?? 0 };
}

const noEips = { eips: [], secondaryNewKeys: [], secondaryExistingKeys: [], associations: [] } as const;

/** Plans a zonal private gateway: its secondary private IP count or list. */
export function planZonalPrivate(ctx: PlanContext): KindPlan {
  const { args, prefix, warn } = ctx;
  const listed = args.secondaryPrivateIpAddresses?.length;
  const requested = listed ?? args.secondaryPrivateIpAddressCount ?? 0;
  const quota = args.privateIpQuota ?? AWS.privateIpsPerGatewayQuota.value;
  const field = listed !== undefined ? "secondaryPrivateIpAddresses" : "secondaryPrivateIpAddressCount";
  applyFindings(prefix, errorsOnly(checkAwsPrivateIps(requested, quota, field)), warn);
  const capacity = runCapacityCheck({
    ...ctx.capacity,
    gateway: {
      cloud: "aws",
      ips: requested + 1,
      maxIps: quota,
      gatewayEndpoints: ctx.gatewayEndpoints,
      method: ctx.method,
    },
    autoSize: args.autoSizeIps ? { min: requested + 1, max: quota } : undefined,
    // The primary private IP is not counted by the argument; a listed address set grows by listing more.
    ipsSetting:
      listed === undefined
        ? { name: field, notCounted: 1, autoSize: "autoSizeIps" }
        : { name: `the number of ${field}`, notCounted: 1 },
  });
  const secondary = capacity.ips - 1;
  applyFindings(prefix, checkAwsPrivateIps(secondary, quota, field), warn);
  if (listed === undefined && secondary > 0)
    warn(
      `${prefix}: secondaryPrivateIpAddressCount ${secondary}: changing this count later replaces the NAT gateway ` +
        "(a new gateway, new private IPs); to grow without replacement, list the addresses in secondaryPrivateIpAddresses",
    );
  return {
    ...noEips,
    existingAllocations: [],
    secondaryPrivateIpAddressCount: listed === undefined ? secondary : undefined,
    secondaryPrivateIpAddresses: args.secondaryPrivateIpAddresses,
    subnet: subnetOf(ctx),
    totalIps: secondary + 1,
    subnetAddressesNeeded: secondary + 1,
    gatewayTags: capacity.tags,
    capacity,
  };
}

/** Plans a zonal public gateway: its new Elastic IPs, existing allocations, primary and associations. */
export function planZonalPublic(ctx: PlanContext): KindPlan {
  const { name, args, prefix, warn } = ctx;
  const existingIps = args.existingIps ?? [];
  const existingKeys = existingIps.map((e) => e.key);
  const existing = existingKeys.length;
  const resolved = resolveKeys({
    keys: args.ipKeys,
    count: args.ipCount,
    keysField: "ipKeys",
    countField: "ipCount",
    defaultCount: existing > 0 ? 0 : 1,
  });
  failOnIssues(prefix, [...resolved.issues, ...ipKeyIssues(existingKeys, resolved.keys, "existingIps")]);
  const quota = args.eipQuota ?? AWS.defaultEipsPerGatewayQuota.value;
  const maxIps = AWS.maxIpsPerZonalGateway.value;
  const requested = existing + resolved.keys.length;
  const countField = args.ipKeys !== undefined ? "ipKeys" : "ipCount";
  const parts = (created: number) => [
    { name: countField, count: created },
    { name: "existingIps", count: existing },
  ];
  applyFindings(
    prefix,
    errorsOnly(checkAwsZonalIps(requested, quota, countField, parts(resolved.keys.length))),
    warn,
  );
  const capacity = runCapacityCheck({
    ...ctx.capacity,
    gateway: {
      cloud: "aws",
      ips: requested,
      maxIps,
      gatewayEndpoints: ctx.gatewayEndpoints,
      method: ctx.method,
    },
    autoSize: args.autoSizeIps ? { min: requested, max: maxIps } : undefined,
    // The existing allocations are not counted by ipCount (or ipKeys); the value named is new EIPs only.
    ipsSetting: {
      name: args.ipKeys !== undefined ? "the number of ipKeys" : "ipCount",
      notCounted: existing,
      autoSize: "autoSizeIps",
    },
  });
  const keys = capacity.ips !== requested ? countKeys(capacity.ips - existing) : resolved.keys;
  if (capacity.ips !== requested) failOnIssues(prefix, ipKeyIssues(existingKeys, keys, "existingIps"));
  applyFindings(
    prefix,
    checkAwsZonalIps(existing + keys.length, quota, countField, parts(keys.length)),
    warn,
  );
  const primary: PrimaryPlan = existing > 0 ? { existingKey: existingKeys[0] } : { newKey: keys[0] };
  const secondaryNewKeys = existing > 0 ? keys : keys.slice(1);
  const secondaryExistingKeys = existingKeys.slice(1);
  return {
    eips: keys.map((key) => ({ key, logicalName: `${name}-eip-${key}` })),
    primary,
    secondaryNewKeys,
    secondaryExistingKeys,
    associations: [
      ...secondaryNewKeys.map((key) => ({ key, logicalName: `${name}-eip-${key}`, existing: false })),
      ...secondaryExistingKeys.map((key) => ({ key, logicalName: `${name}-eip-${key}`, existing: true })),
    ],
    existingAllocations: existingIps.map((e) => ({ key: e.key, allocationId: e.allocationId })),
    subnet: subnetOf(ctx),
    totalIps: existing + keys.length,
    subnetAddressesNeeded: existing + keys.length,
    gatewayTags: capacity.tags,
    capacity,
  };
}
