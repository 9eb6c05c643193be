/**
 * List prices natcap uses to compare designs by monthly cost (the what-if planner, docs/sizing.md),
 * in one table beside the limits of core/limits.ts. Each figure carries its public pricing page and
 * the date it was read; re-check a source before relying on a figure.
 *
 * @module
 */

// ---------------------------------------------------------------------------------------------
// PRICES: list prices natcap uses to compare designs by monthly cost. US East list prices in USD,
// on-demand, without free tiers or discounts; each figure carries its page and the date it was
// read. Users override any of them (workload `gateway.prices`, component and CLI options).
// ---------------------------------------------------------------------------------------------

/** One list price: an amount in USD per unit, where it is published and when it was read. */
export interface Price {
  /** Amount in US dollars per {@link Price.unit}. */
  readonly usd: number;
  /** What one unit is, e.g. "gateway-hour", "GB processed", "IP-hour". */
  readonly unit: string;
  /** What the price is charged for, as one sentence. */
  readonly description: string;
  /** Public pricing page. */
  readonly source: string;
  /** Date (YYYY-MM-DD) the figure was read from the source; re-check before relying on it. */
  readonly asOf: string;
  /** Caveat, e.g. the region the figure is for. */
  readonly note?: string;
}

const AWS_VPC_PRICING = "https://aws.amazon.com/vpc/pricing/";
const AWS_IPV4_CHARGE_BLOG =
  "https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/";
const AWS_TGW_PRICING = "https://aws.amazon.com/transit-gateway/pricing/";
const AZURE_NAT_PRICING = "https://azure.microsoft.com/en-us/pricing/details/azure-nat-gateway/";
const AZURE_IP_PRICING = "https://azure.microsoft.com/en-us/pricing/details/ip-addresses/";

/** Hours in a month as AWS and Azure price calculators count them (365 × 24 ÷ 12). */
export const HOURS_PER_MONTH = 730;

/** List prices of NAT gateways and their public addresses, per cloud. */
export const PRICES = {
  aws: {
    // Source: https://aws.amazon.com/vpc/pricing/
    natGatewayHour: {
      usd: 0.045,
      unit: "gateway-hour",
      description: "Each hour a zonal NAT gateway is provisioned.",
      source: AWS_VPC_PRICING,
      asOf: "2025-11-01",
      note: "US East (N. Virginia); other regions differ.",
    },
    // Source: https://aws.amazon.com/vpc/pricing/
    natGatewayPerGb: {
      usd: 0.045,
      unit: "GB processed",
      description: "Each GB a NAT gateway processes, in either direction.",
      source: AWS_VPC_PRICING,
      asOf: "2025-11-01",
      note: "US East (N. Virginia); data transfer out is charged on top.",
    },
    // Source: https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/
    publicIpv4Hour: {
      usd: 0.005,
      unit: "IP-hour",
      description:
        "Each public IPv4 address per hour, charged since 2024-02-01 on every public IPv4, a NAT gateway's Elastic IPs included.",
      source: AWS_IPV4_CHARGE_BLOG,
      asOf: "2024-02-01",
    },
    // Source: https://aws.amazon.com/vpc/pricing/
    regionalNatZoneHour: {
      usd: 0.045,
      unit: "zone-hour",
      description: "Each hour a regional NAT gateway is active in one Availability Zone.",
      source: AWS_VPC_PRICING,
      asOf: "2025-11-01",
      note: "Regional NAT gateways are billed per Availability Zone they expand to, at the zonal hourly rate.",
    },
    // Source: https://aws.amazon.com/transit-gateway/pricing/
    transitGatewayAttachmentHour: {
      usd: 0.05,
      unit: "attachment-hour",
      description:
        "Each hour a VPC is attached to a Transit Gateway (centralised egress: every spoke VPC and the egress VPC).",
      source: AWS_TGW_PRICING,
      asOf: "2026-12-05",
      note: "US East (N. Virginia); other regions differ. A partial hour is billed as a full hour.",
    },
    // Source: https://aws.amazon.com/transit-gateway/pricing/
    transitGatewayPerGb: {
      usd: 0.02,
      unit: "GB processed",
      description:
        "Each GB sent from an attachment to the Transit Gateway (centralised egress: requests from the spokes, and replies from the egress VPC).",
      source: AWS_TGW_PRICING,
      asOf: "2026-12-05",
      note: "US East (N. Virginia); charged on top of the NAT gateway's processing.",
    },
  },
  azure: {
    // Source: https://azure.microsoft.com/en-us/pricing/details/azure-nat-gateway/
    natGatewayHour: {
      usd: 0.045,
      unit: "gateway-hour",
      description: "Each hour a NAT gateway (Standard or StandardV2, same price) is deployed.",
      source: AZURE_NAT_PRICING,
      asOf: "2026-01-15",
      note: "East US; other regions differ.",
    },
    // Source: https://azure.microsoft.com/en-us/pricing/details/azure-nat-gateway/
    natGatewayPerGb: {
      usd: 0.045,
      unit: "GB processed",
      description: "Each GB a NAT gateway processes.",
      source: AZURE_NAT_PRICING,
      asOf: "2026-01-15",
      note: "East US; bandwidth out is charged on top.",
    },
    // Source: https://azure.microsoft.com/en-us/pricing/details/ip-addresses/
    publicIpHour: {
      usd: 0.005,
      unit: "IP-hour",
      description: "Each Standard static public IPv4 address per hour.",
      source: AZURE_IP_PRICING,
      asOf: "2026-01-15",
      note: "Also the price natcap uses for each public IPv6 address (StandardV2): the page as read gives no IPv6 figure apart, so IPv6 addresses are priced as IPv4 ones.",
    },
    // Source: https://azure.microsoft.com/en-us/pricing/details/ip-addresses/
    publicIpPrefixIpHour: {
      usd: 0.006,
      unit: "IP-hour",
      description: "Each address of a public IP prefix per hour (a /28 is 16 addresses).",
      source: AZURE_IP_PRICING,
      asOf: "2026-01-15",
      note: "Also used for each address of an IPv6 prefix (a /124 is 16 addresses): the page as read gives no IPv6 figure apart.",
    },
  },
} as const satisfies Record<"aws" | "azure", Record<string, Price>>;

/** Price keys of one cloud, e.g. `natGatewayHour`. */
export type PriceKey<C extends "aws" | "azure"> = keyof (typeof PRICES)[C];
