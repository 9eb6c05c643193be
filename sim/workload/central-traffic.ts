/**
 * Which traffic each zone's NAT gateway of a central egress VPC carries, from every spoke's
 * expectation. Pure: the component (components/aws/centralPlan.ts) and the policy pack's recognition
 * of plain resources (policies/lib/centralEgress.ts) both aggregate with it.
 *
 * Without appliance mode the Transit Gateway keeps a flow in the Availability Zone it entered from
 * (it "generally does not act as a load balancer"), so a spoke's traffic reaches the NAT gateways of
 * its own attachment zones only, split by its zone shares (even by default). With appliance mode on
 * the egress attachment, the Transit Gateway hashes each flow to one of the egress zones, so every
 * zone carries an even share of every spoke's traffic. In a zone, an endpoint (address, port,
 * protocol) reached from several spokes is one port inventory at that zone's NAT gateway: its
 * destinations merge into one, with every spoke's streams pointed at it.
 *
 * @module
 */
import { endpointKey, endpointText } from "./address";

/** The fields of a destination the aggregation reads (components' arguments and the simulator's shape have them). */
export interface DestinationLike {
  /** Destination name. */
  readonly name: string;
  /** Address. */
  readonly address: string;
  /** Port. */
  readonly port: number;
  /** Protocol. @default "tcp" */
  readonly protocol?: string;
  /** Peak connections. @default none */
  readonly peakConnections?: number;
}

/** The fields of a traffic stream the aggregation reads. */
export interface StreamLike {
  /** Destination name. */
  readonly to: string;
  /** New connections per second. */
  readonly connectionsPerSecond: number;
}

/** An expectation: destinations and optional streams (the shape components and the simulator share). */
export interface ExpectationOf<D extends DestinationLike, S extends StreamLike> {
  /** Destinations. */
  destinations: D[];
  /** Rate-based streams. @default none */
  traffic?: S[];
  /** Simulated seconds. @default the simulator's */
  durationSeconds?: number;
  /** Random seed. @default the simulator's */
  seed?: number;
}

/**
 * The expectation with every traffic rate and peak multiplied by `share` (peaks rounded up, so a
 * share never hides a connection). Works on the argument shape and the simulator shape alike.
 */
export function scaleExpectation<
  T extends {
    readonly destinations: readonly { readonly peakConnections?: number }[];
    readonly traffic?: readonly { readonly connectionsPerSecond: number }[];
  },
>(expected: T, share: number): T {
  return {
    ...expected,
    destinations: expected.destinations.map((d) =>
      d.peakConnections === undefined ? d : { ...d, peakConnections: Math.ceil(d.peakConnections * share) },
    ),
    ...(expected.traffic
      ? {
          traffic: expected.traffic.map((t) => ({
            ...t,
            connectionsPerSecond: t.connectionsPerSecond * share,
          })),
        }
      : {}),
  };
}

/** The part of a spoke the traffic split reads. */
export interface SpokeTraffic<D extends DestinationLike, S extends StreamLike> {
  /** The spoke's key. */
  readonly key: string;
  /** The spoke's attachment zones and their optional shares. */
  readonly zones: readonly { readonly availabilityZone: string; readonly trafficShare?: number }[];
  /** The spoke's expected traffic. */
  readonly expectedTraffic?: ExpectationOf<D, S>;
}

/** One endpoint in one zone and the spokes whose traffic reaches it there. */
export interface EndpointFeed {
  /** Name of the merged destination in the zone's expectation. */
  name: string;
  /** `address:port/protocol`. */
  endpoint: string;
  /** Keys of the spokes that send traffic to this endpoint through this zone, in the order given. */
  spokes: string[];
}

/** The combined traffic one zone's NAT gateway carries. */
export interface ZoneTrafficOf<D extends DestinationLike, S extends StreamLike> {
  /** The Availability Zone. */
  availabilityZone: string;
  /** The spokes' traffic through this zone, one destination per endpoint; absent when none. */
  expectedTraffic?: ExpectationOf<D, S>;
  /** Every endpoint of the zone with the spokes that feed it. */
  endpoints: EndpointFeed[];
}

/**
 * The share of a spoke's traffic each egress zone carries: with appliance mode an even share per
 * egress zone; otherwise the spoke's own zone shares (even over its zones when none is given).
 * Zones with no share are absent. Assumes the spoke's zones were validated.
 */
