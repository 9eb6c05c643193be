/**
 * Pure planning of an {@link AzureNatGateway}: arguments in, a read-only plan out (which public IPs
 * and prefixes to create under which stable names, the zone they follow, the idle timeout, the
 * subnets, the alerts, the capacity result after any auto-sizing, the warnings, and the references
 * the constructor passes on). Every rule that can be checked without the cloud is checked here, with
 * errors that name the component, the argument, the value, the rule and the fix. No resources are
 * created; the program-wide subnet registry (./registry) is not read.
 *
 * @module
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkAzureIdleTimeout, checkAzureIps, prefixSize } from "../../core/checks";
import { prefixSizeV6 } from "../../core/checks-azure";
import { type FieldIssue, show, ValidationError } from "../../core/errors";
import { AZURE, AzureNatSku } from "../../core/limits";
import { COMPONENT_CLASS } from "../../core/tokens";
import { enumIssues } from "../common/argChecks";
import {
  CapacityCheckMode,
  type CapacityCheckOutcome,
  CapacityMethod,
  runCapacityCheck,
} from "../common/capacity";
import { type ExpectedTrafficArgs, plainExpectation } from "../common/expectation";
import { applyFindings, failOnIssues } from "../common/findings";
import { componentPrefix, typeToken } from "../common/identity";
import { keyIssues } from "../common/keys";
import { DEFAULT_PROTECT_IPS } from "../common/options";
import { ipKeys, renamePrefixFindings, skuFindings, v6ArgumentNames } from "./addresses";
import { type AlertPlan, planAlerts } from "./alerts";
import { type AzureNatGatewayArgs, AzureNatGatewaySku } from "./args";
import { planSubnets, type SubnetPlan } from "./subnets";

/** Class name of the component (messages; the type token is `natcap:index:AzureNatGateway`). */
export const AZURE_NAT_GATEWAY = COMPONENT_CLASS.azureNatGateway;

/** The Pulumi type token of the component. @deprecated use `typeToken(AZURE_NAT_GATEWAY)` */
export const AZURE_NAT_GATEWAY_TYPE = typeToken(AZURE_NAT_GATEWAY);

/** The SKU the component creates when `sku` is not given. */
export const AZURE_NAT_SKU = AzureNatSku.Standard;

/**
 * Network API version the component creates StandardV2 gateways, public IPs and prefixes at (through
 * azure-native's generic resource): the first whose schema has the StandardV2 SKU.
 */
export const AZURE_STANDARD_V2_API_VERSION = "2025-01-01";

/** A public IP to create. */
export interface PublicIpPlan {
  /** Stable key from the arguments. */
  readonly key: string;
  /** Pulumi logical name, `<component>-pip-<key>`. */
  readonly logicalName: string;
  /** Azure name, when the arguments give one. */
  readonly azureName?: string;
  /** `[zone]` for a zonal gateway, otherwise undefined (always for StandardV2: zone-redundant). */
  readonly zones?: string[];
}

/** A public IP prefix to create. */
export interface PrefixPlan {
  /** Stable key from the arguments. */
  readonly key: string;
  /** Pulumi logical name, `<component>-ippre-<key>`. */
  readonly logicalName: string;
  /** Azure name, when the arguments give one. */
  readonly azureName?: string;
  /** Prefix length: 28–31 for IPv4, 124–127 for IPv6. */
  readonly prefixLength: number;
  /** `[zone]` for a zonal gateway, otherwise undefined. */
  readonly zones?: string[];
}

