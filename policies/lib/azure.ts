/**
 * What the Azure rules need to know about each azure-native `network.NatGateway` in a stack: the
 * public IPs and prefixes attached to it (matched to their resources through known IDs or property
 * dependencies) and the subnets that point at it.
 *
 * @module
 */
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
}

/** Every Azure NAT gateway of the stack with its attachments. */
export function azureGateways(stack: readonly Res[]): AzureGateway[] {
  const ips = ofType(stack, TYPES.azurePublicIp);
  const prefixes = ofType(stack, TYPES.azurePublicIpPrefix);
  return ofType(stack, TYPES.azureNatGateway).map((gw) => {
    const ipRefs = resolveRefList(gw, "publicIpAddresses", ips);
    const prefixRefs = resolveRefList(gw, "publicIpPrefixes", prefixes);
    return {
      gw,
      publicIpCount: listLength(gw.props.publicIpAddresses, "publicIpAddresses"),
      prefixCount: listLength(gw.props.publicIpPrefixes, "publicIpPrefixes"),
      publicIps: ipRefs.targets,
      prefixes: prefixRefs.targets,
      unresolvedIps: ipRefs.unresolved,
      unresolvedPrefixes: prefixRefs.unresolved,
    };
  });
}

/** A prefix's length: a number, UNKNOWN, or undefined when not set. */
export function prefixLengthOf(prefix: Res): number | Unknown | undefined {
  return num(prefix.props.prefixLength);
}

/** The gateway's SKU name (`Standard` when not set). */
export function gatewaySku(gw: Res): string | Unknown {
  const sku = gw.props.sku;
  if (isUnknown(sku)) return UNKNOWN;
  const name = sku && typeof sku === "object" ? (sku as Record<string, unknown>).name : undefined;
  if (isUnknown(name)) return UNKNOWN;
  return typeof name === "string" ? name : "Standard";
}

/** A subnet associated with a NAT gateway, from a Subnet resource or a VirtualNetwork's inline subnets. */
export interface AzureSubnetLink {
  /** The resource that declares the subnet. */
  readonly declaredBy: Res;
  /** Subnet name, UNKNOWN when computed, undefined when auto-named. */
  readonly name: string | Unknown | undefined;
  /** Identity of the subnet's virtual network: resource group + name, or the VNet resource's URN. */
  readonly vnet: string | Unknown;
  /** The gateway it points at, "unknown" when that cannot be told, undefined when none. */
  readonly gateway: Res | "unknown" | "external" | undefined;
}

function vnetIdentity(
  owner: Res,
  rgValue: unknown,
  nameValue: unknown,
  vnets: readonly Res[],
): string | Unknown {
  if (typeof rgValue === "string" && typeof nameValue === "string") return `${rgValue}/${nameValue}`;
  const dep = (owner.propertyDependencies.virtualNetworkName ?? []).find((d) => vnets.includes(d));
  if (dep) return dep.urn;
  return UNKNOWN;
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
      vnet: vnetIdentity(s, s.props.resourceGroupName, s.props.virtualNetworkName, vnets),
      gateway: resolveRef(s, "natGateway", s.props.natGateway, gateways),
    });
  }
  for (const v of vnets) {
    const subnets = v.props.subnets;
    if (!Array.isArray(subnets)) continue;
    const rg = v.props.resourceGroupName;
    const vname = v.props.virtualNetworkName;
    const vnet = typeof rg === "string" && typeof vname === "string" ? `${rg}/${vname}` : v.urn;
    for (const sub of subnets) {
      if (!sub || typeof sub !== "object") continue;
      const p = sub as Record<string, unknown>;
      links.push({
        declaredBy: v,
        name: isUnknown(p.name) ? UNKNOWN : typeof p.name === "string" ? p.name : undefined,
        vnet,
        gateway: resolveRef(v, "subnets", p.natGateway, gateways),
      });
    }
  }
  return links;
}
