/**
 * What the Azure rules need to know about each azure-native `network.NatGateway` in a stack: the
 * public IPs and prefixes attached to it (matched to their resources through known IDs or property
 * dependencies) and the subnets that point at it.
 *
 * @module
 */
import { compareVnets, type VnetAtPreview, type VnetPart, vnetOfResourceId } from "../../core/checks-azure";
import { AZURE } from "../../core/limits";
import { type Count, isUnknown, listLength, num, UNKNOWN, type Unknown } from "./props";
import { ofType, type Res, resolveRef, resolveRefList, TYPES } from "./stack";

/** One Azure NAT gateway with its attachments. */
export interface AzureGateway {
  /** The gateway resource. */
  readonly gw: Res;
  /** Number of entries in `publicIpAddresses`. */
  readonly publicIpCount: Count;
  /** Number of entries in `publicIpPrefixes`. */
  readonly prefixCount: Count;
  /** PublicIPAddress resources of the stack attached to it. */
  readonly publicIps: readonly Res[];
  /** PublicIPPrefix resources of the stack attached to it. */
  readonly prefixes: readonly Res[];
  /** `publicIpAddresses` entries not matched to a stack resource (unknown IDs or outside the stack). */
  readonly unresolvedIps: number;
  /** `publicIpPrefixes` entries not matched to a stack resource. */
  readonly unresolvedPrefixes: number;
  /** Number of entries in `publicIpAddressesV6` (StandardV2, API 2025-01-01). */
  readonly publicIpV6Count: Count;
  /** Number of entries in `publicIpPrefixesV6`. */
  readonly prefixV6Count: Count;
  /** IPv6 PublicIPAddress resources of the stack attached to it through `publicIpAddressesV6`. */
  readonly publicIpsV6: readonly Res[];
  /** IPv6 PublicIPPrefix resources of the stack attached to it through `publicIpPrefixesV6`. */
  readonly prefixesV6: readonly Res[];
  /** `publicIpPrefixesV6` entries not matched to a stack resource. */
  readonly unresolvedPrefixesV6: number;
}

/** True for a public IP or prefix whose version is IPv6. */
const isV6 = (r: Res) => r.props.publicIPAddressVersion === "IPv6";

/** Every Azure NAT gateway of the stack with its attachments. */
export function azureGateways(stack: readonly Res[]): AzureGateway[] {
  const ips = ofType(stack, TYPES.azurePublicIp);
  const prefixes = ofType(stack, TYPES.azurePublicIpPrefix);
  return ofType(stack, TYPES.azureNatGateway).map((gw) => {
    // A gateway with an IPv6 list (StandardV2's publicIpAddressesV6) shares its dependencies between
    // both lists: its IPv6 addresses are left out so the IPv4 list can still be matched by them.
    // Without one, an IPv6 address is a candidate (and the SKU rule blocks it).
    const hasV6List = gw.props.publicIpAddressesV6 !== undefined;
    const ipRefs = resolveRefList(
      gw,
      "publicIpAddresses",
      hasV6List ? ips.filter((ip) => ip.props.publicIPAddressVersion !== "IPv6") : ips,
    );
    // The same for prefixes: a gateway with an IPv6 prefix list matches IPv6 prefixes to it only.
    const hasV6Prefixes = gw.props.publicIpPrefixesV6 !== undefined;
    const prefixRefs = resolveRefList(
      gw,
      "publicIpPrefixes",
      hasV6Prefixes ? prefixes.filter((p) => !isV6(p)) : prefixes,
    );
    const v6PrefixRefs = resolveRefList(gw, "publicIpPrefixesV6", prefixes.filter(isV6));
    const v6IpRefs = hasV6List ? resolveRefList(gw, "publicIpAddressesV6", ips.filter(isV6)) : undefined;
    return {
      gw,
      publicIpCount: listLength(gw.props.publicIpAddresses, "publicIpAddresses"),
      prefixCount: listLength(gw.props.publicIpPrefixes, "publicIpPrefixes"),
      publicIps: ipRefs.targets,
      prefixes: prefixRefs.targets,
      unresolvedIps: ipRefs.unresolved,
      unresolvedPrefixes: prefixRefs.unresolved,
      publicIpV6Count: listLength(gw.props.publicIpAddressesV6, "publicIpAddressesV6"),
      prefixV6Count: listLength(gw.props.publicIpPrefixesV6, "publicIpPrefixesV6"),
      publicIpsV6: v6IpRefs?.targets ?? [],
      prefixesV6: v6PrefixRefs.targets,
      unresolvedPrefixesV6: v6PrefixRefs.unresolved,
    };
  });
}

