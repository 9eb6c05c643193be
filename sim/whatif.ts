/**
 * What-if sizing: for every IP count from 1 to the gateway's maximum, the expected port-allocation
 * errors, the headroom (how far the traffic can grow before the first errors) and the monthly cost,
 * with the cheapest design that fits marked, and the alternatives that also fit (more IPs, several
 * gateways sharing the traffic, an AWS regional gateway). Pure: the analytic path
 * (sim/analyze.ts) answers every question, and prices come from core/prices.ts PRICES, overridden
 * by the workload's `gateway.prices`.
 *
 * @module
 */

import { AWS, AZURE } from "../core/limits";
import { HOURS_PER_MONTH, PRICES } from "../core/prices";
import { analyzeWorkloadDetailed } from "./analyze";
import type { Workload } from "./workload";

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
  /** Public IPs on each gateway (for `regional`: in each zone). */
  readonly ipsPerGateway: number;
}

/** Monthly cost of a design in USD, by what it is charged for. */
export interface MonthlyCost {
  /** Gateway-hours (or zone-hours) × hours per month. */
  readonly gateway: number;
  /** Public IP address-hours × hours per month. */
  readonly addresses: number;
  /** GB processed × the per-GB price. */
  readonly processing: number;
  /** Sum of the three. */
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
 * (every IP is charged, a NAT gateway's included) and processing.
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
  const gateway = design.gateways * hourly * HOURS_PER_MONTH;
  const addresses = design.gateways * design.ipsPerGateway * ipHour * HOURS_PER_MONTH;
  const processing = gbPerMonth * prices.natGatewayPerGb;
  return { gateway, addresses, processing, total: gateway + addresses + processing };
}

/** Largest IP count one gateway of a design kind holds. */
export function maxIpsFor(cloud: "aws" | "azure", kind: DesignKind): number {
  if (cloud === "azure") return AZURE.maxPublicIpAddresses.value;
  return kind === "regional" ? AWS.regionalIpsPerAz.value : AWS.maxIpsPerZonalGateway.value;
}

/** The workload with every traffic rate and peak expectation multiplied by `m`, on `ips` IPs. */
export function scaledWorkload(w: Workload, m: number, ips: number = w.gateway.ips): Workload {
  return {
    ...w,
    gateway: { ...w.gateway, ips },
    destinations: w.destinations.map((d) =>
      d.peakConnections === undefined ? d : { ...d, peakConnections: Math.ceil(d.peakConnections * m) },
    ),
    traffic: w.traffic.map((t) => ({ ...t, connectionsPerSecond: t.connectionsPerSecond * m })),
  };
}

/** Expected errors of a workload and whether it fits (verdict ok), from the analytic path. */
export function expectedOutcome(w: Workload): { expectedErrors: number; fits: boolean } {
  const run = analyzeWorkloadDetailed(w);
  return {
    expectedErrors: run.details.reduce((s, d) => s + d.expectedErrors, 0),
    fits: run.result.verdict === "ok",
  };
}

/** Largest growth multiplier the planner reports; past it headroom reads as "at least this". */
export const MAX_HEADROOM = 1000;
/** Relative precision of the headroom bisection. */
const HEADROOM_PRECISION = 0.01;

/**
 * Headroom: the largest multiplier of every traffic rate and peak expectation that still fits
 * (no errors predicted), found by bisection. Below 1 when the traffic as given does not fit; 0 when
 * nothing fits; {@link MAX_HEADROOM} when it fits at that growth too (or there is no traffic).
 */
export function headroom(w: Workload, ips: number = w.gateway.ips): number {
  const fits = (m: number) => expectedOutcome(scaledWorkload(w, m, ips)).fits;
  let lo: number;
  let hi: number;
  if (fits(1)) {
    lo = 1;
    hi = 2;
    while (fits(hi)) {
      lo = hi;
      if (hi >= MAX_HEADROOM) return MAX_HEADROOM;
      hi = Math.min(MAX_HEADROOM, hi * 2);
    }
  } else {
    lo = 0;
    hi = 1;
  }
  while (hi - lo > HEADROOM_PRECISION * Math.max(lo, HEADROOM_PRECISION)) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** One row of the what-if table: one gateway with `ips` IPs carrying all the traffic. */
export interface WhatIfRow {
  /** Public IPs on the gateway. */
  readonly ips: number;
  /** Expected port-allocation errors over the workload's duration (unrounded). */
  readonly expectedErrors: number;
  /** True when the verdict is ok with this many IPs. */
  readonly fits: boolean;
  /** Growth multiplier of the traffic before the first errors (see {@link headroom}). */
  readonly headroom: number;
  /** Monthly cost of this design. */
  readonly cost: MonthlyCost;
  /** True on the cheapest design that fits, when that design is this row. */
  readonly cheapest: boolean;
}

/** A design beyond one gateway with more IPs that also fits, with its cost. */
export interface WhatIfAlternative {
  /** The design. */
  readonly design: Design;
  /** One line describing it. */
  readonly description: string;
  /** Headroom of the design (each gateway's share of the traffic). */
  readonly headroom: number;
  /** Monthly cost. */
  readonly cost: MonthlyCost;
  /** True when this is the cheapest design that fits. */
  readonly cheapest: boolean;
}

/** The what-if plan of one gateway's workload. */
export interface WhatIfPlan {
  /** Cloud. */
  readonly cloud: "aws" | "azure";
  /** IPs the workload gives. */
  readonly ipsAsGiven: number;
  /** Prices used, in USD (list prices with overrides applied). */
  readonly prices: PriceSheet;
  /** GB processed per month the cost assumes. */
  readonly gbPerMonth: number;
  /** One row per IP count from 1 to the maximum one gateway holds. */
  readonly rows: readonly WhatIfRow[];
  /** Monthly cost of the design as given (one gateway, `ipsAsGiven` IPs). */
  readonly costAsGiven: MonthlyCost;
  /** Other designs that fit: one more IP, traffic split over gateways, an AWS regional gateway. */
  readonly alternatives: readonly WhatIfAlternative[];
  /** The cheapest design that fits, or undefined when none of those compared does. */
  readonly cheapest?: Design;
}

/** Options of {@link planWhatIf}. */
export interface WhatIfOptions {
  /** Price overrides in USD keyed as PRICES[cloud]. @default the workload's `gateway.prices` */
  prices?: Readonly<Record<string, number | undefined>>;
  /** GB processed per month. @default the workload's `gbPerMonth`, else 0 */
  gbPerMonth?: number;
  /** Most gateways a split alternative may use. @default 4 */
  maxGateways?: number;
}

/** Smallest IP count from 1 to `max` at which `w` scaled by `share` fits, or undefined. */
function minFittingIps(w: Workload, share: number, max: number): number | undefined {
  for (let ips = 1; ips <= max; ips++) if (expectedOutcome(scaledWorkload(w, share, ips)).fits) return ips;
  return undefined;
}

/**
 * Plans a workload's sizing: the what-if rows for 1 to the maximum IPs of one gateway, the
 * alternatives that also fit and the cheapest design that fits.
 */
export function planWhatIf(w: Workload, options: WhatIfOptions = {}): WhatIfPlan {
  const cloud = w.cloud;
  const prices = priceSheet(cloud, options.prices ?? w.gateway.prices);
  const gb = options.gbPerMonth ?? w.gbPerMonth ?? 0;
  const max = Math.max(maxIpsFor(cloud, "single"), w.gateway.ips);
  const single = (ips: number): Design => ({ cloud, kind: "single", gateways: 1, ipsPerGateway: ips });
  const rows = Array.from({ length: max }, (_, i) => {
    const ips = i + 1;
    const outcome = expectedOutcome(scaledWorkload(w, 1, ips));
    return { ips, ...outcome, headroom: headroom(w, ips), cost: monthlyCost(single(ips), prices, gb) };
  });
  const alternatives: Omit<WhatIfAlternative, "cheapest">[] = [];
  const firstFit = rows.find((r) => r.fits);
  if (firstFit && firstFit.ips < max) {
    const more = rows[firstFit.ips];
    alternatives.push({
      design: single(more.ips),
      description: `one gateway with ${more.ips} IPs (one more, for growth)`,
      headroom: more.headroom,
      cost: more.cost,
    });
  }
  for (let g = 2; g <= (options.maxGateways ?? 4); g++) {
    const ips = minFittingIps(w, 1 / g, max);
    if (ips === undefined) continue;
    const design: Design = { cloud, kind: "split", gateways: g, ipsPerGateway: ips };
    alternatives.push({
      design,
      description: `${g} gateways with ${ips} IP${ips === 1 ? "" : "s"} each, the traffic split evenly between them (subnets routed to different gateways)`,
      headroom: headroom(scaledWorkload(w, 1 / g), ips),
      cost: monthlyCost(design, prices, gb),
    });
    break;
  }
  if (cloud === "aws") {
    const ips = minFittingIps(w, 1, maxIpsFor(cloud, "regional"));
    if (ips !== undefined) {
      const design: Design = { cloud, kind: "regional", gateways: 1, ipsPerGateway: ips };
      alternatives.push({
        design,
        description: `a regional NAT gateway with ${ips} IP${ips === 1 ? "" : "s"} in this zone (up to ${maxIpsFor(cloud, "regional")} per zone)`,
        headroom: headroom(w, ips),
        cost: monthlyCost(design, prices, gb),
      });
    }
  }
  const candidates: { design: Design; total: number }[] = [
    ...(firstFit ? [{ design: single(firstFit.ips), total: firstFit.cost.total }] : []),
    ...alternatives.map((a) => ({ design: a.design, total: a.cost.total })),
  ];
  // Ties go to the earlier candidate: one gateway before a split, zonal before regional.
  const cheapest = candidates.reduce<(typeof candidates)[number] | undefined>(
    (best, c) => (best === undefined || c.total < best.total - 1e-9 ? c : best),
    undefined,
  )?.design;
  const same = (d: Design) =>
    cheapest !== undefined &&
    d.kind === cheapest.kind &&
    d.gateways === cheapest.gateways &&
    d.ipsPerGateway === cheapest.ipsPerGateway;
  return {
    cloud,
    ipsAsGiven: w.gateway.ips,
    prices,
    gbPerMonth: gb,
    rows: rows.map((r) => ({ ...r, cheapest: same(single(r.ips)) })),
    costAsGiven: monthlyCost(single(w.gateway.ips), prices, gb),
    alternatives: alternatives.map((a) => ({ ...a, cheapest: same(a.design) })),
    ...(cheapest ? { cheapest } : {}),
  };
}
