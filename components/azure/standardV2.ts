/**
 * The StandardV2 resources of an {@link AzureNatGateway}: the NAT gateway, its public IPs and its
 * prefixes, created with azure-native's generic `resources.Resource` at network API version
 * 2025-01-01 (azure-native's default network API version has the Standard SKU only). Inputs follow
 * that API version's schema (Microsoft.Network natGateways, publicIPAddresses, publicIPPrefixes).
 *
 * @module
 */
import * as resources from "@pulumi/azure-native/resources";
import type * as pulumi from "@pulumi/pulumi";
import { childOptions, ipResourceOptions } from "../common/options";
import { AZURE_STANDARD_V2_API_VERSION, type AzureNatPlan, type PrefixPlan, type PublicIpPlan } from "./plan";

/** What the component reads back from a created address resource. */
export interface CreatedAddress {
  /** Resource ID. */
  readonly id: pulumi.Output<string>;
  /** The address (public IP) or CIDR block (prefix); undefined until Azure allocates it. */
  readonly value: pulumi.Output<string | undefined>;
}

/** The StandardV2 gateway and the addresses created for it. */
export interface StandardV2Resources {
  /** The created public IPs, in plan order. */
  readonly ips: CreatedAddress[];
  /** The created public IPv6 addresses, in plan order. */
  readonly ipsV6: CreatedAddress[];
  /** The created prefixes, in plan order. */
  readonly prefixes: CreatedAddress[];
  /** The created IPv6 prefixes, in plan order. */
  readonly prefixesV6: CreatedAddress[];
  /** The NAT gateway. */
  readonly gateway: resources.Resource;
}

/** The generic resource's fixed inputs for one Microsoft.Network resource type. */
function networkResource(resourceType: string) {
  return {
    apiVersion: AZURE_STANDARD_V2_API_VERSION,
    resourceProviderNamespace: "Microsoft.Network",
    parentResourcePath: "",
    resourceType,
  };
}

/**
 * Creates the StandardV2 public IPs (IPv4, then IPv6) and prefixes (IPv4, then IPv6; zone-redundant:
 * no zones), then the gateway with the created and existing addresses of both versions; the same
 * logical names and protection as the Standard path.
 */
export function createStandardV2(
  parent: pulumi.ComponentResource,
  plan: AzureNatPlan,
  existingIpIds: readonly pulumi.Input<string>[],
  existingPrefixIds: readonly pulumi.Input<string>[],
): StandardV2Resources {
  const existingV6Ids = plan.existingPublicIpV6Ids;
  const existingPrefixV6Ids = plan.existingPublicIpPrefixV6Ids;
  const common = { resourceGroupName: plan.resourceGroupName, location: plan.location, tags: plan.tags };
  const ipOpts = ipResourceOptions(parent, plan.protectIps);
  const publicIp = (ip: PublicIpPlan, version: "IPv4" | "IPv6"): CreatedAddress => {
    const r = new resources.Resource(
      ip.logicalName,
      {
        ...networkResource("publicIPAddresses"),
        ...common,
        resourceName: ip.azureName,
        sku: { name: "StandardV2", tier: "Regional" },
        properties: { publicIPAllocationMethod: "Static", publicIPAddressVersion: version },
      },
      ipOpts,
    );
    return { id: r.id, value: r.properties.apply((p) => p?.ipAddress as string | undefined) };
  };
  const ips = plan.publicIps.map((ip) => publicIp(ip, "IPv4"));
  const ipsV6 = plan.publicIpsV6.map((ip) => publicIp(ip, "IPv6"));
  const prefix = (p: PrefixPlan, version: "IPv4" | "IPv6"): CreatedAddress => {
    const r = new resources.Resource(
      p.logicalName,
      {
        ...networkResource("publicIPPrefixes"),
        ...common,
        resourceName: p.azureName,
        sku: { name: "StandardV2" },
        properties: { prefixLength: p.prefixLength, publicIPAddressVersion: version },
      },
      ipOpts,
    );
    return { id: r.id, value: r.properties.apply((q) => q?.ipPrefix as string | undefined) };
  };
  const prefixes = plan.prefixes.map((p) => prefix(p, "IPv4"));
  const prefixesV6 = plan.prefixesV6.map((p) => prefix(p, "IPv6"));
  const v6Ips = [...ipsV6.map((ip) => ip.id), ...existingV6Ids];
  const v6Prefixes = [...prefixesV6.map((p) => p.id), ...existingPrefixV6Ids];
  const gateway = new resources.Resource(
    plan.gatewayLogicalName,
    {
      ...networkResource("natGateways"),
      ...common,
      tags: plan.gatewayTags,
      resourceName: plan.natGatewayName,
      sku: { name: "StandardV2" },
      properties: {
        idleTimeoutInMinutes: plan.idleTimeoutInMinutes,
        publicIpAddresses: [...ips.map((ip) => ip.id), ...existingIpIds].map((id) => ({ id })),
        publicIpPrefixes: [...prefixes.map((p) => p.id), ...existingPrefixIds].map((id) => ({ id })),
        // Only when there are IPv6 addresses, so an IPv4-only gateway sends what older clients read.
        ...(v6Ips.length > 0 ? { publicIpAddressesV6: v6Ips.map((id) => ({ id })) } : {}),
        ...(v6Prefixes.length > 0 ? { publicIpPrefixesV6: v6Prefixes.map((id) => ({ id })) } : {}),
      },
    },
    childOptions(parent),
  );
  return { ips, ipsV6, prefixes, prefixesV6, gateway };
}
