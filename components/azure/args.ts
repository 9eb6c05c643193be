/**
 * Arguments of {@link AzureNatGateway}. Plain interfaces, enums instead of unions, so Pulumi's
 * component schema inference can describe them for other languages.
 *
 * @module
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CapacityCheckMode, CapacityMethod } from "../common/capacity";
import type { ExpectedTrafficArgs } from "../common/expectation";

/**
 * SKU of the NAT gateway. StandardV2 is zone-redundant (no `zone`), and the component creates its
 * StandardV2 public IPs and prefixes through azure-native's generic resource at network API version
 * 2025-01-01, since azure-native's default network API version knows only Standard.
 */
export const AzureNatGatewaySku = {
  /** Standard: one zone or none, up to 16 public IPv4 addresses. */
  Standard: "Standard",
  /** StandardV2: zone-redundant, up to 16 public IPv4 addresses, StandardV2 public IPs and prefixes only. */
  StandardV2: "StandardV2",
} as const;
/** A value of {@link AzureNatGatewaySku}: the member (e.g. `AzureNatGatewaySku.StandardV2`) or its string. */
export type AzureNatGatewaySku = (typeof AzureNatGatewaySku)[keyof typeof AzureNatGatewaySku];

/** A public IP the component creates: the gateway's SKU, static, IPv4, in the gateway's zone (none for StandardV2). */
export interface AzureNatPublicIpArgs {
  /**
   * Stable identity of the IP. The child resource is named `<component>-pip-<key>`; keep the key
   * when reordering or resizing so the address (and the partners' allow lists) stay the same.
   */
  key: string;
  /** Azure name of the public IP. @default auto-named from the logical name */
  name?: string;
}

/** A public IP prefix the component creates: the gateway's SKU, IPv4, in the gateway's zone (none for StandardV2). */
export interface AzureNatPublicIpPrefixArgs {
  /** Stable identity of the prefix; the child resource is named `<component>-ippre-<key>`. */
  key: string;
  /** Prefix length, 28 (16 addresses) to 31 (2 addresses). Every address counts toward the 16. */
  prefixLength: number;
  /** Azure name of the prefix. @default auto-named from the logical name */
  name?: string;
}

/** A public IP prefix created elsewhere. Its length is needed to count it toward the 16 addresses. */
export interface AzureNatExistingPublicIpPrefixArgs {
  /** Resource ID of the prefix (Standard SKU, IPv4, same zone as the gateway or no zone). */
  id: pulumi.Input<string>;
  /** Its prefix length, 28 to 31. */
  prefixLength: number;
}

/**
 * A public IPv6 prefix the component creates (StandardV2 only): StandardV2, IPv6, zone-redundant.
 * Every address counts toward the 16 IPv6 addresses of a StandardV2 gateway.
 */
export interface AzureNatPublicIpPrefixV6Args {
  /** Stable identity of the prefix; the child resource is named `<component>-ipprev6-<key>`. */
  key: string;
  /** Prefix length, 124 (16 addresses) to 127 (2 addresses). */
  prefixLength: number;
  /** Azure name of the prefix. @default auto-named from the logical name */
  name?: string;
}

/** A public IPv6 prefix created elsewhere (StandardV2). Its length counts it toward the 16 IPv6 addresses. */
export interface AzureNatExistingPublicIpPrefixV6Args {
  /** Resource ID of the prefix (StandardV2 SKU, IPv6). */
  id: pulumi.Input<string>;
  /** Its prefix length, 124 to 127. */
  prefixLength: number;
}

/**
 * A subnet the component creates in an existing virtual network and associates with the gateway
 * (`natGateway: { id }` on the subnet: azure-native has no separate association resource). To
 * attach a subnet your program already declares, set `natGateway: { id: gateway.natGatewayId }` on
 * that `network.Subnet` instead; see docs/components.md.
 */
export interface AzureNatSubnetArgs {
  /** Stable identity of the subnet; the child resource is named `<component>-subnet-<key>`. */
  key: string;
  /** Azure name of the subnet. Must not be `GatewaySubnet`. @default the key */
  name?: string;
  /** Name of the virtual network the subnet belongs to. Every subnet of one gateway shares it. */
  virtualNetworkName: pulumi.Input<string>;
  /** Resource group of the virtual network. @default the gateway's resource group */
  resourceGroupName?: pulumi.Input<string>;
  /** Address prefixes (CIDR) of the subnet, e.g. `10.0.1.0/24`. */
  addressPrefixes: pulumi.Input<string>[];
  /** Network security group to attach. @default none */
  networkSecurityGroupId?: pulumi.Input<string>;
  /** Route table to attach. @default none */
  routeTableId?: pulumi.Input<string>;
  /**
   * Keep Azure's default outbound access for VMs in the subnet. Egress should go through the NAT
   * gateway, so natcap turns it off; it can only be set when the subnet is created.
   * @default false
   */
  defaultOutboundAccess?: boolean;
}

/** Azure Monitor metric alerts on the NAT gateway. */
export interface AzureNatAlertsArgs {
  /** Create the alerts. @default true */
  enabled?: boolean;
  /** Action groups notified when an alert fires. @default none (alerts show in the portal only) */
  actionGroupIds?: pulumi.Input<string>[];
  /**
   * Failed SNAT connections (SNATConnectionCount, ConnectionState = Failed, total per window) above
   * which the SNAT alert fires.
   * @default 0
   */
  snatFailureThreshold?: number;
  /** Datapath availability in percent (average per window) below which the availability alert fires. @default 90 */
  datapathAvailabilityThreshold?: number;
  /** Evaluation frequency, ISO 8601. @default "PT1M" */
  evaluationFrequency?: string;
  /** Window the metric is aggregated over, ISO 8601. @default "PT5M" */
  windowSize?: string;
  /** Alert severity, 0 (critical) to 4 (verbose). @default 1 */
  severity?: number;
}