/**
 * The public IPv6 addresses an Azure gateway uses (StandardV2), as far as preview can tell: each IPv6
 * public IP counts one, each IPv6 prefix counts whole, and a prefix whose size is not known counts as
 * the smallest (/127, 2 addresses), so the count is a lower bound unless `exact`.
 */
export interface AzureAddressesV6 {
  /** Entries of `publicIpAddressesV6` (known lower bound). */
  readonly publicIps: number;
  /** One length per `publicIpPrefixesV6` entry: the known lengths, then /127 for each entry of unknown size. */
  readonly prefixLengths: readonly number[];
  /** The known lengths alone, for the prefix-length rule. */
  readonly knownPrefixLengths: readonly number[];
  /** What is unknown during preview, in words (empty when exact). */
  readonly unknowns: readonly string[];
  /** IPv6 addresses in all (prefixes whole): exact, or a lower bound. */
  readonly total: number;
  /** True when nothing is unknown. */
  readonly exact: boolean;
}

/** Counts an Azure gateway's public IPv6 addresses (see {@link AzureAddressesV6}). */
export function azureAddressesV6(g: AzureGateway): AzureAddressesV6 {
  const known: number[] = [];
  const unknowns: string[] = [...g.publicIpV6Count.unknowns, ...g.prefixV6Count.unknowns];
  for (const prefix of g.prefixesV6) {
    const len = prefixLengthOf(prefix);
    if (typeof len === "number") known.push(len);
    else unknowns.push(`the prefixLength of IPv6 PublicIPPrefix "${prefix.name}"`);
  }
  const assumed = Math.max(0, g.prefixV6Count.min - known.length);
  if (g.unresolvedPrefixesV6 > 0)
    unknowns.push(
      `${g.unresolvedPrefixesV6} publicIpPrefixesV6 entries not matched to a prefix in this stack`,
    );
  const prefixLengths = [...known, ...Array<number>(assumed).fill(AZURE.prefixLengthV6Max.value)];
  const valid = (len: number) =>
    Number.isInteger(len) && len >= AZURE.prefixLengthV6Min.value && len <= AZURE.prefixLengthV6Max.value;
  return {
    publicIps: g.publicIpV6Count.min,
    prefixLengths,
    knownPrefixLengths: known,
    unknowns,
    total: g.publicIpV6Count.min + prefixLengths.filter(valid).reduce((s, len) => s + 2 ** (128 - len), 0),
    exact: unknowns.length === 0,
  };
}

/** A prefix's length: a number, UNKNOWN, or undefined when not set. */
export function prefixLengthOf(prefix: Res): number | Unknown | undefined {
  return num(prefix.props.prefixLength);
}

/**
 * The public IPv4 addresses an Azure gateway uses, as far as preview can tell: each public IP counts
 * one, each prefix counts whole, and a prefix whose size is not known counts as the smallest a gateway
 * takes (/31, 2 addresses), so the count is a lower bound unless `exact`.
 */
export interface AzureAddresses {
  /** Entries of `publicIpAddresses` (known lower bound). */
  readonly publicIps: number;
  /** One length per `publicIpPrefixes` entry: the known lengths, then /31 for each entry of unknown size. */
  readonly prefixLengths: readonly number[];
  /** How many of `prefixLengths` are the assumed /31. */
  readonly assumedPrefixes: number;
  /** Prefixes of this stack whose `prefixLength` is unknown or, with `notSet`, absent. */
  readonly unsizedPrefixes: readonly { readonly prefix: Res; readonly notSet: boolean }[];
  /** The attachment lists unknown during preview (`publicIpAddresses`, `publicIpPrefixes`). */
  readonly unknownLists: readonly string[];
  /** `publicIpPrefixes` entries not matched to a prefix of this stack. */
  readonly unmatchedPrefixes: number;
  /** True when nothing above is unknown, so the count is exact. */
  readonly exact: boolean;
}

