/**
 * Pure planning of an {@link AzureNatGateway}: arguments in, a plain plan out (which public IPs and
 * prefixes to create under which stable names, the zone they follow, the idle timeout, the subnets
 * and the alerts). Every rule that can be checked without the cloud is checked here, with errors
 * that name the component, the argument, the value, the rule and the fix. No resources are created.
 *
 * @module
 */
import { checkAzureIdleTimeout, checkAzureIps, type Finding, prefixSize } from "../../sim/checks";
import { type FieldIssue, ValidationError } from "../../sim/errors";
import { AZURE, AzureNatSku } from "../../sim/limits";
import { applyFindings, componentPrefix, failOnIssues } from "../common/findings";
import { keyIssues, resolveKeys } from "../common/keys";
import { DEFAULT_PROTECT_IPS } from "../common/options";
import { type AlertPlan, planAlerts } from "./alerts";
import type { AzureNatGatewayArgs } from "./args";
import { planSubnets, type SubnetPlan } from "./subnets";

/** The Pulumi type token of the component. */
export const AZURE_NAT_GATEWAY_TYPE = "natcap:index:AzureNatGateway";

/** The SKU the component creates: the only one azure-native's default network API version can express. */
export const AZURE_NAT_SKU = AzureNatSku.Standard;

/** A public IP to create. */
export interface PublicIpPlan {
  /** Stable key from the arguments. */
  readonly key: string;
  /** Pulumi logical name, `<component>-pip-<key>`. */
  readonly logicalName: string;
  /** Azure name, when the arguments give one. */
  readonly azureName?: string;
  /** `[zone]` for a zonal gateway, otherwise undefined. */
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
  /** Prefix length 28–31. */
  readonly prefixLength: number;
  /** `[zone]` for a zonal gateway, otherwise undefined. */
  readonly zones?: string[];
}

/** Everything the component creates, decided from the arguments alone. */
export interface AzureNatPlan {
  /** `AzureNatGateway "<name>"`, the prefix of every message. */
  readonly label: string;
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
  /** Warnings to log (the message already names the component). */
  readonly warnings: readonly string[];
}

const ZONE = /^[1-9]$/;

/** Public IP SKU a gateway SKU needs (the one place to extend with a new SKU). */
export const PUBLIC_IP_SKU: Record<AzureNatSku, string> = {
  [AzureNatSku.Standard]: "Standard",
  [AzureNatSku.StandardV2]: "StandardV2",
};

/**
 * Keys of the public IPs: explicit keys, or "1".."N" from `publicIpCount`; `extraIps` more from
 * automatic sizing (continuing the count, or `auto-1`... after explicit keys).
 */
function ipKeys(args: AzureNatGatewayArgs, extraIps: number, issues: FieldIssue[]): string[] {
  const hasOther =
    (args.publicIpPrefixes?.length ?? 0) +
      (args.existingPublicIpIds?.length ?? 0) +
      (args.existingPublicIpPrefixes?.length ?? 0) >
    0;
  const { keys, issues: found } = resolveKeys({
    keys: args.publicIps?.map((p) => p.key),
    count: args.publicIpCount,
    keysField: "publicIps",
    countField: "publicIpCount",
    defaultCount: hasOther ? 0 : 1,
  });
  issues.push(...found.map((i) => (i.path.startsWith("publicIps[") ? { ...i, path: `${i.path}.key` } : i)));
  if (args.publicIps !== undefined) {
    for (let i = 1; i <= extraIps; i++) keys.push(`auto-${i}`);
  } else {
    const n = keys.length;
    for (let i = 1; i <= extraIps; i++) keys.push(String(n + i));
  }
  return keys;
}

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

/**
 * Plans an Azure NAT gateway from its arguments.
 *
 * @param name the component's name
 * @param extraIps public IPs added by automatic sizing (keys `auto-1`...)
 * @throws {ValidationError} when an argument is malformed (duplicate key, bad zone, GatewaySubnet...)
 * @throws {LimitError} when a cloud limit is broken (more than 16 addresses, prefix length, idle timeout)
 */
export function planAzureNatGateway(name: string, args: AzureNatGatewayArgs, extraIps = 0): AzureNatPlan {
  const label = componentPrefix("AzureNatGateway", name);
  const issues: FieldIssue[] = [];
  if (!args || typeof args !== "object") {
    throw new ValidationError([{ path: "args", value: args, message: "arguments are required" }], label);
  }
  const zone = args.zone;
  if (zone !== undefined && (typeof zone !== "string" || !ZONE.test(zone))) {
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
  const keys = ipKeys(args, extraIps, issues);
  checkAlertArgs(args, issues);
  const subnets = planSubnets(name, args.subnets, issues);
  failOnIssues(label, issues);

  const zones = zone === undefined ? undefined : [zone];
  const idle = args.idleTimeoutInMinutes ?? AZURE.idleTimeoutMinutesDefault.value;
  const created = (args.publicIpPrefixes ?? []).map((p) => p.prefixLength);
  const existing = (args.existingPublicIpPrefixes ?? []).map((p) => p.prefixLength);
  const existingIps = args.existingPublicIpIds?.length ?? 0;
  const warnings: string[] = [];
  applyFindings(
    label,
    [
      ...renamePrefixFindings(
        checkAzureIps(keys.length + existingIps, [...created, ...existing]),
        args,
        keys.length,
      ),
      ...checkAzureIdleTimeout(idle),
    ],
    (m) => warnings.push(m),
  );

  const names = new Map((args.publicIps ?? []).map((p) => [p.key, p.name]));
  return {
    label,
    gatewayLogicalName: name,
    sku: AZURE_NAT_SKU,
    zones,
    idleTimeoutInMinutes: idle,
    publicIps: keys.map((key) => ({
      key,
      logicalName: `${name}-pip-${key}`,
      azureName: names.get(key),
      zones,
    })),
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

/** The arguments that add addresses, e.g. `publicIpCount + publicIpPrefixes`, for the total's message. */
function addressArguments(args: AzureNatGatewayArgs, ips: number): string {
  const given = [
    ips === 0 ? "" : args.publicIps !== undefined ? "publicIps" : "publicIpCount",
    (args.publicIpPrefixes?.length ?? 0) > 0 ? "publicIpPrefixes" : "",
    (args.existingPublicIpIds?.length ?? 0) > 0 ? "existingPublicIpIds" : "",
    (args.existingPublicIpPrefixes?.length ?? 0) > 0 ? "existingPublicIpPrefixes" : "",
  ];
  return given.filter((g) => g !== "").join(" + ");
}

/** checkAzureIps numbers prefixes over created then existing; name them as the arguments do. */
function renamePrefixFindings(findings: Finding[], args: AzureNatGatewayArgs, ips: number): Finding[] {
  const createdCount = args.publicIpPrefixes?.length ?? 0;
  return findings.map((f) => {
    const m = /^publicIpPrefixes\[(\d+)\]\.prefixLength$/.exec(f.field);
    if (m) {
      const i = Number(m[1]);
      const field =
        i < createdCount
          ? `publicIpPrefixes[${i}].prefixLength`
          : `existingPublicIpPrefixes[${i - createdCount}].prefixLength`;
      return { ...f, field };
    }
    if (f.field === "publicIps") return { ...f, field: addressArguments(args, ips) };
    return f;
  });
}
