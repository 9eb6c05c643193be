/**
 * aws-nat-gateway-ip-limit [mandatory]: a zonal public NAT gateway holds at most 8 IPv4 addresses —
 * the primary EIP, inline `secondaryAllocationIds` and `NatGatewayEipAssociation` resources aimed at
 * it, all counted together; a regional NAT gateway holds at most 32 per Availability Zone, and in
 * manual mode must list addresses for every zone whose private subnets route to it.
 *
 * @module
 */
import { checkAwsZonalIps } from "../../core/checks";
import { checkAwsRegionalZoneIps, checkRegionalZonesRouted } from "../../core/checks-aws";
import { AWS } from "../../core/limits";
import { type AwsGateway, awsGateways, describePublicIps, regionalZones } from "../lib/aws";
import { isUnknown } from "../lib/props";
import { zonesRoutingTo } from "../lib/regionalRoutes";
import type { Reporter } from "../lib/report";
import { defineStackRule } from "../lib/rule";
import type { Res } from "../lib/stack";

const max = AWS.maxIpsPerZonalGateway;

/**
 * A regional gateway in manual mode: every zone whose private subnets route to it listed, and each
 * zone's allocationIds within the per-zone limit.
 */
function checkRegional(report: Reporter, g: AwsGateway, stack: readonly Res[]): void {
  const subject = `regional NAT gateway "${g.gw.name}"`;
  const zones = regionalZones(g.gw);
  if (zones === undefined) return; // auto mode: AWS chooses and scales the IPs
  if (isUnknown(zones)) {
    report.cannotEvaluate(subject, "availabilityZoneAddresses is unknown", g.gw.urn);
    return;
  }
  const routed = zonesRoutingTo(stack, g.gw);
  for (const f of checkRegionalZonesRouted(
    routed.zones,
    zones.map((z) => z.zone),
  ))
    report.finding(subject, f, g.gw.urn);
  for (const [i, { zone, ips }] of zones.entries()) {
    // Only the per-zone limit here: a zone listed with no known allocationIds is not a violation.
    const errors = checkAwsRegionalZoneIps(
      ips.min,
      zone,
      `availabilityZoneAddresses[${i}].allocationIds`,
    ).filter((f) => f.limit !== undefined);
    if (errors.length > 0) {
      for (const f of errors) report.finding(subject, f, g.gw.urn);
    } else if (!ips.exact) report.cannotEvaluate(subject, `${ips.unknowns.join(" and ")} unknown`, g.gw.urn);
  }
}

/** The policy. */
export const awsNatGatewayIpLimit = defineStackRule({
  id: "aws-nat-gateway-ip-limit",
  description: `A zonal AWS NAT gateway holds at most ${max.value} IPv4 addresses (1 primary + ${max.value - 1} secondary EIPs); a regional one at most ${AWS.regionalIpsPerAz.value} per Availability Zone.`,
  enforcementLevel: "mandatory",
  remediation:
    `Use at most ${max.value} Elastic IPs per NAT gateway, counting the primary allocationId, secondaryAllocationIds and ` +
    "every NatGatewayEipAssociation aimed at it. For more egress capacity add a NAT gateway in another subnet or " +
    "Availability Zone and spread the workloads over them.",
  url: max.source,
  check: ({ stack, report }) => {
    for (const g of awsGateways(stack)) {
      if (g.regional) {
        checkRegional(report, g, stack);
        continue;
      }
      if (g.connectivity === "private") continue;
      const subject = `NAT gateway "${g.gw.name}"`;
      if (isUnknown(g.connectivity) && g.publicIps.min <= max.value) {
        report.cannotEvaluate(
          subject,
          "connectivityType is unknown, so it is not known whether EIPs apply",
          g.gw.urn,
        );
        continue;
      }
      const errors = checkAwsZonalIps(g.publicIps.min, max.value, "secondaryAllocationIds").filter(
        (f) => f.severity === "error",
      );
      if (errors.length > 0 && (g.publicIps.exact || g.publicIps.min > max.value)) {
        for (const f of errors) {
          report.finding(subject, { ...f, message: `${describePublicIps(g)} = ${f.message}` }, g.gw.urn);
        }
      } else if (!g.publicIps.exact) {
        report.cannotEvaluate(
          subject,
          `${g.publicIps.unknowns.join(" and ")} unknown; at least ${g.publicIps.min} of the ${max.value} IPv4 addresses are known`,
          g.gw.urn,
        );
      }
    }
  },
});
