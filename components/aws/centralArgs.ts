/**
 * Arguments of {@link AwsCentralEgress}: an egress VPC with one NAT gateway per Availability Zone,
 * reached by spoke VPCs through a Transit Gateway. Plain interfaces (no unions), so Pulumi's
 * component schema inference can expose them to other languages.
 *
 * @module
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CapacityCheckMode, CapacityMethod } from "../common/capacity";
import type { ExpectedTrafficArgs } from "../common/expectation";
import type { ExistingIpArgs, RouteTableArgs } from "./args";

/** One Availability Zone of a spoke VPC's Transit Gateway attachment. */
export interface SpokeZoneArgs {
  /** Availability Zone name, e.g. `us-east-1a`; must be one of the egress VPC's zones. */
  availabilityZone: string;
  /** The spoke's Transit Gateway attachment subnet in this zone. */
  subnetId: pulumi.Input<string>;
  /**
   * Share (above 0, at most 1) of the spoke's expectedTraffic that leaves through this zone. Give it
   * for every zone of the spoke (the shares adding up to 1) or for none. @default an even split over the spoke's zones
   */
  trafficShare?: number;
}

/** One spoke VPC: its attachment, the route tables pointed at the Transit Gateway, its traffic. */
export interface CentralEgressSpokeArgs {
  /** Stable key of the spoke; names its attachment and routes (`<name>-<key>-...`). Never a list position. */
  key: string;
  /** ID of the spoke VPC. */
  vpcId: pulumi.Input<string>;
  /** IPv4 CIDR of the spoke VPC, routed from the egress VPC's public subnets back to the Transit Gateway. */
  cidrBlock: pulumi.Input<string>;
  /**
   * The spoke's attachment subnets, one per zone. Without appliance mode a flow stays in the zone it
   * enters the Transit Gateway from, so these zones decide which NAT gateways carry the spoke's traffic.
   */
  zones: SpokeZoneArgs[];
  /** Spoke route tables whose default route `0.0.0.0/0` goes to the Transit Gateway. @default [] */
  routeTables?: RouteTableArgs[];
  /** The spoke's expected traffic to the internet, split over its zones. @default none */
  expectedTraffic?: ExpectedTrafficArgs;
}

/** One Availability Zone of the egress VPC. */
export interface CentralEgressZoneArgs {
  /** Availability Zone name, e.g. `us-east-1a`; the key of this zone's resources. */
  availabilityZone: string;
  /** Public subnet where this zone's NAT gateway lives. */
  publicSubnetId: pulumi.Input<string>;
  /** CIDR of the public subnet, for the free-address check. @default not checked */
  publicSubnetCidrBlock?: pulumi.Input<string>;
  /** Route table of the public subnet: each spoke CIDR is routed from it to the Transit Gateway. */
  publicRouteTableId: pulumi.Input<string>;
  /** The egress VPC's Transit Gateway attachment subnet in this zone. */
  attachmentSubnetId: pulumi.Input<string>;
  /** Route table of the attachment subnet: its `0.0.0.0/0` goes to this zone's NAT gateway. */
  attachmentRouteTableId: pulumi.Input<string>;
  /** New Elastic IPs for this zone's NAT gateway. @default the component's ipCount */
  ipCount?: number;
  /** Keys of new Elastic IPs for this zone's NAT gateway, instead of ipCount. @default none */
  ipKeys?: string[];
  /** Existing Elastic IPs for this zone's NAT gateway. @default [] */
  existingIps?: ExistingIpArgs[];
}

/** Arguments of {@link AwsCentralEgress}. */
export interface AwsCentralEgressArgs {
  /** The egress VPC. */
  vpcId: pulumi.Input<string>;
  /** The egress VPC's zones: public subnet, attachment subnet and their route tables. */
  zones: CentralEgressZoneArgs[];
  /** The spoke VPCs whose internet traffic leaves through the egress VPC. */
  spokes: CentralEgressSpokeArgs[];
  /** An existing Transit Gateway to attach to. @default a new Transit Gateway */
  transitGatewayId?: pulumi.Input<string>;
  /** ASN of a new Transit Gateway's Amazon side. @default AWS's default (64512) */
  amazonSideAsn?: number;
  /**
   * Internet gateway of the egress VPC: when given, each public route table gets `0.0.0.0/0` → it.
   * @default none (the public route tables already route to the internet gateway)
   */
  internetGatewayId?: pulumi.Input<string>;
  /**
   * Appliance mode on the egress VPC's attachment: the Transit Gateway hashes flows across the egress
   * zones instead of keeping each in its zone, so every zone's NAT gateway carries an even share of
   * every spoke's traffic. @default false
   */
  applianceModeSupport?: boolean;
  /**
   * CIDRs blackholed in the spokes' Transit Gateway route table, so spokes cannot reach each other
   * through the egress VPC. @default ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
   */
  blackholeCidrBlocks?: string[];
  /** New Elastic IPs per NAT gateway, when a zone does not say. @default 1 */
  ipCount?: number;
  /** Protect the Elastic IPs. @default true */
  protectIps?: boolean;
  /** The account's value of quota L-5F53652F (Elastic IPs per public NAT gateway). @default 2 */
  eipQuota?: number;
  /** Create a port-allocation alarm per NAT gateway. @default true */
  portAllocationAlarm?: boolean;
  /** ARNs notified by the alarms. @default [] */
  alarmActions?: pulumi.Input<string>[];
  /** What predicted port-allocation errors in a zone do. @default CapacityCheckMode.Error */
  capacityCheck?: CapacityCheckMode;
  /** How the capacity check predicts errors for rate-based traffic. @default CapacityMethod.Auto */
  capacityMethod?: CapacityMethod;
  /** Size each zone's NAT gateway IPs from the spokes' combined traffic in that zone. @default false */
  autoSizeIps?: boolean;
  /** Tags for every resource natcap creates. @default {} */
  tags?: { [key: string]: string };
}

/** One endpoint in one zone of an {@link AwsCentralEgress} and the spokes whose traffic reaches it there. */
export interface EndpointFeed {
  /** Name of the merged destination in the zone's expectation. */
  name: string;
  /** `address:port/protocol`. */
  endpoint: string;
  /** Keys of the spokes that send traffic to this endpoint through this zone, in the order given. */
  spokes: string[];
}

/** The combined traffic one zone's NAT gateway of an {@link AwsCentralEgress} carries (a component output). */
export interface ZoneTraffic {
  /** The Availability Zone. */
  availabilityZone: string;
  /** The spokes' traffic through this zone, one destination per endpoint; absent when none. */
  expectedTraffic?: ExpectedTrafficArgs;
  /** Every endpoint of the zone with the spokes that feed it. */
  endpoints: EndpointFeed[];
}
