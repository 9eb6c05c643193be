/**
 * The pure plan of an {@link AwsNatGateway}: arguments in, a plain object out (which EIPs to
 * allocate under which stable names, how they attach, which routes, which tags, the capacity
 * result), with every rule that can be checked before any cloud call. No resources here.
 *
 * @module
 */
import { checkAwsPrivateIps, checkAwsZonalIps, type Finding, parseCidr } from "../../sim/checks";
import type { FieldIssue } from "../../sim/errors";
import { show } from "../../sim/errors";
import { AWS } from "../../sim/limits";
import { CapacityCheckMode, type CapacityCheckOutcome, runCapacityCheck } from "../common/capacity";
import { toExpectedTraffic } from "../common/expectation";
import { applyFindings, componentPrefix, failOnIssues, type Warn } from "../common/findings";
import { countKeys, keyIssues, resolveKeys } from "../common/keys";
import { AvailabilityMode, type AwsNatGatewayArgs, ConnectivityType } from "./args";
import { ipKeyIssues, planRegional } from "./regionalPlan";

/** Class name used in messages and the type token. */
export const AWS_NAT_GATEWAY = "AwsNatGateway";

/** An Elastic IP natcap allocates. */
export interface EipPlan {
  /** Stable key given by the user or derived from a count. */
  key: string;
  /** Logical name: `<name>-eip-<key>` (zonal) or `<name>-eip-<zone>-<key>` (regional). */
  name: string;
  /** Availability Zone (regional manual mode only). */
  zone?: string;
}

/** Where the primary IP of a zonal public gateway comes from. */
export interface PrimaryPlan {
  /** Key of a new EIP, when natcap allocates the primary. */
  newKey?: string;
  /** Key of an existing IP (`existingIps`), when the primary is an existing allocation. */
  existingKey?: string;
}

/** One zone of a regional gateway in manual mode. */
export interface RegionalZonePlan {
  /** Availability Zone name. */
  availabilityZone: string;
  /** Keys of new EIPs in this zone. */
  newKeys: string[];
  /** Keys of existing IPs given for this zone. */
  existingKeys: string[];
}

/** One route to the gateway. */
export interface RoutePlan {
  /** Logical name: `<name>-route-<tableKey>` for the default route, `...-<cidr>` for extras. */
  name: string;
  /** Key of the route table. */
  routeTableKey: string;
  /** Destination CIDR. */
  cidr: string;
}

/** The plan of one AWS NAT gateway. */
export interface AwsNatGatewayPlan {
  /** Message prefix, e.g. `AwsNatGateway "egress"`. */
  prefix: string;
  /** Public or private. */
  connectivityType: ConnectivityType;
  /** Zonal or regional. */
  availabilityMode: AvailabilityMode;
  /** Every EIP natcap allocates, in a stable order. */
  eips: EipPlan[];
  /** Zonal public: the primary IP. */
  primary?: PrimaryPlan;
  /** Zonal public: keys of new EIPs attached as secondaries (each by its own association). */
  secondaryNewKeys: string[];
  /** Zonal public: keys of existing IPs attached as secondaries. */
  secondaryExistingKeys: string[];
  /** Zonal private: secondary private IP count (when given as a count). */
  secondaryPrivateIpAddressCount?: number;
  /** Regional manual mode: zones; undefined in auto mode or for zonal gateways. */
  regionalZones?: RegionalZonePlan[];
  /** IPv4 addresses of the gateway (public zonal: EIPs; private: private IPs; regional: per zone, the smallest). */
  totalIps: number;
  /** Private addresses the gateway takes in its subnet (zonal). */
  subnetAddressesNeeded: number;
  /** Routes from the given route tables. */
  routes: RoutePlan[];
  /** Whether to create the ErrorPortAllocation alarm. */
  alarm: boolean;
  /** Tags for every child. */
  tags: Record<string, string>;
  /** Tags for the NAT gateway: the user's plus the expectation tags. */
  gatewayTags: Record<string, string>;
  /** Capacity check outcome. */
  capacity: CapacityCheckOutcome;
}

const DEFAULT_ROUTE = "0.0.0.0/0";

