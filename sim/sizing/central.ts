/**
 * What-if of a centralised egress design (AWS: spoke VPCs behind a Transit Gateway and one egress
 * VPC with a NAT gateway per zone): each zone's what-if plan over the spokes' combined traffic in
 * that zone (sim/sizing/whatif.ts, unchanged), and the monthly cost of the whole design with the Transit
 * Gateway's attachment-hours and per-GB processing (core/prices.ts). Pure; its renderers are in
 * render/whatif-central.ts.
 *
 * @module
 */
import { HOURS_PER_MONTH } from "../../core/prices";
import { type ExpectedTraffic, validateWorkload, type Workload } from "../workload/workload";
import { type PriceSheet, priceSheet } from "./cost";
import { planWhatIf, type WhatIfPlan } from "./whatif";

/** One endpoint of a zone and the spokes whose traffic reaches it there. */
export interface CentralEndpointFeed {
  /** Destination name in the zone's expectation. */
  readonly name: string;
  /** `address:port/protocol`. */
  readonly endpoint: string;
  /** The spokes feeding it. */
  readonly spokes: readonly string[];
}

/** One egress zone: its NAT gateway's IPs and the spokes' combined traffic through it. */
export interface CentralZoneInput {
  /** Availability Zone. */
  readonly availabilityZone: string;
  /** IPs of the zone's NAT gateway. */
  readonly ips: number;
  /** The spokes' combined traffic through the zone; undefined when none. */
  readonly expected?: ExpectedTraffic;
  /** The zone's endpoints and their spokes. @default [] */
  readonly endpoints?: readonly CentralEndpointFeed[];
}

/** Input of {@link planCentralWhatIf}. */
export interface CentralWhatIfInput {
  /** The egress zones. */
  readonly zones: readonly CentralZoneInput[];
  /** Spoke VPCs attached to the Transit Gateway (the egress VPC's attachment is counted apart). */
  readonly spokes: number;
  /** Price overrides in USD keyed as core/prices.ts PRICES.aws. @default list prices */
  readonly prices?: Readonly<Record<string, number | undefined>>;
  /** GB the spokes send and receive through the egress VPC in a month, all zones together. @default 0 */
  readonly gbPerMonth?: number;
}

/** Monthly cost of a centralised egress design, by what it is charged for. */
export interface CentralCost {
  /** NAT gateway-hours: one gateway per zone. */
  readonly natGateways: number;
  /** Public IPv4 address-hours of every zone's NAT gateway. */
  readonly addresses: number;
  /** Transit Gateway attachment-hours: every spoke and the egress VPC. */
  readonly attachments: number;
  /** NAT gateway processing of `gbPerMonth`. */
  readonly natProcessing: number;
  /** Transit Gateway processing of `gbPerMonth`. */
  readonly transitGatewayProcessing: number;
  /** Sum of the above. */
  readonly total: number;
}

/** One zone's what-if. */
export interface CentralZoneWhatIf {
  /** Availability Zone. */
  readonly availabilityZone: string;
  /** IPs of the zone's NAT gateway as given. */
  readonly ips: number;
  /** The zone's endpoints and their spokes. */
  readonly endpoints: readonly CentralEndpointFeed[];
  /** The what-if plan of the zone's NAT gateway over its combined traffic; undefined without traffic. */
  readonly plan?: WhatIfPlan;
}

/** The what-if of a centralised egress design. */
export interface CentralWhatIfPlan {
  /** Each zone's what-if. */
  readonly zones: readonly CentralZoneWhatIf[];
  /** Spoke VPCs attached. */
  readonly spokes: number;
  /** Prices used (list prices with overrides). */
  readonly prices: PriceSheet;
  /** GB per month the cost assumes. */
  readonly gbPerMonth: number;
  /** Monthly cost of the design as given. */
  readonly cost: CentralCost;
  /** Monthly cost with every zone at its cheapest fitting IP count (undefined when a zone fits with none). */
  readonly costAtCheapest?: CentralCost;
}

/**
 * Monthly cost of a centralised egress design: a NAT gateway per zone with its IPs, an attachment per
 * spoke plus the egress VPC's, and the processing of `gbPerMonth` by both the Transit Gateway and the
 * NAT gateways (each GB crosses both).
 */
export function centralCost(
  ipsPerZone: readonly number[],
  spokes: number,
  prices: PriceSheet,
  gbPerMonth = 0,
): CentralCost {
  const natGateways = ipsPerZone.length * prices.natGatewayHour * HOURS_PER_MONTH;
  const addresses = ipsPerZone.reduce((a, n) => a + n, 0) * prices.publicIpv4Hour * HOURS_PER_MONTH;
  const attachments = (spokes + 1) * prices.transitGatewayAttachmentHour * HOURS_PER_MONTH;
  const natProcessing = gbPerMonth * prices.natGatewayPerGb;
  const transitGatewayProcessing = gbPerMonth * prices.transitGatewayPerGb;
  return {
    natGateways,
    addresses,
    attachments,
    natProcessing,
    transitGatewayProcessing,
    total: natGateways + addresses + attachments + natProcessing + transitGatewayProcessing,
  };
}

/** A zone's combined expectation as a workload on `ips` IPs (the simulator validates it). */
function zoneWorkload(zone: CentralZoneInput): Workload {
  const { method: _method, ...expected } = zone.expected as ExpectedTraffic;
  return validateWorkload(
    { cloud: "aws", gateway: { ips: zone.ips }, ...expected },
    `zone ${zone.availabilityZone}`,
  );
}

/**
 * Plans a centralised egress design: each zone's what-if over its combined traffic (its NAT
 * gateway's share of the processing: the GB split over zones as their connections are), and the
 * whole design's monthly cost as given and at every zone's cheapest fitting IP count.
 */
export function planCentralWhatIf(input: CentralWhatIfInput): CentralWhatIfPlan {
  const prices = priceSheet("aws", input.prices ?? {});
  const gb = input.gbPerMonth ?? 0;
  const zones = input.zones.map(
    (z): CentralZoneWhatIf => ({
      availabilityZone: z.availabilityZone,
      ips: z.ips,
      endpoints: z.endpoints ?? [],
      ...(z.expected
        ? { plan: planWhatIf(zoneWorkload(z), { prices: input.prices, gbPerMonth: gb / input.zones.length }) }
        : {}),
    }),
  );
  const cheapest = zones.map((z) => (z.plan ? z.plan.rows.find((r) => r.cheapest)?.ips : 1));
  const fits = cheapest.every((n) => n !== undefined);
  return {
    zones,
    spokes: input.spokes,
    prices,
    gbPerMonth: gb,
    cost: centralCost(
      input.zones.map((z) => z.ips),
      input.spokes,
      prices,
      gb,
    ),
    ...(fits ? { costAtCheapest: centralCost(cheapest as number[], input.spokes, prices, gb) } : {}),
  };
}
