/**
 * Argument rules of an {@link AwsNatGateway} that need no cloud call: which arguments go with which
 * kind of gateway, route-table keys and extra CIDRs, keys of existing IPs; and the routes the
 * arguments ask for. Pure: arguments in, field issues or plain data out.
 *
 * @module
 */
import { parseCidr } from "../../core/checks";
import { type FieldIssue, show, wholeNumberProblem } from "../../core/errors";
import { AWS } from "../../core/limits";
import { enumIssues, notAllowed } from "../common/argChecks";
import { CapacityCheckMode, CapacityMethod } from "../common/capacity";
import { keyIssues } from "../common/keys";
import { AvailabilityMode, type AwsNatGatewayArgs, ConnectivityType } from "./args";
import type { RoutePlan } from "./planTypes";

const DEFAULT_ROUTE = "0.0.0.0/0";

/** Logical-name-safe form of a CIDR: `10.1.0.0/16` → `10-1-0-0-16`. */
export function cidrKey(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

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

/** The enum arguments of a gateway (checked first: the other rules depend on them). */
export function enumArgumentIssues(args: AwsNatGatewayArgs): FieldIssue[] {
  return [
    ...enumIssues("connectivityType", args.connectivityType, ConnectivityType),
    ...enumIssues("availabilityMode", args.availabilityMode, AvailabilityMode),
    ...enumIssues("capacityCheck", args.capacityCheck, CapacityCheckMode),
    ...enumIssues("capacityMethod", args.capacityMethod, CapacityMethod),
  ];
}

/**
 * Quotas given to the component: each is also what the policy pack checks this gateway against, so
 * it must be a whole number in the API's range.
 */
export function quotaArgumentIssues(args: AwsNatGatewayArgs): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [field, max] of [
    ["eipQuota", AWS.maxIpsPerZonalGateway.value],
    ["privateIpQuota", AWS.secondaryPrivateIpCountApiMax.value + 1],
  ] as const) {
    const q = args[field];
    const problem =
      q === undefined
        ? undefined
        : wholeNumberProblem(q, `a whole number from 1 to ${max}`, 1, max, "the most the quota can grant");
    if (problem)
      issues.push({
        path: field,
        value: q,
        message: `${problem}; give the granted value of the account's quota`,
      });
  }
  return issues;
}

/** Arguments given to a kind of gateway they do not apply to, and required ones left out. */
export function argumentIssues(
  args: AwsNatGatewayArgs,
  conn: ConnectivityType,
  mode: AvailabilityMode,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const zonalPublicOnly = ["ipCount", "ipKeys", "existingIps", "eipQuota"] as const;
  const privateOnly = [
    "secondaryPrivateIpAddressCount",
    "secondaryPrivateIpAddresses",
    "privateIpQuota",
  ] as const;
  if (mode === AvailabilityMode.Regional) {
    if (conn === ConnectivityType.Private)
      issues.push(
        notAllowed(
          "connectivityType",
          conn,
          "a regional NAT gateway is public only; use a zonal private gateway",
        ),
      );
    if (args.vpcId === undefined)
      issues.push({ path: "vpcId", message: "a regional NAT gateway needs vpcId; give the VPC's ID" });
    for (const f of ["subnetId", "subnetCidrBlock", ...zonalPublicOnly, ...privateOnly] as const) {
      if (args[f] !== undefined)
        issues.push(
          notAllowed(f, args[f], "is not used by a regional NAT gateway; give per-zone IPs in regionalZones"),
        );
    }
    if (args.autoSizeIps)
      issues.push(
        notAllowed("autoSizeIps", true, "cannot size a regional gateway; give per-zone IPs in regionalZones"),
      );
    return issues;
  }
  if (args.subnetId === undefined)
    issues.push({ path: "subnetId", message: "a zonal NAT gateway needs subnetId; give a subnet ID" });
  if (args.vpcId !== undefined)
    issues.push(
      notAllowed("vpcId", args.vpcId, "is only for a regional gateway (availabilityMode regional)"),
    );
  if (args.regionalZones !== undefined)
    issues.push(notAllowed("regionalZones", args.regionalZones, "is only for a regional gateway"));
  if (conn === ConnectivityType.Private) {
    for (const f of [...zonalPublicOnly, "protectIps"] as const) {
      if (args[f] !== undefined)
        issues.push(
          notAllowed(f, args[f], "is for public gateways; a private NAT gateway has no Elastic IPs"),
        );
    }
    if (args.secondaryPrivateIpAddressCount !== undefined && args.secondaryPrivateIpAddresses !== undefined)
      issues.push(
        notAllowed(
          "secondaryPrivateIpAddresses",
          args.secondaryPrivateIpAddresses,
          "give either secondaryPrivateIpAddressCount or secondaryPrivateIpAddresses, not both",
        ),
      );
    if (args.autoSizeIps && args.secondaryPrivateIpAddresses !== undefined)
      issues.push(
        notAllowed(
          "autoSizeIps",
          true,
          "cannot size an explicit secondaryPrivateIpAddresses list; give a count",
        ),
      );
  } else {
    for (const f of privateOnly) {
      if (args[f] !== undefined)
        issues.push(
          notAllowed(
            f,
            args[f],
            "is for private gateways (connectivityType private); a public gateway uses EIPs",
          ),
        );
    }
    if (args.autoSizeIps && args.ipKeys !== undefined)
      issues.push(
        notAllowed("autoSizeIps", true, "sizes keyed by count; give ipCount (the minimum) instead of ipKeys"),
      );
  }
  return issues;
}

/** Route-table keys and extra CIDRs: valid keys, IPv4 CIDRs, no CIDR twice. */
export function routeIssues(args: AwsNatGatewayArgs): FieldIssue[] {
  const issues = keyIssues(
    (args.routeTables ?? []).map((t) => t.key),
    "routeTables.key",
  );
  (args.extraDestinationCidrBlocks ?? []).forEach((cidr, i) => {
    if (!parseCidr(cidr))
      issues.push({
        path: `extraDestinationCidrBlocks[${i}]`,
        value: cidr,
        message: "is not an IPv4 CIDR block (a.b.c.d/n)",
      });
  });
  if (new Set(args.extraDestinationCidrBlocks ?? []).size !== (args.extraDestinationCidrBlocks ?? []).length)
    issues.push({ path: "extraDestinationCidrBlocks", message: "lists a CIDR twice" });
  return issues;
}

/** The routes: per route table, the default route (unless switched off) and each extra CIDR. */
export function planRoutes(name: string, args: AwsNatGatewayArgs): RoutePlan[] {
  const routes: RoutePlan[] = [];
  for (const t of args.routeTables ?? []) {
    if (args.defaultRoute ?? true)
      routes.push({ logicalName: `${name}-route-${t.key}`, routeTableKey: t.key, cidr: DEFAULT_ROUTE });
    for (const cidr of args.extraDestinationCidrBlocks ?? []) {
      routes.push({ logicalName: `${name}-route-${t.key}-${cidrKey(cidr)}`, routeTableKey: t.key, cidr });
    }
  }
  return routes;
}