/** Logical-name-safe form of a CIDR: `10.1.0.0/16` → `10-1-0-0-16`. */
export function cidrKey(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

function enumIssue<T extends string>(
  field: string,
  value: T | undefined,
  values: Record<string, string>,
): FieldIssue[] {
  if (value === undefined || Object.values(values).includes(value)) return [];
  return [
    { path: field, value, message: `${show(value)} is not one of ${Object.values(values).join(", ")}` },
  ];
}

function notAllowed(field: string, value: unknown, why: string): FieldIssue {
  return { path: field, value: Array.isArray(value) ? `[${value.length} items]` : value, message: why };
}

function argumentIssues(
  args: AwsNatGatewayArgs,
  conn: ConnectivityType,
  mode: AvailabilityMode,
): FieldIssue[] {
  const issues: FieldIssue[] = [
    ...enumIssue("connectivityType", args.connectivityType, ConnectivityType),
    ...enumIssue("availabilityMode", args.availabilityMode, AvailabilityMode),
    ...enumIssue("capacityCheck", args.capacityCheck, CapacityCheckMode),
  ];
  // A quota is also what the policy pack checks this gateway against: a whole number in the API's range.
  for (const [field, max] of [
    ["eipQuota", AWS.maxIpsPerZonalGateway.value],
    ["privateIpQuota", AWS.secondaryPrivateIpCountApiMax.value + 1],
  ] as const) {
    const q = args[field];
    if (q !== undefined && (typeof q !== "number" || !Number.isInteger(q) || q < 1 || q > max))
      issues.push({
        path: field,
        value: q,
        message: `${show(q)} is not a whole number from 1 to ${max}; give the granted value of the account's quota`,
      });
  }
  if (issues.length > 0) return issues;
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

function routeIssues(args: AwsNatGatewayArgs): FieldIssue[] {
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

function planRoutes(name: string, args: AwsNatGatewayArgs): RoutePlan[] {
  const routes: RoutePlan[] = [];
  for (const t of args.routeTables ?? []) {
    if (args.defaultRoute ?? true)
      routes.push({ name: `${name}-route-${t.key}`, routeTableKey: t.key, cidr: DEFAULT_ROUTE });
    for (const cidr of args.extraDestinationCidrBlocks ?? []) {
      routes.push({ name: `${name}-route-${t.key}-${cidrKey(cidr)}`, routeTableKey: t.key, cidr });
    }
  }
  return routes;
}

/** Only the error findings (the warnings are reported once, on the final count). */
const errorsOnly = (findings: Finding[]) => findings.filter((f) => f.severity === "error");

/**
 * Plans an AWS NAT gateway. Throws ValidationError (argument problems), LimitError (cloud limits),
 * CapacityError (predicted port-allocation errors in error mode) or WorkloadError (invalid
 * expectedTraffic), each prefixed with `AwsNatGateway "<name>"`; warnings go to `warn`.
 */
export function planAwsNatGateway(name: string, args: AwsNatGatewayArgs, warn: Warn): AwsNatGatewayPlan {
  const prefix = componentPrefix(AWS_NAT_GATEWAY, name);
  const conn = args.connectivityType ?? ConnectivityType.Public;
  const mode = args.availabilityMode ?? AvailabilityMode.Zonal;
  failOnIssues(prefix, [...argumentIssues(args, conn, mode), ...routeIssues(args)]);
  const tags = { ...(args.tags ?? {}) };
  const base = {
    prefix,
    connectivityType: conn,
    availabilityMode: mode,
    routes: planRoutes(name, args),
    alarm: args.portAllocationAlarm ?? true,
    tags,
  };
  const capacityBase = {
    prefix,
    expected: args.expectedTraffic === undefined ? undefined : toExpectedTraffic(args.expectedTraffic),
    mode: args.capacityCheck,
    excludeServices: args.excludedServices,
    warn,
  };

  if (mode === AvailabilityMode.Regional) return planRegional(name, args, warn, base, capacityBase);

  if (conn === ConnectivityType.Private) {
    const listed = args.secondaryPrivateIpAddresses?.length;
    const requested = listed ?? args.secondaryPrivateIpAddressCount ?? 0;
    const quota = args.privateIpQuota ?? AWS.privateIpsPerGatewayQuota.value;
    const field = listed !== undefined ? "secondaryPrivateIpAddresses" : "secondaryPrivateIpAddressCount";
    applyFindings(prefix, errorsOnly(checkAwsPrivateIps(requested, quota, field)), warn);
    const capacity = runCapacityCheck({
      ...capacityBase,
      gateway: { cloud: "aws", ips: requested + 1, maxIps: quota },
      autoSize: args.autoSizeIps ? { min: requested + 1, max: quota } : undefined,
      ipsArgument: "secondaryPrivateIpAddressCount (IPs minus the primary)",
      autoSizeArgument: "autoSizeIps",
    });
    const secondary = capacity.ips - 1;
    applyFindings(prefix, checkAwsPrivateIps(secondary, quota, field), warn);
    if (listed === undefined && secondary > 0)
      warn(
        `${prefix}: secondaryPrivateIpAddressCount ${secondary}: changing this count later replaces the NAT gateway ` +
          "(a new gateway, new private IPs); to grow without replacement, list the addresses in secondaryPrivateIpAddresses",
      );
    return {
      ...base,
      eips: [],
      secondaryNewKeys: [],
      secondaryExistingKeys: [],
      secondaryPrivateIpAddressCount: listed === undefined ? secondary : undefined,
      totalIps: secondary + 1,
      subnetAddressesNeeded: secondary + 1,
      gatewayTags: { ...tags, ...capacity.tags },
      capacity,
    };
  }

  // Zonal public.
  const existingKeys = (args.existingIps ?? []).map((e) => e.key);
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
  applyFindings(prefix, errorsOnly(checkAwsZonalIps(requested, quota, countField)), warn);
  const capacity = runCapacityCheck({
    ...capacityBase,
    gateway: { cloud: "aws", ips: requested, maxIps },
    autoSize: args.autoSizeIps ? { min: requested, max: maxIps } : undefined,
    ipsArgument: existing > 0 ? `ipCount (new EIPs besides the ${existing} existingIps)` : "ipCount",
    autoSizeArgument: "autoSizeIps",
  });
  const keys = capacity.ips !== requested ? countKeys(capacity.ips - existing) : resolved.keys;
  if (capacity.ips !== requested) failOnIssues(prefix, ipKeyIssues(existingKeys, keys, "existingIps"));
  applyFindings(prefix, checkAwsZonalIps(existing + keys.length, quota, countField), warn);
  const primary: PrimaryPlan = existing > 0 ? { existingKey: existingKeys[0] } : { newKey: keys[0] };
  return {
    ...base,
    eips: keys.map((key) => ({ key, name: `${name}-eip-${key}` })),
    primary,
    secondaryNewKeys: existing > 0 ? keys : keys.slice(1),
    secondaryExistingKeys: existingKeys.slice(1),
    totalIps: existing + keys.length,
    subnetAddressesNeeded: existing + keys.length,
    gatewayTags: { ...tags, ...capacity.tags },
    capacity,
  };
}
