/**
 * Per-zone sizing of a regional AWS NAT gateway. Port capacity is per (Availability Zone,
 * destination) and fed by that zone's IPs only, so each zone is checked against its own expected
 * traffic: the zone's `expectedTraffic`, or the gateway's `expectedTraffic` scaled by the zone's
 * `trafficShare`, or (neither given) the gateway's whole expectation, the conservative reading.
 *
 * @module
 */
import type { FieldIssue } from "../../sim/errors";
import type { ExpectedTraffic } from "../../sim/workload";
import { type ExpectedTrafficArgs, toExpectedTraffic } from "../common/expectation";

/** The per-zone expectation arguments of one regionalZones entry. */
export interface ZoneExpectationArgs {
  /** The zone's own expected traffic. */
  readonly expectedTraffic?: ExpectedTrafficArgs;
  /** Share (above 0, at most 1) of the gateway's expectedTraffic this zone carries. */
  readonly trafficShare?: number;
}

/**
 * The expectation with every traffic rate and peak multiplied by `share` (peaks rounded up, so a
 * share never hides a connection).
 */
export function scaleExpectation(expected: ExpectedTraffic, share: number): ExpectedTraffic {
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

/** Problems with a zone's expectation arguments: a share outside (0, 1], or both forms given. */
export function zoneExpectationIssues(zone: ZoneExpectationArgs, field: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const s = zone.trafficShare;
  if (s !== undefined && !(typeof s === "number" && s > 0 && s <= 1)) {
    issues.push({
      path: `${field}.trafficShare`,
      value: s,
      message:
        "must be a number above 0 and at most 1 (the share of the gateway's expectedTraffic this zone carries)",
    });
  }
  if (s !== undefined && zone.expectedTraffic !== undefined) {
    issues.push({
      path: `${field}.trafficShare`,
      value: s,
      message: "give either the zone's expectedTraffic or its trafficShare of the gateway's, not both",
    });
  }
  return issues;
}

/**
 * The traffic one zone must carry: its own expectation, the gateway's scaled by its share, or the
 * gateway's whole expectation. Undefined when there is nothing to check.
 */
export function zoneExpectation(
  gateway: ExpectedTraffic | undefined,
  zone: ZoneExpectationArgs,
): ExpectedTraffic | undefined {
  if (zone.expectedTraffic !== undefined) return toExpectedTraffic(zone.expectedTraffic);
  if (gateway === undefined) return undefined;
  return zone.trafficShare === undefined ? gateway : scaleExpectation(gateway, zone.trafficShare);
}

/** True when any zone states its own traffic (an expectation or a share). */
export function hasZoneExpectations(zones: readonly ZoneExpectationArgs[]): boolean {
  return zones.some((z) => z.expectedTraffic !== undefined || z.trafficShare !== undefined);
}
