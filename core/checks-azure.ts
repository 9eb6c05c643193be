/**
 * Pure checks of Azure NAT gateway SKUs (StandardV2 with IPv4 and IPv6, Standard with IPv4 only),
 * used by the policy pack; findings as in core/checks.ts. Also the one decision of whether a
 * gateway's subnets are in one virtual network as far as preview knows (`oneVnetVerdict`), shared
 * by the AzureNatGateway component and the subnet rule.
 *
 * @module
 */
import { countAzureIps, type Finding } from "./checks";
import { AZURE } from "./limits";

// ---------------------------------------------------------------------------------------------
// Azure NAT gateway SKUs: StandardV2 (IPv4 and IPv6) against Standard (IPv4 only).
// ---------------------------------------------------------------------------------------------

/** The addresses attached to an Azure NAT gateway, by IP version, with their SKUs. */
export interface AzureGatewayAddresses {
  /** The gateway's SKU name, e.g. `Standard`, `StandardV2`. */
  readonly sku: string;
  /** Public IPv4 addresses (single IPs). */
  readonly ipv4Ips: number;
  /** Prefix lengths of the IPv4 prefixes. @default [] */
  readonly ipv4PrefixLengths?: readonly number[];
  /** Public IPv6 addresses (single IPs). @default 0 */
  readonly ipv6Ips?: number;
  /** Prefix lengths of the IPv6 prefixes. @default [] */
  readonly ipv6PrefixLengths?: readonly number[];
  /** SKU names of the attached public IPs and prefixes, where known. @default [] */
  readonly addressSkus?: readonly string[];
  /** Prefixes derived from a custom (BYOIP) prefix. @default 0 */
  readonly customPrefixes?: number;
}

/** Addresses in an IPv6 public IP prefix of length `len` (/124 = 16, /127 = 2). */
export function prefixSizeV6(len: number): number {
  return 2 ** (128 - len);
}

/**
 * Checks the lengths of a StandardV2 gateway's IPv6 prefixes: /124 (16 addresses) to /127 (2), the
 * IPv6 public IP prefix sizes Azure offers.
 *
 * @param field the path of the list, e.g. `publicIpPrefixesV6` @default "publicIpPrefixesV6"
 */
export function checkAzureIpv6PrefixLengths(
  prefixLengths: readonly number[],
  field = "publicIpPrefixesV6",
): Finding[] {
  const min = AZURE.prefixLengthV6Min.value;
  const max = AZURE.prefixLengthV6Max.value;
  const findings: Finding[] = [];
  prefixLengths.forEach((len, i) => {
    if (!Number.isInteger(len) || len < min || len > max) {
      findings.push({
        severity: "error",
        path: `${field}[${i}].prefixLength`,
        value: len,
        message: `IPv6 prefix length ${len} is outside /${min}–/${max}, the IPv6 public IP prefix sizes Azure offers`,
        fix: `use a prefix length from ${min} (16 addresses) to ${max} (2 addresses)`,
        limit: AZURE.prefixLengthV6Min,
      });
    }
  });
  return findings;
}

/**
 * Checks the SKU rules of an Azure NAT gateway's addresses: a Standard gateway takes no IPv6; a
 * StandardV2 gateway takes at most 16 IPv4 and 16 IPv6 addresses (a prefix counts whole), only
 * StandardV2 public IPs and prefixes, and no prefix from a custom (BYOIP) range.
 */
