/**
 * aws-nat-gateway-ip-limit [mandatory]: a zonal public NAT gateway holds at most 8 IPv4 addresses —
 * the primary EIP, inline `secondaryAllocationIds` and `NatGatewayEipAssociation` resources aimed at
 * it, all counted together; a regional NAT gateway holds at most 32 per Availability Zone, and in
 * manual mode must list addresses for every zone whose private subnets route to it.
 *
 * @module
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { checkAwsRegionalZoneIps, checkAwsZonalIps, checkRegionalZonesRouted } from "../../sim/checks";
import { AWS } from "../../sim/limits";
import { type AwsGateway, awsGateways, describePublicIps, regionalZones } from "../lib/aws";
import { isUnknown } from "../lib/props";
import { zonesRoutingTo } from "../lib/regionalRoutes";
import { type Reporter, reporter } from "../lib/report";
import { type Res, snapshot } from "../lib/stack";

const max = AWS.maxIpsPerZonalGateway;

/** A regional gateway in manual mode: each zone's allocationIds within the per-zone limit. */
function checkRegional(r: Reporter, g: AwsGateway, stack: readonly Res[]): void {
  const subject = `regional NAT gateway "${g.gw.name}"`;
  const zones = regionalZones(g.gw);
  if (zones === undefined) return; // auto mode: AWS chooses and scales the IPs
  if (isUnknown(zones)) {
    r.cannotEvaluate(subject, "availabilityZoneAddresses is unknown", g.gw.urn);
    return;
  }
  const routed = zonesRoutingTo(stack, g.gw);
  for (const f of checkRegionalZonesRouted(
    routed.zones,
    zones.map((z) => z.zone),
  ))
    r.finding(subject, f, g.gw.urn);
  for (const [i, { zone, ips }] of zones.entries()) {
    const errors = checkAwsRegionalZoneIps(
      ips.min,
      zone,
      `availabilityZoneAddresses[${i}].allocationIds`,
    ).filter((f) => f.limit !== undefined);
    if (errors.length > 0) {
      for (const f of errors) r.finding(subject, f, g.gw.urn);
    } else if (!ips.exact) r.cannotEvaluate(subject, `${ips.unknowns.join(" and ")} unknown`, g.gw.urn);
  }
}

/** The policy. */
export const awsNatGatewayIpLimit: StackValidationPolicy = {
  name: "aws-nat-gateway-ip-limit",
  description: `A zonal AWS NAT gateway holds at most ${max.value} IPv4 addresses (1 primary + ${max.value - 1} secondary EIPs); a regional one at most ${AWS.regionalIpsPerAz.value} per Availability Zone.`,
  enforcementLevel: "mandatory",
  remediationSteps:
    `Use at most ${max.value} Elastic IPs per NAT gateway, counting the primary allocationId, secondaryAllocationIds and ` +
    "every NatGatewayEipAssociation aimed at it. For more egress capacity add a NAT gateway in another subnet or " +
    "Availability Zone and spread the workloads over them.",
  url: max.source,
  validateStack: (args, reportViolation) => {
    const r = reporter(awsNatGatewayIpLimit.description, reportViolation);
    const stack = snapshot(args.resources);
    for (const g of awsGateways(stack)) {
      if (g.regional) {
        checkRegional(r, g, stack);
        continue;
      }
      if (g.connectivity === "private") continue;
      const subject = `NAT gateway "${g.gw.name}"`;
      if (isUnknown(g.connectivity) && g.publicIps.min <= max.value) {
        r.cannotEvaluate(
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
          r.finding(subject, { ...f, message: `${describePublicIps(g)} = ${f.message}` }, g.gw.urn);
        }
      } else if (!g.publicIps.exact) {
        r.cannotEvaluate(
          subject,
          `${g.publicIps.unknowns.join(" and ")} unknown; at least ${g.publicIps.min} of the ${max.value} IPv4 addresses are known`,
          g.gw.urn,
        );
      }
    }
  },
};