export function spokeZoneShares(
  spoke: Pick<SpokeTraffic<DestinationLike, StreamLike>, "zones">,
  egressZones: readonly string[],
  applianceMode: boolean,
): Map<string, number> {
  if (applianceMode) return new Map(egressZones.map((z) => [z, 1 / egressZones.length]));
  const given = spoke.zones.every((z) => z.trafficShare !== undefined);
  return new Map(
    spoke.zones.map((z) => [z.availabilityZone, given ? (z.trafficShare as number) : 1 / spoke.zones.length]),
  );
}

/** A merged destination being built: its fields, and which spokes fed it. */
interface Merging<D extends DestinationLike> {
  destination: D;
  spokes: string[];
}

/** The endpoint key of a destination argument (TCP when no protocol is given). */
function keyOf(d: DestinationLike): string {
  return endpointKey({ address: String(d.address), port: d.port, protocol: d.protocol ?? "tcp" });
}

/** A destination name not yet used in the zone: the spoke's, else prefixed with the spoke's key. */
function freeName(name: string, spoke: string, used: Set<string>): string {
  let candidate = used.has(name) ? `${spoke}-${name}` : name;
  for (let n = 2; used.has(candidate); n++) candidate = `${spoke}-${name}-${n}`;
  used.add(candidate);
  return candidate;
}

/** One zone's merged expectation from the spokes' expectations scaled by their shares in the zone. */
function mergeZone<D extends DestinationLike, S extends StreamLike>(
  zone: string,
  parts: readonly { spoke: string; expected: ExpectationOf<D, S> }[],
): ZoneTrafficOf<D, S> {
  const byEndpoint = new Map<string, Merging<D>>();
  const used = new Set<string>();
  const traffic: S[] = [];
  let durationSeconds: number | undefined;
  let seed: number | undefined;
  for (const { spoke, expected } of parts) {
    const renamed = new Map<string, string>();
    for (const d of expected.destinations) {
      const key = keyOf(d);
      const seen = byEndpoint.get(key);
      if (seen === undefined) {
        const destination = { ...d, name: freeName(d.name, spoke, used) };
        byEndpoint.set(key, { destination, spokes: [spoke] });
        renamed.set(d.name, destination.name);
        continue;
      }
      if (!seen.spokes.includes(spoke)) seen.spokes.push(spoke);
      const peak = (seen.destination.peakConnections ?? 0) + (d.peakConnections ?? 0);
      if (seen.destination.peakConnections !== undefined || d.peakConnections !== undefined)
        seen.destination = { ...seen.destination, peakConnections: peak };
      renamed.set(d.name, seen.destination.name);
    }
    for (const t of expected.traffic ?? []) traffic.push({ ...t, to: renamed.get(t.to) ?? t.to });
    if (expected.durationSeconds !== undefined)
      durationSeconds = Math.max(durationSeconds ?? 0, expected.durationSeconds);
    seed ??= expected.seed;
  }
  const merged = [...byEndpoint.values()];
  const endpoints = merged.map((m) => ({
    name: m.destination.name,
    endpoint: endpointText({
      address: String(m.destination.address),
      port: m.destination.port,
      protocol: m.destination.protocol ?? "tcp",
    }),
    spokes: m.spokes,
  }));
  if (merged.length === 0) return { availabilityZone: zone, endpoints };
  const expectedTraffic: ExpectationOf<D, S> = {
    destinations: merged.map((m) => m.destination),
    ...(traffic.length > 0 ? { traffic } : {}),
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
  return { availabilityZone: zone, expectedTraffic, endpoints };
}

/**
 * Every egress zone's combined traffic, in the order of `egressZones`: each spoke's expectation
 * scaled by its share in the zone ({@link spokeZoneShares}; peaks rounded up, so a share never hides
 * a connection), merged per endpoint. Spokes without an expectation, and zones a spoke does not
 * reach, add nothing. Assumes the spokes were validated (zones among `egressZones`, shares in range).
 */
export function aggregateZoneTraffic<D extends DestinationLike, S extends StreamLike>(
  spokes: readonly SpokeTraffic<D, S>[],
  egressZones: readonly string[],
  applianceMode: boolean,
): ZoneTrafficOf<D, S>[] {
  const parts = new Map(
    egressZones.map((z) => [z, [] as { spoke: string; expected: ExpectationOf<D, S> }[]]),
  );
  for (const spoke of spokes) {
    if (spoke.expectedTraffic === undefined) continue;
    for (const [zone, share] of spokeZoneShares(spoke, egressZones, applianceMode)) {
      if (!(share > 0)) continue;
      parts.get(zone)?.push({ spoke: spoke.key, expected: scaleExpectation(spoke.expectedTraffic, share) });
    }
  }
  return egressZones.map((z) => mergeZone(z, parts.get(z) ?? []));
}
