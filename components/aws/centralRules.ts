/**
 * The argument rules of {@link AwsCentralEgress}, checked before anything is planned: zone and spoke
 * keys, each spoke's zones and shares, CIDRs, enums, and each spoke's expectation on its own (so a
 * bad field is named in the spoke that holds it, not in a zone's merged expectation). Pure.
 *
 * @module
 */
import { parseCidr } from "../../core/checks";
import { type FieldIssue, show, WorkloadError } from "../../core/errors";
import { assessCapacity } from "../../sim/verdict/capacity";
import { enumIssues, notAllowed } from "../common/argChecks";
import { CapacityCheckMode, CapacityMethod } from "../common/capacity";
import { toExpectedTraffic } from "../common/expectation";
import { keyIssues } from "../common/keys";
import type { AwsCentralEgressArgs, CentralEgressSpokeArgs } from "./centralArgs";

/** How far a spoke's zone shares may add up away from 1 (rounding of decimal shares). */
const SHARE_SUM_TOLERANCE = 1e-6;

/** The ranges blackholed in the spokes' route table by default (RFC 1918 private ranges). */
export const DEFAULT_BLACKHOLE_CIDRS: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** Issues when a known CIDR is not an IPv4 CIDR block. */
function cidrIssues(path: string, cidr: unknown): FieldIssue[] {
  if (typeof cidr !== "string") return [];
  return parseCidr(cidr) ? [] : [{ path, value: cidr, message: `${show(cidr)} is not an IPv4 CIDR block` }];
}

/** A spoke's zones: present, unique, among the egress zones (without appliance mode), shares all-or-none summing to 1. */
function spokeZoneIssues(
  spoke: CentralEgressSpokeArgs,
  field: string,
  egressZones: readonly string[],
  applianceMode: boolean,
): FieldIssue[] {
  const zones = spoke.zones ?? [];
  if (!Array.isArray(zones) || zones.length === 0)
    return [
      {
        path: `${field}.zones`,
        message: "is empty; give the spoke's attachment subnet in each of its zones",
      },
    ];
  const issues = keyIssues(
    zones.map((z) => z?.availabilityZone),
    `${field}.zones.availabilityZone`,
  );
  zones.forEach((z, j) => {
    if (z === null || typeof z !== "object") return; // reported as a bad key above
    if (!applianceMode && typeof z.availabilityZone === "string" && !egressZones.includes(z.availabilityZone))
      issues.push({
        path: `${field}.zones[${j}].availabilityZone`,
        value: z.availabilityZone,
        message:
          `the egress VPC has no zone ${show(z.availabilityZone)} (it has ${egressZones.join(", ")}): without appliance mode ` +
          "the Transit Gateway keeps a flow in its zone, so which NAT gateway would carry this zone's traffic is not known; " +
          "add the zone to the egress VPC, or attach the spoke only in the egress VPC's zones",
      });
    const s = z.trafficShare;
    if (s !== undefined && !(typeof s === "number" && s > 0 && s <= 1))
      issues.push({
        path: `${field}.zones[${j}].trafficShare`,
        value: s,
        message:
          "must be a number above 0 and at most 1 (the share of the spoke's expectedTraffic leaving through this zone)",
      });
  });
  const given = zones.filter((z) => z?.trafficShare !== undefined);
  if (given.length > 0 && given.length < zones.length)
    issues.push({
      path: `${field}.zones`,
      message: `gives trafficShare for ${given.length} of its ${zones.length} zones: give it for every zone, or for none (an even split)`,
    });
  const sum = given.reduce((a, z) => a + (typeof z.trafficShare === "number" ? z.trafficShare : 0), 0);
  if (given.length === zones.length && Math.abs(sum - 1) > SHARE_SUM_TOLERANCE)
    issues.push({
      path: `${field}.zones.trafficShare`,
      value: sum,
      message: `the spoke's zone shares add up to ${sum}, not 1: every flow of the spoke leaves through one of its zones`,
    });
  return issues;
}

/** A spoke's expectation on its own: the simulator's field errors, with paths under the spoke. */
function spokeExpectationIssues(spoke: CentralEgressSpokeArgs, field: string): FieldIssue[] {
  if (spoke.expectedTraffic === undefined) return [];
  try {
    // Analytic and on one IP: only the validation matters here, the verdict comes per zone.
    assessCapacity(toExpectedTraffic(spoke.expectedTraffic), { cloud: "aws", ips: 1, method: "analytic" });
    return [];
  } catch (e) {
    if (!(e instanceof WorkloadError)) throw e;
    return e.issues.map((i) => ({ ...i, path: `${field}.${i.path}` }));
  }
}

