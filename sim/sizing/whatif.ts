/**
 * What-if sizing: for every IP count from 1 to the gateway's maximum, the expected port-allocation
 * errors, the headroom (how far the traffic can grow before the first errors) and the monthly cost,
 * with the cheapest design that fits marked, and the alternatives that also fit (more IPs, several
 * gateways sharing the traffic, an AWS regional gateway). A gateway with IPv6 destinations (Azure
 * StandardV2) gets a second table over its IPv6 address count: each family's rows are evaluated on
 * that family's destinations alone (their SNAT ports come from their own addresses), the cheapest
 * design fits both, and it is checked on the whole workload, whose families share the gateway's
 * connection cap. Pure: the analytic path
 * (sim/analytic/analyze.ts) answers every question, and prices come from core/prices.ts PRICES, overridden
 * by the workload's `gateway.prices`.
 *
 * @module
 */

import { analyzeWorkloadDetailed } from "../analytic/analyze";
import { withGatewayIps } from "../analytic/transient";
import { addressFamily } from "../workload/address";
import type { Workload } from "../workload/workload";
import {
  type Design,
  type DesignKind,
  designText,
  type MonthlyCost,
  maxIpsFor,
  maxIpsV6For,
  monthlyCost,
  type PriceSheet,
  priceSheet,
  sameDesign,
} from "./cost";
import { planScaleIn, type ScaleInPlan } from "./scalein";

/**
 * The workload with every traffic rate and peak expectation multiplied by `m`, on `ips` IPv4
 * addresses (and `ipsV6` IPv6 addresses when given).
 */
export function scaledWorkload(
  w: Workload,
  m: number,
  ips: number = w.gateway.ips,
  ipsV6: number | undefined = w.gateway.ipsV6,
): Workload {
  // The traffic as given: one model of it for every IP count (the rows).
  if (m === 1 && w.destinations.every((d) => d.peakConnections === undefined))
    return withGatewayIps(w, ips, ipsV6);
  // A fixed IP count: the what-if rows leave any IP changes of the workload out.
  const { ipChanges: _changes, ...gateway } = w.gateway;
  return {
    ...w,
    gateway: { ...gateway, ips, ...(ipsV6 !== undefined ? { ipsV6 } : {}) },
    destinations: w.destinations.map((d) =>
      d.peakConnections === undefined ? d : { ...d, peakConnections: Math.ceil(d.peakConnections * m) },
    ),
    traffic: w.traffic.map((t) => ({ ...t, connectionsPerSecond: t.connectionsPerSecond * m })),
  };
}

/** True for a destination whose SNAT ports come from the gateway's IPv6 addresses. */
const isV6 = (d: { address: string }) => addressFamily(d.address) === "ipv6";

/**
 * The workload restricted to one address family's destinations and the traffic to them (the
 * gateway unchanged). Each family takes its ports from its own addresses, so a family's errors
 * and headroom depend on its own traffic only (the gateway-wide connection cap aside).
 */
export function familyWorkload(w: Workload, family: "ipv4" | "ipv6"): Workload {
  const keep = (d: { address: string }) => isV6(d) === (family === "ipv6");
  const names = new Set(w.destinations.filter(keep).map((d) => d.name));
  return {
    ...w,
    destinations: w.destinations.filter(keep),
    traffic: w.traffic.filter((t) => names.has(t.to)),
  };
}