export function checkAzureSkuAddresses(a: AzureGatewayAddresses): Finding[] {
  const findings: Finding[] = [];
  const ipv6 = (a.ipv6Ips ?? 0) + (a.ipv6PrefixLengths ?? []).reduce((s, len) => s + prefixSizeV6(len), 0);
  const ipv4 = countAzureIps(a.ipv4Ips, a.ipv4PrefixLengths ?? []);
  if (a.sku !== "StandardV2") {
    if (ipv6 > 0) {
      findings.push({
        severity: "error",
        path: "publicIpAddressesV6",
        value: ipv6,
        message: `a ${a.sku} NAT gateway takes no IPv6 addresses (${ipv6} given): IPv6 needs the StandardV2 SKU`,
        fix: "use sku StandardV2 with StandardV2 public IPv6 addresses, or remove the IPv6 addresses",
        limit: AZURE.maxPublicIpv6StandardV2,
      });
    }
    return findings;
  }
  const v4 = AZURE.maxPublicIpv4StandardV2;
  const v6 = AZURE.maxPublicIpv6StandardV2;
  if (ipv4 > v4.value) {
    findings.push({
      severity: "error",
      path: "publicIpAddresses",
      value: ipv4,
      message: `${ipv4} public IPv4 addresses exceed the ${v4.value} a StandardV2 NAT gateway can use`,
      fix: `remove ${ipv4 - v4.value} IPv4 address${ipv4 - v4.value === 1 ? "" : "es"} (a prefix counts whole)`,
      limit: v4,
    });
  }
  if (ipv6 > v6.value) {
    findings.push({
      severity: "error",
      path: "publicIpAddressesV6",
      value: ipv6,
      message: `${ipv6} public IPv6 addresses exceed the ${v6.value} a StandardV2 NAT gateway can use`,
      fix: `remove ${ipv6 - v6.value} IPv6 address${ipv6 - v6.value === 1 ? "" : "es"} (a prefix counts whole)`,
      limit: v6,
    });
  }
  const wrong = (a.addressSkus ?? []).filter((s) => s !== "StandardV2");
  if (wrong.length > 0) {
    findings.push({
      severity: "error",
      path: "sku",
      value: wrong,
      message: `a StandardV2 NAT gateway takes only StandardV2 public IPs and prefixes, not ${[...new Set(wrong)].join(", ")}`,
      fix: 'create the public IPs and prefixes with sku: { name: "StandardV2" }',
      limit: v4,
    });
  }
  if ((a.customPrefixes ?? 0) > 0) {
    findings.push({
      severity: "error",
      path: "publicIpPrefixes",
      value: a.customPrefixes,
      message: `a StandardV2 NAT gateway takes no prefix from a custom (BYOIP) range (${a.customPrefixes} given)`,
      fix: "use Azure-owned StandardV2 prefixes, or a Standard NAT gateway for BYOIP prefixes",
      limit: v4,
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// One virtual network per NAT gateway, decided as far as preview allows.
// ---------------------------------------------------------------------------------------------

/**
 * Source of Azure's case rule: "Resource and resource group names are case-insensitive unless
 * specifically noted ... Always perform a case-insensitive comparison of names."
 */
export const AZURE_NAME_RULES =
  "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules";

/**
 * A value unknown during preview, named by where it comes from: two unknowns with the same
 * `source` (the same Pulumi Output, the same resource) are the same value; without a source an
 * unknown equals nothing.
 */
export interface UnknownPart {
  /** Identity of the unknown's origin (compared with `===`). @default none */
  readonly source?: unknown;
}

/** One part of a virtual network's identity: its name when known, else an {@link UnknownPart}. */
export type VnetPart = string | UnknownPart;

/**
 * What preview knows of a subnet's virtual network. A VNet is identified by subscription, resource
 * group and name (Azure compares names case-insensitively).
 */
export interface VnetAtPreview {
  /** Subscription ID; undefined means the program's default subscription. @default the default subscription */
  readonly subscription?: VnetPart;
  /** Resource group name. */
  readonly resourceGroup: VnetPart;
  /** VNet name. */
  readonly name: VnetPart;
  /**
   * The resource of the program that declares this VNet, when known: one resource declares one VNet,
   * and a program declares each VNet once. @default none
   */
  readonly declaredBy?: unknown;
}

/** Whether two subnets' VNets are one: `same`, `different`, or `unknown` until deployment. */
export type VnetComparison = "same" | "different" | "unknown";

function samePart(a: VnetPart | undefined, b: VnetPart | undefined): boolean | "unknown" {
  if (a === undefined || b === undefined) return a === b ? true : "unknown";
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === "object" && typeof b === "object" && a.source !== undefined && a.source === b.source)
    return true;
  return "unknown";
}

/**
 * Compares two subnets' virtual networks as far as preview allows. Identity is subscription +
 * resource group + name, each compared case-insensitively ({@link AZURE_NAME_RULES}): any part
 * known to differ makes two VNets (so "vnet-a" and "vnet-b" are two VNets whatever their unknown
 * groups), all parts equal (known and equal, or the same unknown) make one, anything else is unknown.
 */
export function compareVnets(a: VnetAtPreview, b: VnetAtPreview): VnetComparison {
  if (a.declaredBy !== undefined && b.declaredBy !== undefined)
    return a.declaredBy === b.declaredBy ? "same" : "different";
  const parts = [
    samePart(a.subscription, b.subscription),
    samePart(a.resourceGroup, b.resourceGroup),
    samePart(a.name, b.name),
  ];
  if (parts.includes(false)) return "different";
  return parts.every((p) => p === true) ? "same" : "unknown";
}

/** The verdict on a gateway's subnets: one VNet, two told apart, or undecidable at preview. */
export type OneVnetVerdict =
  | { readonly kind: "one" }
  /** `pair` indexes two subnets in different VNets; `networks` is how many VNets are told apart. */
  | { readonly kind: "different"; readonly pair: readonly [number, number]; readonly networks: number }
  /** `pair` indexes two subnets whose VNets cannot be compared yet. */
  | { readonly kind: "unknown"; readonly pair: readonly [number, number] };

/**
 * Decides whether subnets are all in one virtual network (a NAT gateway serves one VNet), from
 * {@link compareVnets} on every pair: different as soon as one pair differs, unknown when no pair
 * differs but one cannot be compared. `networks` counts the VNets told apart for sure.
 */
export function oneVnetVerdict(vnets: readonly VnetAtPreview[]): OneVnetVerdict {
  let different: [number, number] | undefined;
  let unknown: [number, number] | undefined;
  // Subnets whose VNets are pairwise different: a lower bound on the number of VNets, exact when all is known.
  const apart: number[] = [];
  vnets.forEach((v, i) => {
    for (let j = 0; j < i; j++) {
      const c = compareVnets(vnets[j], v);
      if (c === "different") different ??= [j, i];
      else if (c === "unknown") unknown ??= [j, i];
    }
    if (apart.every((k) => compareVnets(vnets[k], v) === "different")) apart.push(i);
  });
  if (different) return { kind: "different", pair: different, networks: Math.max(2, apart.length) };
  return unknown ? { kind: "unknown", pair: unknown } : { kind: "one" };
}

/** The subscription, resource group and name of a virtual network, all known. */
export interface KnownVnet extends VnetAtPreview {
  /** Subscription ID. */
  readonly subscription: string;
  /** Resource group name. */
  readonly resourceGroup: string;
  /** VNet name. */
  readonly name: string;
}

/**
 * The VNet of an Azure resource ID (a VNet's or one of its subnets':
 * `/subscriptions/S/resourceGroups/G/providers/Microsoft.Network/virtualNetworks/V[/subnets/N]`),
 * or undefined for any other string. ARM path segments are case-insensitive.
 */
export function vnetOfResourceId(id: string): KnownVnet | undefined {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)(\/|$)/i.exec(
      id,
    );
  return m ? { subscription: m[1], resourceGroup: m[2], name: m[3] } : undefined;
}