/** Everything the component creates, decided from the arguments alone. */
export interface AzureNatPlan {
  /** `AzureNatGateway "<name>"`, the prefix of every message. */
  readonly prefix: string;
  /** Pulumi logical name of the NAT gateway resource (the component name). */
  readonly gatewayLogicalName: string;
  /** The gateway SKU. */
  readonly sku: AzureNatSku;
  /** `[zone]`, or undefined for no zone. */
  readonly zones?: string[];
  /** TCP idle timeout in minutes. */
  readonly idleTimeoutInMinutes: number;
  /** Public IPs to create, in key order as given. */
  readonly publicIps: readonly PublicIpPlan[];
  /** Prefixes to create. */
  readonly prefixes: readonly PrefixPlan[];
  /** Public IPv6 addresses to create (StandardV2 only), keys "1".."N". */
  readonly publicIpsV6: readonly PublicIpPlan[];
  /** Public IPv6 prefixes to create (StandardV2 only), `<component>-ipprev6-<key>`. */
  readonly prefixesV6: readonly PrefixPlan[];
  /** Existing public IPv6 addresses referenced by ID. */
  readonly existingPublicIpV6Count: number;
  /** Lengths of existing IPv6 prefixes referenced by ID. */
  readonly existingPrefixV6Lengths: readonly number[];
  /** Public IPv6 addresses in all, prefixes counted whole: the SNAT addresses of IPv6 destinations. */
  readonly totalAddressesV6: number;
  /** Existing public IPs referenced by ID. */
  readonly existingPublicIpCount: number;
  /** Lengths of existing prefixes referenced by ID. */
  readonly existingPrefixLengths: readonly number[];
  /** Public IPv4 addresses in all, prefixes counted whole. */
  readonly totalAddresses: number;
  /** Subnets to create and associate. */
  readonly subnets: readonly SubnetPlan[];
  /** Metric alerts to create (empty when turned off). */
  readonly alerts: readonly AlertPlan[];
  /** Protect the created public IPs and prefixes. */
  readonly protectIps: boolean;
  /** Warnings to log, in the order found (each message already names the component). */
  readonly warnings: readonly string[];
  /** Resource group of the gateway, its IPs, prefixes and alerts (and of subnets that do not name one). */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region; undefined: the resource group's. */
  readonly location?: pulumi.Input<string>;
  /** Azure name of the NAT gateway; undefined: auto-named. */
  readonly natGatewayName?: string;
  /** Tags on every resource the component creates. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Tags on the NAT gateway: the user's plus the expectation tags. */
  readonly gatewayTags: Readonly<Record<string, string>>;
  /** IDs of existing public IPs, after the created ones on the gateway. */
  readonly existingPublicIpIds: readonly pulumi.Input<string>[];
  /** IDs of existing prefixes, after the created ones on the gateway. */
  readonly existingPublicIpPrefixIds: readonly pulumi.Input<string>[];
  /** IDs of existing public IPv6 addresses, after the created ones on the gateway. */
  readonly existingPublicIpV6Ids: readonly pulumi.Input<string>[];
  /** IDs of existing IPv6 prefixes, after the created ones on the gateway. */
  readonly existingPublicIpPrefixV6Ids: readonly pulumi.Input<string>[];
  /** Action groups the alerts notify. */
  readonly alertActionGroupIds: readonly pulumi.Input<string>[];
  /** Capacity check outcome, after any auto-sizing. */
  readonly capacity: CapacityCheckOutcome;
  /** The expectation that was checked (all of it: Azure has no gateway endpoints); undefined without one. */
  readonly expectedTraffic?: ExpectedTrafficArgs;
}

/** The plan before the capacity check: the addresses and children the arguments ask for. */
type Layout = Omit<
  AzureNatPlan,
  | "resourceGroupName"
  | "location"
  | "natGatewayName"
  | "tags"
  | "gatewayTags"
  | "existingPublicIpIds"
  | "existingPublicIpPrefixIds"
  | "existingPublicIpV6Ids"
  | "existingPublicIpPrefixV6Ids"
  | "alertActionGroupIds"
  | "capacity"
  | "expectedTraffic"
>;

const ZONE = /^[1-9]$/;

/** Public IP SKU a gateway SKU needs (the one place to extend with a new SKU). */
export const PUBLIC_IP_SKU: Record<AzureNatSku, string> = {
  [AzureNatSku.Standard]: "Standard",
  [AzureNatSku.StandardV2]: "StandardV2",
};