/** Expected errors of a workload and whether it fits (verdict ok), from the analytic path. */
export function expectedOutcome(w: Workload): { expectedErrors: number; fits: boolean } {
  if (w.destinations.length === 0) return { expectedErrors: 0, fits: true };
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
 *
 * @param ips IPv4 addresses @default the workload's
 * @param ipsV6 IPv6 addresses @default the workload's
 */
export function headroom(
  w: Workload,
  ips: number = w.gateway.ips,
  ipsV6: number | undefined = w.gateway.ipsV6,
): number {
  const fits = (m: number) => expectedOutcome(scaledWorkload(w, m, ips, ipsV6)).fits;
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

/**
 * One row of a what-if table: one gateway carrying all the traffic. In `rows` the IPv4 count
 * varies and the figures are the IPv4 destinations'; in `rowsV6` the IPv6 count varies and the
 * figures are the IPv6 destinations'. The cost is the whole gateway's.
 */
export interface WhatIfRow {
  /** Public IPv4 addresses on the gateway (in `rowsV6`: the count the row is priced with). */
  readonly ips: number;
  /**
   * Public IPv6 addresses on the gateway, when it has or needs some (in `rows`: the count the row
   * is priced with; in `rowsV6`: the count that varies).
   */
  readonly ipsV6?: number;
  /** Expected port-allocation errors over the workload's duration (unrounded), of the row's family. */
  readonly expectedErrors: number;
  /** True when the verdict of the row's family is ok with this many addresses. */
  readonly fits: boolean;
  /** Growth multiplier of the family's traffic before the first errors (see {@link headroom}). */
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
  /** IPs the workload gives (on Azure, IPv4 addresses). */
  readonly ipsAsGiven: number;
  /** IPv6 addresses the workload gives, when it gives some or has IPv6 destinations. */
  readonly ipsV6AsGiven?: number;
  /** Prices used, in USD (list prices with overrides applied). */
  readonly prices: PriceSheet;
  /** GB processed per month the cost assumes. */
  readonly gbPerMonth: number;
  /**
   * One row per IPv4 count from 1 to the maximum one gateway holds; with IPv6 destinations, the
   * figures are the IPv4 destinations' and each row is priced with the IPv6 count of the cheapest
   * fit (the count given when no IPv6 count fits).
   */
  readonly rows: readonly WhatIfRow[];
  /**
   * With IPv6 destinations: one row per IPv6 count from 1 to the maximum (16 on StandardV2), the
   * figures the IPv6 destinations', each priced with the IPv4 count of the cheapest fit (the count
   * given when no IPv4 count fits).
   */
  readonly rowsV6?: readonly WhatIfRow[];
  /**
   * With IPv6 destinations, when each family fits on its own addresses: false when the two together
   * break the gateway-wide connection cap (more addresses do not help; split the traffic).
   */
  readonly familiesFitTogether?: boolean;
  /** Monthly cost of the design as given (one gateway, `ipsAsGiven` IPs, `ipsV6AsGiven` IPv6). */
  readonly costAsGiven: MonthlyCost;
  /** Other designs that fit: one more IP, traffic split over gateways, an AWS regional gateway. */
  readonly alternatives: readonly WhatIfAlternative[];
  /** The cheapest design that fits, or undefined when none of those compared does. */
  readonly cheapest?: Design;
  /** {@link designText} of `cheapest`, as every surface shows it. */
  readonly cheapestText?: string;
  /** AWS: each smaller IPv4 count, its errors and the drain a removal to it needs (sim/sizing/scalein.ts). */
  readonly scaleIn?: ScaleInPlan;
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

/**
 * Smallest count from 1 to `max` at which `w` scaled by `share` fits, varying the IPv4 count
 * (`family` ipv4) or the IPv6 count (ipv6), or undefined.
 */
function minFitting(w: Workload, share: number, max: number, family: "ipv4" | "ipv6"): number | undefined {
  for (let n = 1; n <= max; n++) {
    const scaled =
      family === "ipv4" ? scaledWorkload(w, share, n) : scaledWorkload(w, share, w.gateway.ips, n);
    if (expectedOutcome(scaled).fits) return n;
  }
  return undefined;
}

/** The two families of a workload, each on its own addresses, and what a design must satisfy. */
interface Families {
  /** The IPv4 destinations (the whole workload when there are no IPv6 ones). */
  readonly v4: Workload;
  /** The IPv6 destinations, when there are some. */
  readonly v6?: Workload;
}

function familiesOf(w: Workload): Families {
  if (!w.destinations.some(isV6)) return { v4: w };
  return { v4: familyWorkload(w, "ipv4"), v6: familyWorkload(w, "ipv6") };
}

/**
 * Plans a workload's sizing: the what-if rows for 1 to the maximum IPs of one gateway (and, with
 * IPv6 destinations, for 1 to the maximum IPv6 addresses), the alternatives that also fit and the
 * cheapest design that fits.
 */
export function planWhatIf(w: Workload, options: WhatIfOptions = {}): WhatIfPlan {
  const cloud = w.cloud;
  const prices = priceSheet(cloud, options.prices ?? w.gateway.prices);
  const gb = options.gbPerMonth ?? w.gbPerMonth ?? 0;
  const max = Math.max(maxIpsFor(cloud, "single"), w.gateway.ips);
  const fam = familiesOf(w);
  const v6Given = w.gateway.ipsV6 ?? 0;
  const maxV6 = Math.max(maxIpsV6For(cloud), v6Given);
  const design = (kind: DesignKind, gateways: number, ips: number, v6: number): Design => ({
    cloud,
    kind,
    gateways,
    ipsPerGateway: ips,
    ...(v6 > 0 ? { ipsV6PerGateway: v6 } : {}),
  });
  const figures = (fw: Workload, ips: number, v6: number | undefined) => ({
    ...expectedOutcome(scaledWorkload(fw, 1, ips, v6)),
    headroom: fw.destinations.length === 0 ? MAX_HEADROOM : headroom(fw, ips, v6),
  });
  const rawRows = Array.from({ length: max }, (_, i) => ({
    ips: i + 1,
    ...figures(fam.v4, i + 1, undefined),
  }));
  const v6Workload = fam.v6;
  const rawV6 = v6Workload
    ? Array.from({ length: maxV6 }, (_, i) => ({
        ipsV6: i + 1,
        ...figures(v6Workload, w.gateway.ips, i + 1),
      }))
    : undefined;
  const firstFit = rawRows.find((r) => r.fits);
  const firstFitV6 = rawV6?.find((r) => r.fits);
  // Each family's table is priced with the other family's count of the cheapest fit.
  const pairedV6 = rawV6 ? (firstFitV6?.ipsV6 ?? v6Given) : v6Given;
  const pairedV4 = firstFit?.ips ?? w.gateway.ips;
  const single = (ips: number, v6: number) => design("single", 1, ips, v6);
  const costOf = (d: Design) => monthlyCost(d, prices, gb);
  // The families share the gateway's connection cap: a design is checked on the whole workload.
  const fitsWhole = (share: number, ips: number, v6: number) =>
    !fam.v6 || expectedOutcome(scaledWorkload(w, share, ips, v6)).fits;

  const candidates: { design: Design; total: number }[] = [];
  const alternatives: Omit<WhatIfAlternative, "cheapest">[] = [];
  const singleFits = firstFit !== undefined && (!rawV6 || firstFitV6 !== undefined);
  const together = singleFits ? fitsWhole(1, pairedV4, pairedV6) : undefined;
  if (singleFits && together) {
    const best = single(pairedV4, pairedV6);
    candidates.push({ design: best, total: costOf(best).total });
    const moreV4 = Math.min(pairedV4 + 1, max);
    const moreV6 = rawV6 ? Math.min(pairedV6 + 1, maxV6) : pairedV6;
    if (moreV4 > pairedV4 || moreV6 > pairedV6) {
      const more = single(moreV4, moreV6);
      alternatives.push({
        design: more,
        description: `${designText(more)} (${rawV6 ? "one more of each family" : "one more"}, for growth)`,
        headroom: rawV6 ? headroom(w, moreV4, moreV6) : rawRows[moreV4 - 1].headroom,
        cost: costOf(more),
      });
    }
  }
  for (let g = 2; g <= (options.maxGateways ?? 4); g++) {
    const ips = fam.v4.destinations.length === 0 ? 1 : minFitting(fam.v4, 1 / g, max, "ipv4");
    const v6 = fam.v6 ? minFitting(fam.v6, 1 / g, maxV6, "ipv6") : v6Given;
    if (ips === undefined || v6 === undefined || !fitsWhole(1 / g, ips, v6)) continue;
    const split = design("split", g, ips, v6);
    alternatives.push({
      design: split,
      description: `${designText(split)}, the traffic split evenly between them (subnets routed to different gateways)`,
      headroom: headroom(scaledWorkload(w, 1 / g), ips, fam.v6 ? v6 : undefined),
      cost: costOf(split),
    });
    break;
  }
  if (cloud === "aws") {
    const ips = minFitting(w, 1, maxIpsFor(cloud, "regional"), "ipv4");
    if (ips !== undefined) {
      const regional = design("regional", 1, ips, 0);
      alternatives.push({
        design: regional,
        description: `${designText(regional)} (up to ${maxIpsFor(cloud, "regional")} per zone)`,
        headroom: headroom(w, ips),
        cost: costOf(regional),
      });
    }
  }
  candidates.push(...alternatives.map((a) => ({ design: a.design, total: a.cost.total })));
  // Ties go to the earlier candidate: one gateway before a split, zonal before regional.
  const cheapest = candidates.reduce<(typeof candidates)[number] | undefined>(
    (best, c) => (best === undefined || c.total < best.total - 1e-9 ? c : best),
    undefined,
  )?.design;
  const isCheapest = (d: Design) => cheapest !== undefined && sameDesign(d, cheapest);
  return {
    cloud,
    ipsAsGiven: w.gateway.ips,
    ...(rawV6 || v6Given > 0 ? { ipsV6AsGiven: v6Given } : {}),
    prices,
    gbPerMonth: gb,
    rows: rawRows.map((r) => {
      const d = single(r.ips, pairedV6);
      return { ...r, ...(pairedV6 > 0 ? { ipsV6: pairedV6 } : {}), cost: costOf(d), cheapest: isCheapest(d) };
    }),
    ...(rawV6
      ? {
          rowsV6: rawV6.map((r) => {
            const d = single(pairedV4, r.ipsV6);
            return { ips: pairedV4, ...r, cost: costOf(d), cheapest: isCheapest(d) };
          }),
          ...(together !== undefined ? { familiesFitTogether: together } : {}),
        }
      : {}),
    costAsGiven: costOf(single(w.gateway.ips, v6Given)),
    alternatives: alternatives.map((a) => ({ ...a, cheapest: isCheapest(a.design) })),
    ...(cheapest ? { cheapest, cheapestText: designText(cheapest) } : {}),
    ...scaleInField(w, rawRows),
  };
}

/** The plan's `scaleIn`, when the workload is on AWS with more than one IP. */
function scaleInField(w: Workload, rows: Parameters<typeof planScaleIn>[1]): Pick<WhatIfPlan, "scaleIn"> {
  const scaleIn = planScaleIn(w, rows);
  return scaleIn ? { scaleIn } : {};
}
