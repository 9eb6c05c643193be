/**
 * What a gateway design costs a month: the designs the what-if planner (sim/sizing/whatif.ts) compares,
 * the price sheet (core/prices.ts PRICES with the user's overrides) and the monthly cost of a
 * design. Pure.
 *
 * @module
 */

import { AWS, AZURE } from "../../core/limits";
import { HOURS_PER_MONTH, PRICES } from "../../core/prices";

/** Prices in USD a cost is computed from, keyed as core/prices.ts PRICES[cloud]. */
export type PriceSheet = Readonly<Record<string, number>>;

/** The kinds of design the planner compares. */
export type DesignKind = "single" | "split" | "regional";

/** One gateway design: how many gateways (or zones) and IPs each. */
export interface Design {
  /** Cloud the design is priced for. */
  readonly cloud: "aws" | "azure";
  /**
   * `single`: one gateway carrying all the traffic; `split`: `gateways` gateways, each carrying an
   * equal share (subnets routed to different gateways); `regional`: an AWS regional NAT gateway in
   * one zone (billed per zone-hour, up to 32 IPs per zone).
   */
  readonly kind: DesignKind;
  /** Gateways (for `regional`: zones the gateway is active in). */
  readonly gateways: number;
  /** Public IPs on each gateway (for `regional`: in each zone); on Azure, the IPv4 addresses. */
  readonly ipsPerGateway: number;
  /**
   * Public IPv6 addresses on each gateway (Azure StandardV2); absent when the design has none.
   * @default 0
   */
  readonly ipsV6PerGateway?: number;
}

/** Monthly cost of a design in USD, by what it is charged for. */
export interface MonthlyCost {
  /** Gateway-hours (or zone-hours) × hours per month. */
  readonly gateway: number;
  /** Public IP address-hours × hours per month, IPv4 and IPv6 addresses together. */
  readonly addresses: number;
  /** The IPv6 addresses' part of `addresses`; absent when the design has none. */
  readonly addressesV6?: number;
  /** GB processed × the per-GB price. */
  readonly processing: number;
  /** Sum of `gateway`, `addresses` and `processing`. */
  readonly total: number;
}

/** The list prices of a cloud with the user's overrides applied (absent keys keep the list price). */
export function priceSheet(
  cloud: "aws" | "azure",
  overrides: Readonly<Record<string, number | undefined>> = {},
): PriceSheet {
  const sheet: Record<string, number> = {};
  for (const [key, price] of Object.entries(PRICES[cloud])) sheet[key] = overrides[key] ?? price.usd;
  return sheet;
}

/**
 * Monthly cost of a design: gateway-hours (AWS regional: zone-hours), public IP address-hours
 * (every IP is charged, a NAT gateway's included; an Azure IPv6 address at the IPv4 price,
 * `publicIpHour`, see its note in core/prices.ts) and processing.
 *
 * @param gbPerMonth GB the design processes in a month, all gateways together. @default 0
 */
export function monthlyCost(design: Design, prices: PriceSheet, gbPerMonth = 0): MonthlyCost {
  const hourly =
    design.cloud === "aws"
      ? design.kind === "regional"
        ? prices.regionalNatZoneHour
        : prices.natGatewayHour
      : prices.natGatewayHour;
  const ipHour = design.cloud === "aws" ? prices.publicIpv4Hour : prices.publicIpHour;
  const v6 = design.ipsV6PerGateway ?? 0;
  const gateway = design.gateways * hourly * HOURS_PER_MONTH;
  const addressesV6 = design.gateways * v6 * ipHour * HOURS_PER_MONTH;
  const addresses = design.gateways * design.ipsPerGateway * ipHour * HOURS_PER_MONTH + addressesV6;
  const processing = gbPerMonth * prices.natGatewayPerGb;
  return {
    gateway,
    addresses,
    ...(v6 > 0 ? { addressesV6 } : {}),
    processing,
    total: gateway + addresses + processing,
  };
}

/** Largest IP count one gateway of a design kind holds. */
export function maxIpsFor(cloud: "aws" | "azure", kind: DesignKind): number {
  if (cloud === "azure") return AZURE.maxPublicIpAddresses.value;
  return kind === "regional" ? AWS.regionalIpsPerAz.value : AWS.maxIpsPerZonalGateway.value;
}

/** Largest IPv6 address count one gateway holds (Azure StandardV2; none elsewhere). */
export function maxIpsV6For(cloud: "aws" | "azure"): number {
  return cloud === "azure" ? AZURE.maxPublicIpv6StandardV2.value : 0;
}

/** True when two designs are the same (kind, gateways, IPv4 and IPv6 addresses each). */
export function sameDesign(a: Design, b: Design): boolean {
  return (
    a.kind === b.kind &&
    a.gateways === b.gateways &&
    a.ipsPerGateway === b.ipsPerGateway &&
    (a.ipsV6PerGateway ?? 0) === (b.ipsV6PerGateway ?? 0)
  );
}

/** `3 IPs`, or `3 IPv4 and 2 IPv6 addresses` when the design has IPv6 addresses. */
function addressWords(d: Design): string {
  const v6 = d.ipsV6PerGateway ?? 0;
  if (v6 === 0) return `${d.ipsPerGateway} IP${d.ipsPerGateway === 1 ? "" : "s"}`;
  return `${d.ipsPerGateway} IPv4 and ${v6} IPv6 address${v6 === 1 ? "" : "es"}`;
}

/**
 * A design in words, as every surface (table, Markdown, HTML, JSON readers) names the cheapest fit:
 * `one gateway with 3 IPs`, `one gateway with 3 IPv4 and 2 IPv6 addresses`, `2 gateways with 2 IPs
 * each`, `a regional NAT gateway with 9 IPs in this zone`.
 */
export function designText(d: Design): string {
  const words = addressWords(d);
  if (d.kind === "regional") {
    return `a regional NAT gateway with ${words} in ${d.gateways === 1 ? "this zone" : `each of ${d.gateways} zones`}`;
  }
  if (d.gateways === 1) return `one gateway with ${words}`;
  return `${d.gateways} gateways with ${words} each`;
}
