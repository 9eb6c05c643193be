/**
 * Every cloud limit natcap relies on, in one table. Each entry carries its value, a one-line
 * description and the public page it comes from (also written as a comment beside it). Components,
 * policies, the simulator and the limits table of docs/limits.md all read from here; no other file may hold
 * a cloud number. Re-check a source before changing a value.
 *
 * @module
 */

/** One cloud limit: a value, what it means and where it is documented. */
export interface Limit {
  /** The number, in the unit named by {@link Limit.unit}. */
  readonly value: number;
  /** Unit of {@link Limit.value}, e.g. "connections", "IPs", "seconds". */
  readonly unit: string;
  /** What the number limits, as one sentence. */
  readonly description: string;
  /** Public page that documents the number. */
  readonly source: string;
  /** Service Quotas code when the limit is an adjustable AWS quota. */
  readonly quotaCode?: string;
  /** Caveat: e.g. "not on an AWS page", or "chosen by natcap, not documented". */
  readonly note?: string;
}

const AWS_BLOG_MULTI_IP =
  "https://aws.amazon.com/blogs/networking-and-content-delivery/attach-multiple-ips-to-a-nat-gateway-to-scale-your-egress-traffic-pattern/";
const AWS_REPOST_NAT_CONNECTION =
  "https://repost.aws/knowledge-center/vpc-troubleshoot-nat-gateway-connection";
const AWS_VPC_LIMITS = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html";
const AWS_NAT_BASICS = "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html";
const AWS_NAT_TROUBLESHOOT =
  "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html";
const AWS_CREATE_NAT_API = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html";
const AWS_DISASSOCIATE_API =
  "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateNatGatewayAddress.html";
const AWS_SUBNET_SIZING = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html";
const AWS_FLOW_LOG_RECORDS =
  "https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html#flow-logs-aggregration-interval";
const AWS_REGIONAL_NAT = "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateways-regional.html";
const AWS_NAT_OLD_GUIDE = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html";
const AZURE_NAT_RESOURCE = "https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-resource";
const AZURE_NAT_SNAT = "https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-snat";
const AZURE_NAT_SKU = "https://learn.microsoft.com/en-us/azure/nat-gateway/nat-sku";
const AZURE_FIREWALL_NAT = "https://learn.microsoft.com/en-us/azure/firewall/integrate-with-nat-gateway";
const AZURE_VNET_FAQ = "https://learn.microsoft.com/en-us/azure/virtual-network/virtual-networks-faq";
const AZURE_VNET_FLOW_LOGS =
  "https://learn.microsoft.com/en-us/azure/network-watcher/vnet-flow-logs-overview";
const AZURE_IP_PREFIX =
  "https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-address-prefix#prefix-sizes";