/** Arguments of {@link AzureNatGateway}. */
export interface AzureNatGatewayArgs {
  /** Resource group of the gateway, its public IPs, prefixes and alerts. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region. @default the resource group's region */
  location?: pulumi.Input<string>;
  /** Azure name of the NAT gateway. @default auto-named from the component name */
  natGatewayName?: string;
  /**
   * Gateway SKU. StandardV2 takes no `zone` (it is zone-redundant) and only public IPs and prefixes
   * of its own SKU; existing ones must be StandardV2 too. Changing the SKU replaces the gateway.
   * @default AzureNatGatewaySku.Standard
   */
  sku?: AzureNatGatewaySku;
  /**
   * Availability zone ("1", "2", "3"). The public IPs and prefixes the component creates follow it.
   * Azure cannot change a gateway's zone: changing it replaces the gateway and its IPs.
   * @default no zone (Azure picks one)
   */
  zone?: string;
  /**
   * TCP idle timeout in minutes, 4 to 120. Above 4, idle connections keep their SNAT ports longer,
   * so ports run out sooner: natcap warns and feeds the value to the capacity check.
   * @default 4
   */
  idleTimeoutInMinutes?: number;
  /**
   * Number of public IPs to create, keyed "1", "2", ... Growing adds IPs; shrinking removes the
   * highest keys. Use `publicIps` instead to choose keys (e.g. to remove one in the middle). With
   * `autoSizeIps`, the smallest number.
   * @default 1 when no other IP, prefix or existing address is given, else 0
   */
  publicIpCount?: number;
  /**
   * Number of public IPv6 addresses to create (StandardV2 only; a Standard gateway takes no IPv6),
   * keyed "1", "2", ... and named `<component>-pipv6-<key>`: StandardV2, static. At most 16. They
   * do not add SNAT capacity to IPv4 destinations.
   * @default 0
   */
  publicIpV6Count?: number;
  /**
   * Public IPs to create, each with a stable key. With `publicIpCount` too, the two must agree.
   * @default none
   */
  publicIps?: AzureNatPublicIpArgs[];
  /** Public IP prefixes to create, each with a stable key and a length of 28–31. @default none */
  publicIpPrefixes?: AzureNatPublicIpPrefixArgs[];
  /** Resource IDs of existing Standard public IPs to use (each counts 1). @default none */
  existingPublicIpIds?: pulumi.Input<string>[];
  /** Existing public IP prefixes to use, with their lengths. @default none */
  existingPublicIpPrefixes?: AzureNatExistingPublicIpPrefixArgs[];
  /**
   * Public IPv6 prefixes to create (StandardV2 only), each with a stable key and a length of 124–127,
   * named `<component>-ipprev6-<key>`. They count toward the 16 IPv6 addresses.
   * @default none
   */
  publicIpPrefixesV6?: AzureNatPublicIpPrefixV6Args[];
  /** Resource IDs of existing StandardV2 public IPv6 addresses to use (StandardV2 only; each counts 1). @default none */
  existingPublicIpV6Ids?: pulumi.Input<string>[];
  /** Existing StandardV2 public IPv6 prefixes to use, with their lengths (StandardV2 only). @default none */
  existingPublicIpPrefixesV6?: AzureNatExistingPublicIpPrefixV6Args[];
  /** Subnets to create and associate (one VNet). @default none */
  subnets?: AzureNatSubnetArgs[];
  /** Metric alerts on SNAT failures and datapath availability. @default both alerts on */
  alerts?: AzureNatAlertsArgs;
  /**
   * Protect the public IPs and prefixes the component creates (`protect: true`): they are allow-listed
   * by partners, and deleting one is an outage.
   * @default true
   */
  protectIps?: boolean;
  /**
   * Expected traffic per destination. Peak-only expectations are checked analytically and written
   * as `natcap-peak-*` tags on the gateway so the policy pack can re-check them. IPv6 destinations
   * (StandardV2 with IPv6 addresses only) are checked against the IPv6 addresses, IPv4 ones against
   * the IPv4 addresses.
   * @default none (no capacity check)
   */
  expectedTraffic?: ExpectedTrafficArgs;
  /** What predicted port-allocation errors do. @default CapacityCheckMode.Error */
  capacityCheck?: CapacityCheckMode;
  /**
   * How the capacity check predicts errors for rate-based traffic (peak-only expectations are always
   * analytic): closed forms, a simulation, or the simulator's choice. @default CapacityMethod.Auto
   */
  capacityMethod?: CapacityMethod;
  /**
   * Add public IPs until `expectedTraffic` predicts no port-allocation errors (up to 16 addresses in
   * all). Added IPs continue the `publicIpCount` keys, or are keyed `auto-1`, `auto-2`, ... when
   * `publicIps` names the keys. On StandardV2 with IPv6 destinations, IPv6 public IPs are added the
   * same way (continuing the `publicIpV6Count` keys, up to 16 IPv6 addresses; a warning names the
   * ones added); needing more than 16 is a LimitError naming `publicIpV6Count`.
   * @default false
   */
  autoSizeIps?: boolean;
  /** Tags on every resource the component creates. @default none */
  tags?: Record<string, string>;
}
