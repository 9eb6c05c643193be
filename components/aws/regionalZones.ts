/**
 * Per-zone sizing of a regional AWS NAT gateway. Port capacity is per (Availability Zone,
 * destination) and fed by that zone's IPs only, so each zone is checked against its own expected
 * traffic: the zone's `expectedTraffic`, or the gateway's `expectedTraffic` scaled by the zone's
 * `trafficShare`, or (neither given) the gateway's whole expectation, the conservative reading.
 *
 * @module
 */
import type { FieldIssue } from "../../core/errors";
import { scaleExpectation } from "../../sim/workload/central-traffic";
import type { ExpectedTraffic } from "../../sim/workload/workload";
import { type ExpectedTrafficArgs, toExpectedTraffic } from "../common/expectation";

/** The per-zone expectation arguments of one regionalZones entry. */
export interface ZoneExpectationArgs {
  /** The zone's own expected traffic. */
  readonly expectedTraffic?: ExpectedTrafficArgs;
  /** Share (above 0, at most 1) of the gateway's expectedTraffic this zone carries. */
  readonly trafficShare?: number;
}

/** Scales an expectation by a share (one definition, shared with the central egress aggregation). */
export { scaleExpectation };

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
 * The traffic one zone must carry, in the argument's shape: its own expectation, the gateway's
 * scaled by its share, or the gateway's whole expectation. Undefined when there is nothing to check.
 */
export function zoneExpectationArgs(
  gateway: ExpectedTrafficArgs | undefined,
  zone: ZoneExpectationArgs,
): ExpectedTrafficArgs | undefined {
  if (zone.expectedTraffic !== undefined) return zone.expectedTraffic;
  if (gateway === undefined) return undefined;
  return zone.trafficShare === undefined ? gateway : scaleExpectation(gateway, zone.trafficShare);
}

/** The traffic one zone must carry, in the simulator's shape (see {@link zoneExpectationArgs}). */
export function zoneExpectation(
  gateway: ExpectedTrafficArgs | undefined,
  zone: ZoneExpectationArgs,
): ExpectedTraffic | undefined {
  const args = zoneExpectationArgs(gateway, zone);
  return args === undefined ? undefined : toExpectedTraffic(args);
}

/** The expectation one zone of a regional gateway was checked against (a component output). */
export interface ZoneExpectedTraffic {
  /** The Availability Zone. */
  availabilityZone: string;
  /** The traffic through this zone. */
  expectedTraffic: ExpectedTrafficArgs;
}

/** True when any zone states its own traffic (an expectation or a share). */
export function hasZoneExpectations(zones: readonly ZoneExpectationArgs[]): boolean {
  return zones.some((z) => z.expectedTraffic !== undefined || z.trafficShare !== undefined);
}
