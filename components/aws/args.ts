/**
 * Arguments of the AWS components. Plain interfaces with enums instead of unions, so Pulumi's
 * component schema inference can expose them to other languages.
 *
 * @module
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CapacityCheckMode, CapacityMethod } from "../common/capacity";
import type { ExpectedTrafficArgs, GatewayEndpointService } from "../common/expectation";

/** Whether the gateway reaches the internet (public, with Elastic IPs) or only other networks (private). */
export const ConnectivityType = {
  /** Public: egress to the internet through Elastic IPs. */
  Public: "public",
  /** Private: egress to other VPCs or on-premises networks through private IPs of the subnet. */
  Private: "private",
} as const;
/** A value of {@link ConnectivityType}: the member (e.g. `ConnectivityType.Public`) or its string. */
export type ConnectivityType = (typeof ConnectivityType)[keyof typeof ConnectivityType];

/** Whether the gateway lives in one subnet (zonal) or spans the VPC's Availability Zones (regional). */
export const AvailabilityMode = {
  /** One subnet, one Availability Zone, up to 8 IPv4 addresses. */
  Zonal: "zonal",
  /** One gateway for the VPC, expanding per Availability Zone (public only). */
  Regional: "regional",
} as const;
/** A value of {@link AvailabilityMode}: the member (e.g. `AvailabilityMode.Zonal`) or its string. */
export type AvailabilityMode = (typeof AvailabilityMode)[keyof typeof AvailabilityMode];

/** A route table to send traffic to the gateway, with a stable key that names its routes. */
export interface RouteTableArgs {
  /** Stable key of the route table; names the routes (`<name>-route-<key>`). Never a list position. */
  key: string;
  /** ID of the route table. */
  routeTableId: pulumi.Input<string>;
}

/** An Elastic IP that already exists (e.g. BYOIP), with a stable key that names its association. */
export interface ExistingIpArgs {
  /** Stable key (`<name>-eip-<key>` names its association); unique among the gateway's IP keys. */
  key: string;
  /** Allocation ID of the Elastic IP, e.g. `eipalloc-0123456789abcdef0`. */
  allocationId: pulumi.Input<string>;
}

/** One Availability Zone of a regional NAT gateway in manual mode. */
export interface RegionalZoneArgs {
  /** Availability Zone name, e.g. `us-east-1a`; also the key of its EIPs (`<name>-eip-<zone>-<key>`). */
  availabilityZone: string;
  /** Number of new Elastic IPs for this zone, keyed `1`…`n`. @default 1 when neither ipKeys nor existingIps is given, else 0 */
  ipCount?: number;
  /** Keys of new Elastic IPs for this zone. Takes the place of ipCount. */
  ipKeys?: string[];
  /** Existing Elastic IPs for this zone (e.g. BYOIP). @default [] */
  existingIps?: ExistingIpArgs[];
  /**
   * Traffic through this zone, checked against this zone's IPs (capacity is per zone and
   * destination). @default the gateway's expectedTraffic, scaled by trafficShare when given
   */
  expectedTraffic?: ExpectedTrafficArgs;
  /**
   * Share (above 0, at most 1) of the gateway's expectedTraffic this zone carries, e.g. 0.5 for one
   * of two equally busy zones. @default 1 (every zone checked against the whole expectation)
   */
  trafficShare?: number;
}