/** Counts an Azure gateway's public IPv4 addresses (see {@link AzureAddresses}). */
export function azureAddresses(g: AzureGateway): AzureAddresses {
  const known: number[] = [];
  const unsizedPrefixes: { prefix: Res; notSet: boolean }[] = [];
  for (const prefix of g.prefixes) {
    const len = prefixLengthOf(prefix);
    if (typeof len === "number") known.push(len);
    else unsizedPrefixes.push({ prefix, notSet: len === undefined });
  }
  const assumedPrefixes = Math.max(0, g.prefixCount.min - known.length);
  const unknownLists = [...g.publicIpCount.unknowns, ...g.prefixCount.unknowns];
  return {
    publicIps: g.publicIpCount.min,
    prefixLengths: [...known, ...Array<number>(assumedPrefixes).fill(AZURE.prefixLengthMax.value)],
    assumedPrefixes,
    unsizedPrefixes,
    unknownLists,
    unmatchedPrefixes: g.unresolvedPrefixes,
    exact: unknownLists.length === 0 && unsizedPrefixes.length === 0 && g.unresolvedPrefixes === 0,
  };
}

/** The gateway's SKU name (`Standard` when not set). */
export function gatewaySku(gw: Res): string | Unknown {
  const sku = gw.props.sku;
  if (isUnknown(sku)) return UNKNOWN;
  const name = sku && typeof sku === "object" ? (sku as Record<string, unknown>).name : undefined;
  if (isUnknown(name)) return UNKNOWN;
  return typeof name === "string" ? name : "Standard";
}

/** What is known of a subnet's virtual network during preview. */
export interface VnetRef {
  /** The VirtualNetwork resource of this stack, when identified (inline subnet, reference, or literal names). */
  readonly resource?: Res;
  /** The VNet's name: literal, UNKNOWN when computed, undefined when auto-named. */
  readonly name: string | Unknown | undefined;
  /** Its resource group: the literal name, `urn:` of the ResourceGroup resource it comes from, or UNKNOWN. */
  readonly group: string | Unknown | undefined;
  /** Its subscription, from a literal resource ID; undefined means the program's default. @default undefined */
  readonly subscription?: string;
}

/** A subnet associated with a NAT gateway, from a Subnet resource or a VirtualNetwork's inline subnets. */
export interface AzureSubnetLink {
  /** The resource that declares the subnet. */
  readonly declaredBy: Res;
  /** Subnet name, UNKNOWN when computed, undefined when auto-named. */
  readonly name: string | Unknown | undefined;
  /** The subnet's own virtual network, as far as it is known. */
  readonly vnet: VnetRef;
  /** The gateway it points at, "unknown" when that cannot be told, undefined when none. */
  readonly gateway: Res | "unknown" | "external" | undefined;
}

/**
 * A resource group reference: its literal name; else, unknown, the ResourceGroup resource it
 * depends on (two references to one ResourceGroup are the same group), or UNKNOWN.
 */
function groupOf(owner: Res): string | Unknown | undefined {
  const v = owner.props.resourceGroupName;
  if (typeof v === "string") return v;
  const dep = (owner.propertyDependencies.resourceGroupName ?? []).find((d) =>
    d.type.endsWith(":ResourceGroup"),
  );
  if (dep) return `urn:${dep.urn}`;
  return v === undefined ? undefined : UNKNOWN;
}

function literal(v: unknown): string | Unknown | undefined {
  return typeof v === "string" ? v : isUnknown(v) ? UNKNOWN : undefined;
}

/** The VnetRef of a VirtualNetwork resource itself. */
function ownVnet(v: Res): VnetRef {
  return { resource: v, name: literal(v.props.virtualNetworkName), group: groupOf(v) };
}