/** AWS NAT gateway limits (zonal public, zonal private, regional). */
export const AWS = {
  // Source: https://aws.amazon.com/blogs/networking-and-content-delivery/attach-multiple-ips-to-a-nat-gateway-to-scale-your-egress-traffic-pattern/
  connectionsPerIpPerDestination: {
    value: 55_000,
    unit: "connections",
    description:
      "Simultaneous connections one NAT gateway IP supports to one unique destination (destination IP, port, protocol).",
    source: AWS_BLOG_MULTI_IP,
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
  maxIpsPerZonalGateway: {
    value: 8,
    unit: "IPv4 addresses",
    description: "IPv4 addresses one zonal NAT gateway can hold: 1 primary + 7 secondary.",
    source: AWS_VPC_LIMITS,
    quotaCode: "L-5F53652F",
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
  defaultEipsPerGatewayQuota: {
    value: 2,
    unit: "Elastic IPs",
    description: "Default quota of Elastic IP addresses per public NAT gateway (adjustable up to 8).",
    source: AWS_VPC_LIMITS,
    quotaCode: "L-5F53652F",
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
  privateIpsPerGatewayQuota: {
    value: 8,
    unit: "private IPv4 addresses",
    description: "Private IPv4 addresses per NAT gateway (quota).",
    source: AWS_VPC_LIMITS,
    quotaCode: "L-DFA99DE7",
  },
  // Source: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html
  secondaryPrivateIpCountApiMax: {
    value: 31,
    unit: "private IPv4 addresses",
    description: "Largest SecondaryPrivateIpAddressCount the CreateNatGateway API accepts (range 1-31).",
    source: AWS_CREATE_NAT_API,
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
  natGatewaysPerAz: {
    value: 5,
    unit: "NAT gateways",
    description: "NAT gateways per Availability Zone (adjustable quota).",
    source: AWS_VPC_LIMITS,
    quotaCode: "L-FE5A380F",
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html
  idleTimeoutSeconds: {
    value: 350,
    unit: "seconds",
    description: "Idle timeout after which a NAT gateway drops a connection (not configurable).",
    source: AWS_NAT_TROUBLESHOOT,
  },
  // Source: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateNatGatewayAddress.html
  defaultDrainSeconds: {
    value: 350,
    unit: "seconds",
    description: "Default MaxDrainDurationSeconds when a secondary address is disassociated (range 1-4000).",
    source: AWS_DISASSOCIATE_API,
    note: `Also in the AWS blog "Attach multiple IPs to a NAT Gateway to scale your egress traffic pattern" (${AWS_BLOG_MULTI_IP}): "The default Connection Drain value is 350 seconds."`,
  },
  // Source: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateNatGatewayAddress.html
  minDrainSeconds: {
    value: 1,
    unit: "seconds",
    description:
      "Smallest MaxDrainDurationSeconds for disassociating a secondary address: until then the address keeps its existing connections and takes no new ones.",
    source: AWS_DISASSOCIATE_API,
  },
  // Source: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateNatGatewayAddress.html
  maxDrainSeconds: {
    value: 4000,
    unit: "seconds",
    description: "Largest MaxDrainDurationSeconds for disassociating a secondary address.",
    source: AWS_DISASSOCIATE_API,
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html (older revision)
  newConnectionsPerSecondPerDestination: {
    value: 900,
    unit: "connections per second",
    description: "New connections per second one IP supports to one destination (about 55,000 per minute).",
    source: AWS_NAT_OLD_GUIDE,
    note: "From an older revision of the user guide; implies a port is reusable about 60 s after close.",
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html (older revision)
  portReuseSeconds: {
    value: 60,
    unit: "seconds",
    description:
      "Hold-down natcap assumes after a close before a port can be reused to the same destination (FIN, RST and UDP).",
    source: AWS_NAT_OLD_GUIDE,
    note: "AWS publishes no reuse timer; natcap derives 60 s from '900/s, about 55,000 per minute'. Override with gateway.portReuseSeconds.",
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html
  bandwidthGbpsMax: {
    value: 100,
    unit: "Gbps",
    description: "Bandwidth a NAT gateway scales to (starts at 5 Gbps).",
    source: AWS_NAT_BASICS,
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html
  packetsPerSecondMax: {
    value: 10_000_000,
    unit: "packets per second",
    description: "Packets per second a NAT gateway scales to (starts at 1 M pps).",
    source: AWS_NAT_BASICS,
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
  subnetReservedAddresses: {
    value: 5,
    unit: "IPv4 addresses",
    description: "Addresses AWS reserves in every subnet (first four and last one).",
    source: AWS_SUBNET_SIZING,
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
  subnetSmallestPrefix: {
    value: 28,
    unit: "prefix length",
    description: "Smallest IPv4 subnet AWS allows (/28).",
    source: AWS_SUBNET_SIZING,
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
  subnetLargestPrefix: {
    value: 16,
    unit: "prefix length",
    description: "Largest IPv4 subnet AWS allows (/16).",
    source: AWS_SUBNET_SIZING,
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateways-regional.html
  regionalIpsPerAz: {
    value: 32,
    unit: "IPv4 addresses",
    description:
      "IPv4 addresses a regional NAT gateway can hold per Availability Zone; each adds 55,000 connections to one destination in that zone.",
    source: AWS_REGIONAL_NAT,
  },
  // Source: https://repost.aws/knowledge-center/vpc-troubleshoot-nat-gateway-connection
  ephemeralPortFirst: {
    value: 1024,
    unit: "port",
    description: "First source port a NAT gateway allocates (range 1024-65535).",
    source: AWS_REPOST_NAT_CONNECTION,
  },
  // Source: https://repost.aws/knowledge-center/vpc-troubleshoot-nat-gateway-connection
  portsPerIp: {
    value: 64_512,
    unit: "ports",
    description:
      "Source ports one NAT gateway IP has for one destination (ports 1024-65535); no per-IP destination limit can exceed it.",
    source: AWS_REPOST_NAT_CONNECTION,
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html#flow-logs-aggregration-interval
  flowLogAggregationSeconds: {
    value: 60,
    unit: "seconds",
    description:
      "Shorter maximum aggregation interval of VPC Flow Logs (1 or 10 minutes): a flow's packets in one interval make one record.",
    source: AWS_FLOW_LOG_RECORDS,
  },
  // Source: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html#flow-logs-aggregration-interval
  flowLogLongAggregationSeconds: {
    value: 600,
    unit: "seconds",
    description:
      "Longer maximum aggregation interval of VPC Flow Logs (the default, 10 minutes): no record spans more.",
    source: AWS_FLOW_LOG_RECORDS,
  },
} as const satisfies Record<string, Limit>;

/** Azure NAT gateway limits (Standard and StandardV2 SKUs). */
export const AZURE = {
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-resource
  maxPublicIpAddresses: {
    value: 16,
    unit: "IPv4 addresses",
    description:
      "Public IPv4 addresses one Standard NAT gateway can use, counting every address of each prefix.",
    source: AZURE_NAT_RESOURCE,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-resource
  prefixLengthMin: {
    value: 28,
    unit: "prefix length",
    description: "Largest public IP prefix a NAT gateway takes (/28, 16 addresses).",
    source: AZURE_NAT_RESOURCE,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-resource
  prefixLengthMax: {
    value: 31,
    unit: "prefix length",
    description: "Smallest public IP prefix a NAT gateway takes (/31, 2 addresses).",
    source: AZURE_NAT_RESOURCE,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-snat
  snatPortsPerIp: {
    value: 64_512,
    unit: "SNAT ports",
    description: "SNAT ports each public IP adds to the gateway's inventory (per protocol).",
    source: AZURE_NAT_SNAT,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-resource
  connectionsPerIpPerDestination: {
    value: 50_000,
    unit: "connections",
    description: "Concurrent connections one public IP supports to the same destination endpoint.",
    source: AZURE_NAT_RESOURCE,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-resource
  totalConnections: {
    value: 2_000_000,
    unit: "connections",
    description: "Concurrent connections one NAT gateway supports in total.",
    source: AZURE_NAT_RESOURCE,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-resource
  idleTimeoutMinutesMin: {
    value: 4,
    unit: "minutes",
    description: "Smallest TCP idle timeout (also the default).",
    source: AZURE_NAT_RESOURCE,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-resource
  idleTimeoutMinutesMax: {
    value: 120,
    unit: "minutes",
    description: "Largest TCP idle timeout.",
    source: AZURE_NAT_RESOURCE,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-resource
  idleTimeoutMinutesDefault: {
    value: 4,
    unit: "minutes",
    description: "Default TCP idle timeout.",
    source: AZURE_NAT_RESOURCE,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-snat
  udpIdleTimeoutMinutes: {
    value: 4,
    unit: "minutes",
    description: "UDP idle timeout (fixed).",
    source: AZURE_NAT_SNAT,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-snat
  portReuseFinSeconds: {
    value: 65,
    unit: "seconds",
    description: "Port reuse timer to the same destination after a TCP FIN close.",
    source: AZURE_NAT_SNAT,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-snat
  portReuseRstSeconds: {
    value: 16,
    unit: "seconds",
    description: "Port reuse timer to the same destination after a TCP RST.",
    source: AZURE_NAT_SNAT,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-snat
  portReuseHalfOpenSeconds: {
    value: 30,
    unit: "seconds",
    description: "Port reuse timer after a half-open TCP connection.",
    source: AZURE_NAT_SNAT,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-gateway-snat
  portReuseUdpSeconds: {
    value: 65,
    unit: "seconds",
    description: "Port reuse timer to the same destination after a UDP flow ends.",
    source: AZURE_NAT_SNAT,
  },
  // Source: https://learn.microsoft.com/en-us/azure/network-watcher/vnet-flow-logs-overview
  flowLogContinueSeconds: {
    value: 300,
    unit: "seconds",
    description: "Interval of a VNet flow log's C (continuing) tuples of a flow still going on.",
    source: AZURE_VNET_FLOW_LOGS,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-sku
  bandwidthGbpsStandard: {
    value: 50,
    unit: "Gbps",
    description: "Throughput of a Standard NAT gateway.",
    source: AZURE_NAT_SKU,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-sku
  bandwidthGbpsStandardV2: {
    value: 100,
    unit: "Gbps",
    description: "Throughput of a StandardV2 NAT gateway.",
    source: AZURE_NAT_SKU,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-sku
  maxPublicIpv4StandardV2: {
    value: 16,
    unit: "IPv4 addresses",
    description: "Public IPv4 addresses a StandardV2 NAT gateway can use (it also takes 16 IPv6).",
    source: AZURE_NAT_SKU,
  },
  // Source: https://learn.microsoft.com/en-us/azure/nat-gateway/nat-sku
  maxPublicIpv6StandardV2: {
    value: 16,
    unit: "IPv6 addresses",
    description: "Public IPv6 addresses a StandardV2 NAT gateway can use.",
    source: AZURE_NAT_SKU,
  },
  // Source: https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-address-prefix#prefix-sizes
  // (/124 to /127 for IPv6; the NAT SKU page lists the /124 IPv6 prefix for StandardV2)
  prefixLengthV6Min: {
    value: 124,
    unit: "prefix length",
    description:
      "Largest public IPv6 prefix (/124, 16 addresses); a StandardV2 NAT gateway takes IPv6 prefixes (nat-sku: '/124 IPv6 prefix').",
    source: AZURE_IP_PREFIX,
  },
  // Source: https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-address-prefix#prefix-sizes
  prefixLengthV6Max: {
    value: 127,
    unit: "prefix length",
    description: "Smallest public IPv6 prefix (/127, 2 addresses).",
    source: AZURE_IP_PREFIX,
  },
  // Source: https://learn.microsoft.com/en-us/azure/virtual-network/virtual-networks-faq
  subnetReservedAddresses: {
    value: 5,
    unit: "IPv4 addresses",
    description: "Addresses Azure reserves in every subnet.",
    source: AZURE_VNET_FAQ,
  },
  // Source: https://learn.microsoft.com/en-us/azure/virtual-network/virtual-networks-faq
  subnetSmallestPrefix: {
    value: 29,
    unit: "prefix length",
    description: "Smallest IPv4 subnet Azure allows (/29).",
    source: AZURE_VNET_FAQ,
  },
  // Source: https://learn.microsoft.com/en-us/azure/firewall/integrate-with-nat-gateway
  firewallSnatPortsPerIpPerInstance: {
    value: 2_496,
    unit: "SNAT ports",
    description:
      "SNAT ports Azure Firewall gets per public IP per backend instance; a NAT gateway on AzureFirewallSubnet takes over outbound SNAT with 64,512 ports per IP.",
    source: AZURE_FIREWALL_NAT,
  },
} as const satisfies Record<string, Limit>;

/** The Azure NAT gateway SKUs natcap knows. The only place to extend when a SKU is added. */
export enum AzureNatSku {
  /** Standard: the SKU azure-native's default network API version (2024-05-01) can express. */
  Standard = "Standard",
  /**
   * StandardV2 (GA 2026-01): zone-redundant, 100 Gbps. Needs StandardV2 public IPs and a newer
   * network API version than azure-native's default; the component creates it through the generic
   * resource at 2025-01-01 (components/azure/standardV2.ts).
   */
  StandardV2 = "StandardV2",
}

/** Every limit with its cloud and key, for documentation and reports. */
export function allLimits(): { cloud: "aws" | "azure"; key: string; limit: Limit }[] {
  const rows: { cloud: "aws" | "azure"; key: string; limit: Limit }[] = [];
  for (const [key, limit] of Object.entries(AWS)) rows.push({ cloud: "aws", key, limit });
  for (const [key, limit] of Object.entries(AZURE)) rows.push({ cloud: "azure", key, limit });
  return rows;
}

export { HOURS_PER_MONTH, PRICES, type Price, type PriceKey } from "./prices";