/** Arguments of {@link AwsNatGateway}. */
export interface AwsNatGatewayArgs {
  /** Public (Elastic IPs) or private. @default ConnectivityType.Public */
  connectivityType?: ConnectivityType;
  /** Zonal (one subnet) or regional (the whole VPC; public only). @default AvailabilityMode.Zonal */
  availabilityMode?: AvailabilityMode;
  /** Subnet of a zonal gateway (a public subnet for a public gateway). Required for zonal, not allowed for regional. */
  subnetId?: pulumi.Input<string>;
  /**
   * IPv4 CIDR of the subnet, for the free-address check (each IP of the gateway takes a private
   * address of the subnet). Pass `subnet.cidrBlock` of a subnet created in the same program; an unknown
   * value is checked once known. @default not checked
   */
  subnetCidrBlock?: pulumi.Input<string>;
  /** Addresses of the subnet other resources already use, for the free-address check. @default 0 */
  subnetAddressesInUse?: number;
  /** VPC of a regional gateway. Required for regional, not allowed for zonal. */
  vpcId?: pulumi.Input<string>;
  /**
   * Zonal public: how many new Elastic IPs natcap allocates, keyed `1`…`n` (growing the count adds
   * keys at the end). With autoSizeIps, the smallest count. @default 1 when no existingIps are given, else 0
   */
  ipCount?: number;
  /**
   * Zonal public: keys of the new Elastic IPs (`<name>-eip-<key>`), instead of ipCount. The first key
   * is the primary IP unless existingIps are given; keep it first (changing the primary replaces the gateway).
   */
  ipKeys?: string[];
  /**
   * Zonal public: existing Elastic IPs (e.g. BYOIP). The first is the primary IP; keep it first
   * (changing the primary replaces the gateway). @default []
   */
  existingIps?: ExistingIpArgs[];
  /** Protect the Elastic IPs natcap allocates (partners allow-list them). @default true */
  protectIps?: boolean;
  /** The account's value of quota L-5F53652F (Elastic IPs per public NAT gateway); above it, a warning. @default 2 */
  eipQuota?: number;
  /** Zonal private: number of secondary private IPs. Changing it replaces the gateway. @default 0 */
  secondaryPrivateIpAddressCount?: number;
  /** Zonal private: secondary private IPs, instead of a count. @default none */
  secondaryPrivateIpAddresses?: pulumi.Input<string>[];
  /** The account's value of quota L-DFA99DE7 (private IPs per NAT gateway). @default 8 */
  privateIpQuota?: number;
  /** Regional: per-zone Elastic IPs (manual mode). Omit for auto mode. @default auto mode */
  regionalZones?: RegionalZoneArgs[];
  /** Route tables whose default route (and extra CIDRs) go to the gateway. @default [] */
  routeTables?: RouteTableArgs[];
  /** Add the default route `0.0.0.0/0` to each route table. @default true */
  defaultRoute?: boolean;
  /** Extra destination CIDRs routed to the gateway from each route table. @default [] */
  extraDestinationCidrBlocks?: string[];
  /** Create a CloudWatch alarm on ErrorPortAllocation > 0. @default true */
  portAllocationAlarm?: boolean;
  /** ARNs notified when the alarm fires (e.g. an SNS topic). @default [] */
  alarmActions?: pulumi.Input<string>[];
  /** Expected traffic (the simulator's destination/traffic shape), checked at construction. @default none */
  expectedTraffic?: ExpectedTrafficArgs;
  /** What predicted port-allocation errors do. @default CapacityCheckMode.Error */
  capacityCheck?: CapacityCheckMode;
  /**
   * How the capacity check predicts errors for rate-based traffic (peak-only expectations are always
   * analytic): closed forms, a simulation, or the simulator's choice. @default CapacityMethod.Auto
   */
  capacityMethod?: CapacityMethod;
  /** Choose the number of new Elastic IPs (or secondary private IPs) from expectedTraffic. @default false */
  autoSizeIps?: boolean;
  /** Destination services (`s3`, `dynamodb`) a gateway endpoint carries; left out of the capacity check. @default [] */
  excludedServices?: GatewayEndpointService[];
  /** Tags for every resource natcap creates (the gateway also gets the expectation tags). @default {} */
  tags?: { [key: string]: string };
}

/** One Availability Zone of {@link AwsEgressNat}. */
export interface EgressZoneArgs {
  /** Availability Zone name, e.g. `us-east-1a`; the key of this zone's resources. */
  availabilityZone: string;
  /** Public subnet in this zone where the zone's NAT gateway lives. */
  publicSubnetId: pulumi.Input<string>;
  /** CIDR of the public subnet, for the free-address check. @default not checked */
  publicSubnetCidrBlock?: pulumi.Input<string>;
  /** Private route tables of this zone, routed to this zone's gateway. */
  privateRouteTables: RouteTableArgs[];
  /** New Elastic IPs for this zone's gateway. @default the component's ipCount */
  ipCount?: number;
  /** Keys of new Elastic IPs for this zone's gateway, instead of ipCount. */
  ipKeys?: string[];
  /** Existing Elastic IPs for this zone's gateway. @default [] */
  existingIps?: ExistingIpArgs[];
  /** Expected traffic of this zone's gateway. @default the component's expectedTraffic */
  expectedTraffic?: ExpectedTrafficArgs;
}

/** Arguments of {@link AwsEgressNat}. */
export interface AwsEgressNatArgs {
  /** The VPC (needed for the gateway endpoints). */
  vpcId: pulumi.Input<string>;
  /** One entry per Availability Zone: its public subnet and private route tables. */
  zones: EgressZoneArgs[];
  /** New Elastic IPs per gateway, when a zone does not say. @default 1 */
  ipCount?: number;
  /** Protect the Elastic IPs. @default true */
  protectIps?: boolean;
  /** The account's value of quota L-5F53652F. @default 2 */
  eipQuota?: number;
  /** Add an S3 gateway endpoint on every private route table. @default false */
  s3Endpoint?: boolean;
  /** Add a DynamoDB gateway endpoint on every private route table. @default false */
  dynamodbEndpoint?: boolean;
  /** Region for the endpoint service names. @default the provider's region */
  region?: pulumi.Input<string>;
  /** Extra destination CIDRs routed to each zone's gateway. @default [] */
  extraDestinationCidrBlocks?: string[];
  /** Create a port-allocation alarm per gateway. @default true */
  portAllocationAlarm?: boolean;
  /** ARNs notified by the alarms. @default [] */
  alarmActions?: pulumi.Input<string>[];
  /** Expected traffic of each zone's gateway (each AZ's gateway carries its AZ's traffic). @default none */
  expectedTraffic?: ExpectedTrafficArgs;
  /** What predicted port-allocation errors do. @default CapacityCheckMode.Error */
  capacityCheck?: CapacityCheckMode;
  /**
   * How the capacity check predicts errors for rate-based traffic (peak-only expectations are always
   * analytic): closed forms, a simulation, or the simulator's choice. @default CapacityMethod.Auto
   */
  capacityMethod?: CapacityMethod;
  /** Size each gateway's IPs from the expectation. @default false */
  autoSizeIps?: boolean;
  /** Tags for every resource. @default {} */
  tags?: { [key: string]: string };
}