/**
 * The virtual network a Subnet resource belongs to: by reference, else by its resource ID when that
 * is a literal ARM ID, else by literal group and name.
 */
function subnetVnet(s: Res, vnets: readonly Res[]): VnetRef {
  const deps = (s.propertyDependencies.virtualNetworkName ?? []).filter((d) => vnets.includes(d));
  if (deps.length === 1) return ownVnet(deps[0]);
  const fromId = typeof s.props.id === "string" ? vnetOfResourceId(s.props.id) : undefined;
  if (fromId) return { name: fromId.name, group: fromId.resourceGroup, subscription: fromId.subscription };
  const name = literal(s.props.virtualNetworkName);
  const group = groupOf(s);
  if (typeof name === "string" && typeof group === "string") {
    const same = vnets.filter(
      (v) => compareVnets(atPreview(ownVnet(v)), atPreview({ name, group })) === "same",
    );
    if (same.length === 1) return ownVnet(same[0]);
  }
  return { name: name ?? UNKNOWN, group };
}

/** A key that identifies a virtual network when it is fully known, else undefined. */
export function vnetKey(v: VnetRef): string | undefined {
  if (v.resource) return v.resource.urn;
  return typeof v.name === "string" && typeof v.group === "string"
    ? `${v.subscription ?? ""}/${v.group}/${v.name}`.toLowerCase()
    : undefined;
}

/**
 * A VnetRef as the shared decision takes it: a group from a ResourceGroup resource is an unknown
 * named by that resource; an auto-named VNet's name is an unknown named by its resource; any other
 * unknown equals nothing (two unknowns in the engine's view are not known to be equal).
 */
export function atPreview(v: VnetRef): VnetAtPreview {
  const group: VnetPart =
    typeof v.group === "string" ? (v.group.startsWith("urn:") ? { source: v.group } : v.group) : {};
  const name: VnetPart =
    typeof v.name === "string" ? v.name : v.resource && v.name === undefined ? { source: v.resource } : {};
  return { subscription: v.subscription, resourceGroup: group, name, declaredBy: v.resource };
}

/** "VNet \"vnet-a\" (resource group \"rg\")" / "VirtualNetwork \"main\"" / "a VNet whose name is unknown", for messages. */
export function describeVnet(v: VnetRef): string {
  if (typeof v.name === "string") {
    const group =
      typeof v.group === "string" && !v.group.startsWith("urn:") ? ` (resource group "${v.group}")` : "";
    return `VNet "${v.name}"${group}${v.subscription ? ` of subscription ${v.subscription}` : ""}`;
  }
  if (v.resource) return `VirtualNetwork "${v.resource.name}"`;
  return "a VNet whose name is unknown";
}

/** Every subnet of the stack (Subnet resources and inline VNet subnets) with the gateway it uses. */
export function azureSubnets(stack: readonly Res[]): AzureSubnetLink[] {
  const gateways = ofType(stack, TYPES.azureNatGateway);
  const vnets = ofType(stack, TYPES.azureVirtualNetwork);
  const links: AzureSubnetLink[] = [];
  for (const s of ofType(stack, TYPES.azureSubnet)) {
    const name = s.props.subnetName ?? s.props.name;
    links.push({
      declaredBy: s,
      name: isUnknown(name) ? UNKNOWN : typeof name === "string" ? name : undefined,
      vnet: subnetVnet(s, vnets),
      gateway: resolveRef(s, "natGateway", s.props.natGateway, gateways),
    });
  }
  for (const v of vnets) {
    const subnets = v.props.subnets;
    if (!Array.isArray(subnets)) continue;
    for (const sub of subnets) {
      if (!sub || typeof sub !== "object") continue;
      const p = sub as Record<string, unknown>;
      links.push({
        declaredBy: v,
        name: isUnknown(p.name) ? UNKNOWN : typeof p.name === "string" ? p.name : undefined,
        vnet: ownVnet(v),
        gateway: resolveRef(v, "subnets", p.natGateway, gateways),
      });
    }
  }
  return links;
}