function checkAlertArgs(args: AzureNatGatewayArgs, issues: FieldIssue[]): void {
  const a = args.alerts ?? {};
  if (a.severity !== undefined && !(Number.isInteger(a.severity) && a.severity >= 0 && a.severity <= 4)) {
    issues.push({
      path: "alerts.severity",
      value: a.severity,
      message: "must be a whole number from 0 to 4",
    });
  }
  const avail = a.datapathAvailabilityThreshold;
  if (avail !== undefined && !(Number.isFinite(avail) && avail > 0 && avail <= 100)) {
    issues.push({
      path: "alerts.datapathAvailabilityThreshold",
      value: avail,
      message: "must be a percentage above 0 and at most 100",
    });
  }
  const snat = a.snatFailureThreshold;
  if (snat !== undefined && !(Number.isFinite(snat) && snat >= 0)) {
    issues.push({ path: "alerts.snatFailureThreshold", value: snat, message: "must be a number, 0 or more" });
  }
}

function planLayout(name: string, args: AzureNatGatewayArgs, extraIps: number, extraIpsV6 = 0): Layout {
  const prefix = componentPrefix(AZURE_NAT_GATEWAY, name);
  const issues: FieldIssue[] = [];
  if (!args || typeof args !== "object") {
    throw new ValidationError([{ path: "args", value: args, message: "arguments are required" }], prefix);
  }
  issues.push(...enumIssues("capacityCheck", args.capacityCheck, CapacityCheckMode));
  issues.push(...enumIssues("capacityMethod", args.capacityMethod, CapacityMethod));
  issues.push(...enumIssues("sku", args.sku, AzureNatGatewaySku));
  // Same strings as AzureNatSku; an unknown value has been reported above.
  const sku = args.sku === AzureNatGatewaySku.StandardV2 ? AzureNatSku.StandardV2 : AZURE_NAT_SKU;
  const zone = args.zone;
  if (zone !== undefined && sku === AzureNatSku.StandardV2) {
    issues.push({
      path: "zone",
      value: zone,
      message:
        "a StandardV2 NAT gateway is zone-redundant and takes no zone: omit zone, or use sku Standard for a zonal gateway",
    });
  } else if (zone !== undefined && (typeof zone !== "string" || !ZONE.test(zone))) {
    issues.push({
      path: "zone",
      value: zone,
      message: 'a Standard NAT gateway is in one zone or none: give one zone number such as "1", or omit it',
    });
  }
  issues.push(
    ...keyIssues(args.publicIpPrefixes?.map((p) => p.key) ?? [], "publicIpPrefixes").map((i) => ({
      ...i,
      path: `${i.path}.key`,
    })),
  );
  issues.push(
    ...keyIssues(args.publicIpPrefixesV6?.map((p) => p.key) ?? [], "publicIpPrefixesV6").map((i) => ({
      ...i,
      path: `${i.path}.key`,
    })),
  );
  const keys = ipKeys(args, extraIps, issues);
  const v6Given = args.publicIpV6Count ?? 0;
  if (!Number.isInteger(v6Given) || v6Given < 0) {
    issues.push({
      path: "publicIpV6Count",
      value: v6Given,
      message: `${show(v6Given)} is not a whole number of IPv6 addresses, 0 or more`,
    });
  }
  // Auto-sized IPv6 addresses continue the count's keys: growing only adds the highest keys.
  const v6Count = v6Given + extraIpsV6;
  checkAlertArgs(args, issues);
  const subnets = planSubnets(name, args.subnets, issues);
  failOnIssues(prefix, issues);

  const zones = zone === undefined ? undefined : [zone];
  const idle = args.idleTimeoutInMinutes ?? AZURE.idleTimeoutMinutesDefault.value;
  const created = (args.publicIpPrefixes ?? []).map((p) => p.prefixLength);
  const existing = (args.existingPublicIpPrefixes ?? []).map((p) => p.prefixLength);
  const existingIps = args.existingPublicIpIds?.length ?? 0;
  const createdV6 = (args.publicIpPrefixesV6 ?? []).map((p) => p.prefixLength);
  const existingV6 = (args.existingPublicIpPrefixesV6 ?? []).map((p) => p.prefixLength);
  const existingV6Ips = args.existingPublicIpV6Ids?.length ?? 0;
  const warnings: string[] = [];
  const ipFindings = checkAzureIps(keys.length + existingIps, [...created, ...existing], "publicIps", [
    { name: args.publicIps !== undefined ? "publicIps" : "publicIpCount", count: keys.length },
    { name: "existingPublicIpIds", count: existingIps },
  ]);
  ipFindings.push(
    ...skuFindings(sku, ipFindings, keys.length + existingIps, [...created, ...existing], {
      created: v6Count,
      existing: existingV6Ips,
      prefixLengths: [...createdV6, ...existingV6],
      createdPrefixes: createdV6.length,
      argumentNames: v6ArgumentNames(args),
    }),
  );
  applyFindings(
    prefix,
    [...renamePrefixFindings(ipFindings, args, keys.length), ...checkAzureIdleTimeout(idle)],
    (m) => warnings.push(m),
  );

  const names = new Map((args.publicIps ?? []).map((p) => [p.key, p.name]));
  return {
    prefix,
    gatewayLogicalName: name,
    sku,
    zones,
    idleTimeoutInMinutes: idle,
    publicIps: keys.map((key) => ({
      key,
      logicalName: `${name}-pip-${key}`,
      azureName: names.get(key),
      zones,
    })),
    publicIpsV6: Array.from({ length: v6Count }, (_, i) => ({
      key: String(i + 1),
      logicalName: `${name}-pipv6-${i + 1}`,
    })),
    prefixesV6: (args.publicIpPrefixesV6 ?? []).map((p) => ({
      key: p.key,
      logicalName: `${name}-ipprev6-${p.key}`,
      azureName: p.name,
      prefixLength: p.prefixLength,
    })),
    existingPublicIpV6Count: existingV6Ips,
    existingPrefixV6Lengths: existingV6,
    totalAddressesV6:
      v6Count + existingV6Ips + [...createdV6, ...existingV6].reduce((s, l) => s + prefixSizeV6(l), 0),
    prefixes: (args.publicIpPrefixes ?? []).map((p) => ({
      key: p.key,
      logicalName: `${name}-ippre-${p.key}`,
      azureName: p.name,
      prefixLength: p.prefixLength,
      zones,
    })),
    existingPublicIpCount: existingIps,
    existingPrefixLengths: existing,
    totalAddresses:
      keys.length + existingIps + [...created, ...existing].reduce((s, l) => s + prefixSize(l), 0),
    subnets,
    alerts: args.alerts?.enabled === false ? [] : planAlerts(name, args.alerts),
    protectIps: args.protectIps ?? DEFAULT_PROTECT_IPS,
    warnings,
  };
}

