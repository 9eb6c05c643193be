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
import { AZURE_STANDARD_V2_API_VERSION, type AzureNatPlan, type PublicIpPlan } from "./plan";

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
 * Creates the StandardV2 public IPs (IPv4, then IPv6) and prefixes (zone-redundant: no zones), then the gateway with
 * the created and existing addresses; the same logical names and protection as the Standard path.
 */
export function createStandardV2(
  parent: pulumi.ComponentResource,
  plan: AzureNatPlan,
  existingIpIds: readonly pulumi.Input<string>[],
  existingPrefixIds: readonly pulumi.Input<string>[],
): StandardV2Resources {
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
  const prefixes = plan.prefixes.map((p) => {
    const r = new resources.Resource(
      p.logicalName,
      {
        ...networkResource("publicIPPrefixes"),
        ...common,
        resourceName: p.azureName,
        sku: { name: "StandardV2" },
        properties: { prefixLength: p.prefixLength, publicIPAddressVersion: "IPv4" },
      },
      ipOpts,
    );
    return { id: r.id, value: r.properties.apply((q) => q?.ipPrefix as string | undefined) };
  });
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
        ...(ipsV6.length > 0 ? { publicIpAddressesV6: ipsV6.map((ip) => ({ id: ip.id })) } : {}),
      },
    },
    childOptions(parent),
  );
  return { ips, ipsV6, prefixes, gateway };
}
