/**
 * The plan of an {@link AwsNatGateway} as plain, read-only data: everything the component's
 * constructor needs to create resources, so that it reads no argument after planning. Produced by
 * ./plan (zonal public and private in ./zonalPlan, regional in ./regionalPlan).
 *
 * @module
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CapacityCheckOutcome } from "../common/capacity";
import type { ExpectedTrafficArgs } from "../common/expectation";
import type { AvailabilityMode, ConnectivityType } from "./args";
import type { ZoneExpectedTraffic } from "./regionalZones";

/** An Elastic IP natcap allocates. */
export interface EipPlan {
  /** Stable key given by the user or derived from a count. */
  readonly key: string;
  /** Logical name: `<name>-eip-<key>` (zonal) or `<name>-eip-<zone>-<key>` (regional). */
  readonly logicalName: string;
  /** Availability Zone (regional manual mode only). */
  readonly zone?: string;
}

/** Where the primary IP of a zonal public gateway comes from. */
export interface PrimaryPlan {
  /** Key of a new EIP, when natcap allocates the primary. */
  readonly newKey?: string;
  /** Key of an existing IP (`existingIps`), when the primary is an existing allocation. */
  readonly existingKey?: string;
}

/** A secondary Elastic IP of a zonal public gateway, attached by its own association. */
export interface AssociationPlan {
  /** Key of the IP (a new EIP's or an existing IP's). */
  readonly key: string;
  /** Logical name of the association: `<name>-eip-<key>`. */
  readonly logicalName: string;
  /** True for an existing allocation (`existingIps`), false for a new EIP. */
  readonly existing: boolean;
}

/** An existing Elastic IP the gateway uses (e.g. BYOIP). */
export interface ExistingAllocationPlan {
  /** Its key from the arguments. */
  readonly key: string;
  /** Availability Zone (regional manual mode only). */
  readonly zone?: string;
  /** Its allocation ID. */
  readonly allocationId: pulumi.Input<string>;
}

/** One zone of a regional gateway in manual mode. */
export interface RegionalZonePlan {
  /** Availability Zone name. */
  readonly availabilityZone: string;
  /** Keys of new EIPs in this zone. */
  readonly newKeys: readonly string[];
  /** Keys of existing IPs given for this zone. */
  readonly existingKeys: readonly string[];
}

/** One route to the gateway. */
export interface RoutePlan {
  /** Logical name: `<name>-route-<tableKey>` for the default route, `...-<cidr>` for extras. */
  readonly logicalName: string;
  /** Key of the route table (its ID is in {@link AwsNatGatewayPlan.routeTableIds}). */
  readonly routeTableKey: string;
  /** Destination CIDR. */
  readonly cidr: string;
}

/** The subnet of a zonal gateway and what the free-address check needs. */
export interface SubnetPlan {
  /** Subnet ID. */
  readonly id: pulumi.Input<string>;
  /** Subnet CIDR for the free-address check; undefined: not checked. */
  readonly cidrBlock?: pulumi.Input<string>;
  /** Addresses of the subnet other resources use. */
  readonly addressesInUse: number;
}

/** The plan of one AWS NAT gateway. */
export interface AwsNatGatewayPlan {
  /** Message prefix, e.g. `AwsNatGateway "egress"`. */
  readonly prefix: string;
  /** Public or private. */
  readonly connectivityType: ConnectivityType;
  /** Zonal or regional. */
  readonly availabilityMode: AvailabilityMode;
  /** Every EIP natcap allocates, in a stable order. */
  readonly eips: readonly EipPlan[];
  /** Whether the EIPs natcap allocates are protected. */
  readonly protectIps: boolean;
  /** The account's Elastic-IP-per-gateway quota given to the component (the policy pack checks the same value). */
  readonly eipQuota?: number;
  /** The account's private-IP-per-gateway quota given to the component (the policy pack checks the same value). */
  readonly privateIpQuota?: number;
  /** Zonal public: the primary IP. */
  readonly primary?: PrimaryPlan;
  /** Zonal public: keys of new EIPs attached as secondaries (each by its own association). */
  readonly secondaryNewKeys: readonly string[];
  /** Zonal public: keys of existing IPs attached as secondaries. */
  readonly secondaryExistingKeys: readonly string[];
  /** Zonal public: the associations of every secondary IP, new EIPs first. */
  readonly associations: readonly AssociationPlan[];
  /** The existing IPs (`existingIps`, and each regional zone's), in the order given. */
  readonly existingAllocations: readonly ExistingAllocationPlan[];
  /** Zonal private: secondary private IP count (when given as a count). */
  readonly secondaryPrivateIpAddressCount?: number;
  /** Zonal private: secondary private IPs, when listed. */
  readonly secondaryPrivateIpAddresses?: readonly pulumi.Input<string>[];
  /** Regional manual mode: zones; undefined in auto mode or for zonal gateways. */
  readonly regionalZones?: readonly RegionalZonePlan[];
  /** Regional: the VPC. */
  readonly vpcId?: pulumi.Input<string>;
  /** Zonal: the subnet. */
  readonly subnet?: SubnetPlan;
  /** IPv4 addresses of the gateway (public zonal: EIPs; private: private IPs; regional: per zone, the smallest). */
  readonly totalIps: number;
  /** Private addresses the gateway takes in its subnet (zonal). */
  readonly subnetAddressesNeeded: number;
  /** Routes from the given route tables. */
  readonly routes: readonly RoutePlan[];
  /** Route table IDs, by route table key. */
  readonly routeTableIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** Whether to create the ErrorPortAllocation alarm. */
  readonly alarm: boolean;
  /** ARNs the alarm notifies. */
  readonly alarmActions: readonly pulumi.Input<string>[];
  /** Tags for every child. */
  readonly tags: Readonly<Record<string, string>>;
  /** Tags for the NAT gateway: the user's plus the expectation tags. */
  readonly gatewayTags: Readonly<Record<string, string>>;
  /** Capacity check outcome (after any auto-sizing). */
  readonly capacity: CapacityCheckOutcome;
  /** The expectation actually checked, in the argument's shape (without gateway-endpoint destinations). */
  readonly expectedTraffic?: ExpectedTrafficArgs;
  /** Regional manual mode with per-zone traffic: the expectation each zone was checked against. */
  readonly zoneExpectedTraffic?: readonly ZoneExpectedTraffic[];
  /** Warnings to log on the component (each already names it). */
  readonly warnings: readonly string[];
}

/** Key of an IP among the gateway's IPs (and in the component's `eips`): `key`, or `key@zone` in a regional zone. */
export function allocationKey(key: string, zone?: string): string {
  return key + (zone ? `@${zone}` : "");
}