/**
 * Plans an Azure NAT gateway from its arguments, the capacity check included: with `autoSizeIps`,
 * public IPs are added (keys continuing the count, or `auto-1`... after explicit keys) until the
 * expectation predicts no port-allocation errors, up to 16 addresses; on StandardV2, IPv6 public IPs
 * too (keys continuing `publicIpV6Count`) for the IPv6 destinations, up to 16, with a warning naming
 * the addresses added.
 *
 * @param name the component's name
 * @param extraIps public IPs to add beyond the arguments before any auto-sizing (keys as above) @default 0
 * @throws {ValidationError} when an argument is malformed (duplicate key, bad zone, GatewaySubnet, unknown capacityCheck...)
 * @throws {LimitError} when a cloud limit is broken (more than 16 addresses, prefix length, idle timeout),
 *   or when auto-sizing finds the IPv6 destinations need more than 16 IPv6 addresses (naming `publicIpV6Count`)
 * @throws {CapacityError} when the expected traffic predicts port-allocation errors (default mode)
 * @throws {WorkloadError} when `expectedTraffic` is invalid
 */
export function planAzureNatGateway(name: string, args: AzureNatGatewayArgs, extraIps = 0): AzureNatPlan {
  let layout = planLayout(name, args, extraIps);
  const capacityWarnings: string[] = [];
  const capacity = runCapacityCheck({
    prefix: layout.prefix,
    expected:
      args.expectedTraffic === undefined ? undefined : plainExpectation(layout.prefix, args.expectedTraffic),
    gateway: {
      cloud: "azure",
      ips: layout.totalAddresses,
      sku: layout.sku,
      ipsV6: layout.totalAddressesV6,
      maxIpsV6: AZURE.maxPublicIpv6StandardV2.value,
      settingNames: { sku: "sku", ipsV6: "publicIpV6Count" },
      ipSelection: "pooled",
      idleTimeoutMinutes: layout.idleTimeoutInMinutes,
      maxIps: AZURE.maxPublicIpAddresses.value,
      method: args.capacityMethod ?? CapacityMethod.Auto,
    },
    mode: args.capacityCheck ?? CapacityCheckMode.Error,
    autoSize: args.autoSizeIps
      ? { min: layout.totalAddresses, max: AZURE.maxPublicIpAddresses.value }
      : undefined,
    // IPv6 destinations are sized in IPv6 addresses, on StandardV2 (a Standard gateway refuses them).
    autoSizeV6:
      args.autoSizeIps && layout.sku === AzureNatSku.StandardV2
        ? { min: layout.totalAddressesV6, max: AZURE.maxPublicIpv6StandardV2.value }
        : undefined,
    // Prefixes and existing addresses are not counted by publicIpCount (or the publicIps entries).
    ipsSetting: {
      name: args.publicIps !== undefined ? "the number of publicIps entries" : "publicIpCount",
      notCounted: layout.totalAddresses - layout.publicIps.length,
      autoSize: "autoSizeIps",
      // IPv6 destinations are sized in IPv6 addresses; prefixes and existing ones are not in the count.
      v6: { name: "publicIpV6Count", notCounted: layout.totalAddressesV6 - layout.publicIpsV6.length },
    },
    warn: (m) => capacityWarnings.push(m),
  });
  const addedV6 = Math.max(0, (capacity.ipsV6 ?? 0) - layout.totalAddressesV6);
  if (capacity.ips > layout.totalAddresses || addedV6 > 0) {
    layout = planLayout(name, args, extraIps + Math.max(0, capacity.ips - layout.totalAddresses), addedV6);
  }
  if (addedV6 > 0) {
    // New egress addresses are news to whoever allow-lists them.
    const added = layout.publicIpsV6.slice(-addedV6).map((ip) => ip.logicalName);
    capacityWarnings.push(
      `${layout.prefix}: autoSizeIps chose ${layout.totalAddressesV6} IPv6 addresses for the IPv6 destinations ` +
        `(publicIpV6Count ${layout.publicIpsV6.length}, ${args.publicIpV6Count ?? 0} given): it adds ${added.join(", ")}; ` +
        "allow-list them where the destinations filter by source address",
    );
  }
  return {
    ...layout,
    warnings: [...capacityWarnings, ...layout.warnings],
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    natGatewayName: args.natGatewayName,
    tags: args.tags,
    gatewayTags: { ...args.tags, ...capacity.tags },
    existingPublicIpIds: args.existingPublicIpIds ?? [],
    existingPublicIpPrefixIds: (args.existingPublicIpPrefixes ?? []).map((p) => p.id),
    existingPublicIpV6Ids: args.existingPublicIpV6Ids ?? [],
    existingPublicIpPrefixV6Ids: (args.existingPublicIpPrefixesV6 ?? []).map((p) => p.id),
    alertActionGroupIds: args.alerts?.actionGroupIds ?? [],
    capacity,
    expectedTraffic: args.expectedTraffic,
  };
}
