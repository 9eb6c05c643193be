/**
 * Hub egress through Azure Firewall with a NAT gateway on `AzureFirewallSubnet`: every spoke's
 * internet traffic leaves through the hub's one NAT gateway, whose ports are pooled across its IPs.
 * The same endpoint reached from several spokes is one inventory there, so the gateway's expectation
 * is the spokes' expectations merged per endpoint (the aggregation the AWS centralised egress uses,
 * sim/workload/central-traffic.ts, with the hub as its only zone). Pure.
 *
 * @module
 */
import { aggregateZoneTraffic } from "../../sim/workload/central-traffic";
import type { ExpectedTrafficArgs } from "../common/expectation";

/** One spoke virtual network peered to the hub, with its expected internet traffic. */
export interface HubSpokeArgs {
  /** Name of the spoke (named in the endpoints it feeds). */
  key: string;
  /** The spoke's expected traffic to the internet. */
  expectedTraffic: ExpectedTrafficArgs;
}

/** The hub NAT gateway's expectation and, per endpoint, the spokes that feed it. */
export interface HubTraffic {
  /** Every spoke's traffic, one destination per endpoint; pass it as the NAT gateway's `expectedTraffic`. */
  expectedTraffic?: ExpectedTrafficArgs;
  /** Each endpoint (`address:port/protocol`), its merged destination name and its spokes. */
  endpoints: { name: string; endpoint: string; spokes: string[] }[];
}

/** The spokes' expectations merged per endpoint for the hub's NAT gateway (peaks and streams add up). */
export function aggregateHubTraffic(spokes: readonly HubSpokeArgs[]): HubTraffic {
  const [hub] = aggregateZoneTraffic(
    spokes.map((s) => ({
      key: s.key,
      zones: [{ availabilityZone: "hub" }],
      expectedTraffic: s.expectedTraffic,
    })),
    ["hub"],
    false,
  );
  return {
    ...(hub.expectedTraffic ? { expectedTraffic: hub.expectedTraffic } : {}),
    endpoints: hub.endpoints,
  };
}