/** Issues of one spoke: its key-bearing lists, its CIDR, its zones and its expectation. */
function spokeIssues(
  spoke: CentralEgressSpokeArgs,
  i: number,
  egressZones: readonly string[],
  applianceMode: boolean,
): FieldIssue[] {
  const field = `spokes[${i}]`;
  if (spoke === null || typeof spoke !== "object")
    return [
      {
        path: field,
        value: spoke,
        message: `${show(spoke)} is not a spoke description { key, vpcId, cidrBlock, zones, ... }`,
      },
    ];
  const issues: FieldIssue[] = [];
  if (spoke.vpcId === undefined) issues.push({ path: `${field}.vpcId`, message: "is required" });
  if (spoke.cidrBlock === undefined)
    issues.push({
      path: `${field}.cidrBlock`,
      message: "is required (the egress VPC routes it back to the Transit Gateway)",
    });
  issues.push(...cidrIssues(`${field}.cidrBlock`, spoke.cidrBlock));
  issues.push(
    ...keyIssues(
      (spoke.routeTables ?? []).map((t) => t.key),
      `${field}.routeTables.key`,
    ),
  );
  issues.push(...spokeZoneIssues(spoke, field, egressZones, applianceMode));
  return [...issues, ...spokeExpectationIssues(spoke, field)];
}

/** Every argument issue of a central egress, for one ValidationError or WorkloadError. */
export function centralEgressIssues(args: AwsCentralEgressArgs): FieldIssue[] {
  // Lists given as something else are reported below and checked as empty, so nothing else throws.
  const zones = Array.isArray(args.zones) ? args.zones : [];
  const spokes = Array.isArray(args.spokes) ? args.spokes : [];
  const egressZones = zones.map((z) => z?.availabilityZone);
  const applianceMode = args.applianceModeSupport ?? false;
  const issues: FieldIssue[] = [
    ...enumIssues("capacityCheck", args.capacityCheck, CapacityCheckMode),
    ...enumIssues("capacityMethod", args.capacityMethod, CapacityMethod),
    ...keyIssues(egressZones, "zones.availabilityZone"),
    // A spoke that is not an object is reported by spokeIssues, not as a bad key too.
    ...keyIssues(
      spokes.filter((s) => s !== null && typeof s === "object").map((s) => s.key),
      "spokes.key",
    ),
  ];
  if (args.vpcId === undefined) issues.push({ path: "vpcId", message: "is required (the egress VPC)" });
  if (zones.length === 0)
    issues.push({
      path: "zones",
      message: "is empty; give one entry per Availability Zone of the egress VPC",
    });
  if (args.spokes !== undefined && !Array.isArray(args.spokes))
    issues.push({
      path: "spokes",
      value: args.spokes,
      message: `${show(args.spokes)} is not a list of spoke VPCs (it may be empty)`,
    });
  if (args.transitGatewayId !== undefined && args.amazonSideAsn !== undefined)
    issues.push(
      notAllowed(
        "amazonSideAsn",
        args.amazonSideAsn,
        "applies to a new Transit Gateway only, not with transitGatewayId",
      ),
    );
  const blackholes = Array.isArray(args.blackholeCidrBlocks) ? args.blackholeCidrBlocks : [];
  if (args.blackholeCidrBlocks !== undefined && !Array.isArray(args.blackholeCidrBlocks))
    issues.push({
      path: "blackholeCidrBlocks",
      value: args.blackholeCidrBlocks,
      message: `${show(args.blackholeCidrBlocks)} is not a list of CIDR blocks`,
    });
  blackholes.forEach((c, i) => {
    issues.push(...cidrIssues(`blackholeCidrBlocks[${i}]`, c));
    if (blackholes.indexOf(c) !== i)
      issues.push({ path: `blackholeCidrBlocks[${i}]`, value: c, message: `${show(c)} appears twice` });
  });
  issues.push(...spokes.flatMap((s, i) => spokeIssues(s, i, egressZones, applianceMode)));
  return issues;
}

/** True when any issue comes from a spoke's expectation (the simulator's kind: a WorkloadError). */
export function hasExpectationIssue(issues: readonly FieldIssue[]): boolean {
  return issues.some((i) => /^spokes\[\d+\]\.expectedTraffic/.test(i.path));
}
